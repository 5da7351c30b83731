// Failed syncs (ops): why each invoice could not be written to Plex, how often it was tried, what Plex
// last answered, a link to its workflow, and replay of one, the selected, or all.
import { CsrfField, Layout, type PageContext } from './layout.js';

/** An invoice parked in sync failed; `sync`: its sync attempts, when any were recorded. */
export interface FailedSyncItem {
  id: string;
  fileName: string;
  invoiceNumber: string | null;
  vendorName: string | null;
  poNumber: string | null;
  lastError: string | null;
  sync?: {
    attempts: number;
    /** The last attempt's recorded Plex calls ({ calls: [...] }), as stored. */
    lastResponse: unknown;
    lastErrorType: string | null;
  };
}

interface RecordedCall {
  method?: string;
  path?: string;
  status?: number;
  body?: unknown;
  error?: string;
}

/** The Plex call that failed in the last attempt (the last one with an error or a 4xx/5xx), else its last call. */
export function failingCall(response: unknown): RecordedCall | undefined {
  const calls = (response as { calls?: unknown } | null)?.calls;
  if (!Array.isArray(calls) || calls.length === 0) return undefined;
  const list = calls as RecordedCall[];
  return list.findLast((c) => c.error !== undefined || (c.status ?? 0) >= 400) ?? list.at(-1);
}

const STATUS_WORDS: [(s: number) => boolean, string][] = [
  [(s) => s === 401 || s === 403, "Plex refused PlexSync's credentials. Check the API key in Settings, then replay."],
  [
    (s) => s === 404,
    'Plex no longer has this AP invoice (the placeholder is gone). Re-match or reject it from the invoice page.',
  ],
  [(s) => s === 409 || s === 412, 'Someone changed this AP invoice in Plex meanwhile. Replay re-reads it first.'],
  [(s) => s === 400 || s === 422, 'Plex refused the invoice number we sent. Check it on the invoice page.'],
  [(s) => s === 429, 'Plex asked us to slow down (too many requests). Replay later.'],
  [(s) => s >= 500, 'Plex was unavailable or failed'],
];

/** Why the sync failed, in words a clerk can act on; the raw message stays available for ops. */
export function clerkReason(errorType: string | null | undefined, call: RecordedCall | undefined): string {
  if (errorType === 'PlaceholderGone')
    return 'The placeholder this invoice was matched to no longer exists in Plex. Nothing was written. Re-match or reject it from the invoice page.';
  const status = call?.status;
  if (status !== undefined) {
    const words = STATUS_WORDS.find(([test]) => test(status))?.[1];
    if (words && status >= 500)
      return `${words} (${status}) while writing the invoice number. Nothing was written. Replay when Plex is back.`;
    if (words) return words;
  }
  if (call?.error)
    return 'PlexSync could not reach Plex (network or time-out). Nothing was written. Replay when Plex is reachable.';
  return 'The write to Plex did not complete. See the details, then replay.';
}

const describeCall = (call: RecordedCall | undefined) => {
  if (!call) return '—';
  const body = call.body === undefined ? (call.error ?? '') : JSON.stringify(call.body);
  const text = `${call.method ?? ''} → ${call.status ?? 'no answer'}${body ? `: ${body}` : ''}`;
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
};

export function FailedSyncsPage(props: {
  ctx: PageContext;
  rows: FailedSyncItem[];
  temporalUiUrl: string;
  namespace: string;
}) {
  return (
    <Layout title="Failed syncs" ctx={props.ctx}>
      <h1>Failed syncs</h1>
      <p>
        These invoices were approved but could not be written to Plex. Fix the cause (credentials, the placeholder),
        then replay. A replay re-reads the placeholder first, so it never writes twice.
      </p>
      <form method="post" action="/syncs/replay-selected" id="replay-form">
        <CsrfField token={props.ctx.csrfToken} />
        <table class="queue">
          <thead>
            <tr>
              <th>
                <span class="sr-only">Select</span>
              </th>
              <th>Invoice</th>
              <th>Vendor</th>
              <th>PO</th>
              <th>Reason</th>
              <th class="num">Attempts</th>
              <th>Last Plex response</th>
              <th>Workflow</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.rows.length === 0 && (
              <tr>
                <td colspan={9}>No failed syncs.</td>
              </tr>
            )}
            {props.rows.map((r) => {
              const sum = r.sync;
              const call = failingCall(sum?.lastResponse);
              return (
                <tr id={`failed-${r.id}`}>
                  <td>
                    <input
                      type="checkbox"
                      name="ids"
                      value={r.id}
                      aria-label={`Select ${r.invoiceNumber ?? r.fileName}`}
                    />
                  </td>
                  <td>
                    <a href={`/invoices/${r.id}`}>{r.invoiceNumber ?? r.fileName}</a>
                  </td>
                  <td>{r.vendorName ?? '—'}</td>
                  <td>{r.poNumber ?? '—'}</td>
                  <td>
                    <span class="reason">{r.lastError || sum ? clerkReason(sum?.lastErrorType, call) : '—'}</span>
                    {r.lastError && (
                      <details class="raw">
                        <summary>Details</summary>
                        <code>{r.lastError}</code>
                        {sum?.lastErrorType && (
                          <>
                            {' '}
                            <code>{sum.lastErrorType}</code>
                          </>
                        )}
                      </details>
                    )}
                  </td>
                  <td class="num">{sum?.attempts ?? 0}</td>
                  <td>
                    <code class="response">{describeCall(call)}</code>
                  </td>
                  <td>
                    <a
                      href={`${props.temporalUiUrl}/namespaces/${encodeURIComponent(props.namespace)}/workflows/${encodeURIComponent(r.id)}`}
                    >
                      Temporal UI
                    </a>
                  </td>
                  <td>
                    <button type="submit" formaction={`/syncs/${r.id}/replay`}>
                      Replay
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {props.rows.length > 0 && (
          <p>
            <button type="submit" class="primary">
              Replay selected
            </button>{' '}
            <button type="submit" formaction="/syncs/replay-all">
              Replay all {props.rows.length}
            </button>
          </p>
        )}
      </form>
    </Layout>
  );
}
