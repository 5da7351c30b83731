// The invoice queue: filters, counts per status, keyset pages, live refresh of the rows, SLA badges.
import { html } from 'hono/html';
import type { ApprovalPath } from '../domain/approval.js';
import type { BulkOutcome, BulkRequest, EffectiveFields, InvoiceStatus, QueueReason } from '../domain/invoice.js';
import { Confidence, CsrfField, Layout, StatusBadge, statusLabel, type PageContext } from './layout.js';
import { WaitingOn } from './policies.js';

/** One row of the queue: the invoice's fields as the workflow last set them, and why it waits. */
export interface QueueItem extends Pick<
  EffectiveFields,
  'vendorName' | 'invoiceNumber' | 'poNumber' | 'total' | 'currency'
> {
  id: string;
  createdAt: Date;
  status: InvoiceStatus;
  fileName: string;
  /** The due date as extracted (YYYY-MM-DD), or null. */
  dueDate: string | null;
  confidence: number | null;
  assignedTo: string | null;
  escalatedAt: Date | null;
  /** Why it waits, as the chips name it. */
  reasons: QueueReason[];
  /** The approval path while a policy step waits on someone, else null. */
  waitingOn: ApprovalPath | null;
}

/** An invoice of a bulk request's results: its number (or file name) and vendor. */
export interface BulkInvoice {
  id: string;
  label: string;
  vendorName: string | null;
}

const FILTERS = ['awaiting_review', 'escalated', 'on_hold', 'sync_failed', 'synced', 'rejected'];
export type QueueQuery = {
  status?: string;
  vendor?: string;
  po?: string;
  band?: string;
  age?: string;
  order?: string;
  mine?: string;
  reason?: string;
};

/** The queue's reason chips, in words a clerk uses. */
export const REASON_LABEL: Record<QueueReason, string> = {
  duplicate: 'duplicate',
  no_po: 'no PO',
  no_placeholder: 'not received / invoiced',
  ambiguous: 'ambiguous',
  amount_off: 'amount off',
  lines_off: 'lines off',
  no_invoice_number: 'no invoice number',
  low_confidence: 'low confidence',
  plex_unreachable: 'Plex unreachable',
};

export const queueHref = (q: QueueQuery & { cursor?: string }, base = '/invoices') => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries<string | undefined>(q)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `${base}?${s}` : base;
};

