import type { IngestResult } from '../api/services/invoices.js';
import { CsrfField, Layout, StatusBadge, type PageContext } from './layout.js';

export type UploadOutcome = ({ ok: true } & IngestResult) | { ok: false; fileName: string; error: string };

export function UploadPage(props: { ctx: PageContext; maxMb: number; outcomes?: UploadOutcome[] }) {
  return (
    <Layout title="Upload invoices" ctx={props.ctx}>
      <h1>Upload invoices</h1>
      {/* Without script this is a plain multipart form; views/static/app.js uploads file by file with progress. */}
      <form id="upload-form" method="post" action="/upload" enctype="multipart/form-data">
        <CsrfField token={props.ctx.csrfToken} />
        <label for="files" class="drop">
          Drop PDF, image or e-invoice XML files here, or choose files (up to {props.maxMb} MB each)
          <input id="files" name="files" type="file" multiple required accept="application/pdf,image/png,image/jpeg,image/tiff,.xml,application/xml,text/xml" />
        </label>
        <button type="submit" class="primary">Upload</button>
      </form>
      <ul id="upload-results" class="results" aria-live="polite">
        {props.outcomes && <UploadResults outcomes={props.outcomes} />}
      </ul>
    </Layout>
  );
}

export function UploadResults(props: { outcomes: UploadOutcome[] }) {
  return (
    <>
      {props.outcomes.map((o) =>
        o.ok ? (
          <li class={o.duplicate ? 'dup' : 'ok'}>
            <a href={`/invoices/${o.invoiceId}`}>{o.fileName}</a> <StatusBadge status={o.status} />{' '}
            {o.duplicate ? <strong>Already received: this file is the same invoice as before.</strong> : 'Received.'}
          </li>
        ) : (
          <li class="error" role="alert">
            {o.fileName}: {o.error}
          </li>
        ),
      )}
    </>
  );
}
