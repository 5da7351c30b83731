import type { FieldSource, HeaderFieldName, HeaderFields, ModelUsage } from '../domain/extraction.js';
export type { DecisionNoticeProps } from './review.js';
import { REVIEWABLE, type InvoiceState, type InvoiceStatus } from '../domain/invoice.js';
import { Confidence, confidenceBand, CsrfField, Layout, StatusBadge, statusLabel, type PageContext } from './layout.js';
import { MatchDetails } from './match.js';
import {
  DecisionNotice,
  FailedSyncDecisions,
  PendingApproval,
  ReviewForms,
  type DecisionNoticeProps,
} from './review.js';
import { isAllowed } from '../domain/permissions.js';
import { InvoiceNotifications, type NotificationItem } from './notifications.js';
import { ApprovalPathCard } from './policies.js';
import { CommentThread, type CommentThreadProps } from './comments.js';

const FIELD_LABELS: [HeaderFieldName, string][] = [
  ['invoiceNumber', 'Invoice number'],
  ['vendorName', 'Vendor'],
  ['invoiceDate', 'Invoice date'],
  ['dueDate', 'Due date'],
  ['poNumbers', 'PO numbers'],
  ['currency', 'Currency'],
  ['subtotal', 'Subtotal'],
  ['tax', 'Tax'],
  ['total', 'Total'],
  // what is left to pay after a prepayment: a row only when the invoice prints one
  ['amountDue', 'Amount due'],
];

/** The invoice as the read model records it: the heading, the assignment, and the status when the workflow does not answer. */
export interface InvoiceHeader {
  id: string;
  fileName: string;
  status: InvoiceStatus;
  uploadedBy: string;
  vendorName: string | null;
  invoiceNumber: string | null;
  assignedTo: string | null;
  confidence: number | null;
}

/** One line of the audit trail: the event, who, when, and the reason or comment it names. */
export interface AuditEntry {
  kind: string;
  actor: string;
  createdAt: Date;
  reason?: string;
  commentId?: string;
}

/** One attempt to write the invoice to Plex. */
export interface SyncAttempt {
  round: number;
  attempt: number;
  outcome: string;
  error: string | null;
  startedAt: Date;
}

export interface InvoicePageProps {
  ctx: PageContext;
  invoice: InvoiceHeader;
  state?: InvoiceState;
  audit: AuditEntry[];
  syncOps: SyncAttempt[];
  /** Emails and webhook calls about this invoice (escalation, failed sync). */
  notifications?: NotificationItem[];
  temporalLink: string;
  error?: string;
  mimeType?: string;
  neighbours?: { prev?: string; next?: string };
  /** The decision the clerk just took on this or the previous invoice, with Undo while it can be taken back. */
  notice?: DecisionNoticeProps;
  /** The clerks the invoice can be assigned to. */
  assignable?: { email: string; displayName: string }[];
  /** The comment thread (comments and questions), shown above the audit trail. */
  comments?: CommentThreadProps;
  /** A file that held several invoices: its parts now (this invoice is the file), or the file this invoice was cut from. */
  parts?: DocumentPartsProps;
}

export interface PartView {
  invoiceId: string;
  fromPage: number;
  toPage: number;
  evidence: string[];
  status: string | null;
  invoiceNumber: string | null;
  vendorName: string | null;
  total: string | null;
}
export interface DocumentPartsProps {
  /** This invoice is the file: its parts in page order, and its page count. */
  parts?: { items: PartView[]; pageCount: number; round: number; canMove: boolean };
  /** This invoice is a part: the file it was cut from, and its pages in it. */
  source?: { invoiceId: string; fileName: string; fromPage: number; toPage: number };
}

const pagesText = (p: { fromPage: number; toPage: number }) =>
  p.fromPage === p.toPage ? `page ${p.fromPage}` : `pages ${p.fromPage}-${p.toPage}`;

