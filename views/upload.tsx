import type { InvoiceStatus } from '../domain/invoice.js';
import { CsrfField, Layout, StatusBadge, type PageContext } from './layout.js';

/** One uploaded file: the invoice it became (or already was), or why it was refused. */
export type UploadOutcome =
  | { ok: true; invoiceId: string; fileName: string; duplicate: boolean; status: InvoiceStatus }
  | { ok: false; fileName: string; error: string };

export function UploadPage(props: { ctx: PageContext; maxMb: number; outcomes?: UploadOutcome[] }) {
  return (
    <Layout title="Upload invoices" ctx={props.ctx}>
      <h1>Upload invoices</h1>
      {/* Without script this is a plain multipart form; views/static/app.js uploads file by file with progress. */}
      <form id="upload-form" method="post" action="/upload" enctype="multipart/form-data">
        <CsrfField token={props.ctx.csrfToken} />
        <label for="files" class="drop">
          Drop PDF, image or e-invoice XML files here, or choose files (up to {props.maxMb} MB each)
          <input
            id="files"
            name="files"
            type="file"
            multiple
            required
            accept="application/pdf,image/png,image/jpeg,image/tiff,.xml,application/xml,text/xml"
          />
        </label>
        <button type="submit" class="primary">
          Upload
        </button>
      </form>
      <ul id="upload-results" class="results" aria-live="polite">
        {props.outcomes && <UploadResults outcomes={props.outcomes} />}
      </ul>
    </Layout>
  );
}

/** Statuses after which an upload result stops following its invoice (a person or Plex acts next). */
const SETTLED = new Set([
  'awaiting_review',
  'escalated',
  'on_hold',
  'synced',
  'rejected',
  'sync_failed',
  'approved',
  'split',
]);

/**
 * One uploaded file: a link to its invoice and its status, said once. While the invoice is on its way
 * (received → reading → matching) the item asks the server again every 2 s (htmx) and replaces itself.
 */
export function UploadResult(props: { invoiceId: string; fileName: string; status: string; duplicate: boolean }) {
  const settled = SETTLED.has(props.status);
  return (
    <li
      id={`upload-${props.invoiceId}`}
      class={props.duplicate ? 'dup' : 'ok'}
      hx-get={settled ? undefined : `/upload/status/${props.invoiceId}?duplicate=${props.duplicate ? 1 : 0}`}
      hx-trigger={settled ? undefined : 'every 2s'}
      hx-swap={settled ? undefined : 'outerHTML'}
    >
      <a href={`/invoices/${props.invoiceId}`}>{props.fileName}</a> <StatusBadge status={props.status} />
      {props.duplicate && (
        <>
          {' '}
          <strong>Already received: this file is the same invoice as before.</strong>
        </>
      )}
      {(props.status === 'awaiting_review' || props.status === 'escalated') && (
        <>
          {' '}
          <a href={`/invoices/${props.invoiceId}`}>Review it</a>
        </>
      )}
      {props.status === 'split' && (
        <>
          {' '}
          The file held several invoices: <a href={`/invoices/${props.invoiceId}`}>see its parts</a>.
        </>
      )}
    </li>
  );
}

export function UploadResults(props: { outcomes: UploadOutcome[] }) {
  return (
    <>
      {props.outcomes.map((o) =>
        o.ok ? (
          <UploadResult invoiceId={o.invoiceId} fileName={o.fileName} status={o.status} duplicate={o.duplicate} />
        ) : (
          <li class="error" role="alert">
            {o.fileName}: {o.error}
          </li>
        ),
      )}
    </>
  );
}
