// Calibration of the overall confidence: does ≥ AUTO_APPROVE_THRESHOLD (0.95) mean "every field the sync
// needs is right"? For each invoice of the holdout (Chromium-printed HTML, unseen layouts; needs Chromium)
// and of the seeded corpus it prints the overall confidence, the confidence of each field the sync needs,
// whether those and all header fields are right, and what held the figure down (the weakest field's notes
// and the warnings). Then the table that matters: good auto-approvals, wrong auto-approvals (must be 0) and
// needless reviews (every sync field right, still below the threshold).
// Usage: npm run bench:calibration -- [--threshold 0.95] [--corpus 90] [--seed 20251103] [--no-holdout] [--quiet]
import { parseArgs } from 'node:util';
import { Extraction, SYNC_FIELDS } from '../domain/extraction.js';
import { createExtractor } from '../extract/index.js';
import { generateCorpus } from '../testkit/corpus.js';
import { scoreHeader } from '../testkit/corpus-score.js';
import { launchPdfBrowser, loadHoldout, renderPdf, scoreHoldout } from '../testkit/holdout.js';

const { values } = parseArgs({
  options: {
    threshold: { type: 'string', default: '0.95' },
    corpus: { type: 'string', default: '90' },
    seed: { type: 'string', default: '20251103' },
    'no-holdout': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});
const THRESHOLD = Number(values.threshold);
const SYNC = new Set<string>(SYNC_FIELDS);

interface Row {
  name: string;
  extraction: Extraction;
  syncRight: boolean;
  allRight: boolean;
  wrong: string[];
}
interface Score {
  field: string;
  ok: boolean;
  expected: string | null;
  actual: string | null;
}

function row(name: string, extraction: Extraction, scores: Score[]): Row {
  const wrong = scores
    .filter((s) => !s.ok)
    .map((s) => `${s.field}${SYNC.has(s.field) ? '*' : ''} (${s.actual ?? '—'} ≠ ${s.expected ?? '—'})`);
  return {
    name,
    extraction,
    syncRight: scores.every((s) => s.ok || !SYNC.has(s.field)),
    allRight: wrong.length === 0,
    wrong,
  };
}

function detail(r: Row): string {
  const { extraction: e } = r;
  const fields = SYNC_FIELDS.map((f) => `${f} ${e.fields[f].confidence.toFixed(2)}`).join('  ');
  const lines = [
    `${r.name.padEnd(34)} ${e.confidence.toFixed(2)}  ${r.syncRight ? 'sync ok ' : 'SYNC WRONG'} ${r.allRight ? 'all ok' : `wrong: ${r.wrong.join(', ')}`}`,
    `    ${fields}`,
  ];
  if (e.confidence < THRESHOLD) {
    for (const f of SYNC_FIELDS) {
      const field = e.fields[f];
      if (field.confidence >= THRESHOLD) continue;
      lines.push(`    ${f} ${field.confidence.toFixed(2)}: ${field.notes.join(' ') || '(no notes)'}`);
    }
    for (const w of e.warnings) lines.push(`    warning: ${w}`);
  }
  return lines.join('\n');
}

function table(title: string, rows: Row[]): string {
  const high = (r: Row) => r.extraction.confidence >= THRESHOLD;
  const count = (p: (r: Row) => boolean) => String(rows.filter(p).length).padStart(4);
  return [
    `${title}: ${rows.length} invoices, threshold ${THRESHOLD}`,
    `  sync fields right and ≥ threshold (good auto-approvals)   ${count((r) => r.syncRight && high(r))}`,
    `  a sync field wrong and ≥ threshold (MUST be 0)            ${count((r) => !r.syncRight && high(r))}`,
    `  sync fields right and < threshold (needless reviews)      ${count((r) => r.syncRight && !high(r))}`,
    `  a sync field wrong and < threshold (caught)               ${count((r) => !r.syncRight && !high(r))}`,
    `  every header field right                                  ${count((r) => r.allRight)}`,
  ].join('\n');
}

const extractor = createExtractor();
const extract = async (name: string, pdf: Uint8Array) =>
  Extraction.parse(await extractor.extract({ bytes: pdf, mimeType: 'application/pdf', fileName: `${name}.pdf` }));
const tables: string[] = [];

if (!values['no-holdout']) {
  const browser = await launchPdfBrowser();
  const rows: Row[] = [];
  try {
    for (const invoice of loadHoldout()) {
      const extraction = await extract(invoice.name, await renderPdf(browser, invoice.html));
      rows.push(row(invoice.name, extraction, scoreHoldout(extraction, invoice.truth)));
    }
  } finally {
    await browser.close();
  }
  if (!values.quiet) console.log(`\n== holdout\n${rows.map(detail).join('\n')}`);
  tables.push(table('holdout', rows));
}

const count = Number(values.corpus);
if (count > 0) {
  const rows: Row[] = [];
  for (const invoice of await generateCorpus({ seed: Number(values.seed), count })) {
    const extraction = await extract(invoice.name, invoice.pdf);
    rows.push(row(invoice.name, extraction, scoreHeader(extraction, invoice.truth)));
  }
  // the corpus is large and mostly right: list only the invoices that are not good auto-approvals
  if (!values.quiet)
    console.log(
      `\n== corpus (seed ${values.seed}), invoices below the threshold or wrong\n${rows
        .filter((r) => !r.syncRight || r.extraction.confidence < THRESHOLD)
        .map(detail)
        .join('\n')}`,
    );
  const withoutPo = rows.filter((r) => !r.extraction.fields.poNumbers.value?.length).length;
  tables.push(
    `${table(`corpus (seed ${values.seed})`, rows)}\n  (of which without a PO number read: ${withoutPo}; they cannot be matched automatically)`,
  );
}

await extractor.close?.();
console.log(`\n${tables.join('\n\n')}`);
