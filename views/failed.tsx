// Failed syncs (ops): why each invoice could not be written to Plex, how often it was tried, what Plex
// last answered, a link to its workflow, and replay of one, the selected, or all.
import type { FailedSyncSummary, InvoiceRow } from '../db/invoices.js';
import { CsrfField, Layout, type PageContext } from './layout.js';

export function FailedSyncsPage(props: { ctx: PageContext; rows: InvoiceRow[]; summaries: Map<string, FailedSyncSummary>; temporalUiUrl: string; namespace: string }) {
  return (
    <Layout title="Failed syncs" ctx={props.ctx}>
      <h1>Failed syncs</h1>
      <p>These invoices were approved but could not be written to Plex. Fix the cause (credentials, the placeholder), then replay. A replay re-reads the placeholder first, so it never writes twice.</p>
      <form method="post" action="/syncs/replay-selected" id="replay-form">
        <CsrfField token={props.ctx.csrfToken} />
        <table class="queue">
          <thead>
            <tr><th><span class="sr-only">Select</span></th><th>Invoice</th><th>Vendor</th><th>PO</th><th>Reason</th><th class="num">Attempts</th><th>Last Plex response</th><th>Workflow</th><th></th></tr>
          </thead>
          <tbody>
            {props.rows.length === 0 && (
              <tr><td colspan={9}>No failed syncs.</td></tr>
            )}
            {props.rows.map((r) => {
              const sum = props.summaries.get(r.id);
              const response = sum?.lastResponse === undefined || sum.lastResponse === null ? '—' : JSON.stringify(sum.lastResponse);
              return (
                <tr id={`failed-${r.id}`}>
                  <td><input type="checkbox" name="ids" value={r.id} aria-label={`Select ${r.invoiceNumber ?? r.fileName}`} /></td>
                  <td><a href={`/invoices/${r.id}`}>{r.invoiceNumber ?? r.fileName}</a></td>
                  <td>{r.vendorName ?? '—'}</td>
                  <td>{r.poNumber ?? '—'}</td>
                  <td class="reason">{r.lastError ?? '—'}{sum?.lastErrorType && <> <code>{sum.lastErrorType}</code></>}</td>
                  <td class="num">{sum?.attempts ?? 0}</td>
                  <td><code class="response">{response.length > 160 ? `${response.slice(0, 160)}…` : response}</code></td>
                  <td><a href={`${props.temporalUiUrl}/namespaces/${encodeURIComponent(props.namespace)}/workflows/${encodeURIComponent(r.id)}`}>Temporal UI</a></td>
                  <td><button type="submit" formaction={`/syncs/${r.id}/replay`}>Replay</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {props.rows.length > 0 && (
          <p>
            <button type="submit" class="primary">Replay selected</button>{' '}
            <button type="submit" formaction="/syncs/replay-all">Replay all {props.rows.length}</button>
          </p>
        )}
      </form>
    </Layout>
  );
}
