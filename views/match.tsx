// The "Plex match" details of the invoice page: status and reason, the score with its evidence, warnings,
// the duplicate link, the three-way table line by line, and the ranked candidates.
import type { MatchResult, ThreeWayCheck } from '../domain/match.js';

const points = (p: number) => `${p >= 0 ? '+' : ''}${p.toFixed(2)}`;
const words = (s: string) => s.replaceAll('_', ' ');

export function MatchDetails({ match }: { match: MatchResult }) {
  const po = match.purchaseOrder;
  return (
    <div class="match">
      <p><strong>{words(match.status)}</strong>: {match.reason}</p>
      {match.duplicateOf && (
        <p class="duplicate">
          {match.status === 'duplicate' ? 'Duplicate of' : 'Possible duplicate of'} invoice{' '}
          <a href={`/invoices/${encodeURIComponent(match.duplicateOf.invoiceId)}`}>{match.duplicateOf.invoiceId}</a> ({match.duplicateOf.reason})
        </p>
      )}
      {po && <p>PO {po.poNumber} · {po.supplierName ?? po.supplierCode ?? 'supplier ?'} · PO total {po.lineItemTotal ?? '?'}{po.status ? ` · ${po.status}` : ''}</p>}
      {match.placeholder && <p>Placeholder {match.placeholder.id} ({match.placeholder.invoiceNumber}, amount {match.placeholder.amount ?? '?'})</p>}
      <p>Score <strong class="score">{match.score.toFixed(2)}</strong></p>
      {match.evidence.length > 0 && (
        <ul class="evidence" aria-label="Evidence">
          {match.evidence.map((e) => <li><span class="points">{points(e.points)}</span> {words(e.signal)} — {e.detail}</li>)}
        </ul>
      )}
      {match.warnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul class="warnings">{match.warnings.map((w) => <li>{w}</li>)}</ul>
        </>
      )}
      {match.threeWay && <ThreeWayTable check={match.threeWay} />}
      {match.candidates.length > 0 && (match.status !== 'matched' || match.candidates.length > 1) && <Candidates match={match} />}
    </div>
  );
}

function ThreeWayTable({ check }: { check: ThreeWayCheck }) {
  return (
    <>
      <h3>Three-way check: {words(check.status)}</h3>
      <p>{check.summary}</p>
      {check.lines.length > 0 && (
        <div class="table-scroll"><table class="small threeway">
          <thead>
            <tr>
              <th>Line</th><th>Description</th><th>PO line</th><th class="num">Invoiced</th><th class="num">Ordered</th>
              <th class="num">Received</th><th class="num">Price</th><th class="num">PO price</th><th>Result</th>
            </tr>
          </thead>
          <tbody>
            {check.lines.map((l) => (
              <tr class={`line-${l.status}`}>
                <td>{l.invoiceLine}</td>
                <td>{l.description ?? ''}</td>
                <td>{l.poLine ?? '—'}</td>
                <td class="num">{l.invoicedQuantity ?? '?'}</td>
                <td class="num">{l.orderedQuantity ?? '?'}</td>
                <td class="num">{l.receivedQuantity ?? '?'}</td>
                <td class="num">{l.invoicePrice ?? '?'}</td>
                <td class="num">{l.poPrice ?? '?'}</td>
                <td>{l.status === 'ok' ? 'ok' : <span class="reason">{l.issues.join('; ')}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
    </>
  );
}

function Candidates({ match }: { match: MatchResult }) {
  return (
    <>
      <h3>Candidates</h3>
      <div class="table-scroll"><table class="small candidates">
        <thead>
          <tr><th>PO</th><th>Supplier</th><th class="num">PO total</th><th>Open placeholders</th><th class="num">Score</th><th>Fits?</th></tr>
        </thead>
        <tbody>
          {match.candidates.map((c) => (
            <tr>
              <td>{c.purchaseOrder.poNumber}</td>
              <td>{c.purchaseOrder.supplierName ?? c.purchaseOrder.supplierCode ?? ''}</td>
              <td class="num">{c.purchaseOrder.lineItemTotal ?? '?'}</td>
              <td>{c.placeholders.length ? c.placeholders.map((p) => p.amount ?? '?').join(', ') : 'none'}</td>
              <td class="num">{c.score === undefined ? '' : c.score.toFixed(2)}</td>
              <td>{c.passed === false ? <span class="reason">{(c.notes ?? []).join('; ')}</span> : 'yes'}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </>
  );
}
