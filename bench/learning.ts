// The learning curve, measured on the real development corpus (testkit/learning-curve.ts): per vendor
// (a family's seller), a clerk corrects every wrong or missing header field of the first invoice, the learning
// stage learns from it as the review decision does, and the vendor's other invoices are read with that
// knowledge (an in-memory store, the same interface as the database's). Prints per family and overall the
// fields read exactly before and after, the fields wrong at ≥ 0.95 before and after, and how many
// corrections and patterns there were; --vendors adds a line per vendor, --misses what is still wrong.
// Run three ways: taught by the clerk's corrections; taught every field the page shows (the stress case that
// exercises every learned pattern); and that with the other invoices' text reading blanked, so learning reads
// them alone (a layout the text rules cannot read). See testkit/learning-curve.ts.
// Usage: npm run bench:learning -- [--vendors] [--misses]
import { parseArgs } from 'node:util';
import { createExtractor } from '../extract/index.js';
import {
  formatCurves,
  formatVendorCurves,
  learningCurve,
  readVendorGroups,
  type Teaching,
} from '../testkit/learning-curve.js';

const { values } = parseArgs({
  options: { vendors: { type: 'boolean', default: false }, misses: { type: 'boolean', default: false } },
});

const HOW: Record<Teaching, string> = {
  corrections: "taught by the clerk's corrections",
  'every field': 'taught every field the page shows (stress case)',
  'learned alone': 'taught every field; the other invoices read by what was learned alone',
};

const extractor = createExtractor({ einvoice: false });
try {
  const start = process.hrtime.bigint();
  const groups = await readVendorGroups(extractor);
  for (const teaching of ['corrections', 'every field', 'learned alone'] as const) {
    const curves = [];
    for (const group of groups) curves.push(await learningCurve(group, teaching));
    console.log(
      `\n== ${HOW[teaching]} (first invoice of each of ${groups.length} vendors); the other ${curves.reduce((n, c) => n + c.rest, 0)} read before and after learning\n`,
    );
    console.log(formatCurves(curves));
    if (values.vendors) console.log(`\n${formatVendorCurves(curves)}`);
    const broken = curves.flatMap((c) => c.broken);
    console.log(`\nright before, wrong after learning: ${broken.length}${broken.map((b) => `\n  ${b}`).join('')}`);
    if (values.misses) console.log(`\nstill not exact after learning:\n${curves.flatMap((c) => c.misses).join('\n')}`);
  }
  console.log(`\ntime: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`);
} finally {
  await extractor.close?.();
}
