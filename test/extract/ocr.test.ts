// Scans and photos of invoices are read by OCR: the same fields as from the text layer, from PDFs without
// one, PNG, JPEG and TIFF, tilted pages, in each language, with boxes where the clerk sees the value, and
// without touching the network. Kept to a handful of pages: OCR is CPU-heavy.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import type { BoundingBox, Extraction } from '../../domain/extraction.js';
import { createExtractor } from '../../extract/index.js';
import { createOcrEngine, languageDataFile, OCR_LANGUAGES } from '../../extract/ocr/engine.js';
import { invoiceTotals, makeInvoicePdf, type InvoiceSpec } from '../../testkit/invoice-pdf.js';
import { scanOf } from '../../testkit/scan.js';

const ocr = createExtractor({ ocr: { languages: ['eng', 'deu'], deskew: true }, einvoice: false });
const textOnly = createExtractor({ einvoice: false });
after(() => ocr.close?.());

const read = (bytes: Uint8Array, fileName = 'scan.pdf') =>
  ocr.extract({ bytes, mimeType: 'application/pdf', fileName });

const base: InvoiceSpec = {
  invoiceNumber: 'INV-2025-0042',
  vendorName: 'Acme Tooling Inc.',
  invoiceDate: '2025-11-03',
  dueDate: '2025-12-03',
  poNumbers: ['062486'],
  taxRate: '8.25',
  lines: [
    { description: 'Hex bolt M8x40, zinc plated', quantity: 500, unitPrice: '0.42' },
    { description: 'CNC machining', quantity: 3, unitPrice: '1250.00' },
  ],
};
const german: InvoiceSpec = {
  ...base,
  layout: 'german',
  vendorName: 'Werkzeugbau Keller GmbH',
  invoiceNumber: 'RE-2025-0815',
  taxRate: '19',
  poNumbers: ['0045001234'],
};
const british: InvoiceSpec = {
  ...base,
  layout: 'right-labels',
  vendorName: 'Brightline Fasteners Ltd',
  currency: 'GBP',
  invoiceNumber: 'BF-11873',
  taxRate: '20',
  poNumbers: ['007731'],
};

const HEADER = [
  'invoiceNumber',
  'invoiceDate',
  'dueDate',
  'vendorName',
  'subtotal',
  'tax',
  'total',
  'poNumbers',
] as const;
function truthOf(spec: InvoiceSpec): Record<(typeof HEADER)[number], unknown> {
  const totals = invoiceTotals(spec);
  return {
    invoiceNumber: spec.invoiceNumber,
    invoiceDate: spec.invoiceDate,
    dueDate: spec.dueDate,
    vendorName: spec.vendorName,
    subtotal: totals.subtotal,
    tax: totals.tax,
    total: totals.total,
    poNumbers: spec.poNumbers,
  };
}
const wrong = (extraction: Extraction, spec: InvoiceSpec) =>
  HEADER.filter((name) => JSON.stringify(extraction.fields[name].value) !== JSON.stringify(truthOf(spec)[name])).map(
    (name) =>
      `${name}: read ${JSON.stringify(extraction.fields[name].value)}, printed ${JSON.stringify(truthOf(spec)[name])}`,
  );

const centre = (b: BoundingBox) => [b.x + b.width / 2, b.y + b.height / 2] as const;

