// Reading real invoices, measured: the development corpus of hybrid e-invoice PDFs (test/fixtures/
// real-einvoices, three families). Truth = the embedded XML read by the e-invoice reader; measured = the
// visual reading of the same PDF with the e-invoice stage off. Only fields whose value the page shows count
// (testkit/real-corpus.ts). Prints per-field accuracy, fields wrong at ≥ 0.95, invoices auto-approvable
// with a wrong field and time per page, for the text PDFs and for scanned variants made here (rendered,
// tilted, speckled and blurred, back to an image-only PDF; cached in bench/.cache, which git ignores),
// over all invoices and per family.
// Usage: npm run bench:real -- [--scans 6|all|0] [--family ZUGFeRDv1__Intarsys] [--misses]
//        [--scan-format pdf|tiff] (the scans as image-only PDFs, or as multi-page TIFF files at 200 dpi)
//        [--ocr-engine auto|tesseract|tesseract.js] (OCR_ENGINE: auto is the native program when installed)
//        [--retypeset] (also the text PDFs typeset again as other producers write them: as they are, with 30%
//        of their words split by a glyph gap, with 20% of their items letter-spaced, with type sizes
//        changed by up to ±20%, with lines 1.25 times as far apart, and all four milder at once:
//        testkit/retypeset-pdf.ts)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createExtractor, type Extractor } from '../extract/index.js';
import { OCR_LANGUAGES } from '../extract/ocr/engine.js';
import { OCR_ENGINES, resolveOcrEngine } from '../extract/ocr/engines.js';
import {
  formatRealMisses,
  formatRealSummary,
  loadRealCorpus,
  pageTextOf,
  REAL_FAMILIES,
  scoreRealAmountDue,
  scoreRealHeader,
  scoreRealLines,
  summariseReal,
  truthOf,
  type RealInvoice,
  type RealResult,
} from '../testkit/real-corpus.js';
import { multiPageTiff, scanOf } from '../testkit/scan.js';
import { retypesetPdf, type RetypesetOptions } from '../testkit/retypeset-pdf.js';

const { values } = parseArgs({
  options: {
    scans: { type: 'string', default: '6' },
    family: { type: 'string' },
    misses: { type: 'boolean', default: false },
    'ocr-engine': { type: 'string', default: 'auto' },
    'scan-format': { type: 'string', default: 'pdf' },
    retypeset: { type: 'boolean', default: false },
  },
});
const ocrEngine = z.enum(OCR_ENGINES).parse(values['ocr-engine']);
const scanFormat = z.enum(['pdf', 'tiff']).parse(values['scan-format']);
const SCAN_CACHE = fileURLToPath(new URL('./.cache/real-scans/', import.meta.url));
// Bump when the way scans are made changes, so stale cached scans are not measured.
const SCAN_RECIPE = 'v2-200dpi-noise0.02';

const corpus = loadRealCorpus().filter((i) => !values.family || i.family === values.family);
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** The first `count` invoices of each family in turn, so a small sample still covers all three. */
function sample(invoices: RealInvoice[], count: number): RealInvoice[] {
  const byFamily = REAL_FAMILIES.map((f) => invoices.filter((i) => i.family === f));
  const picked: RealInvoice[] = [];
  for (let i = 0; picked.length < count && byFamily.some((list) => i < list.length); i++) {
    for (const list of byFamily) if (i < list.length && picked.length < count) picked.push(list[i]!);
  }
  return picked;
}

interface Document {
  invoice: RealInvoice;
  bytes: Uint8Array;
  mimeType: 'application/pdf' | 'image/tiff';
}

/** The invoice scanned (made once, then cached): an image-only PDF, or the same pages as a TIFF file. */
async function scanned(invoice: RealInvoice, index: number): Promise<Document> {
  const mimeType = scanFormat === 'pdf' ? 'application/pdf' : 'image/tiff';
  const path = `${SCAN_CACHE}${invoice.name}.${SCAN_RECIPE}.${scanFormat}`;
  if (existsSync(path)) return { invoice, bytes: new Uint8Array(readFileSync(path)), mimeType };
  const scan = await scanOf(invoice.pdf, { seed: 1000 + index, rotateDeg: ((index % 5) - 2) * 0.6, noise: 0.02 });
  const bytes = scanFormat === 'pdf' ? scan.pdf : await multiPageTiff(scan.pages, 200);
  mkdirSync(SCAN_CACHE, { recursive: true });
  writeFileSync(path, bytes);
  return { invoice, bytes, mimeType };
}