/** The invoices a file was split into, with the form that moves the split; or, on a part, where it came from. */
export function DocumentParts(props: DocumentPartsProps & { invoiceId: string; csrfToken?: string }) {
  if (props.source) {
    const s = props.source;
    return (
      <p class="flash info part-of" role="note">
        This invoice is {pagesText(s)} of the file <a href={`/invoices/${s.invoiceId}`}>{s.fileName}</a>, which held
        several invoices.
      </p>
    );
  }
  if (!props.parts) return null;
  const { items, pageCount, canMove } = props.parts;
  const current = items
    .map((p) => (p.fromPage === p.toPage ? `${p.fromPage}` : `${p.fromPage}-${p.toPage}`))
    .join(', ');
  return (
    <section class="card document-parts" aria-labelledby="parts-h">
      <h2 id="parts-h">
        {items.length === 1 ? 'This file is now one invoice' : `This file held ${items.length} invoices`}
      </h2>
      <p>
        {items.length === 1
          ? 'Its pages were put back together by moving the split; the invoice below is read, matched and reviewed on its own page.'
          : 'Each part is an invoice of its own, read, matched and reviewed on its own page.'}
      </p>
      <div class="table-scroll" tabindex={0} role="region" aria-label="Invoices in this file">
        <table>
          <thead>
            <tr>
              <th scope="col">Pages</th>
              <th scope="col">Invoice</th>
              <th scope="col">Status</th>
              <th scope="col">Why it starts there</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr>
                <td>{p.fromPage === p.toPage ? p.fromPage : `${p.fromPage}-${p.toPage}`}</td>
                <td>
                  <a href={`/invoices/${p.invoiceId}`}>
                    {p.invoiceNumber ?? 'not read yet'}
                    {p.vendorName ? ` · ${p.vendorName}` : ''}
                    {p.total ? ` · ${p.total}` : ''}
                  </a>
                </td>
                <td>{p.status ? <StatusBadge status={p.status} /> : 'not started'}</td>
                <td>{p.evidence.length ? p.evidence.join('; ') : 'first page'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canMove && (
        <form method="post" action={`/invoices/${props.invoiceId}/split`} class="move-split">
          <CsrfField token={props.csrfToken} />
          <label for="split-pages">
            Move the split: the pages of each invoice, in order (the file has {pageCount} pages)
          </label>
          <input
            id="split-pages"
            name="pages"
            value={current}
            inputmode="text"
            autocomplete="off"
            aria-describedby="split-help"
          />
          <p id="split-help" class="hint">
            For example "1-2, 3" for two invoices. Parts whose pages change are rejected and read again as new invoices;
            that is refused while one of them is approved, being synced or synced.
          </p>
          <button type="submit">Move the split</button>
        </form>
      )}
    </section>
  );
}

const TRANSIENT = ['received', 'parsing', 'matching', 'approved', 'syncing'];

/** Seconds until an undo window closes, plus one so the refresh finds the sync started; at least 1. */
function undoDelaySeconds(until: string): number {
  return Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 1000) + 1);
}

