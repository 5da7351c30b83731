// The Ingestion admin page: mailboxes (status of the last poll, edit without the password, test
// connection), the watched folder's status, and the ingestion log (per message and file: what happened,
// links to the invoices). Also the "Source" box of an invoice that arrived by email or folder.
import type { InvoiceSource, MailboxPollStatus, MailboxSettings } from '../domain/ingest.js';
import { CsrfField, Layout, type PageContext } from './layout.js';

/** A mailbox in the list: its settings (never the password) and its poller's last status. */
export interface MailboxItem extends Omit<MailboxSettings, 'allowedSenders'>, MailboxPollStatus {
  /** Configured by INGEST_IMAP_* (changed there, not here). */
  fromEnv: boolean;
}

/** The watched folder's last scan. */
export interface FolderScan {
  lastScanAt: Date | null;
  lastError: string | null;
  waitingFiles: number;
}

/** A message of the email ingestion log, with what became of each attachment. */
export interface MessageLogItem {
  createdAt: Date;
  mailboxName: string;
  sender: string | null;
  subject: string | null;
  messageId: string | null;
  status: string;
  reason: string | null;
  /** What was done with the message in the mailbox (moved, flagged, gone). */
  settled: string | null;
  settleNote: string | null;
  attachments: { fileName: string; outcome: string; invoiceId: string | null; reason: string | null }[];
}

/** A file of the watched folder's log. */
export interface FileLogItem {
  createdAt: Date;
  fileName: string;
  status: string;
  invoiceId: string | null;
  reason: string | null;
  movedTo: string | null;
}

const when = (d: Date | null | undefined) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/** Form values as typed, so a refused submission comes back unchanged (never the password). */
export interface MailboxFormValues {
  id?: string;
  name?: string;
  host?: string;
  port?: string;
  tls?: boolean;
  username?: string;
  folder?: string;
  processedFolder?: string;
  allowedSenders?: string;
  enabled?: boolean;
}

function PollStatus(props: { mailbox: MailboxItem }) {
  const m = props.mailbox;
  if (!m.enabled) return <span class="badge">Disabled</span>;
  if (!m.lastPollAt) return <span class="badge">Not polled yet</span>;
  return m.lastPollOk ? (
    <span class="badge status-synced" title={`Last poll ${when(m.lastPollAt)}`}>
      OK {m.idleSupported ? '· IDLE' : '· polling'}
    </span>
  ) : (
    <span class="badge status-sync_failed">Failing</span>
  );
}

/** The outcome of "Test connection" (or "Poll now"), in words. */
export function ConnectionResult(props: { ok: boolean; text: string }) {
  return (
    <p class={`flash ${props.ok ? 'ok' : 'error'}`} role={props.ok ? 'status' : 'alert'}>
      {props.text}
    </p>
  );
}

