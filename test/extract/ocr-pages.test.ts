// The pages of one scanned document are read by OCR side by side (up to the engine's pagesAtOnce) and
// come back in page order; a page that fails fails the document (extract/pages.ts).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { DEFAULT_LIMITS } from '../../extract/limits.js';
import { createOcrEngine, type OcrEngine } from '../../extract/ocr/engine.js';
import { createTesseractCliEngine } from '../../extract/ocr/tesseract-cli.js';
import { readPages } from '../../extract/pages.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { multiPageTiff, scanOf } from '../../testkit/scan.js';

const NUMBERS = ['INV-40011', 'INV-40022', 'INV-40033'];

/** Three one-page invoices as one scanned, image-only PDF, and as one three-frame TIFF. */
async function threePageScan(): Promise<{ pdf: Uint8Array; tiff: Uint8Array }> {
  const merged = await PDFDocument.create();
  for (const invoiceNumber of NUMBERS) {
    const one = await PDFDocument.load(
      await makeInvoicePdf({
        invoiceNumber,
        vendorName: 'Acme Fasteners Inc.',
        invoiceDate: '2026-03-14',
        poNumber: '4500012',
        taxRate: '8.25',
        lines: [{ description: 'Hex bolt M8x40, zinc', quantity: 200, unitPrice: '0.35' }],
      }),
    );
    const [page] = await merged.copyPages(one, [0]);
    merged.addPage(page);
  }
  const scan = await scanOf(await merged.save(), { seed: 4, rotateDeg: 0, noise: 0.01 });
  return { pdf: scan.pdf, tiff: await multiPageTiff(scan.pages) };
}

/** The engine as it is, counting how many pages it reads at the same time; `failOn` makes that call fail. */
function watched(engine: OcrEngine, failOn?: number) {
  let now = 0;
  let calls = 0;
  const seen = { most: 0 };
  const wrapped: OcrEngine = {
    languages: engine.languages,
    pagesAtOnce: engine.pagesAtOnce,
    async recognize(png, opts) {
      const call = ++calls;
      seen.most = Math.max(seen.most, ++now);
      try {
        if (call === failOn) throw new Error(`page ${call} could not be read`);
        return await engine.recognize(png, opts);
      } finally {
        now--;
      }
    },
    close: () => engine.close(),
  };
  return { engine: wrapped, seen };
}

describe('the pages of one scan', () => {
  const native = createTesseractCliEngine(['eng']);
  const wasm = createOcrEngine(['eng']);
  after(() => Promise.all([native.close(), wasm.close()]));
  let scan: { pdf: Uint8Array; tiff: Uint8Array };

  test('two at a time with the native program, in page order, each page its own text', async () => {
    scan = await threePageScan();
    assert.equal(native.pagesAtOnce, 2);
    for (const [name, bytes] of [
      ['scan.pdf', scan.pdf],
      ['scan.tiff', scan.tiff],
    ] as const) {
      const { engine, seen } = watched(native);
      const read = await readPages(bytes, name, { limits: DEFAULT_LIMITS, ocr: { engine, deskew: true } });
      assert.deepEqual(
        read.pages.map((p) => p.page),
        [1, 2, 3],
        name,
      );
      read.pages.forEach((page, i) => {
        const text = page.lines.map((l) => l.text).join(' ');
        assert.ok(text.includes(NUMBERS[i]!), `${name} page ${i + 1}: ${text.slice(0, 200)}`);
        for (const other of NUMBERS.filter((_, j) => j !== i))
          assert.ok(!text.includes(other), `${name} page ${i + 1}`);
      });
      assert.equal(seen.most, 2, `${name}: pages read at once`);
    }
  });

  test('one at a time with tesseract.js', async () => {
    const { engine, seen } = watched(wasm);
    const read = await readPages(scan.pdf, 'scan.pdf', { limits: DEFAULT_LIMITS, ocr: { engine, deskew: true } });
    assert.deepEqual(
      read.pages.map((p) => p.page),
      [1, 2, 3],
    );
    assert.equal(seen.most, 1);
  });

  test('a page that fails while the next is rendered fails the document, with its error', async () => {
    const { engine } = watched(native, 1);
    await assert.rejects(
      readPages(scan.pdf, 'scan.pdf', { limits: DEFAULT_LIMITS, ocr: { engine, deskew: true } }),
      /page 1 could not be read/,
    );
  });
});