export function InvoicePage(p: InvoicePageProps) {
  const s = p.state;
  const status = s?.status ?? p.invoice.status;
  const reviewable = REVIEWABLE.includes(status);
  return (
    <Layout
      title={`Invoice ${p.invoice.invoiceNumber ?? p.invoice.fileName}`}
      ctx={p.ctx}
      moduleScripts={['/static/viewer.js']}
    >
      <h1>
        {status === 'split' ? (
          <>{p.invoice.fileName}</>
        ) : (
          <>
            {p.invoice.vendorName ?? 'Unknown vendor'} · {p.invoice.invoiceNumber ?? p.invoice.fileName}
          </>
        )}{' '}
        <StatusBadge status={status} />
      </h1>
      <p class="meta">
        File <a href={`/invoices/${p.invoice.id}/document`}>{p.invoice.fileName}</a> · uploaded by{' '}
        {p.invoice.uploadedBy} · <a href={p.temporalLink}>workflow in Temporal UI</a>
      </p>
      {/* Email or watched-folder origin (sender, subject, date, Message-ID), loaded from routes/ingestion.tsx. */}
      <section
        class="invoice-source"
        aria-label="Source"
        hx-get={`/invoices/${p.invoice.id}/source`}
        hx-trigger="load"
        hx-swap="innerHTML"
      ></section>
      <EInvoiceNote id={p.invoice.id} extraction={s?.extraction} />
      {p.notice && <DecisionNotice {...p.notice} csrfToken={p.ctx.csrfToken} />}
      {p.parts && <DocumentParts {...p.parts} invoiceId={p.invoice.id} csrfToken={p.ctx.csrfToken} />}
      {p.error && (
        <p class="flash error" role="alert">
          {p.error}
        </p>
      )}
      {!s && (
        <p class="flash error" role="status">
          The workflow could not be asked for live state; showing the last recorded values.
        </p>
      )}
      {s && s.errors.length > 0 && (
        <ul class="errors">
          {s.errors.map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      )}
      {s?.undo && !(p.notice?.invoiceId === p.invoice.id && p.notice.undo) && (
        <PendingApproval
          invoiceId={p.invoice.id}
          undo={s.undo}
          csrfToken={p.ctx.csrfToken}
          canRecall={Boolean(p.ctx.user && isAllowed('invoices:review', { kind: 'session', role: p.ctx.user.role }))}
        />
      )}
      {TRANSIENT.includes(status) && (
        // While the workflow works, the page refreshes itself (htmx swaps <main>; no inline script). During an
        // undo window it refreshes once, when the window closes, so focus on Undo is not taken away meanwhile.
        <p
          class="progress-note"
          role="status"
          hx-get={`/invoices/${p.invoice.id}`}
          hx-trigger={s?.undo ? `load delay:${undoDelaySeconds(s.undo.until)}s` : 'every 2s'}
          hx-select="main"
          hx-target="main"
          hx-swap="outerHTML"
        >
          <progress aria-label="Working"></progress>{' '}
          {s?.undo ? 'Waiting for the undo window to close' : statusLabel(status)}…
        </p>
      )}
      <form method="post" action={`/invoices/${p.invoice.id}/assign`} class="assign">
        <CsrfField token={p.ctx.csrfToken} />
        {p.invoice.assignedTo ? (
          <>
            Assigned to <strong>{p.invoice.assignedTo}</strong>{' '}
          </>
        ) : (
          <>Not assigned </>
        )}
        {p.invoice.assignedTo === p.ctx.user?.email ? (
          <button type="submit" name="release" value="1">
            Release
          </button>
        ) : (
          <button type="submit" name="to" value="me">
            Assign to me
          </button>
        )}
        {(p.assignable?.length ?? 0) > 1 && (
          <>
            {' '}
            <label>
              or to{' '}
              <select name="assignee" aria-label="Assign to a clerk">
                {p.assignable!.map((u) => (
                  <option value={u.email} selected={u.email === (p.invoice.assignedTo ?? p.ctx.user?.email)}>
                    {u.displayName} ({u.email})
                  </option>
                ))}
              </select>
            </label>{' '}
            <button type="submit" class="assign-other">
              Assign
            </button>
          </>
        )}
      </form>
      <nav class="pager" aria-label="Invoices waiting for review">
        {p.neighbours?.prev && (
          <a href={`/invoices/${p.neighbours.prev}`} rel="prev" data-shortcut="k">
            ← previous (k)
          </a>
        )}
        {p.neighbours?.next && (
          <a href={`/invoices/${p.neighbours.next}`} rel="next" data-shortcut="j">
            next (j) →
          </a>
        )}
      </nav>
      <div class="review-layout">
        {p.mimeType === 'application/xml' ? (
          <section id="doc-xml" aria-label="The invoice document">
            <p>
              A structured e-invoice (XML) has no pages to show: every field below comes from its XML.{' '}
              <a href={`/invoices/${p.invoice.id}/einvoice.xml`}>Open the XML</a>
            </p>
          </section>
        ) : (
          <section
            id="doc-viewer"
            aria-label="The invoice document"
            data-src={`/invoices/${p.invoice.id}/document`}
            data-kind={p.mimeType === 'application/pdf' ? 'pdf' : 'image'}
          >
            {/* Without JavaScript this link is the viewer; the script says "Loading…" while it renders the pages. */}
            <p class="viewer-status">
              <a href={`/invoices/${p.invoice.id}/document`}>Open the document</a>{' '}
              <span class="viewer-progress">(shown here when JavaScript is on)</span>
            </p>
          </section>
        )}
        <div>
          <section class="card" aria-labelledby="fields-h">
            <h2 id="fields-h">Extracted fields</h2>
            {s?.extraction ? (
              <table class="fields">
                <tbody>
                  {FIELD_LABELS.map(([name, label]) => {
                    // an extraction stored before a field existed lacks it
                    const f = s.extraction!.fields[name] as HeaderFields[HeaderFieldName] | undefined;
                    if (!f || (name === 'amountDue' && f.value === null)) return null;
                    const value = Array.isArray(f.value) ? f.value.join(', ') : f.value;
                    const box = f.provenance?.box;
                    return (
                      <tr
                        tabindex={box ? 0 : undefined}
                        data-field={name}
                        data-label={label}
                        data-source={f.provenance?.source}
                        data-band={confidenceBand(f.confidence)}
                        data-page={box ? String(f.provenance!.page) : undefined}
                        data-box={
                          box ? [box.x, box.y, box.width, box.height].map((n) => n.toFixed(1)).join(',') : undefined
                        }
                        class={`conf-row ${confidenceBand(f.confidence)}`}
                      >
                        <th scope="row">{label}</th>
                        <td>
                          {value ?? <em>not found</em>} <SourceBadge source={f.provenance?.source} />
                          {f.alternatives?.map((a) => (
                            <div class="alternative">
                              {SOURCE_LABEL[a.source]} read{' '}
                              <strong>{Array.isArray(a.value) ? a.value.join(', ') : a.value}</strong>
                            </div>
                          ))}
                        </td>
                        <td>
                          <Confidence value={f.confidence} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : (
              <p>No extraction yet.</p>
            )}
            {s?.extraction && s.extraction.warnings.length > 0 && (
              <ul class="warnings">
                {s.extraction.warnings.map((w) => (
                  <li>{w}</li>
                ))}
              </ul>
            )}
            <p>
              Overall confidence <Confidence value={s?.extraction?.confidence ?? p.invoice.confidence} />
            </p>
            {s?.extraction?.model && <ModelNote usage={s.extraction.model} />}
          </section>
          {s && s.reviewReasons.length > 0 && reviewable && (
            <section class="card" aria-labelledby="why-h">
              <h2 id="why-h">Why it needs review</h2>
              <ul>
                {s.reviewReasons.map((r) => (
                  <li>{r}</li>
                ))}
              </ul>
            </section>
          )}
          {s?.approval && <ApprovalPathCard path={s.approval} />}
          {reviewable && s && (
            <ReviewForms
              invoiceId={p.invoice.id}
              state={s}
              csrfToken={p.ctx.csrfToken}
              offerOverride={Boolean(s.approval) && p.ctx.user?.role === 'admin'}
            />
          )}
          <section class="card" aria-labelledby="match-h">
            <h2 id="match-h">Plex match</h2>
            {s?.match ? <MatchDetails match={s.match} /> : <p>Not matched yet.</p>}
          </section>
        </div>
      </div>
      {s && (
        <section class="card" aria-labelledby="sync-h">
          <h2 id="sync-h">Plex sync</h2>
          <p>
            Rounds: {s.sync.rounds}
            {s.sync.writtenInvoiceNumber && (
              <>
                {' '}
                · wrote <strong>{s.sync.writtenInvoiceNumber}</strong> at {s.sync.syncedAt}
              </>
            )}
            {s.sync.lastError && (
              <>
                {' '}
                · last error: <span class="reason">{s.sync.lastError}</span>
              </>
            )}
          </p>
          {status === 'sync_failed' && p.ctx.user && p.ctx.user.role !== 'clerk' && (
            <form method="post" action={`/syncs/${p.invoice.id}/replay`}>
              <CsrfField token={p.ctx.csrfToken} />
              <button type="submit" class="primary">
                Replay sync
              </button>
            </form>
          )}
          {status === 'sync_failed' && (
            <FailedSyncDecisions invoiceId={p.invoice.id} state={s} csrfToken={p.ctx.csrfToken} />
          )}
          {p.syncOps.length > 0 && (
            <table class="small">
              <thead>
                <tr>
                  <th>Round</th>
                  <th>Attempt</th>
                  <th>Outcome</th>
                  <th>Error</th>
                  <th>At</th>
                </tr>
              </thead>
              <tbody>
                {p.syncOps.map((o) => (
                  <tr>
                    <td>{o.round}</td>
                    <td>{o.attempt}</td>
                    <td>{o.outcome}</td>
                    <td>{o.error ?? ''}</td>
                    <td>{o.startedAt.toISOString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {p.comments && <CommentThread {...p.comments} />}
      {p.notifications && <InvoiceNotifications items={p.notifications} />}
      <section class="card" aria-labelledby="audit-h">
        <h2 id="audit-h">Audit trail</h2>
        <ol class="audit">
          {p.audit.map((a) => (
            <li>
              <time>{a.createdAt.toISOString()}</time> <strong>{a.kind}</strong> by {a.actor}
              {a.reason ? <> — {a.reason}</> : null}
              {a.commentId !== undefined ? (
                <>
                  {' '}
                  — <a href={`#comment-${a.commentId}`}>comment {a.commentId}</a>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}

/** Says the fields were read from an e-invoice's XML (which syntax and profile) and links to the XML. */
function EInvoiceNote(props: {
  id: string;
  extraction?: { extractor: string; fields: { invoiceNumber: { notes: string[] } } } | null;
}) {
  const e = props.extraction;
  if (!e?.extractor.startsWith('einvoice-')) return null;
  const about = e.fields.invoiceNumber.notes
    .find((n) => n.startsWith('E-invoice: '))
    ?.slice('E-invoice: '.length)
    .replace(/\.$/, '');
  return (
    <p class="einvoice-note" role="note">
      <strong class="badge">e-invoice</strong> Read exactly from the invoice's XML{about ? ` (${about})` : ''}.{' '}
      <a href={`/invoices/${props.id}/einvoice.xml`}>Open the XML</a> ·{' '}
      <a href={`/invoices/${props.id}/einvoice.xml?download`}>download it</a>
    </p>
  );
}

/** Where each value came from, next to it: the clerk sees at a glance what the rules, OCR, a model or a past correction read. */
const SOURCE_LABEL: Record<FieldSource, string> = {
  text: 'text',
  ocr: 'OCR',
  model: 'model',
  learned: 'learned',
  einvoice: 'e-invoice',
  clerk: 'clerk',
};
const SOURCE_TITLE: Record<FieldSource, string> = {
  text: "Read from the PDF's text layer",
  ocr: 'Read by OCR from the page image',
  model: 'Read by the AI model',
  learned: "Read where a clerk's correction of this vendor's earlier invoice showed it is",
  einvoice: "Read from the e-invoice's XML",
  clerk: 'Entered by a clerk',
};

function SourceBadge(props: { source?: FieldSource }) {
  if (!props.source) return null;
  return (
    <span class={`badge src src-${props.source}`} title={SOURCE_TITLE[props.source]}>
      {SOURCE_LABEL[props.source]}
    </span>
  );
}

function ModelNote(props: { usage: ModelUsage }) {
  const { model, promptTokens, completionTokens, disagreements } = props.usage;
  return (
    <p class="meta model-note">
      AI model {model}: {promptTokens + completionTokens} tokens
      {disagreements.length > 0 && (
        <>
          {' '}
          · disagrees with the text reading on <strong>{disagreements.join(', ')}</strong> (both values shown)
        </>
      )}
    </p>
  );
}
