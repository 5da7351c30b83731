// The "Plex match" details of the invoice page: status and reason, the score with its evidence, warnings,
// the duplicate link, the three-way table line by line, and the ranked candidates.
import type { MatchResult, MatchStatus, ThreeWayCheck } from '../domain/match.js';

const points = (p: number) => `${p >= 0 ? '+' : ''}${p.toFixed(2)}`;
const words = (s: string) => s.replaceAll('_', ' ');

/**
 * Each match signal in a clerk's words, and whether it speaks for the match (yes), against it (no) or could
 * not be checked (unknown). The signal name and its points stay in the tooltip for ops.
 */
const SIGNALS: Record<string, [verdict: 'yes' | 'no' | 'unknown', text: string]> = {
  po_number_exact: ['yes', 'The PO number on the invoice is in Plex'],
  po_number_normalised: ['yes', 'The PO number is in Plex once spaces, dashes or a prefix are ignored'],
  po_number_ocr: ['yes', 'The PO number is in Plex if a scanning misread (O/0, I/1, S/5, B/8) is allowed for'],
  supplier: ['yes', "The vendor is the PO's supplier"],
  supplier_mismatch: ['no', "The vendor does not look like the PO's supplier"],
  supplier_unknown: ['unknown', 'The vendor could not be compared'],
  supplier_tax_id_or_iban: ['yes', "The tax id or bank account on the invoice is the supplier's in Plex"],
  tax_id_differs: ['no', "The tax id on the invoice is not the supplier's in Plex"],
  iban_differs: ['no', "The bank account on the invoice is not the supplier's in Plex"],
  iban_not_on_file: ['unknown', 'Plex has no bank account for the supplier to compare'],
  amount: ['yes', 'The amount fits'],
  amount_outside_tolerance: ['no', 'The amount does not fit'],
  amount_unknown: ['unknown', 'No amount to compare'],
  date: ['yes', "The date fits the PO's window"],
  date_outside_window: ['no', "The date is outside the PO's window"],
  date_unknown: ['unknown', 'No date to compare'],
  single_placeholder: ['yes', 'One open "Received" placeholder waits for this invoice'],
  several_placeholders: ['no', 'Several open "Received" placeholders: choose one'],
  no_placeholder: ['no', 'No open "Received" placeholder'],
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const MARK = { yes: '✓', no: '✗', unknown: '?' } as const;
const STATUS: Record<MatchStatus, string> = {
  matched: 'Matched',
  ambiguous: 'More than one fits',
  no_placeholder: 'No placeholder to write to',
  no_po_number: 'No PO number',
  po_not_found: 'PO not in Plex',
  duplicate: 'Duplicate',
  lookup_failed: 'Plex could not be asked',
};

export function MatchDetails({ match }: { match: MatchResult }) {
  const po = match.purchaseOrder;
  return (
    <div class="match">
      <p>
        <strong>{STATUS[match.status]}</strong>: {match.reason}
      </p>
      {match.duplicateOf && (
        <p class="duplicate">
          {match.status === 'duplicate' ? 'Duplicate of' : 'Possible duplicate of'} invoice{' '}
          <a href={`/invoices/${encodeURIComponent(match.duplicateOf.invoiceId)}`}>{match.duplicateOf.invoiceId}</a> (
          {match.duplicateOf.reason})
        </p>
      )}
      {po && (
        <p>
          PO {po.poNumber} · {po.supplierName ?? po.supplierCode ?? 'supplier ?'} · PO total {po.lineItemTotal ?? '?'}
          {po.status ? ` · ${po.status}` : ''}
        </p>
      )}
      {match.placeholder && (
        <p>
          Writes into the open "{match.placeholder.invoiceNumber}" placeholder{' '}
          <span title={`Plex AP invoice ${match.placeholder.id}`}>
            for {match.placeholder.amount ?? 'an unknown amount'}
            {match.placeholder.currencyCode ? ` ${match.placeholder.currencyCode}` : ''}
          </span>
        </p>
      )}
      <p>
        Match strength <strong class="score">{Math.round(match.score * 100)}%</strong>
      </p>
      {match.evidence.length > 0 && (
        <ul class="evidence" aria-label="Why">
          {match.evidence.map((e) => {
            const [verdict, text] = SIGNALS[e.signal] ?? ['unknown', words(e.signal)];
            return (
              <li class={`ev-${verdict}`} title={`${e.signal} ${points(e.points)}`}>
                <span class="mark" aria-hidden="true">
                  {MARK[verdict]}
                </span>{' '}
                {text}: {e.detail.replace(UUID, 'a Plex record')}
              </li>
            );
          })}
        </ul>
      )}
      {match.warnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul class="warnings">
            {match.warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </>
      )}
      {match.threeWay && <ThreeWayTable check={match.threeWay} />}
      {match.candidates.length > 0 && (match.status !== 'matched' || match.candidates.length > 1) && (
        <Candidates match={match} />
      )}
    </div>
  );
}

function ThreeWayTable({ check }: { check: ThreeWayCheck }) {
  return (
    <>
      <h3>Three-way check: {words(check.status)}</h3>
      <p>{check.summary}</p>
      {check.lines.length > 0 && (
        <div class="table-scroll">
          <table class="small threeway">
            <thead>
              <tr>
                <th>Line</th>
                <th>Result</th>
                <th>Description</th>
                <th>PO line</th>
                <th class="num">Invoiced</th>
                <th class="num">Ordered</th>
                <th class="num">Received</th>
                <th class="num">Price</th>
                <th class="num">PO price</th>
              </tr>
            </thead>
            <tbody>
              {check.lines.map((l) => (
                <tr class={`line-${l.status}`}>
                  <td>{l.invoiceLine}</td>
                  <td>{l.status === 'ok' ? 'ok' : <span class="reason">{l.issues.join('; ')}</span>}</td>
                  <td>{l.description ?? ''}</td>
                  <td>{l.poLine ?? '—'}</td>
                  <td class="num">{l.invoicedQuantity ?? '?'}</td>
                  <td class="num">{l.orderedQuantity ?? '?'}</td>
                  <td class="num">{l.receivedQuantity ?? '?'}</td>
                  <td class="num">{l.invoicePrice ?? '?'}</td>
                  <td class="num">{l.poPrice ?? '?'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Candidates({ match }: { match: MatchResult }) {
  return (
    <>
      <h3>Candidates</h3>
      <div class="table-scroll">
        <table class="small candidates">
          <thead>
            <tr>
              <th>PO</th>
              <th>Supplier</th>
              <th class="num">PO total</th>
              <th>Open placeholders</th>
              <th class="num">Match strength</th>
              <th>Fits?</th>
            </tr>
          </thead>
          <tbody>
            {match.candidates.map((c) => (
              <tr>
                <td>{c.purchaseOrder.poNumber}</td>
                <td>{c.purchaseOrder.supplierName ?? c.purchaseOrder.supplierCode ?? ''}</td>
                <td class="num">{c.purchaseOrder.lineItemTotal ?? '?'}</td>
                <td>{c.placeholders.length ? c.placeholders.map((p) => p.amount ?? '?').join(', ') : 'none'}</td>
                <td class="num">{c.score === undefined ? '' : `${Math.round(c.score * 100)}%`}</td>
                <td>{c.passed === false ? <span class="reason">{(c.notes ?? []).join('; ')}</span> : 'yes'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
