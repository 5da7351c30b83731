// Invoice use cases shared by the pages, the JSON API and the CLI: ingest a file, read an invoice,
// review it, replay a failed sync. Errors a user can fix are InvoiceInputError with an HTTP status.
// Uploaded PDFs are opened only in a document sandbox (extract/sandbox.ts): one reader process with the
// extraction time and memory limits, so a hostile PDF stalls neither the web server nor the worker.
import { createHash } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Sql } from '../db/client.js';
import { getDocument, putDocument } from '../db/documents.js';
import {
  getExtraction,
  getInvoice,
  insertInvoice,
  listInvoices,
  listWorkflowPending,
  markWorkflowStarted,
  updateInvoiceSummary,
  type InvoiceRow,
} from '../db/invoices.js';
import { partOf } from '../db/parts.js';
import { approverClaim, policyInForce } from '../db/policies.js';
import { getEffectiveSettings } from '../db/settings.js';
import { CORRECTION_LABELS, type CorrectionProvenance, type Extraction } from '../domain/extraction.js';
import type { InvoiceState, InvoiceStatus, RecallInput, ReviewDecisionInput } from '../domain/invoice.js';
import { eInvoiceXmlOf } from '../extract/einvoice/index.js';
import type { CutRange } from '../extract/cut.js';
import { DocumentError } from '../extract/errors.js';
import { checkPageCount } from '../extract/limits.js';
import { createSandbox, type DocumentSandbox } from '../extract/sandbox.js';
import { inspectDocument } from '../extract/validate.js';
import { wordsForViewer, type WordsOfPage } from '../extract/words.js';
import { createCommentService, type CommentService } from './comments.js';
import { TemporalUnavailableError, type InvoiceProcesses } from './temporal.js';

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
  status: InvoiceStatus;
}

export interface InvoiceService {
  ingest(file: { bytes: Uint8Array; fileName: string }, uploadedBy: string): Promise<IngestResult>;
  /** The read model always; the workflow's state when Temporal answers in time ('unavailable' otherwise). */
  get(invoiceId: string): Promise<{ row: InvoiceRow; state: InvoiceState | undefined; workflow: WorkflowAvailability }>;
  /** Start the workflows of rows whose start is outstanding (the reconciler's round). */
  startPending(opts: { olderThanMs: number; limit: number }): Promise<{ started: string[]; closed: string[] }>;
  review(invoiceId: string, decision: ReviewDecisionInput): Promise<{ decisionId: string }>;
  recall(invoiceId: string, input: RecallInput): Promise<{ decisionId: string }>;
  retrySync(invoiceId: string, actor: string): Promise<void>;
  retryAllFailed(actor: string): Promise<string[]>;
  /**
   * The document's words with their boxes, per page, for picking values off it on the review page: the
   * positioned text as the extraction reads it (text layer, or OCR where the process has it on), read in
   * a reader process once per document and kept for the next request.
   */
  words(invoiceId: string): Promise<WordsOfPage[]>;
  /** Pages of an uploaded PDF as PDFs of their own, cut in the service's reader process (a split file's invoices). */
  cutPages(bytes: Uint8Array, fileName: string, ranges: CutRange[]): Promise<Uint8Array[]>;
  /** The e-invoice XML of an invoice (the uploaded XML, or the one embedded in its PDF), or null. */
  eInvoiceXml(invoiceId: string): Promise<{ fileName: string; bytes: Uint8Array } | null>;
  /** The invoice's comment thread (services/comments.ts). */
  comments: CommentService;
  /** Stops the document sandbox's thread if the service started it; call once at shutdown. */
  close(): Promise<void>;
}

/** 'not_started': the row waits for the reconciler to start its workflow (Temporal was down at upload). */
export type WorkflowAvailability = 'available' | 'unavailable' | 'not_started';

/** How long a decision may take to be acted on before the page is shown anyway. */
const SETTLE_MS = 5_000;

export const invoiceIdFor = (sha256: string) => `inv-${sha256.slice(0, 24)}`;