export function MailboxForm(props: {
  ctx: PageContext;
  values: MailboxFormValues;
  editing: boolean;
  hasPassword: boolean;
  canStorePasswords: boolean;
}) {
  const v = props.values;
  const action = props.editing ? `/admin/ingestion/mailboxes/${v.id}` : '/admin/ingestion/mailboxes';
  const testAction = props.editing ? `/admin/ingestion/mailboxes/${v.id}/test` : '/admin/ingestion/test-connection';
  return (
    <form method="post" action={action} class="settings mailbox-form">
      <CsrfField token={props.ctx.csrfToken} />
      <fieldset disabled={!props.canStorePasswords}>
        <legend>{props.editing ? `Edit mailbox ${v.name ?? ''}` : 'Add a mailbox'}</legend>
        {!props.editing && (
          <div class="setting">
            <label for="mb-id">Id</label>
            <input id="mb-id" name="id" value={v.id ?? ''} required pattern="[a-z0-9][a-z0-9\-]{0,39}" />
            <p class="meta">Lower-case letters, digits, dashes; names the poller workflow.</p>
          </div>
        )}
        <div class="setting">
          <label for="mb-name">Name</label>
          <input id="mb-name" name="name" value={v.name ?? ''} required />
        </div>
        <div class="setting">
          <label for="mb-host">IMAP host</label>
          <input id="mb-host" name="host" value={v.host ?? ''} required />
        </div>
        <div class="setting">
          <label for="mb-port">Port</label>
          <input id="mb-port" name="port" type="number" min={1} max={65535} value={v.port ?? '993'} required />
        </div>
        <div class="setting">
          <label>
            <input type="checkbox" name="tls" value="on" checked={v.tls ?? true} /> TLS (port 993); off = STARTTLS when
            offered
          </label>
        </div>
        <div class="setting">
          <label for="mb-user">User</label>
          <input id="mb-user" name="username" value={v.username ?? ''} required autocomplete="off" />
        </div>
        <div class="setting">
          <label for="mb-password">Password</label>
          <input
            id="mb-password"
            name="password"
            type="password"
            value=""
            autocomplete="new-password"
            required={!props.editing}
          />
          <p class="meta">
            {props.editing && props.hasPassword
              ? 'Saved (never shown). Leave empty to keep it.'
              : 'Stored encrypted; never shown again.'}
          </p>
        </div>
        <div class="setting">
          <label for="mb-folder">Folder</label>
          <input id="mb-folder" name="folder" value={v.folder ?? 'INBOX'} required />
        </div>
        <div class="setting">
          <label for="mb-processed">Move processed messages to</label>
          <input id="mb-processed" name="processedFolder" value={v.processedFolder ?? 'Processed'} required />
        </div>
        <div class="setting">
          <label for="mb-senders">Allowed senders</label>
          <input
            id="mb-senders"
            name="allowedSenders"
            value={v.allowedSenders ?? ''}
            placeholder="billing@vendor.com, @other-vendor.com"
          />
          <p class="meta">Comma-separated addresses or @domains. Empty: every sender (or INGEST_ALLOWED_SENDERS).</p>
        </div>
        <div class="setting">
          <label>
            <input type="checkbox" name="enabled" value="on" checked={v.enabled ?? true} /> Enabled
          </label>
        </div>
        <button type="submit" class="primary">
          {props.editing ? 'Save mailbox' : 'Add mailbox'}
        </button>{' '}
        {/* Tests the values as typed, before saving; on the edit form an empty password means the saved one. */}
        <button
          type="submit"
          formaction={testAction}
          hx-post={testAction}
          hx-target="#mailbox-form-test"
          hx-swap="innerHTML"
        >
          Test connection
        </button>
        <div id="mailbox-form-test" aria-live="polite"></div>
      </fieldset>
      {!props.canStorePasswords && (
        <p class="meta">
          Set INGEST_SECRET_KEY (32+ characters) for the web app and the worker to add mailboxes here, or configure one
          with INGEST_IMAP_*.
        </p>
      )}
    </form>
  );
}

export interface IngestionPageProps {
  ctx: PageContext;
  mailboxes: MailboxItem[];
  folder?: { path: string; status?: FolderScan };
  messages: MessageLogItem[];
  files: FileLogItem[];
  form?: MailboxFormValues;
  canStorePasswords: boolean;
}

