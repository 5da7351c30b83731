// Invoice use cases shared by the pages, the JSON API and the CLI: ingest a file, read an invoice,
// review it, replay a failed sync. Errors a user can fix are InvoiceInputError with an HTTP status.
// Uploaded PDFs are opened only in a document sandbox (extract/sandbox.ts): one worker thread with the
// extraction time and memory limits, so a hostile PDF stalls neither the web server nor the worker.
import { createHash } from 'node:crypto';
import type { Config } from '../../config/index.js';
import type { Sql } from '../../db/client.js';
import { getDocument, putDocument } from '../../db/documents.js';
import { getInvoice, insertInvoice, listInvoices, type InvoiceRow } from '../../db/invoices.js';
import { approverClaim, policyInForce } from '../../db/policies.js';
import { getEffectiveSettings } from '../../db/settings.js';
import type { InvoiceState, ReviewDecisionInput } from '../../domain/invoice.js';
import { eInvoiceXmlOf } from '../../extract/einvoice/index.js';
import { DocumentError } from '../../extract/errors.js';
import { createSandbox, type DocumentSandbox } from '../../extract/sandbox.js';
import { inspectDocument } from '../../extract/validate.js';
import type { InvoiceProcesses } from './temporal.js';

export class InvoiceInputError extends Error {
  override name = 'InvoiceInputError';
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 415 | 422,
    message: string,
  ) {
    super(message);
  }
}

export interface IngestResult {
  invoiceId: string;
  fileName: string;
  duplicate: boolean;
  status: string;
}

export interface InvoiceService {
  ingest(file: { bytes: Uint8Array; fileName: string }, uploadedBy: string): Promise<IngestResult>;
  get(invoiceId: string): Promise<{ row: InvoiceRow; state: InvoiceState | undefined }>;
  review(invoiceId: string, decision: ReviewDecisionInput): Promise<{ decisionId: string }>;
  retrySync(invoiceId: string, actor: string): Promise<void>;
  retryAllFailed(actor: string): Promise<string[]>;
  /** The e-invoice XML of an invoice (the uploaded XML, or the one embedded in its PDF), or null. */
  eInvoiceXml(invoiceId: string): Promise<{ fileName: string; bytes: Uint8Array } | null>;
  /** Stops the document sandbox's thread if the service started it; call once at shutdown. */
  close(): Promise<void>;
}

export const invoiceIdFor = (sha256: string) => `inv-${sha256.slice(0, 24)}`;

/** The sandbox a process's invoice service opens uploads in: one thread, the extraction memory limit and
 * the web's document time limit (WEB_DOCUMENT_TIMEOUT; counting pages or finding an XML takes well under
 * a second for a real invoice). */
export function createDocumentSandbox(config: Config): DocumentSandbox {
  return createSandbox({ limits: { ...config.extraction.limits, timeoutMs: config.web.documentTimeoutMs }, ocr: null, threads: 1 });
}

export function createInvoiceService(deps: { sql: Sql; processes: InvoiceProcesses; config: Config; documents?: DocumentSandbox }): InvoiceService {
  const { sql, processes, config } = deps;
  // Threads start on first use, so a service that never opens a PDF costs nothing.
  const documents = deps.documents ?? createDocumentSandbox(config);

  async function requireRow(invoiceId: string): Promise<InvoiceRow> {
    const row = await getInvoice(sql, invoiceId);
    if (!row) throw new InvoiceInputError(404, `No invoice ${invoiceId}.`);
    return row;
  }

  return {
    async ingest({ bytes, fileName }, uploadedBy) {
      const name = sanitizeFileName(fileName);
      if (bytes.byteLength === 0) throw new InvoiceInputError(400, `${name} is empty.`);
      if (bytes.byteLength > config.web.maxUploadBytes) {
        throw new InvoiceInputError(413, `${name} is ${formatMb(bytes.byteLength)}; the limit is ${formatMb(config.web.maxUploadBytes)}.`);
      }
      let inspected;
      try {
        inspected = await inspectDocument(bytes, name, (pdf, pdfName) => documents.countPages(pdf, pdfName));
      } catch (err) {
        if (err instanceof DocumentError) {
          throw new InvoiceInputError(err.kind === 'unsupported_type' ? 415 : 422, `${name}: ${err.message}`);
        }
        throw err;
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const invoiceId = invoiceIdFor(sha256);
      await putDocument(sql, { sha256, bytes, sizeBytes: bytes.byteLength, mimeType: inspected.mimeType, pageCount: inspected.pageCount, fileName: name });
      const created = await insertInvoice(sql, { id: invoiceId, documentSha256: sha256, fileName: name, uploadedBy });
      // Threshold and SLA as an admin set them on the Settings page (config when unset), fixed per invoice
      // at its start so a later change never alters a running workflow.
      const review = await getEffectiveSettings(sql, config);
      // Likewise the approval policy: the version in force now is the one this invoice follows throughout.
      const policy = await policyInForce(sql);
      // Always ask Temporal: the row may exist from an earlier attempt whose start failed.
      await processes.start({
        invoiceId,
        documentSha256: sha256,
        fileName: name,
        uploadedBy,
        settings: {
          autoApproveThreshold: review.autoApproveThreshold,
          escalateAfter: review.escalateAfter,
          sync: { maxAttempts: config.sync.maxAttempts, initialInterval: config.sync.initialRetry, maximumInterval: config.sync.maxRetry },
        },
        ...(policy ? { policy: { version: policy.version, policy: policy.policy } } : {}),
      });
      const row = await requireRow(invoiceId);
      return { invoiceId, fileName: name, duplicate: !created, status: row.status };
    },

    async get(invoiceId) {
      const row = await requireRow(invoiceId);
      let state: InvoiceState | undefined;
      try {
        state = await processes.state(invoiceId);
      } catch {
        state = undefined; // Temporal or the worker unreachable: the page still shows the read model.
      }
      return { row, state };
    },

    async review(invoiceId, decision) {
      await requireRow(invoiceId);
      // Who the approver is comes from our users table, never from the request.
      return processes.review(invoiceId, { ...decision, approver: await approverClaim(sql, decision.actor) });
    },

    async retrySync(invoiceId, actor) {
      const row = await requireRow(invoiceId);
      if (row.status !== 'sync_failed') {
        throw new InvoiceInputError(409, `Invoice ${invoiceId} is ${row.status.replace('_', ' ')}, not a failed sync.`);
      }
      await processes.retrySync(invoiceId, { actor });
    },

    async retryAllFailed(actor) {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listInvoices(sql, { status: ['sync_failed'], limit: 200, cursor });
        for (const row of page.rows) {
          await processes.retrySync(row.id, { actor });
          ids.push(row.id);
        }
        cursor = page.next;
      } while (cursor);
      return ids;
    },

    async eInvoiceXml(invoiceId) {
      const row = await requireRow(invoiceId);
      const doc = await getDocument(sql, row.documentSha256);
      if (!doc) throw new InvoiceInputError(404, `No invoice ${invoiceId}.`);
      try {
        return await eInvoiceXmlOf(doc, (pdf, pdfName) => documents.embeddedEInvoice(pdf, pdfName));
      } catch (err) {
        // The sandbox stopped the PDF (time, memory) or it cannot be opened: say why, the server goes on.
        if (err instanceof DocumentError) throw new InvoiceInputError(422, `The e-invoice XML of invoice ${invoiceId} cannot be shown: ${err.message}`);
        throw err;
      }
    },

    close: async () => {
      if (!deps.documents) await documents.close();
    },
  };
}

function sanitizeFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return cleaned || 'upload';
}

const formatMb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