async function measure(
  name: string,
  extractor: Extractor,
  documents: Document[],
  pageTexts: Map<string, string>,
): Promise<void> {
  console.log(`\n== ${name}: ${documents.length} invoices`);
  if (!documents.length) return;
  await extractor.extract({ bytes: documents[0]!.bytes, mimeType: documents[0]!.mimeType, fileName: 'warm-up' });
  const results: RealResult[] = [];
  for (const { invoice, bytes, mimeType } of documents) {
    const truth = await truthOf(invoice);
    const start = process.hrtime.bigint();
    let measured;
    try {
      measured = await extractor.extract({ bytes, mimeType, fileName: invoice.name });
    } catch (err) {
      console.log(`${invoice.name}: the read failed: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const elapsed = ms(start);
    const pageText = pageTexts.get(invoice.name)!;
    results.push({
      invoice,
      header: scoreRealHeader(measured, truth, pageText),
      amountDue: scoreRealAmountDue(measured, truth, pageText),
      lines: scoreRealLines(measured, truth, pageText),
      confidence: measured.confidence,
      pages: measured.pageCount,
      ms: elapsed,
    });
  }
  console.log(formatRealSummary(summariseReal(results)));
  for (const family of REAL_FAMILIES) {
    const own = results.filter((r) => r.invoice.family === family);
    if (!own.length || own.length === results.length) continue;
    const s = summariseReal(own);
    const fields = [...s.perField].map(([f, { ok, total }]) => `${f} ${ok}/${total}`).join(', ');
    console.log(
      `-- ${family} (${s.invoices}): header ${s.headerOk}/${s.headerTotal} (${((100 * s.headerOk) / Math.max(1, s.headerTotal)).toFixed(1)}%), lines ${s.lines.exact}/${s.lines.expected}, wrong at ≥ 0.95: ${s.wrongConfident.length}, auto-approvable ${s.autoApprovable} (wrong ${s.autoApprovedWrong.length})\n   ${fields}`,
    );
  }
  if (values.misses) console.log(`\nmisses:\n${formatRealMisses(results)}`);
}

const text = createExtractor({ einvoice: false });
const pageTexts = new Map<string, string>();
try {
  for (const invoice of corpus)
    pageTexts.set(
      invoice.name,
      pageTextOf(
        await text.readPages({ bytes: invoice.pdf, mimeType: 'application/pdf', fileName: `${invoice.name}.pdf` }),
      ),
    );
  await measure(
    'text PDFs',
    text,
    corpus.map((invoice) => ({ invoice, bytes: invoice.pdf, mimeType: 'application/pdf' as const })),
    pageTexts,
  );
  if (values.retypeset) {
    const variants: Array<[string, Omit<RetypesetOptions, 'seed'>]> = [
      ['text PDFs typeset again (the baseline of the next five)', {}],
      ['typeset again, 30% of their words split by a glyph gap', { splitShare: 0.3 }],
      ['typeset again, 20% of their items letter-spaced', { trackedShare: 0.2 }],
      ['typeset again, type sizes changed by up to ±20%', { sizeJitter: 0.2 }],
      ['typeset again, lines set 1.25 times as far apart', { lineSpacing: 1.25 }],
      [
        'typeset again, all four milder at once (15% split, 10% letter-spaced, ±10% sizes, lines 1.2 apart)',
        { splitShare: 0.15, trackedShare: 0.1, sizeJitter: 0.1, lineSpacing: 1.2 },
      ],
    ];
    for (const [name, options] of variants) {
      const documents = [];
      for (const [index, invoice] of corpus.entries())
        documents.push({
          invoice,
          bytes: await retypesetPdf(invoice.pdf, { seed: 2000 + index, ...options }),
          mimeType: 'application/pdf' as const,
        });
      await measure(name, text, documents, pageTexts);
    }
  }
} finally {
  await text.close?.();
}

const scanCount = values.scans === 'all' ? corpus.length : Number(values.scans);
if (scanCount > 0) {
  const picked = sample(corpus, scanCount);
  const documents = [];
  for (const invoice of picked) documents.push(await scanned(invoice, corpus.indexOf(invoice)));
  const ocr = createExtractor({
    einvoice: false,
    ocr: { languages: [...OCR_LANGUAGES], deskew: true, engine: ocrEngine },
  });
  console.log(`\nOCR engine: ${(await resolveOcrEngine(ocrEngine)).version}`);
  try {
    await measure(`scans (OCR, ${scanFormat === 'pdf' ? 'image-only PDFs' : 'TIFF files'})`, ocr, documents, pageTexts);
  } finally {
    await ocr.close?.();
  }
}
