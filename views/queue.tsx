// The invoice queue: filters, counts per status, keyset pages, live refresh of the rows, SLA badges.
import type { QueueReason, QueueRow } from '../db/invoices.js';
import { Confidence, Layout, StatusBadge, statusLabel, type PageContext } from './layout.js';
import { WaitingOn } from './policies.js';

const FILTERS = ['awaiting_review', 'escalated', 'on_hold', 'sync_failed', 'synced', 'rejected'];
export interface QueueQuery {
  status?: string;
  vendor?: string;
  po?: string;
  band?: string;
  age?: string;
  order?: string;
  mine?: string;
  reason?: string;
}

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
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `${base}?${s}` : base;
};

export function QueuePage(props: { ctx: PageContext; rows: QueueRow[]; next?: string; query: QueueQuery; counts: Record<string, number>; slaHours: number; live: boolean }) {
  const q = props.query;
  return (
    <Layout title="Invoice queue" ctx={props.ctx} skip={{ href: '#queue-table', label: 'Skip to the invoices' }}>
      <h1>Invoices</h1>
      <nav class="filters" aria-label="Filter by status">
        <a href={queueHref({ ...q, status: undefined })} aria-current={!q.status ? 'page' : undefined}>All</a>
        {FILTERS.map((s) => (
          <a href={queueHref({ ...q, status: s })} aria-current={q.status === s ? 'page' : undefined}>
            {statusLabel(s)} <span class="count">{props.counts[s] ?? 0}</span>
          </a>
        ))}
      </nav>
      <form method="get" action="/invoices" class="queue-filters" aria-label="Filters">
        {q.status && <input type="hidden" name="status" value={q.status} />}
        <label>Vendor <input name="vendor" value={q.vendor} placeholder="starts with…" /></label>
        <label>PO <input name="po" value={q.po} /></label>
        <label>Confidence
          <select name="band">
            {[['', 'any'], ['low', 'low (< 70%)'], ['medium', 'medium'], ['high', 'high (≥ 95%)']].map(([v, l]) => <option value={v} selected={q.band === v}>{l}</option>)}
          </select>
        </label>
        <label>Age
          <select name="age">
            {[['', 'any'], ['4', 'older than 4 h'], ['24', 'older than 1 day'], ['72', 'older than 3 days']].map(([v, l]) => <option value={v} selected={q.age === v}>{l}</option>)}
          </select>
        </label>
        <label>Order
          <select name="order">
            <option value="newest" selected={q.order !== 'oldest'}>newest first</option>
            <option value="oldest" selected={q.order === 'oldest'}>oldest first</option>
          </select>
        </label>
        <label>Why it waits
          <select name="reason">
            <option value="" selected={!q.reason}>any reason</option>
            {Object.entries(REASON_LABEL).map(([v, l]) => <option value={v} selected={q.reason === v}>{l}</option>)}
          </select>
        </label>
        <label class="check"><input type="checkbox" name="mine" value="1" checked={q.mine === '1'} /> Assigned to me</label>
        <button type="submit">Apply</button>
      </form>
      <table class="queue" id="queue-table" tabindex={-1}>
        <thead>
          <tr><th>Received</th><th>Vendor</th><th>Invoice</th><th>PO</th><th class="num">Total</th><th>Due</th><th>Confidence</th><th>Why it waits</th><th>Status</th></tr>
        </thead>
        {/* The first page refreshes itself every 5 s (rows change as workflows progress). */}
        <QueueRows rows={props.rows} slaHours={props.slaHours} refreshUrl={props.live ? queueHref(q, '/invoices/rows') : undefined} />
      </table>
      {props.next && <p><a href={queueHref({ ...q, cursor: props.next })} rel="next">Next page →</a></p>}
    </Layout>
  );
}

export function QueueRows(props: { rows: QueueRow[]; slaHours: number; refreshUrl?: string }) {
  const now = Date.now();
  return (
    <tbody id="queue-rows" hx-get={props.refreshUrl} hx-trigger={props.refreshUrl ? 'every 5s' : undefined} hx-swap="outerHTML">
      {props.rows.length === 0 && (
        <tr><td colspan={9}>No invoices here.</td></tr>
      )}
      {props.rows.map((r) => {
        const waitingHours = (now - r.createdAt.getTime()) / 3_600_000;
        const overdue = (r.status === 'awaiting_review' || r.status === 'escalated') && (r.escalatedAt || waitingHours >= props.slaHours);
        return (
          <tr class="row-link" data-invoice={r.id}>
            <td>{r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
            <td>{r.vendorName ?? '—'}</td>
            {/* The invoice cell's link covers the whole row (app.css: tr.row-link a.open::after). */}
            <td><a class="open" href={`/invoices/${r.id}`}>{r.invoiceNumber ?? r.fileName}</a>{r.assignedTo && <span class="assignee"> · {r.assignedTo}</span>}</td>
            <td>{r.poNumber ?? '—'}</td>
            <td class="num">{r.total ? `${r.total} ${r.currency ?? ''}` : '—'}</td>
            <td>{r.dueDate ?? '—'}</td>
            <td><Confidence value={r.confidence} /></td>
            <td>{r.reasons.map((reason) => <span class={`badge chip reason-${reason}`}>{REASON_LABEL[reason]}</span>)}</td>
            <td>
              <StatusBadge status={r.status} />
              {overdue && <span class="badge sla" title={`Waiting ${Math.floor(waitingHours)} h; SLA ${props.slaHours} h`}>SLA {Math.floor(waitingHours)} h</span>}
              {r.approval?.step && <WaitingOn waiting={r.approval} />}
            </td>
          </tr>
        );
      })}
    </tbody>
  );
}
