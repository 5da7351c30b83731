// A second look at ink OCR left unread (extract/ocr/reread.ts): tesseract's layout analysis now and then
// drops a lone cell of a row it reads otherwise (the amount beside "Bruttosumme"); cut out on its own, the
// ink reads, and its words are put back where it stands.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import { DEFAULT_LIMITS } from '../../extract/limits.js';
import { OCR_LANGUAGES, type OcrEngine, type OcrWord } from '../../extract/ocr/engine.js';
import { unreadInk } from '../../extract/ocr/reread.js';
import { createTesseractCliEngine } from '../../extract/ocr/tesseract-cli.js';
import { readPages } from '../../extract/pages.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { loadRealCorpus } from '../../testkit/real-corpus.js';
import { scanOf } from '../../testkit/scan.js';

const [W, H] = [1200, 400];
/** A white page; `block` inks a rectangle the way type does: strokes 3 pixels apart, on every row. */
function blankPage() {
  const grey = Buffer.alloc(W * H, 255);
  const fill = (x0: number, y0: number, x1: number, y1: number, every = 3) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x += every) grey[y * W + x] = 0;
  };
  return { image: { grey, width: W, height: H }, fill };
}
const word = (x0: number, y0: number, x1: number, y1: number, line = 1): OcrWord => ({
  text: 'Bruttosumme',
  confidence: 0.9,
  box: { x0, y0, x1, y1 },
  line: { id: line, baseline: { x0, y0: y1, x1, y1 }, top: y0 },
});

describe('ink no word covers', () => {
  test('a cell of type on a read line is cut out, the label beside it is not', () => {
    const { image, fill } = blankPage();
    fill(100, 100, 400, 130); // the label, read
    fill(900, 102, 1010, 130); // the amount, dropped
    assert.deepEqual(unreadInk(image, [word(100, 100, 400, 130)]), [{ x0: 900, y0: 100, x1: 1009, y1: 130 }]);
  });

  test('rules, underlines and specks are no type; covered ink and other lines’ bands are not looked at', () => {
    const { image, fill } = blankPage();
    fill(100, 100, 400, 130);
    fill(700, 0, 702, H, 1); // a table's vertical rule across the band
    fill(450, 128, 1150, 130, 1); // an underline in the band's last rows
    fill(800, 110, 802, 112, 1); // a speck
    fill(1100, 300, 1190, 330); // type on a line OCR did not read at all: no band to look on
    assert.deepEqual(unreadInk(image, [word(100, 100, 400, 130)]), []);
    fill(900, 102, 1010, 130);
    const covered = [word(100, 100, 400, 130), { ...word(895, 101, 1012, 129, 2), text: '340,96' }];
    assert.deepEqual(unreadInk(image, covered), []);
  });

  test('a page OCR mostly failed on is not looked at again, cell by cell', () => {
    const { image, fill } = blankPage();
    const words: OcrWord[] = [];
    for (let i = 0; i < 41; i++) {
      const y = 5 + i * 9;
      if (y + 7 > H) break;
      words.push(word(10, y, 40, y + 7, i + 1));
      fill(10, y, 40, y + 7);
      fill(600, y, 640, y + 7);
    }
    assert.equal(words.length, 41);
    assert.deepEqual(unreadInk(image, words), []);
  });
});

/** The native engine, dropping from the page's first reading every word `drop` matches. */
function dropping(engine: OcrEngine, drop: RegExp): OcrEngine & { calls: number } {
  const wrapped = {
    languages: engine.languages,
    pagesAtOnce: 1,
    calls: 0,
    async recognize(png: Uint8Array, opts: { dpi: number }) {
      const words = await engine.recognize(png, opts);
      return wrapped.calls++ === 0 ? words.filter((w) => !drop.test(w.text)) : words;
    },
    close: () => engine.close(),
  };
  return wrapped;
}

describe('reading a scan', () => {
  const native = createTesseractCliEngine(['eng']);
  after(() => native.close());

  test('a cell the page reading dropped is read by the second look, where it is printed', async () => {
    const pdf = await makeInvoicePdf({
      invoiceNumber: 'INV-7781',
      vendorName: 'Acme Fasteners Inc.',
      invoiceDate: '2026-03-14',
      poNumber: '4500012',
      taxRate: '8.25',
      lines: [{ description: 'Hex bolt M8x40, zinc', quantity: 200, unitPrice: '0.35' }],
    });
    const scan = await scanOf(pdf, { seed: 5, rotateDeg: 0, noise: 0.01 });
    const whole = await readPages(scan.pdf, 'scan.pdf', {
      limits: DEFAULT_LIMITS,
      ocr: { engine: native, deskew: true },
    });
    const engine = dropping(native, /^\$?75\.78$/);
    const read = await readPages(scan.pdf, 'scan.pdf', { limits: DEFAULT_LIMITS, ocr: { engine, deskew: true } });
    assert.equal(engine.calls, 2, 'the page, then its unread ink');
    const find = (pages: typeof read.pages) =>
      pages[0]!.lines.flatMap((l) => l.segments).find((s) => /75\.78/.test(s.text));
    const [expected, found] = [find(whole.pages), find(read.pages)];
    assert.ok(expected, 'the total is printed and read on the whole page');
    assert.ok(found, `read again: ${read.pages[0]!.lines.map((l) => l.text).join(' | ')}`);
    assert.ok(
      Math.abs(found.box.x - expected.box.x) < 3 && Math.abs(found.box.y - expected.box.y) < 3,
      `${JSON.stringify(found.box)} vs ${JSON.stringify(expected.box)}`,
    );
  });

  test('a real totals table: the gross total tesseract drops on the page is read', async () => {
    // the real-corpus scan the bench makes of this invoice (bench/real.ts: seed and tilt by its place)
    const corpus = loadRealCorpus();
    const index = corpus.findIndex((i) => i.name === 'XML-Rechnung__FX__EN16931_ElektronischeAdresse');
    assert.ok(index >= 0, 'the corpus has the invoice');
    const scan = await scanOf(corpus[index]!.pdf, {
      seed: 1000 + index,
      rotateDeg: ((index % 5) - 2) * 0.6,
      noise: 0.02,
    });
    const extractor = createExtractor({ einvoice: false, ocr: { languages: [...OCR_LANGUAGES], deskew: true } });
    try {
      const read = await extractor.extract({ bytes: scan.pdf, mimeType: 'application/pdf', fileName: 'scan.pdf' });
      assert.equal(read.fields.total.value, '340.96');
    } finally {
      await extractor.close?.();
    }
  });
});
