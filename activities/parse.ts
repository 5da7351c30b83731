// Parse stage: read the stored document and extract its fields.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { getDocument } from '../db/documents.js';
import { saveExtraction, updateInvoiceSummary } from '../db/invoices.js';
import type { Extraction } from '../domain/extraction.js';
import { DocumentError } from '../extract/errors.js';
import type { ActivityDeps } from './deps.js';

export function createParseActivities({ sql, extractor, metrics }: ActivityDeps) {
  return {
    async parseDocument(input: { invoiceId: string; documentSha256: string }): Promise<Extraction> {
      const doc = await getDocument(sql, input.documentSha256);
      if (!doc) {
        throw ApplicationFailure.create({
          type: 'DocumentMissing',
          nonRetryable: true,
          message: `Document ${input.documentSha256} is not stored.`,
        });
      }
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 5_000);
      const started = performance.now();
      const took = () => (performance.now() - started) / 1000;
      try {
        // A timed-out or cancelled attempt stops its read, so it does not hold a sandbox thread the retry needs.
        const extraction = await extractor.extract({
          bytes: doc.bytes,
          mimeType: doc.mimeType,
          fileName: doc.fileName,
          signal: ctx.cancellationSignal,
        });
        metrics?.record('read', extraction.extractor, took());
        await saveExtraction(sql, input.invoiceId, extraction);
        await updateInvoiceSummary(sql, input.invoiceId, { confidence: extraction.confidence });
        return extraction;
      } catch (err) {
        if (err instanceof DocumentError) {
          metrics?.record('unreadable', err.kind, took());
          throw ApplicationFailure.create({
            type: 'DocumentError',
            nonRetryable: true,
            message: err.message,
            details: [err.kind],
          });
        }
        throw err;
      } finally {
        clearInterval(beat);
      }
    },
  };
}
