import type { InvoiceRow } from '../db/invoices.js';
import { CsrfField, Layout, type PageContext } from './layout.js';

export function FailedSyncsPage(props: { ctx: PageContext; rows: InvoiceRow[]; temporalUiUrl: string; namespace: string }) {
  return (
    <Layout title="Failed syncs" ctx={props.ctx}>
      <h1>Failed syncs</h1>
      <p>These invoices were approved but could not be written to Plex. Fix the cause (credentials, the placeholder), then replay.</p>
      {props.rows.length > 0 && (
        <form method="post" action="/syncs/replay-all">
          <CsrfField token={props.ctx.csrfToken} />
          <button type="submit" class="primary">Replay all {props.rows.length}</button>
        </form>
      )}
      <table class="queue">
        <thead>
          <tr><th>Invoice</th><th>Vendor</th><th>PO</th><th>Reason</th><th>Workflow</th><th></th></tr>
        </thead>
        <tbody>
          {props.rows.length === 0 && (
            <tr><td colspan={6}>No failed syncs.</td></tr>
          )}
          {props.rows.map((r) => (
            <tr id={`failed-${r.id}`}>
              <td><a href={`/invoices/${r.id}`}>{r.invoiceNumber ?? r.fileName}</a></td>
              <td>{r.vendorName ?? '—'}</td>
              <td>{r.poNumber ?? '—'}</td>
              <td class="reason">{r.lastError ?? '—'}</td>
              <td><a href={`${props.temporalUiUrl}/namespaces/${encodeURIComponent(props.namespace)}/workflows/${encodeURIComponent(r.id)}`}>Temporal UI</a></td>
              <td>
                <form method="post" action={`/syncs/${r.id}/replay`}>
                  <CsrfField token={props.ctx.csrfToken} />
                  <button type="submit">Replay</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
