// The decisions of the invoice page: the review forms (corrections prefilled with the values in force and
// each field's notes, the placeholder choice when the match is ambiguous, approve / send back, and reject
// in a form of its own), the notice of the decision just taken with its Undo, and the ways out of a
// failed sync (re-match, reject). No decision that writes to Plex can come from an implicit submit: Enter
// in a correction field hits a disabled default button, and the server requires the button's `decision`.
import { CORRECTION_LABELS, type FieldCorrections, type HeaderFieldName } from '../domain/extraction.js';
import { MAX_INVOICE_NUMBER_LENGTH as INVOICE_NUMBER_MAX } from '../domain/invoice-number.js';
import type { InvoiceState, ReviewAction } from '../domain/invoice.js';
import { placeholderOptions } from '../domain/placeholder-choice.js';
import { Confidence, CsrfField } from './layout.js';

type CorrectionName = keyof FieldCorrections;
const EXTRACTED_AS: Record<CorrectionName, HeaderFieldName> = {
  invoiceNumber: 'invoiceNumber',
  poNumber: 'poNumbers',
  vendorName: 'vendorName',
  invoiceDate: 'invoiceDate',
  dueDate: 'dueDate',
  currency: 'currency',
  subtotal: 'subtotal',
  tax: 'tax',
  total: 'total',
  amountDue: 'amountDue',
};
const INPUT_HINT: Partial<
  Record<CorrectionName, { hint: string; pattern?: string; maxlength?: number; inputmode?: 'decimal' }>
> = {
  invoiceNumber: {
    hint: `at most ${INVOICE_NUMBER_MAX} characters: letters, digits, spaces and - _ / . # : , ( ) +`,
    maxlength: INVOICE_NUMBER_MAX,
  },
  invoiceDate: { hint: 'YYYY-MM-DD', pattern: '\\d{4}-\\d{2}-\\d{2}' },
  dueDate: { hint: 'YYYY-MM-DD', pattern: '\\d{4}-\\d{2}-\\d{2}' },
  currency: { hint: 'ISO code, e.g. USD', pattern: '[A-Z]{3}', maxlength: 3 },
  subtotal: { hint: 'e.g. 1234.56', pattern: '-?\\d+(\\.\\d+)?', inputmode: 'decimal' },
  tax: { hint: 'e.g. 1234.56', pattern: '-?\\d+(\\.\\d+)?', inputmode: 'decimal' },
  total: { hint: 'e.g. 1234.56', pattern: '-?\\d+(\\.\\d+)?', inputmode: 'decimal' },
  amountDue: { hint: 'e.g. 1234.56', pattern: '-?\\d+(\\.\\d+)?', inputmode: 'decimal' },
};

/** How the viewer turns picked words into the field's value (as the server parses it; raw when unsure). */
const PICK_KIND: Partial<Record<CorrectionName, 'amount' | 'date' | 'currency'>> = {
  invoiceDate: 'date',
  dueDate: 'date',
  currency: 'currency',
  subtotal: 'amount',
  tax: 'amount',
  total: 'amount',
  amountDue: 'amount',
};

// Shown only when the invoice has one (read or corrected): most invoices print no amount due apart from the total.
const SHOWN_WHEN_SET = new Set<CorrectionName>(['amountDue']);

/** The value in force for a field: the clerk's latest correction, else what was extracted. */
function currentValue(state: InvoiceState, name: CorrectionName): string {
  for (const d of [...state.decisions].reverse()) {
    const corrected = d.corrections[name];
    if (corrected !== undefined) return corrected;
  }
  // an extraction stored before a field existed lacks it
  const extracted = (state.extraction?.fields[EXTRACTED_AS[name]] as { value: string | string[] | null } | undefined)
    ?.value;
  return Array.isArray(extracted) ? (extracted[0] ?? '') : (extracted ?? '');
}

