import type { InvoiceRow } from '../db/invoices.js';
import { Confidence, Layout, StatusBadge, statusLabel, type PageContext } from './layout.js';

const FILTERS = ['awaiting_review', 'escalated', 'sync_failed', 'synced', 'rejected'];

export function QueuePage(props: { ctx: PageContext; rows: InvoiceRow[]; next?: string; status?: string; counts: Record<string, number> }) {
  const q = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ status: props.status, ...extra })) if (v) p.set(k, v);
    const s = p.toString();
    return s ? `/invoices?${s}` : '/invoices';
  };
  return (
    <Layout title="Invoice queue" ctx={props.ctx}>
      <h1>Invoices</h1>
      <nav class="filters" aria-label="Filter by status">
        <a href="/invoices" aria-current={!props.status ? 'page' : undefined}>All</a>
        {FILTERS.map((s) => (
          <a href={`/invoices?status=${s}`} aria-current={props.status === s ? 'page' : undefined}>
            {statusLabel(s)} <span class="count">{props.counts[s] ?? 0}</span>
          </a>
        ))}
      </nav>
      <table class="queue">
        <thead>
          <tr><th>Received</th><th>Vendor</th><th>Invoice</th><th>PO</th><th class="num">Total</th><th>Confidence</th><th>Status</th></tr>
        </thead>
        <tbody>
          {props.rows.length === 0 && (
            <tr><td colspan={7}>No invoices here.</td></tr>
          )}
          {props.rows.map((r) => (
            <tr>
              <td><a href={`/invoices/${r.id}`}>{r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</a></td>
              <td>{r.vendorName ?? '—'}</td>
              <td>{r.invoiceNumber ?? r.fileName}</td>
              <td>{r.poNumber ?? '—'}</td>
              <td class="num">{r.total ? `${r.total} ${r.currency ?? ''}` : '—'}</td>
              <td><Confidence value={r.confidence} /></td>
              <td><StatusBadge status={r.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.next && <p><a href={q({ cursor: props.next })} rel="next">Older invoices →</a></p>}
    </Layout>
  );
}