export function IngestionPage(p: IngestionPageProps) {
  return (
    <Layout title="Ingestion" ctx={p.ctx}>
      <h1>Ingestion</h1>
      <section class="card" aria-labelledby="mailboxes-h">
        <h2 id="mailboxes-h">Mailboxes</h2>
        {p.mailboxes.length === 0 ? (
          <p class="meta">No mailbox yet.</p>
        ) : (
          <table class="mailboxes">
            <thead>
              <tr>
                <th>Name</th>
                <th>Server</th>
                <th>User</th>
                <th>Folder → processed</th>
                <th>Status</th>
                <th>Last poll</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {p.mailboxes.map((m) => (
                <tr id={`mailbox-${m.id}`}>
                  <td>
                    {m.name}
                    {m.fromEnv && <span class="meta"> (environment)</span>}
                  </td>
                  <td>
                    {m.host}:{m.port} {m.tls ? 'TLS' : 'plain/STARTTLS'}
                  </td>
                  <td>{m.username}</td>
                  <td>
                    {m.folder} → {m.processedFolder}
                  </td>
                  <td>
                    <PollStatus mailbox={m} />
                    {m.lastError && <p class="meta error">{m.lastError}</p>}
                  </td>
                  <td>{when(m.lastPollAt)}</td>
                  <td>
                    {!m.fromEnv && <a href={`/admin/ingestion/mailboxes/${m.id}`}>Edit</a>}{' '}
                    <form
                      method="post"
                      action={`/admin/ingestion/mailboxes/${m.id}/test`}
                      hx-post={`/admin/ingestion/mailboxes/${m.id}/test`}
                      hx-target={`#test-${m.id}`}
                      class="inline"
                    >
                      <CsrfField token={p.ctx.csrfToken} />
                      <button type="submit">Test connection</button>
                    </form>
                    {m.enabled && (
                      <form
                        method="post"
                        action={`/admin/ingestion/mailboxes/${m.id}/poll`}
                        hx-post={`/admin/ingestion/mailboxes/${m.id}/poll`}
                        hx-target={`#test-${m.id}`}
                        class="inline"
                      >
                        <CsrfField token={p.ctx.csrfToken} />
                        <button type="submit" title="List the mailbox now instead of waiting for the next poll or IDLE">
                          Poll now
                        </button>
                      </form>
                    )}
                    <div id={`test-${m.id}`} aria-live="polite"></div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <MailboxForm
        ctx={p.ctx}
        values={p.form ?? {}}
        editing={false}
        hasPassword={false}
        canStorePasswords={p.canStorePasswords}
      />

      <section class="card" aria-labelledby="folder-h">
        <h2 id="folder-h">Watched folder</h2>
        {!p.folder ? (
          <p class="meta">Off (set INGEST_FOLDER for the worker).</p>
        ) : (
          <dl class="plex">
            <dt>Folder</dt>
            <dd>
              <code>{p.folder.path}</code>
            </dd>
            <dt>Last scan</dt>
            <dd>{when(p.folder.status?.lastScanAt)}</dd>
            <dt>Waiting</dt>
            <dd>{p.folder.status?.waitingFiles ?? 0} file(s) being written or not yet stable</dd>
            {p.folder.status?.lastError && (
              <>
                <dt>Error</dt>
                <dd class="error">{p.folder.status.lastError}</dd>
              </>
            )}
          </dl>
        )}
      </section>

      <section class="card" aria-labelledby="log-h">
        <h2 id="log-h">Ingestion log: email</h2>
        <table class="ingest-log">
          <thead>
            <tr>
              <th>Received</th>
              <th>Mailbox</th>
              <th>From</th>
              <th>Subject</th>
              <th>Outcome</th>
              <th>Attachments</th>
            </tr>
          </thead>
          <tbody>
            {p.messages.map((m) => (
              <tr>
                <td>{when(m.createdAt)}</td>
                <td>{m.mailboxName}</td>
                <td>{m.sender ?? '—'}</td>
                <td>
                  {m.subject ?? '—'}
                  <br />
                  <span class="meta">{m.messageId}</span>
                </td>
                <td>
                  <span class={`badge ingest-${m.status}`}>{m.status}</span>
                  {m.reason && <p class="meta">{m.reason}</p>}
                  {m.settled && (
                    <p class="meta">
                      {m.settled}
                      {m.settleNote && `: ${m.settleNote}`}
                    </p>
                  )}
                </td>
                <td>
                  <ul>
                    {m.attachments.map((a) => (
                      <li>
                        {a.fileName}: {a.outcome}
                        {a.invoiceId && (
                          <>
                            {' '}
                            → <a href={`/invoices/${a.invoiceId}`}>{a.invoiceId}</a>
                          </>
                        )}
                        {a.reason && <span class="meta"> ({a.reason})</span>}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Ingestion log: watched folder</h2>
        <table class="ingest-log">
          <thead>
            <tr>
              <th>Taken</th>
              <th>File</th>
              <th>Outcome</th>
              <th>Moved to</th>
            </tr>
          </thead>
          <tbody>
            {p.files.map((f) => (
              <tr>
                <td>{when(f.createdAt)}</td>
                <td>{f.fileName}</td>
                <td>
                  <span class={`badge ingest-${f.status}`}>{f.status}</span>
                  {f.invoiceId && (
                    <>
                      {' '}
                      → <a href={`/invoices/${f.invoiceId}`}>{f.invoiceId}</a>
                    </>
                  )}
                  {f.reason && <p class="meta">{f.reason}</p>}
                </td>
                <td>{f.movedTo ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

export function MailboxEditPage(p: {
  ctx: PageContext;
  values: MailboxFormValues;
  hasPassword: boolean;
  canStorePasswords: boolean;
}) {
  return (
    <Layout title="Edit mailbox" ctx={p.ctx}>
      <p>
        <a href="/admin/ingestion">← Ingestion</a>
      </p>
      <MailboxForm
        ctx={p.ctx}
        values={p.values}
        editing
        hasPassword={p.hasPassword}
        canStorePasswords={p.canStorePasswords}
      />
    </Layout>
  );
}

/** The invoice page's "Source" box (loaded by htmx): the email or file the invoice came from. */
export function InvoiceSourceBox(props: { source?: InvoiceSource }) {
  const s = props.source;
  if (!s)
    return (
      <p class="meta" id="invoice-source">
        Uploaded.
      </p>
    );
  if (s.kind === 'folder')
    return (
      <p class="meta" id="invoice-source">
        From the watched folder: <code>{s.fileName}</code>, taken {when(s.receivedAt)}.
      </p>
    );
  return (
    <dl class="plex" id="invoice-source">
      <dt>From</dt>
      <dd>{s.sender ?? '—'}</dd>
      <dt>Subject</dt>
      <dd>{s.subject ?? '—'}</dd>
      <dt>Sent</dt>
      <dd>{when(s.sentAt)}</dd>
      <dt>Message-ID</dt>
      <dd>
        <code>{s.messageId ?? '—'}</code>
      </dd>
      <dt>Attachment</dt>
      <dd>
        {s.fileName} (mailbox {s.mailboxName}, received {when(s.receivedAt)})
      </dd>
    </dl>
  );
}
