// The two OCR engines: the native `tesseract` program (installed by the test run, as in the Docker image) and
// tesseract.js. Both read the same models, so they must give the same words where they are; the native one's
// output (hOCR) is parsed into the same shape; every way the program can fail is a clear OcrEngineError; and
// OCR_ENGINE picks between them.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { loadConfig } from '../../config/index.js';
import { createExtractor } from '../../extract/index.js';
import { createOcrEngine, type OcrWord } from '../../extract/ocr/engine.js';
import { resolveOcrEngine } from '../../extract/ocr/engines.js';
import {
  createTesseractCliEngine,
  OcrEngineError,
  tesseractVersion,
  wordsOfHocr,
} from '../../extract/ocr/tesseract-cli.js';
import { makeInvoicePdf, type InvoiceSpec } from '../../testkit/invoice-pdf.js';
import { scanOf } from '../../testkit/scan.js';

const spec: InvoiceSpec = {
  invoiceNumber: 'INV-77120',
  vendorName: 'Würth Industrie Service GmbH & Co. KG',
  invoiceDate: '2026-03-14',
  poNumber: '4500098812',
  taxRate: '19',
  lines: [
    { description: 'Sechskantschraube M8x40, verzinkt', quantity: 200, unitPrice: '0.35' },
    { description: 'Federring M8', quantity: 200, unitPrice: '0.05' },
  ],
};
const MISSING = 'plexsync-no-such-ocr-program';

describe('hOCR from the tesseract program', () => {
  const hocr = `<div class='ocr_page' id='page_1' title='image "stdin"; bbox 0 0 2480 3508; ppageno 0'>
   <div class='ocr_carea' id='block_1_1' title="bbox 188 185 1432 250">
    <p class='ocr_par' id='par_1_1' lang='deu' title="bbox 188 185 1432 250">
     <span class='ocr_line' id='line_1_1' title="bbox 188 185 432 212; baseline 0.01 -6; x_size 25.75; x_descenders 4.75; x_ascenders 5">
      <span class='ocrx_word' id='word_1_1' title='bbox 188 185 300 206; x_wconf 96'>M&amp;S</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 310 187 432 212; x_wconf 71'><strong>&quot;Gr&#246;&#xDF;e&quot;</strong></span>
      <span class='ocrx_word' id='word_1_3' title='bbox 440 187 450 212; x_wconf 10'> </span>
     </span>
     <span class='ocr_caption' id='line_1_2' title="bbox 109 1166 131 1857; textangle 90; x_size 21">
      <span class='ocrx_word' id='word_1_4' title='bbox 110 1759 126 1857; x_wconf 91'>ZUGFeRD</span>
     </span>
    </p>
   </div>
  </div>`;

  test('gives each word its text (entities and markup decoded), box, confidence and line, as tesseract.js does', () => {
    const words = wordsOfHocr(hocr);
    assert.deepEqual(words, [
      {
        text: 'M&S',
        confidence: 0.96,
        box: { x0: 188, y0: 185, x1: 300, y1: 206 },
        line: { id: 1, baseline: { x0: 188, y0: 206, x1: 432, y1: 206 + 0.01 * 244 }, top: 185 },
      },
      {
        text: '"Größe"',
        confidence: 0.71,
        box: { x0: 310, y0: 187, x1: 432, y1: 212 },
        line: { id: 1, baseline: { x0: 188, y0: 206, x1: 432, y1: 206 + 0.01 * 244 }, top: 185 },
      },
      {
        text: 'ZUGFeRD',
        confidence: 0.91,
        box: { x0: 110, y0: 1759, x1: 126, y1: 1857 },
        line: { id: 2, baseline: null, top: 1759 },
      } satisfies OcrWord,
    ]);
  });

  test('nothing recognised is no words', () => {
    assert.deepEqual(wordsOfHocr(''), []);
    assert.deepEqual(wordsOfHocr("<div class='ocr_page' id='page_1' title='bbox 0 0 10 10'></div>"), []);
  });
});

