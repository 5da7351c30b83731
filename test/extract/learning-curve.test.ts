// The learning curve on real invoices (testkit/learning-curve.ts; `npm run bench:learning` prints the
// same figures): per vendor, the first invoice taught through the learning stage, the vendor's other
// invoices read with what was learned. Floors are the figures measured when they were set: raise them as
// learning improves, never lower them. Learned patterns must never make a field wrong at the auto-approval
// confidence, nor a field that the text rules had read right wrong.
// Test tier: full (no server, but too slow for `npm test -- --fast`).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import {
  formatCurves,
  learningCurve,
  readVendorGroups,
  summariseCurves,
  type Teaching,
  type VendorCurve,
  type VendorGroup,
} from '../../testkit/learning-curve.js';

/** Fields of the vendors' other invoices read exactly after learning (of 327 the pages show), as measured. */
const FLOORS: Record<Teaching, number> = { corrections: 323, 'every field': 323, 'learned alone': 242 };

const extractor = createExtractor({ einvoice: false });
let groups: VendorGroup[];
const curves = new Map<Teaching, VendorCurve[]>();

before(async () => {
  groups = await readVendorGroups(extractor);
  for (const teaching of Object.keys(FLOORS) as Teaching[]) {
    const own: VendorCurve[] = [];
    for (const group of groups) own.push(await learningCurve(group, teaching));
    curves.set(teaching, own);
    console.log(`\nTaught: ${teaching}\n${formatCurves(own)}`);
  }
});
after(() => extractor.close?.());

describe('learning curve on the real development corpus', () => {
  test('every vendor is a family and seller, and the vendors with more than one invoice leave 44 to read after learning', () => {
    assert.equal(groups.length, 23);
    assert.equal(
      groups.reduce((n, g) => n + g.invoices.length - 1, 0),
      44,
    );
    assert.ok(groups.every((g) => g.invoices.every((i) => i.invoice.family === g.family)));
  });

  for (const teaching of Object.keys(FLOORS) as Teaching[]) {
    test(`taught by ${teaching}: at least the floor read exactly, nothing wrong at ≥ 0.95, nothing right made wrong`, () => {
      const own = curves.get(teaching)!;
      const all = summariseCurves(own).at(-1)!;
      assert.ok(
        all.after.exact >= FLOORS[teaching],
        `${all.after.exact}/${all.after.shown} exact after learning, floor ${FLOORS[teaching]}`,
      );
      assert.equal(all.after.wrongConfident, 0, own.flatMap((c) => c.misses).join('\n'));
      assert.deepEqual(
        own.flatMap((c) => c.broken),
        [],
      );
    });
  }

  // The text rules now read every field a learned place could give back (the misses left are pages that print
  // a second order number and a vendor spelled otherwise than in the XML): learning keeps what they read, and
  // the patterns alone read the floor of 'learned alone'.
  test('teaching every field learns a pattern for each and reads at least what the text rules alone read', () => {
    const all = summariseCurves(curves.get('every field')!).at(-1)!;
    assert.ok(all.patterns >= all.corrections - 5, `${all.patterns} patterns from ${all.corrections} taught fields`);
    assert.ok(all.after.exact >= all.before.exact, `${all.before.exact} → ${all.after.exact}`);
  });
});
