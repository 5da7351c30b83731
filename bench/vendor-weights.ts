// The vendor evidence weights, fitted on data (testkit/vendor-fit.ts): prints how many names of each
// evidence kind the data gives (and how many of them are the seller), the weights set by hand (the prior)
// beside those fitted on everything, and the rotation that says how the fit generalises to a layout family it
// has not seen: fit on two real families plus the generated corpus, read the vendor of the third, for each
// family in turn, with the fitted weights and with the hand-set ones. `--write` writes the weights fitted on
// everything into extract/vendor/fitted-weights.ts, which the reader uses; test/extract/vendor-weights.test.ts
// fails when that file is not what the fit gives today.
// Usage: npm run fit:vendor -- [--write]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PRIOR_WEIGHTS, WEIGHTS } from '../extract/vendor/words.js';
import {
  EVIDENCE_KINDS,
  fitWeights,
  formatRotations,
  formatWeights,
  kindCounts,
  readVendorCases,
  rotate,
  samplesOf,
  scoreVendor,
} from '../testkit/vendor-fit.js';
import type { VendorWeights } from '../extract/vendor/choose.js';

const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });
const FITTED_FILE = fileURLToPath(new URL('../extract/vendor/fitted-weights.ts', import.meta.url));

const start = process.hrtime.bigint();
const cases = await readVendorCases();
const samples = samplesOf(cases);
const counts = kindCounts(samples);
console.log(`${cases.length} invoices whose page shows the seller, ${samples.length} names weighed\n`);
console.log('| evidence | names | of them the seller |\n|---|---|---|');
for (const kind of EVIDENCE_KINDS) console.log(`| ${kind} | ${counts[kind].samples} | ${counts[kind].issuer} |`);
const fitted = fitWeights(samples);
console.log(
  `\n${formatWeights([
    ['set by hand (prior)', PRIOR_WEIGHTS],
    ['fitted on everything', fitted],
    ['in use', WEIGHTS],
  ])}`,
);
const all = (weights: VendorWeights) => scoreVendor(cases, weights);
console.log(
  `\nall invoices: hand ${all(PRIOR_WEIGHTS).right}/${cases.length}, fitted ${all(fitted).right}/${cases.length}`,
);
console.log(`\nrotation (fit on two families + generated, read the third):\n${formatRotations(rotate(cases))}`);
if (values.write) {
  writeFileSync(FITTED_FILE, fittedWeightsSource(fitted));
  console.log('\nwrote extract/vendor/fitted-weights.ts');
}
console.log(`\ntime: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(1)} s`);

export function fittedWeightsSource(weights: VendorWeights): string {
  const rows = EVIDENCE_KINDS.map((kind) => `  ${kind}: ${weights[kind]},`);
  return [
    '// Written by `npm run fit:vendor -- --write` (bench/vendor-weights.ts); do not edit by hand.',
    'export const WEIGHTS = {',
    ...rows,
    '} as const;',
    '',
  ].join('\n');
}
