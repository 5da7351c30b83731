// Extraction benchmark over the seeded corpus (testkit/corpus.ts): per-field accuracy and time per page,
// section by section, each against a baseline measured in the same run on the same files:
//   text PDFs  — the extractor vs raw pdf.js text extraction (getTextContent of every page); target ≤ 1.5×
//   scans      — the same invoices rasterised, tilted and speckled (testkit/scan.ts), read with OCR
// Another kind of document (e-invoices have their own: npm run bench:einvoice) is one more entry in SECTIONS.
// Usage: npm run bench:extraction -- [--count 60] [--scans 6] [--seed 1]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createExtractor, type ExtractorOptions } from '../extract/index.js';
import { OCR_LANGUAGES } from '../extract/ocr/engine.js';
import { withPdf } from '../extract/pdf-text.js';
import { generateCorpus, type CorpusInvoice } from '../testkit/corpus.js';
import { formatReport, scoreHeader, scoreLines, summarise } from '../testkit/corpus-score.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '60' },
    scans: { type: 'string', default: '6' },
    seed: { type: 'string', default: '1' },
  },
});
const COUNT = Number(values.count);
const SCANS = Number(values.scans);
const SEED = Number(values.seed);

interface Document {
  invoice: CorpusInvoice;
  pdf: Uint8Array;
}
interface Section {
  name: string;
  /** Why it may be skipped (a missing optional piece); null when it runs. */
  unavailable(): string | null;
  documents(corpus: CorpusInvoice[]): Promise<Document[]>;
  extractor: ExtractorOptions;
  /** The work the section is measured against, on the same documents. */
  baseline: { name: string; run(pdf: Uint8Array): Promise<void> } | null;
  target?: number;
}

const rawTextLayer = async (pdf: Uint8Array) => {
  await withPdf(pdf, async (doc) => {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      await page.getTextContent();
      page.cleanup();
    }
  });
};

const SCAN_MODULE = fileURLToPath(new URL('../testkit/scan.ts', import.meta.url));

const SECTIONS: Section[] = [
  {
    name: 'text PDFs',
    unavailable: () => null,
    documents: async (corpus) => corpus.map((invoice) => ({ invoice, pdf: invoice.pdf })),
    extractor: {},
    baseline: { name: 'raw pdf.js getTextContent', run: rawTextLayer },
    target: 1.5,
  },
  {
    name: 'scans (OCR)',
    unavailable: () => (existsSync(SCAN_MODULE) ? null : 'testkit/scan.ts is not there'),
    documents: async (corpus) => {
      const { scanOf } = (await import(SCAN_MODULE)) as typeof import('../testkit/scan.js');
      const picked = corpus.slice(0, SCANS);
      return Promise.all(
        picked.map(async (invoice, i) => ({
          invoice,
          pdf: (await scanOf(invoice.pdf, { seed: SEED + i, rotateDeg: ((i % 5) - 2) * 0.8, noise: 0.02 })).pdf,
        })),
      );
    },
    extractor: { ocr: { languages: [...OCR_LANGUAGES], deskew: true } },
    baseline: null, // OCR has no cheaper reading of the same pixels to compare with; the text-PDF time is printed beside it
  },
];

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function runSection(section: Section, corpus: CorpusInvoice[]): Promise<void> {
  const skipped = section.unavailable();
  console.log(`\n== ${section.name}${skipped ? ` — skipped: ${skipped}` : ''}`);
  if (skipped) return;
  const documents = await section.documents(corpus);
  if (!documents.length) return void console.log('no documents');
  const extractor = createExtractor(section.extractor);
  try {
    // one warm-up each, so module loading and JIT are not measured
    await extractor.extract({ bytes: documents[0]!.pdf, mimeType: 'application/pdf', fileName: 'warm-up.pdf' });
    if (section.baseline) await section.baseline.run(documents[0]!.pdf);
    let pages = 0;
    let extractMs = 0;
    let baselineMs = 0;
    const scores = [];
    for (const { invoice, pdf } of documents) {
      if (section.baseline) {
        const start = process.hrtime.bigint();
        await section.baseline.run(pdf);
        baselineMs += ms(start);
      }
      const start = process.hrtime.bigint();
      const extraction = await extractor.extract({
        bytes: pdf,
        mimeType: 'application/pdf',
        fileName: `${invoice.name}.pdf`,
      });
      extractMs += ms(start);
      pages += extraction.pageCount;
      scores.push({ header: scoreHeader(extraction, invoice.truth), lines: scoreLines(extraction, invoice.truth) });
    }
    console.log(`${documents.length} invoices, ${pages} pages, seed ${SEED}`);
    console.log(formatReport(summarise(scores)));
    console.log(`extraction: ${(extractMs / pages).toFixed(2)} ms/page`);
    if (section.baseline) {
      const ratio = extractMs / baselineMs;
      console.log(`${section.baseline.name}: ${(baselineMs / pages).toFixed(2)} ms/page`);
      console.log(
        `ratio: ${ratio.toFixed(2)}×${section.target ? ` (target ≤ ${section.target}×: ${ratio <= section.target ? 'met' : 'NOT met'})` : ''}`,
      );
    }
  } finally {
    await extractor.close?.();
  }
}

const corpus = await generateCorpus({ seed: SEED, count: COUNT });
for (const section of SECTIONS) await runSection(section, corpus);