export function ReviewForms(props: {
  invoiceId: string;
  state: InvoiceState;
  csrfToken?: string;
  offerOverride?: boolean;
}) {
  const { state } = props;
  const options = placeholderOptions(state.match, state.fields.total);
  const action = `/invoices/${props.invoiceId}/review`;
  return (
    <section class="card" aria-labelledby="review-h">
      <h2 id="review-h">Review</h2>
      <form
        method="post"
        action={action}
        class="review review-approve"
        data-words={`/invoices/${props.invoiceId}/words`}
      >
        <CsrfField token={props.csrfToken} />
        {/* The form's default button, disabled: Enter in a field submits nothing (HTML implicit submission). */}
        <button type="submit" disabled hidden>
          No decision
        </button>
        {options.length > 0 && (
          <fieldset class="placeholder-choice">
            <legend>Which open "Received" placeholder is this invoice's? (choose one to approve)</legend>
            {options.map((o, i) => {
              const p = o.placeholder;
              return (
                <p class={o.exact ? 'fits' : undefined}>
                  <input type="radio" name="placeholderId" id={`ph-${i}`} value={p.id} />{' '}
                  <label for={`ph-${i}`}>
                    PO <strong>{o.purchaseOrder.poNumber}</strong> · amount <strong>{p.amount ?? '?'}</strong>{' '}
                    {p.currencyCode ?? ''} · dated {p.date ?? 'unknown'} · receipt {p.receipt ?? 'none shown'} —{' '}
                    <span class="fit">{o.fit}</span>
                  </label>
                </p>
              );
            })}
            <p class="meta">
              Plex is asked again before the approval stands: a placeholder paid, closed or numbered meanwhile is
              refused.
            </p>
          </fieldset>
        )}
        <fieldset>
          <legend>Corrections (the values in force; change what is wrong)</legend>
          {/* Shown by the viewer's script once the document's words are there: picking is a pointer shortcut, typing stays the way. */}
          <p class="meta pick-hint" id="pick-hint" hidden>
            Or pick a value off the document: with a field focused, click a word on the page (shift-click adds words, or
            drag a box over them).
          </p>
          {(Object.keys(CORRECTION_LABELS) as CorrectionName[])
            .filter((name) => !SHOWN_WHEN_SET.has(name) || currentValue(state, name) !== '')
            .map((name) => {
              const value = currentValue(state, name);
              const field = state.extraction?.fields[EXTRACTED_AS[name]];
              const hint = INPUT_HINT[name];
              const notes = field?.notes ?? [];
              const describedBy =
                [hint && `h-${name}`, notes.length > 0 && `n-${name}`].filter(Boolean).join(' ') || undefined;
              return (
                <div class="correction">
                  <label for={`c-${name}`}>{CORRECTION_LABELS[name]}</label>{' '}
                  {field && <Confidence value={field.confidence} />}
                  <input
                    id={`c-${name}`}
                    name={name}
                    value={value}
                    aria-describedby={describedBy}
                    pattern={hint?.pattern}
                    maxlength={hint?.maxlength}
                    inputmode={hint?.inputmode}
                    autocomplete="off"
                    data-pick={name}
                    data-pick-kind={PICK_KIND[name] ?? 'text'}
                  />
                  <input type="hidden" name={`was.${name}`} value={value} />
                  {/* "page,x,y,width,height" of the box the value was picked from on the document; empty when typed. */}
                  <input type="hidden" name={`provenance.${name}`} value="" data-picked={name} />
                  {hint && (
                    <span class="meta" id={`h-${name}`}>
                      {hint.hint}
                    </span>
                  )}
                  {notes.length > 0 && (
                    <ul class="field-notes meta" id={`n-${name}`}>
                      {notes.map((n) => (
                        <li>{n}</li>
                      ))}
                    </ul>
                  )}
                </div>
              );
            })}
        </fieldset>
        <p>
          <label for="note">Note (optional)</label>
          <input id="note" name="note" autocomplete="off" />
        </p>
        {props.offerOverride && (
          <p>
            <label>
              <input type="checkbox" name="override" value="1" /> Override four eyes (an approval policy's rule;
              audited, give the reason as the note)
            </label>
          </p>
        )}
        <p class="meta">
          Enter in a field decides nothing: press a button, or <kbd>Esc</kbd> then <kbd>a</kbd> / <kbd>s</kbd>.
        </p>
        <button type="submit" name="decision" value="approve" class="primary">
          Approve and sync
        </button>{' '}
        <button type="submit" name="decision" value="send_back" formnovalidate>
          Send back (re-match)
        </button>
      </form>
      {state.hold ? (
        <HoldNotice hold={state.hold} />
      ) : (
        state.match?.status === 'no_placeholder' && <HoldForm action={action} csrfToken={props.csrfToken} />
      )}
      <RejectForm action={action} csrfToken={props.csrfToken} />
      <details class="shortcuts" open>
        <summary>Keyboard shortcuts</summary>
        <dl>
          {SHORTCUTS.map(([k, what]) => (
            <>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{what}</dd>
            </>
          ))}
        </dl>
      </details>
    </section>
  );
}

const SHORTCUTS: [string, string][] = [
  ['a', 'approve and sync'],
  ['s', 'send back (re-match)'],
  ['r', 'reject (focuses the reason; Enter there rejects)'],
  ['e', 'edit the invoice number'],
  ['Esc', 'leave a field (Enter in a correction field decides nothing)'],
  ['u', 'undo the approval just made (while its undo window is open)'],
  ['j / k', 'next / previous invoice waiting for review'],
];

/** The PO has no placeholder yet: the clerk can park the invoice until the goods are received. */
function HoldForm(props: { action: string; csrfToken?: string }) {
  return (
    <form method="post" action={props.action} class="review-hold">
      <CsrfField token={props.csrfToken} />
      <p class="meta">
        The goods have not been received in Plex yet? Hold the invoice: PlexSync looks for the placeholder again on a
        schedule and goes on by itself once it is there.
      </p>
      <button type="submit" name="decision" value="hold">
        Hold for goods receipt
      </button>
    </form>
  );
}

