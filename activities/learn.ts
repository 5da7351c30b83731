// Learning from a clerk's corrections, as part of recording the review decision: re-read the document's
// positioned text, find where each corrected value is printed (or take the box the clerk picked it from on
// the review page, when there is one) and store that for the vendor (extract/learned.ts,
// db/vendor-knowledge.ts). Keyed by decision id and field, so a retried activity learns nothing twice. It is
// best effort and bounded in time: a document that cannot be re-read must not hold up the decision.
import { getDocument } from '../db/documents.js';
import { getExtraction, getInvoice } from '../db/invoices.js';
import type { DecisionRecord } from '../domain/invoice.js';
import { patternsFromCorrections, type KnowledgeStore } from '../extract/learned.js';
import { readTextLayer, type PageText } from '../extract/pdf-text.js';
import type { Sql } from '../db/client.js';
import type { Logger } from 'pino';

export interface Learning {
  store: KnowledgeStore;
  /** The document's positioned text (text layer, or OCR for scans); the text layer when not given. */
  readPages?: (doc: { bytes: Uint8Array; mimeType: string; fileName: string }) => Promise<PageText[]>;
  /** Learning gives up after this long (default 20 s) so the decision activity stays quick. */
  timeoutMs?: number;
}

export async function readTextPages(doc: { bytes: Uint8Array; mimeType: string }): Promise<PageText[]> {
  return doc.mimeType === 'application/pdf' ? (await readTextLayer(doc.bytes, 20)).pages : [];
}

export type LearnOutcome = { learned: number; fields: string[] } | { skipped: string };

export async function learnFromDecision(
  deps: { sql: Sql; learning: Learning; logger: Logger },
  input: { invoiceId: string; decision: DecisionRecord },
): Promise<LearnOutcome> {
  const { decision, invoiceId } = input;
  // A rejected invoice may be someone else's document altogether: nothing to learn about the vendor.
  if (decision.action === 'reject' || Object.keys(decision.corrections).length === 0)
    return { skipped: 'no corrections' };
  const timeoutMs = deps.learning.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<LearnOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ skipped: `re-reading the document took longer than ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    const outcome = await Promise.race([learn(), deadline]);
    if ('skipped' in outcome)
      deps.logger.warn(
        { invoiceId, decisionId: decision.id, reason: outcome.skipped },
        'nothing learned from corrections',
      );
    else deps.logger.info({ invoiceId, decisionId: decision.id, ...outcome }, 'learned from corrections');
    return outcome;
  } catch (err) {
    deps.logger.warn({ err, invoiceId, decisionId: decision.id }, 'learning from corrections failed');
    return { skipped: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }

  async function learn(): Promise<LearnOutcome> {
    const invoice = await getInvoice(deps.sql, invoiceId);
    const extraction = await getExtraction(deps.sql, invoiceId);
    if (!invoice || !extraction) return { skipped: 'no stored extraction' };
    const doc = await getDocument(deps.sql, invoice.documentSha256);
    if (!doc) return { skipped: 'document not stored' };
    const pages = await (deps.learning.readPages ?? readTextPages)(doc);
    if (pages.length === 0) return { skipped: 'no positioned text to learn from' };
    const patterns = patternsFromCorrections({
      decisionId: decision.id,
      invoiceId,
      corrections: decision.corrections,
      picked: decision.provenance,
      extraction,
      pages,
    });
    const learned = await deps.learning.store.save(patterns);
    return { learned, fields: patterns.map((p) => p.pattern.field) };
  }
}