describe('OCR', () => {
  // One seeded set across layouts, inputs and tilts; header fields must be ≥ 85 % right over the set.
  const scores: Array<{ name: string; wrong: string[] }> = [];

  test('a scanned PDF (no text layer, tilted 2°, speckled) is read like the original, with boxes where the values are', async () => {
    const original = await makeInvoicePdf(base);
    const scan = await scanOf(original, { seed: 11, rotateDeg: 2, noise: 0.05 });
    const extraction = await read(scan.pdf);
    scores.push({ name: 'classic, tilted PDF scan', wrong: wrong(extraction, base) });
    assert.equal(extraction.extractor, 'ocr@1');
    assert.equal(extraction.fields.invoiceNumber.value, base.invoiceNumber);
    assert.equal(extraction.fields.total.value, invoiceTotals(base).total);
    for (const name of ['invoiceNumber', 'total'] as const) {
      const field = extraction.fields[name];
      assert.equal(field.provenance?.source, 'ocr', name);
      assert.ok(
        field.notes.some((n) => /^Read by OCR \(recogniser confidence \d+ %\)\.$/.test(n)),
        `${name}: ${field.notes.join(' ')}`,
      );
    }
  });

  test('an untilted scan puts each field’s box within a few points of the text-layer box of the same value', async () => {
    const original = await makeInvoicePdf(base);
    const fromText = await textOnly.extract({ bytes: original, mimeType: 'application/pdf', fileName: 'a.pdf' });
    const fromScan = await read((await scanOf(original, { seed: 12, rotateDeg: 0, noise: 0 })).pdf);
    scores.push({ name: 'classic, clean PDF scan', wrong: wrong(fromScan, base) });
    for (const name of ['invoiceNumber', 'invoiceDate', 'vendorName', 'total'] as const) {
      const [a, b] = [fromText.fields[name], fromScan.fields[name]];
      assert.equal(b.value, a.value, name);
      const [[ax, ay], [bx, by]] = [centre(a.provenance!.box!), centre(b.provenance!.box!)];
      assert.ok(
        Math.abs(ax - bx) < 6 && Math.abs(ay - by) < 4,
        `${name}: text layer at (${ax}, ${ay}), OCR at (${bx}, ${by})`,
      );
      // The recogniser's doubt lowers confidence; it never raises it above the text layer's.
      assert.ok(b.confidence <= a.confidence, `${name}: ${b.confidence} > ${a.confidence}`);
    }
  });

  test('PNG, JPEG and TIFF files are read, and a tilted one is straightened first', async () => {
    const png = (await scanOf(await makeInvoicePdf(german), { seed: 21, rotateDeg: -1.5, noise: 0.05 })).png;
    const fromPng = await read(png, 'rechnung.png');
    scores.push({ name: 'German PNG', wrong: wrong(fromPng, german) });
    const jpeg = new Uint8Array(
      await sharp((await scanOf(await makeInvoicePdf(british), { seed: 22, noise: 0.03 })).png)
        .withMetadata({ density: 200 })
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
    const fromJpeg = await read(jpeg, 'invoice.jpg');
    scores.push({ name: 'British JPEG', wrong: wrong(fromJpeg, british) });
    const tiff = new Uint8Array(
      await sharp((await scanOf(await makeInvoicePdf(base), { seed: 23, rotateDeg: 1 })).png)
        .withMetadata({ density: 200 })
        .tiff({ compression: 'lzw' })
        .toBuffer(),
    );
    const fromTiff = await read(tiff, 'invoice.tif');
    scores.push({ name: 'classic TIFF', wrong: wrong(fromTiff, base) });
    for (const [extraction, spec] of [
      [fromPng, german],
      [fromJpeg, british],
      [fromTiff, base],
    ] as const) {
      assert.equal(extraction.extractor, 'ocr@1');
      assert.equal(extraction.fields.invoiceNumber.value, spec.invoiceNumber);
      assert.equal(extraction.pageCount, 1);
      // 200 dpi images: a letter page is 612 points wide
      assert.ok(
        Math.abs(extraction.pages[0]!.width - (spec.layout === 'german' ? 595.28 : 612)) < 1,
        `width ${extraction.pages[0]!.width}`,
      );
    }
  });

  test('a text layer of unmapped glyphs (symbol soup) is ignored and the page read by OCR', async () => {
    const scan = await PDFDocument.load((await scanOf(await makeInvoicePdf(base), { seed: 31 })).pdf);
    const font = await scan.embedFont(StandardFonts.Helvetica);
    const page = scan.getPage(0);
    for (let i = 0; i < 12; i++)
      page.drawText('#$%&*+<=>{|}~^#$%&*+<=>{|}~^', { x: 40, y: 700 - i * 40, size: 9, font, opacity: 0 });
    const extraction = await read(await scan.save());
    assert.equal(extraction.extractor, 'ocr@1');
    assert.equal(extraction.fields.invoiceNumber.value, base.invoiceNumber);
  });

  test('header fields over the seeded set are at least 85 % right', () => {
    const fields = scores.length * HEADER.length;
    const misses = scores.flatMap((s) => s.wrong.map((w) => `${s.name}: ${w}`));
    assert.ok(scores.length >= 5, `only ${scores.length} scans were scored`);
    assert.ok(
      (fields - misses.length) / fields >= 0.85,
      `${fields - misses.length}/${fields} right:\n${misses.join('\n')}`,
    );
  });

  test('every shipped language loads from its npm package and reads its own words', async () => {
    const words: Record<(typeof OCR_LANGUAGES)[number], string> = {
      eng: 'Invoice number',
      deu: 'Rechnungsnummer',
      fra: 'Numéro de facture',
      nld: 'Factuurnummer',
      spa: 'Número de factura',
    };
    for (const language of OCR_LANGUAGES) {
      assert.ok(existsSync(languageDataFile(language)), `${language} data is installed`);
      const pdf = await PDFDocument.create();
      const page = pdf.addPage([300, 60]);
      page.drawText(words[language], { x: 10, y: 25, size: 16, font: await pdf.embedFont(StandardFonts.Helvetica) });
      const { png } = await scanOf(await pdf.save(), { seed: 41, dpi: 300 });
      const engine = createOcrEngine([language]);
      try {
        const text = (await engine.recognize(png, { dpi: 300 })).map((w) => w.text).join(' ');
        assert.equal(text, words[language], language);
      } finally {
        await engine.close();
      }
    }
  });

  test('OCR works with the network blocked (language data and engine come from disk)', () => {
    const script = fileURLToPath(new URL('./ocr-offline.fixture.ts', import.meta.url));
    const blocker = fileURLToPath(new URL('../support/no-network.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', blocker, script], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'INV-2025-0042');
    assert.doesNotMatch(run.stderr, /network blocked/);
  });
});