/** On hold: since when, the next look at Plex, and until when at most. */
function HoldNotice(props: { hold: NonNullable<InvoiceState['hold']> }) {
  const { hold } = props;
  const time = (iso: string) => <time datetime={iso}>{iso.slice(0, 16).replace('T', ' ')} UTC</time>;
  return (
    <p class="flash hold" role="status">
      On hold for goods receipt since {time(hold.since)} ({hold.actor}); checked {hold.checks} time
      {hold.checks === 1 ? '' : 's'}, next check {time(hold.nextCheckAt)}, held at most until {time(hold.until)}.
      Approving, sending back or rejecting ends the hold.
    </p>
  );
}

/** Its own form: Enter in the reason submits this form's only button, Reject. */
function RejectForm(props: { action: string; csrfToken?: string; label?: string }) {
  return (
    <form method="post" action={props.action} class="review-reject">
      <CsrfField token={props.csrfToken} />
      <p>
        <label for="reason">{props.label ?? 'Reason for rejecting (required to reject)'}</label>
        <input id="reason" name="reason" required autocomplete="off" />
      </p>
      <button type="submit" name="decision" value="reject" class="danger">
        Reject
      </button>
    </form>
  );
}

export interface DecisionNoticeProps {
  invoiceId: string;
  /** "INV-1 (Acme Fasteners)" */
  label: string;
  decision: ReviewAction;
  status: string;
  undo: InvoiceState['undo'];
}

const DONE: Record<ReviewAction, string> = {
  approve: 'Approved',
  reject: 'Rejected',
  send_back: 'Sent back to be matched again:',
  hold: 'Put on hold for goods receipt:',
};

/** Which invoice got which decision; for an approval in its undo window, Undo (u). */
export function DecisionNotice(props: DecisionNoticeProps & { csrfToken?: string }) {
  const undo = props.decision === 'approve' ? props.undo : null;
  return (
    <div class="flash ok decision-notice" role="status">
      <p>
        {DONE[props.decision]} invoice <a href={`/invoices/${props.invoiceId}`}>{props.label}</a>.{' '}
        {undo ? (
          <>
            It is written to Plex at <time datetime={undo.until}>{undo.until.slice(11, 19)} UTC</time> unless you undo
            it.
          </>
        ) : props.decision === 'approve' ? (
          <>Sync to Plex: {props.status.replace('_', ' ')}.</>
        ) : null}
      </p>
      {undo && <UndoForm invoiceId={props.invoiceId} undo={undo} csrfToken={props.csrfToken} />}
    </div>
  );
}

function UndoForm(props: { invoiceId: string; undo: NonNullable<InvoiceState['undo']>; csrfToken?: string }) {
  return (
    <form method="post" action={`/invoices/${props.invoiceId}/recall`} class="undo">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="decisionId" value={props.undo.decisionId} />
      <button type="submit" data-shortcut="u">
        Undo (u)
      </button>
    </form>
  );
}

/**
 * An approval waiting out its undo window, on the invoice page itself: the automatic ones (nobody was
 * redirected to a decision notice) and a clerk's, for whoever opens the invoice before the sync starts.
 */
export function PendingApproval(props: {
  invoiceId: string;
  undo: NonNullable<InvoiceState['undo']>;
  canRecall: boolean;
  csrfToken?: string;
}) {
  const { undo } = props;
  const who = undo.actor === 'system' ? 'Approved automatically' : <>Approved by {undo.actor}</>;
  return (
    <div class="flash ok pending-approval" role="status">
      <p>
        {who}. It is written to Plex at <time datetime={undo.until}>{undo.until.slice(11, 19)} UTC</time>
        {props.canRecall ? ' unless someone undoes it; undo sends it back to review.' : '.'}
      </p>
      {props.canRecall && <UndoForm invoiceId={props.invoiceId} undo={undo} csrfToken={props.csrfToken} />}
    </div>
  );
}

/**
 * A failed sync is never a dead end: besides ops' replay, a clerk can re-match it (the match runs again and
 * the invoice comes back to review, where another placeholder can be chosen) or reject it.
 */
export function FailedSyncDecisions(props: { invoiceId: string; state?: InvoiceState; csrfToken?: string }) {
  const action = `/invoices/${props.invoiceId}/review`;
  const gone = props.state?.sync.lastErrorType === 'PlaceholderGone';
  return (
    <div class="failed-decisions">
      <p>
        {gone ? 'The placeholder this invoice was matched to no longer exists in Plex: replaying cannot succeed. ' : ''}
        Re-match it to look for its placeholder again (then choose and approve it in review), or reject it.
      </p>
      <form method="post" action={action} class="rematch">
        <CsrfField token={props.csrfToken} />
        <button type="submit" name="decision" value="send_back" class={gone ? 'primary' : undefined}>
          Re-match (choose another placeholder)
        </button>
      </form>
      <RejectForm action={action} csrfToken={props.csrfToken} label="Reason for rejecting this invoice (required)" />
    </div>
  );
}
