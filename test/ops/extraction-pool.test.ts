// Reading documents: an over-long PDF is refused at upload (its pages were already counted there), the
// reading pool has one thread per core (at least two), and one slow file never holds up the others.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadConfig } from '../../config/index.js';
import { createExtractor, visualStageOptions } from '../../extract/index.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { xrefStallPdf } from '../support/stall-pdf.js';

async function pdfWithPages(count: number, seed: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= count; i++)
    doc.addPage([612, 792]).drawText(`Page ${i} of ${seed}`, { x: 72, y: 700, size: 12, font });
  return doc.save();
}

describe('page limit at upload', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ worker: false, env: { EXTRACT_MAX_PAGES: '3' } });
  });
  after(async () => {
    await stack?.stop();
  });

  test('a PDF with more pages than EXTRACT_MAX_PAGES is refused with the count and the limit, and no invoice is made', async () => {
    const res = await stack.upload([{ name: 'long.pdf', bytes: await pdfWithPages(4, String(Math.random())) }]);
    const body = (await res.json()) as { error: { message: string } };
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.match(body.error.message, /^long\.pdf: The PDF has 4 pages; invoices of up to 3 pages are read/);
    const [row] = await stack.sql<{ n: number }[]>`select count(*)::int as n from invoices`;
    assert.equal(row?.n, 0);
    const ok = await stack.upload([{ name: 'short.pdf', bytes: await pdfWithPages(3, String(Math.random())) }]);
    assert.equal(ok.status, 201, 'three pages are within the limit');
  });
});

describe('the reading pool', () => {
  test('EXTRACT_THREADS defaults to one thread per core, at least two; a set value wins', () => {
    assert.equal(loadConfig({}).extraction.threads, Math.min(16, Math.max(2, availableParallelism())));
    assert.equal(loadConfig({ EXTRACT_THREADS: '1' }).extraction.threads, 1);
  });

  test('normal invoices are read while a slow file is still being read', { timeout: 180_000 }, async () => {
    // Default pool size; no OCR, so the threads load quickly (the normal files have a text layer).
    const config = loadConfig({ OCR_ENABLED: 'false' });
    // Just under MAX_UPLOAD_BYTES, so it is parsed (for tens of seconds), not refused for its size.
    const stall = xrefStallPdf(450_000, String(Math.random()));
    assert.ok(stall.byteLength < config.extraction.limits.maxBytes);
    const extractor = createExtractor({ ...visualStageOptions(config.extraction), einvoice: false });
    try {
      let slowDone = false;
      // First in the queue, so with a single thread everything else would wait behind it.
      const slow = extractor
        .readPages({ bytes: stall, mimeType: 'application/pdf', fileName: 'stall.pdf' })
        .then(
          () => 'read',
          () => 'refused',
        )
        .finally(() => (slowDone = true));
      const normal = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const bytes = await makeInvoicePdf(uniqueInvoice());
          const pages = await extractor.readPages({ bytes, mimeType: 'application/pdf', fileName: `normal-${i}.pdf` });
          return { pages: pages.length, slowStillReading: !slowDone };
        }),
      );
      for (const [i, n] of normal.entries()) {
        assert.equal(n.pages, 1, `normal-${i}.pdf read`);
        assert.equal(n.slowStillReading, true, `normal-${i}.pdf finished while the slow file was still being read`);
      }
      assert.equal(slowDone, false);
      void slow; // closing the extractor stops its thread
    } finally {
      await extractor.close?.();
    }
  });
});