export function QueuePage(props: {
  ctx: PageContext;
  rows: QueueItem[];
  next?: string;
  query: QueueQuery;
  counts: Record<string, number>;
  slaHours: number;
  live: boolean;
  assignable: { email: string; displayName: string }[];
}) {
  const q = props.query;
  return (
    <Layout title="Invoice queue" ctx={props.ctx} skip={{ href: '#queue-table', label: 'Skip to the invoices' }}>
      <h1>Invoices</h1>
      <nav class="filters" aria-label="Filter by status">
        <a href={queueHref({ ...q, status: undefined })} aria-current={!q.status ? 'page' : undefined}>
          All
        </a>
        {FILTERS.map((s) => (
          <a href={queueHref({ ...q, status: s })} aria-current={q.status === s ? 'page' : undefined}>
            {statusLabel(s)} <span class="count">{props.counts[s] ?? 0}</span>
          </a>
        ))}
      </nav>
      <form method="get" action="/invoices" class="queue-filters" aria-label="Filters">
        {q.status && <input type="hidden" name="status" value={q.status} />}
        <label>
          Vendor <input name="vendor" value={q.vendor} placeholder="starts with…" />
        </label>
        <label>
          PO <input name="po" value={q.po} />
        </label>
        <label>
          Confidence
          <select name="band">
            {[
              ['', 'any'],
              ['low', 'low (< 70%)'],
              ['medium', 'medium'],
              ['high', 'high (≥ 95%)'],
            ].map(([v, l]) => (
              <option value={v} selected={q.band === v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Age
          <select name="age">
            {[
              ['', 'any'],
              ['4', 'older than 4 h'],
              ['24', 'older than 1 day'],
              ['72', 'older than 3 days'],
            ].map(([v, l]) => (
              <option value={v} selected={q.age === v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Order
          <select name="order">
            <option value="newest" selected={q.order !== 'oldest'}>
              newest first
            </option>
            <option value="oldest" selected={q.order === 'oldest'}>
              oldest first
            </option>
          </select>
        </label>
        <label>
          Why it waits
          <select name="reason">
            <option value="" selected={!q.reason}>
              any reason
            </option>
            {Object.entries(REASON_LABEL).map(([v, l]) => (
              <option value={v} selected={q.reason === v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" name="mine" value="1" checked={q.mine === '1'} /> Assigned to me
        </label>
        <button type="submit">Apply</button>
      </form>
      <BulkForm csrfToken={props.ctx.csrfToken} assignable={props.assignable} me={props.ctx.user?.email} />
      <table class="queue" id="queue-table" tabindex={-1}>
        <thead>
          <tr>
            <th>
              <span class="sr-only">Select</span>
            </th>
            <th>Received</th>
            <th>Vendor</th>
            <th>Invoice</th>
            <th>PO</th>
            <th class="num">Total</th>
            <th>Due</th>
            <th>Confidence</th>
            <th>Why it waits</th>
            <th>Status</th>
          </tr>
        </thead>
        {/* The first page refreshes itself every 5 s (rows change as workflows progress). */}
        <QueueRows
          rows={props.rows}
          slaHours={props.slaHours}
          refreshUrl={props.live ? queueHref(q, '/invoices/rows') : undefined}
        />
      </table>
      {props.next && (
        <p>
          <a href={queueHref({ ...q, cursor: props.next })} rel="next">
            Next page →
          </a>
        </p>
      )}
    </Layout>
  );
}

/** Invoices a decision can still be taken on from the queue (the others have no checkbox). */
const SELECTABLE = new Set(['awaiting_review', 'escalated', 'on_hold']);

/**
 * The action bar for the ticked rows. Each action is its own button (no select that Enter could submit
 * with "approve" chosen), and the form's default button is disabled, so Enter in the reason field decides
 * nothing. The row checkboxes belong to this form through their form attribute.
 */
function BulkForm(props: { csrfToken?: string; assignable: { email: string; displayName: string }[]; me?: string }) {
  return (
    <form method="post" action="/invoices/bulk" id="bulk" class="bulk-actions">
      <CsrfField token={props.csrfToken} />
      <button type="submit" disabled hidden>
        No decision
      </button>
      <fieldset>
        <legend>The ticked invoices</legend>
        <button
          type="submit"
          name="action"
          value="approve"
          title="Only those that pass every check: one open placeholder, no warning, a number read with confidence"
        >
          Approve those that pass every check
        </button>
        <label>
          Rejection reason <input name="reason" maxlength={2000} autocomplete="off" />
        </label>
        <button type="submit" name="action" value="reject">
          Reject with this reason
        </button>
        <label>
          Clerk
          <select name="assignee">
            {props.assignable.map((u) => (
              <option value={u.email} selected={u.email === props.me}>
                {u.displayName} ({u.email})
              </option>
            ))}
            <option value="">nobody (release)</option>
          </select>
        </label>
        <button type="submit" name="action" value="assign">
          Assign
        </button>
      </fieldset>
    </form>
  );
}

const OUTCOME_LABEL: Record<BulkOutcome['outcome'], string> = {
  approved: 'approved',
  rejected: 'rejected',
  assigned: 'assigned',
  released: 'released',
  skipped: 'not changed',
};

/** What became of each invoice of a bulk request, each linked, the skipped ones with why. */
export function BulkResultsPage(props: {
  ctx: PageContext;
  action?: BulkRequest['action'];
  outcomes: BulkOutcome[];
  invoices: BulkInvoice[];
  error?: string;
}) {
  const byId = new Map(props.invoices.map((r) => [r.id, r]));
  const done = props.outcomes.filter((o) => o.outcome !== 'skipped').length;
  return (
    <Layout title="Queue actions" ctx={props.ctx}>
      <h1>Queue actions</h1>
      {props.error ? (
        <p class="flash error" role="alert">
          {props.error} Nothing was changed.
        </p>
      ) : (
        <p role="status">
          {done} of {props.outcomes.length} {props.outcomes.length === 1 ? 'invoice' : 'invoices'}{' '}
          {props.action === 'approve' ? 'approved' : props.action === 'reject' ? 'rejected' : 'changed'}
          {done < props.outcomes.length ? '; the others are unchanged, each with the reason' : ''}.
        </p>
      )}
      {props.action === 'approve' && done > 0 && (
        <p class="meta">An approval can be taken back on its invoice's page until its sync starts.</p>
      )}
      {props.outcomes.length > 0 && (
        <table class="bulk-results">
          <thead>
            <tr>
              <th>Invoice</th>
              <th>Vendor</th>
              <th>Result</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {props.outcomes.map((o) => {
              const row = byId.get(o.invoiceId);
              return (
                <tr class={`outcome-${o.outcome}`}>
                  <td>
                    <a href={`/invoices/${o.invoiceId}`}>{row?.label ?? o.invoiceId}</a>
                  </td>
                  <td>{row?.vendorName ?? '—'}</td>
                  <td>{OUTCOME_LABEL[o.outcome]}</td>
                  <td>{o.reason ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p>
        <a href="/invoices">Back to the queue</a>
      </p>
    </Layout>
  );
}

/**
 * The rows of the queue, live-refreshed. Written as `html` templates rather than JSX: this is the queue
 * pages' hot path (50 rows per request), and Hono's JSX took 0.46 ms to render 50 rows where the
 * templates take 0.14 ms for the same bytes (docs/benchmarks.md). `html` escapes every interpolated value
 * as JSX does; only nested `html` templates and JSX elements pass through as they are. The templates are
 * kept on one line each (Prettier leaves embedded HTML alone here) so that the markup has no whitespace
 * JSX would not have put there.
 */
export function QueueRows(props: {
  rows: QueueItem[];
  slaHours: number;
  refreshUrl?: string;
  selected?: readonly string[];
}) {
  const now = Date.now();
  const selected = new Set(props.selected ?? []);
  // The refresh sends the ticked ids along (hx-include) and gets them back ticked.
  const refresh = props.refreshUrl
    ? html` hx-get="${props.refreshUrl}" hx-trigger="every 5s" hx-swap="outerHTML" hx-include="#queue-rows input[name=ids]:checked"`
    : html` hx-swap="outerHTML"`;
  const empty = props.rows.length === 0 ? html`<tr><td colspan="10">No invoices here.</td></tr>` : '';
  const rows = props.rows.map((r) => queueRow(r, now, props.slaHours, selected));
  return html`<tbody id="queue-rows"${refresh}>${empty}${rows}</tbody>`;
}

function queueRow(r: QueueItem, now: number, slaHours: number, selected: ReadonlySet<string>) {
  const waitingHours = (now - r.createdAt.getTime()) / 3_600_000;
  const overdue =
    (r.status === 'awaiting_review' || r.status === 'escalated') && (r.escalatedAt || waitingHours >= slaHours);
  const checked = selected.has(r.id) ? html` checked=""` : '';
  const select = SELECTABLE.has(r.status)
    ? html`<input type="checkbox" name="ids" value="${r.id}" form="bulk"${checked} aria-label="Select ${r.invoiceNumber ?? r.fileName}"/>`
    : '';
  const assignee = r.assignedTo ? html`<span class="assignee"> · ${r.assignedTo}</span>` : '';
  const received = r.createdAt.toISOString().slice(0, 16).replace('T', ' ');
  const total = r.total ? `${r.total} ${r.currency ?? ''}` : '—';
  const reasons = r.reasons.map(
    (reason) => html`<span class="badge chip reason-${reason}">${REASON_LABEL[reason]}</span>`,
  );
  const hours = Math.floor(waitingHours);
  const sla = overdue
    ? html`<span class="badge sla" title="Waiting ${hours} h; SLA ${slaHours} h">SLA ${hours} h</span>`
    : '';
  const waiting = r.waitingOn ? WaitingOn({ path: r.waitingOn }) : '';
  // The invoice cell's link covers the whole row (app.css: tr.row-link a.open::after).
  return html`<tr class="row-link" data-invoice="${r.id}"><td class="select">${select}</td><td>${received}</td><td>${r.vendorName ?? '—'}</td><td><a class="open" href="/invoices/${r.id}">${r.invoiceNumber ?? r.fileName}</a>${assignee}</td><td>${r.poNumber ?? '—'}</td><td class="num">${total}</td><td>${r.dueDate ?? '—'}</td><td>${Confidence({ value: r.confidence })}</td><td>${reasons}</td><td>${StatusBadge({ status: r.status })}${sla}${waiting}</td></tr>`;
}