/** The sandbox a process's invoice service opens uploads in: one thread, the extraction memory limit and
 * the web's document time limit (WEB_DOCUMENT_TIMEOUT; counting pages or finding an XML takes well under
 * a second for a real invoice). */
export function createDocumentSandbox(config: Config): DocumentSandbox {
  return createSandbox({
    limits: { ...config.extraction.limits, timeoutMs: config.web.documentTimeoutMs },
    ocr: null,
    threads: 1,
    ...config.extraction.recycle,
  });
}

export function createInvoiceService(deps: {
  sql: Sql;
  processes: InvoiceProcesses;
  config: Config;
  documents?: DocumentSandbox;
}): InvoiceService {
  const { sql, processes, config } = deps;
  // Threads start on first use, so a service that never opens a PDF costs nothing.
  const documents = deps.documents ?? createDocumentSandbox(config);

  // The words of the documents looked at last, by document hash (a clerk picks several values off one).
  const wordsCache = new Map<string, Promise<WordsOfPage[]>>();
  let wordsSandbox: DocumentSandbox | undefined;
  const readWords = (doc: { bytes: Uint8Array; fileName: string }) => {
    // With OCR on, a scan's words come from OCR as in the extraction: a thread of its own with the
    // extraction's time limit (the web's document limit is for quick checks). Without OCR the upload sandbox reads.
    const sandbox = config.extraction.ocr
      ? (wordsSandbox ??= createSandbox({
          limits: config.extraction.limits,
          ocr: config.extraction.ocr,
          threads: 1,
          ...config.extraction.recycle,
        }))
      : documents;
    return sandbox.read(doc.bytes, doc.fileName);
  };

  async function requireRow(invoiceId: string): Promise<InvoiceRow> {
    const row = await getInvoice(sql, invoiceId);
    if (!row) throw new InvoiceInputError(404, `No invoice ${invoiceId}.`);
    return row;
  }

  /**
   * Until the workflow has acted on a decision (recorded it, opened its undo window or moved on), at most
   * SETTLE_MS: past that the caller goes on and the page shows whatever state the workflow is in.
   */
  async function settled(invoiceId: string, decisionId: string): Promise<void> {
    const deadline = Date.now() + SETTLE_MS;
    while (Date.now() < deadline) {
      const state = await processes.state(invoiceId).catch(() => undefined);
      if (!state) return;
      if (state.decisions.some((d) => d.id === decisionId) && state.settling !== decisionId) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Start a row's workflow (idempotent: Temporal keeps one per invoice id) and stamp the row. */
  async function startWorkflow(row: InvoiceRow): Promise<'running' | 'closed'> {
    // Threshold and SLA as an admin set them on the Settings page (config when unset), fixed per invoice
    // at its start so a later change never alters a running workflow.
    const review = await getEffectiveSettings(sql, config);
    // Likewise the approval policy: the version in force now is the one this invoice follows throughout.
    const policy = await policyInForce(sql);
    const part = await partOf(sql, row.id);
    const outcome = await processes.start({
      invoiceId: row.id,
      documentSha256: row.documentSha256,
      fileName: row.fileName,
      uploadedBy: row.uploadedBy,
      settings: {
        autoApproveThreshold: review.autoApproveThreshold,
        escalateAfter: review.escalateAfter,
        undoWindow: review.undoWindow,
        hold: config.review.hold,
        questionsPauseEscalation: config.review.questionsPauseEscalation,
        sync: {
          maxAttempts: config.sync.maxAttempts,
          initialInterval: config.sync.initialRetry,
          maximumInterval: config.sync.maxRetry,
        },
      },
      ...(policy ? { policy: { version: policy.version, policy: policy.policy } } : {}),
      // A part of a file that held several invoices is read as one invoice, never split again.
      ...(part
        ? { partOf: { sourceInvoiceId: part.sourceInvoiceId, fromPage: part.fromPage, toPage: part.toPage } }
        : {}),
    });
    // A workflow that ended without recording a single step (terminated in Temporal before it read the
    // file) leaves a row that would say "received" for ever: close it with the reason.
    if (outcome === 'closed' && row.status === 'received') {
      await updateInvoiceSummary(sql, row.id, {
        status: 'rejected',
        lastError: 'Its workflow ended in Temporal before the document was read; nothing was written to Plex.',
      });
    }
    await markWorkflowStarted(sql, row.id);
    return outcome;
  }

  return {
    async ingest({ bytes, fileName }, uploadedBy) {
      const name = sanitizeFileName(fileName);
      if (bytes.byteLength === 0) throw new InvoiceInputError(400, `${name} is empty.`);
      if (bytes.byteLength > config.web.maxUploadBytes) {
        throw new InvoiceInputError(
          413,
          `${name} is ${formatMb(bytes.byteLength)}; the limit is ${formatMb(config.web.maxUploadBytes)}.`,
        );
      }
      let inspected;
      try {
        inspected = await inspectDocument(bytes, name, (pdf, pdfName) => documents.countPages(pdf, pdfName));
        // Refused here, not after a reading thread has spent its time limit on a 50,000-page file.
        checkPageCount(inspected.pageCount, config.extraction.limits);
      } catch (err) {
        if (err instanceof DocumentError) {
          throw new InvoiceInputError(err.kind === 'unsupported_type' ? 415 : 422, `${name}: ${err.message}`);
        }
        throw err;
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const invoiceId = invoiceIdFor(sha256);
      await putDocument(sql, {
        sha256,
        bytes,
        sizeBytes: bytes.byteLength,
        mimeType: inspected.mimeType,
        pageCount: inspected.pageCount,
        fileName: name,
      });
      // The row is committed first and is the outbox entry of the workflow start: if Temporal does not take
      // the start now, the worker's reconciler starts it later (worker/reconciler.ts), so nothing is orphaned.
      const created = await insertInvoice(sql, { id: invoiceId, documentSha256: sha256, fileName: name, uploadedBy });
      let row = await requireRow(invoiceId);
      if (!row.workflowStartedAt) {
        try {
          await startWorkflow(row);
        } catch (err) {
          if (!(err instanceof TemporalUnavailableError)) throw err;
          throw new TemporalUnavailableError(
            `${name} is saved, but Temporal (the workflow service) is not answering, so its processing has not started. ` +
              'It starts by itself once Temporal is back; sending the file again is safe.',
          );
        }
        row = await requireRow(invoiceId);
      }
      return { invoiceId, fileName: name, duplicate: !created, status: row.status };
    },

    async get(invoiceId) {
      const row = await requireRow(invoiceId);
      if (!row.workflowStartedAt) return { row, state: undefined, workflow: 'not_started' };
      try {
        return { row, state: await processes.state(invoiceId), workflow: 'available' };
      } catch {
        // Temporal or the worker unreachable (the call has a deadline): the page still shows the read model.
        return { row, state: undefined, workflow: 'unavailable' };
      }
    },

    async startPending(opts) {
      const started: string[] = [];
      const closed: string[] = [];
      for (const row of await listWorkflowPending(sql, opts)) {
        const outcome = await startWorkflow(row);
        (outcome === 'closed' ? closed : started).push(row.id);
      }
      return { started, closed };
    },

    async review(invoiceId, decision) {
      await requireRow(invoiceId);
      if (decision.provenance && Object.keys(decision.provenance).length > 0) {
        decision = {
          ...decision,
          provenance: checkPickedBoxes(
            decision.provenance,
            decision.corrections ?? {},
            await getExtraction(sql, invoiceId),
          ),
        };
      }
      // Who the approver is comes from our users table, never from the request.
      const result = await processes.review(invoiceId, {
        ...decision,
        approver: await approverClaim(sql, decision.actor),
      });
      // The Update returns once the decision is accepted; an approval is then recorded and its undo window
      // opened by the workflow. Wait (briefly) for that, so the next page offers Undo rather than a state
      // caught in between.
      if (decision.action === 'approve') await settled(invoiceId, result.decisionId);
      return result;
    },

    async recall(invoiceId, input) {
      await requireRow(invoiceId);
      return processes.recall(invoiceId, input);
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

    async words(invoiceId) {
      const row = await requireRow(invoiceId);
      const key = row.documentSha256;
      let words = wordsCache.get(key);
      if (!words) {
        words = (async () => {
          const doc = await getDocument(sql, key);
          if (!doc) throw new InvoiceInputError(404, `No invoice ${invoiceId}.`);
          if (doc.mimeType === 'application/xml') return [];
          try {
            return wordsForViewer((await readWords(doc)).pages);
          } catch (err) {
            if (err instanceof DocumentError)
              throw new InvoiceInputError(422, `The words of invoice ${invoiceId} cannot be read: ${err.message}`);
            throw err;
          }
        })();
        wordsCache.set(key, words);
        words.catch(() => wordsCache.delete(key));
        while (wordsCache.size > WORDS_CACHED) wordsCache.delete(wordsCache.keys().next().value!);
      }
      return words;
    },

    cutPages: (bytes, fileName, ranges) => documents.cutPages(bytes, fileName, ranges),

    async eInvoiceXml(invoiceId) {
      const row = await requireRow(invoiceId);
      const doc = await getDocument(sql, row.documentSha256);
      if (!doc) throw new InvoiceInputError(404, `No invoice ${invoiceId}.`);
      try {
        return await eInvoiceXmlOf(doc, (pdf, pdfName) => documents.embeddedEInvoice(pdf, pdfName));
      } catch (err) {
        // The sandbox stopped the PDF (time, memory) or it cannot be opened: say why, the server goes on.
        if (err instanceof DocumentError)
          throw new InvoiceInputError(422, `The e-invoice XML of invoice ${invoiceId} cannot be shown: ${err.message}`);
        throw err;
      }
    },

    comments: createCommentService({ sql, processes }),

    close: async () => {
      if (!deps.documents) await documents.close();
      await wordsSandbox?.close();
    },
  };
}

/** Documents whose words are kept in memory (a few kB to a few hundred kB each). */
const WORDS_CACHED = 32;
/** A box may stick out of its page by this much (points): a drag that starts in the margin still counts. */
const PAGE_SLACK = 2;

/**
 * The boxes a clerk picked, checked against the document as extracted: each on a page it has, inside that
 * page. Boxes of fields that are not corrected are dropped (learning has nothing to learn there). 422 with
 * the field and what is wrong otherwise.
 */
export function checkPickedBoxes(
  picked: CorrectionProvenance,
  corrections: Record<string, unknown>,
  extraction: Pick<Extraction, 'pageCount' | 'pages'> | null,
): CorrectionProvenance | undefined {
  const kept: CorrectionProvenance = {};
  for (const [name, at] of Object.entries(picked) as [
    keyof CorrectionProvenance,
    NonNullable<CorrectionProvenance[keyof CorrectionProvenance]>,
  ][]) {
    if (corrections[name] === undefined) continue;
    const label = CORRECTION_LABELS[name];
    const count = extraction ? Math.max(extraction.pageCount, extraction.pages.length) : 0;
    if (at.page > count) {
      throw new InvoiceInputError(
        422,
        `${label}: the box was picked on page ${at.page}, but the document has ${count === 0 ? 'no pages read' : count === 1 ? '1 page' : `${count} pages`}.`,
      );
    }
    const size = extraction?.pages[at.page - 1];
    const { x, y, width, height } = at.box;
    if (
      size &&
      (x < -PAGE_SLACK ||
        y < -PAGE_SLACK ||
        x + width > size.width + PAGE_SLACK ||
        y + height > size.height + PAGE_SLACK)
    ) {
      throw new InvoiceInputError(
        422,
        `${label}: the box picked on page ${at.page} lies outside the page (${Math.round(size.width)} × ${Math.round(size.height)}).`,
      );
    }
    kept[name] = at;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function sanitizeFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'upload';
}

const formatMb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