describe('the native engine', () => {
  const native = createTesseractCliEngine(['eng', 'deu']);
  const wasm = createOcrEngine(['eng', 'deu']);
  after(() => Promise.all([native.close(), wasm.close()]));

  test('is installed for the tests (the test run installs it, as the Docker image does)', async () => {
    assert.match((await tesseractVersion()) ?? 'missing', /^tesseract [45]\./);
  });

  test('reads a scanned page into the same words, boxes and lines as tesseract.js', async () => {
    const scan = await scanOf(await makeInvoicePdf(spec), { seed: 5, rotateDeg: 0, noise: 0.02, dpi: 300 });
    const [a, b] = await Promise.all([
      native.recognize(scan.png, { dpi: 300 }),
      wasm.recognize(scan.png, { dpi: 300 }),
    ]);
    assert.ok(a.length > 30, `${a.length} words`);
    const key = (w: OcrWord) => `${w.text}@${Math.round(w.box.x0 / 4)},${Math.round(w.box.y0 / 4)}`;
    const theirs = new Set(b.map(key));
    const shared = a.filter((w) => theirs.has(key(w)));
    assert.ok(
      shared.length >= 0.95 * Math.max(a.length, b.length),
      `${shared.length} of ${a.length} native / ${b.length} tesseract.js words alike`,
    );
    const text = a.map((w) => w.text).join(' ');
    for (const printed of ['INV-77120', 'Industrie', '4500098812'])
      assert.ok(text.includes(printed), `${printed} in ${text}`);
    for (const word of a) {
      const twin = b.find((w) => key(w) === key(word));
      if (!twin) continue;
      assert.ok(
        Math.abs(twin.confidence - word.confidence) <= 0.05,
        `${word.text}: ${word.confidence} vs ${twin.confidence}`,
      );
      if (word.line.baseline && twin.line.baseline)
        assert.ok(Math.abs(word.line.baseline.y0 - twin.line.baseline.y0) <= 1, `${word.text}: baseline`);
    }
  });

  test('a file that is no image is an OcrEngineError with what the program said', async () => {
    await assert.rejects(
      native.recognize(new TextEncoder().encode('%PDF-1.7 not an image'), { dpi: 300 }),
      (err: unknown) => err instanceof OcrEngineError && /tesseract exited with \d+/.test(err.message),
    );
  });

  test('a page that takes too long is stopped, with an OcrEngineError', async () => {
    const slow = createTesseractCliEngine(['eng', 'deu'], { timeoutMs: 20 });
    const page = await sharp({ create: { width: 2480, height: 3508, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    try {
      await assert.rejects(
        slow.recognize(page, { dpi: 300 }),
        (err: unknown) => err instanceof OcrEngineError && /took longer than 20 ms/.test(err.message),
      );
    } finally {
      await slow.close();
    }
  });

  test('a program that is not there is an OcrEngineError saying so', async () => {
    assert.equal(await tesseractVersion(MISSING), null);
    const engine = createTesseractCliEngine(['eng'], { binary: MISSING });
    try {
      await assert.rejects(
        engine.recognize(new Uint8Array(8), { dpi: 300 }),
        (err: unknown) => err instanceof OcrEngineError && err.message.includes(`${MISSING} could not be started`),
      );
    } finally {
      await engine.close();
    }
  });
});

describe('OCR_ENGINE', () => {
  test('auto runs the native program when it is installed, tesseract.js when it is not', async () => {
    assert.equal((await resolveOcrEngine('auto')).kind, 'tesseract');
    assert.match((await resolveOcrEngine('auto')).version, /^tesseract \d/);
    assert.deepEqual(await resolveOcrEngine('auto', MISSING), { kind: 'tesseract.js', version: 'tesseract.js' });
    assert.equal((await resolveOcrEngine('tesseract.js')).kind, 'tesseract.js');
  });

  test('tesseract required but not installed is a clear error', async () => {
    await assert.rejects(
      resolveOcrEngine('tesseract', MISSING),
      (err: unknown) =>
        err instanceof OcrEngineError &&
        /OCR_ENGINE=tesseract, but .* is not installed.*OCR_ENGINE=auto/.test(err.message),
    );
  });

  test('is read from the environment, auto by default, and anything else is refused by name', () => {
    const base = {};
    assert.equal(loadConfig(base).extraction.ocr?.engine, 'auto');
    assert.equal(loadConfig({ ...base, OCR_ENGINE: 'tesseract.js' }).extraction.ocr?.engine, 'tesseract.js');
    assert.throws(() => loadConfig({ ...base, OCR_ENGINE: 'paddle' }), /OCR_ENGINE/);
  });

  test('either engine reads a scan the same through the extractor', async () => {
    const scan = await scanOf(await makeInvoicePdf(spec), { seed: 9, rotateDeg: 1, noise: 0.03 });
    const read = async (engine: 'tesseract' | 'tesseract.js') => {
      const extractor = createExtractor({ ocr: { languages: ['eng', 'deu'], deskew: true, engine } });
      try {
        return await extractor.extract({ bytes: scan.pdf, mimeType: 'application/pdf', fileName: 'scan.pdf' });
      } finally {
        await extractor.close?.();
      }
    };
    const [a, b] = [await read('tesseract'), await read('tesseract.js')];
    assert.equal(a.fields.invoiceNumber.value, 'INV-77120');
    for (const name of ['invoiceNumber', 'invoiceDate', 'vendorName', 'total', 'poNumbers'] as const)
      assert.deepEqual(a.fields[name].value, b.fields[name].value, name);
  });
});
