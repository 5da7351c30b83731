// The vendor evidence weights are fitted on data (testkit/vendor-fit.ts, `npm run fit:vendor`): the fitter
// recovers weights it is given samples of, the weights the reader uses are today's fit (a change to the
// evidence that changes the data fails here until the weights are fitted again), and the fit generalises to a
// layout family it has not seen at least as well as the hand-set weights do. Floors are the figures measured
// when they were set: raise them, never lower them.
// Test tier: full (no server, but reads the real corpus).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { PRIOR_WEIGHTS, WEIGHTS, type EvidenceKind } from '../../extract/vendor/words.js';
import { noisyOr } from '../../extract/vendor/choose.js';
import { seededRandom } from '../../testkit/corpus.js';
import {
  EVIDENCE_KINDS,
  fitWeights,
  readVendorCases,
  rotate,
  samplesOf,
  type Rotation,
  type VendorCase,
  type VendorSample,
} from '../../testkit/vendor-fit.js';
import { REAL_FAMILIES, type RealFamily } from '../../testkit/real-corpus.js';

/** Held-out family → vendors read right with weights fitted without it, as measured (of 11, 29 and 26). */
const ROTATION_FLOORS: Record<RealFamily, number> = {
  ZUGFeRDv1__Intarsys: 10,
  ZUGFeRDv2__intarsys: 29,
  'XML-Rechnung__FX': 26,
};

/** Samples drawn from a noisy-OR with the given weights: each name carries one to three kinds. */
function drawSamples(truth: Partial<Record<EvidenceKind, number>>, count: number, seed: number): VendorSample[] {
  const random = seededRandom(seed);
  const kinds = Object.keys(truth) as EvidenceKind[];
  return Array.from({ length: count }, (_, i) => {
    const carried = kinds.filter(() => random() < 0.45);
    const own = carried.length ? carried : [kinds[i % kinds.length]!];
    const weights = { ...PRIOR_WEIGHTS, ...truth };
    return { source: 'generated', kinds: own, issuer: random() < noisyOr(own, weights) };
  });
}

describe('fitting the vendor evidence weights', () => {
  test('recovers the weights of the data it is given, whatever they are', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.15, max: 0.85, noNaN: true }),
        fc.double({ min: 0.15, max: 0.85, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (a, b, seed) => {
          const fitted = fitWeights(drawSamples({ registry: a, domain: b }, 3000, seed), { prior: 0 });
          assert.ok(Math.abs(fitted.registry - a) < 0.07, `registry ${fitted.registry} for ${a}`);
          assert.ok(Math.abs(fitted.domain - b) < 0.07, `domain ${fitted.domain} for ${b}`);
        },
      ),
      { numRuns: 5 },
    );
  });

  test('a kind the data never shows keeps the weight set by hand; one always wrong falls far below it', () => {
    const samples: VendorSample[] = Array.from({ length: 200 }, (_, i) => ({
      source: 'generated',
      kinds: ['registryPlain'],
      issuer: i % 50 === 0,
    }));
    const fitted = fitWeights(samples);
    for (const kind of EVIDENCE_KINDS.filter((k) => k !== 'registryPlain'))
      assert.equal(fitted[kind], PRIOR_WEIGHTS[kind], kind);
    assert.ok(fitted.registryPlain <= 0.15, String(fitted.registryPlain));
  });

  test("each source counts as much as another: repeating one source's samples does not outvote the rest", () => {
    const right = (source: VendorSample['source']): VendorSample => ({ source, kinds: ['letterhead'], issuer: true });
    const wrong = (source: VendorSample['source']): VendorSample => ({ source, kinds: ['letterhead'], issuer: false });
    const real = [
      ...Array.from({ length: 10 }, () => wrong('ZUGFeRDv1__Intarsys')),
      ...Array.from({ length: 10 }, () => right('ZUGFeRDv1__Intarsys')),
    ];
    const few = fitWeights([...real, ...Array.from({ length: 20 }, () => right('generated'))]);
    const many = fitWeights([...real, ...Array.from({ length: 2000 }, () => right('generated'))]);
    assert.ok(Math.abs(few.letterhead - many.letterhead) <= 0.02, `${few.letterhead} vs ${many.letterhead}`);
  });
});

describe('the vendor evidence weights on the real development corpus', () => {
  let cases: VendorCase[];
  let rotations: Rotation[];
  before(async () => {
    cases = await readVendorCases();
    rotations = rotate(cases);
  });

  test("the reader uses the weights fitted on today's data (run `npm run fit:vendor -- --write` after changing the evidence)", () => {
    assert.deepEqual({ ...WEIGHTS }, fitWeights(samplesOf(cases)));
  });

  test('fitted on two families and the generated corpus, the third family reads its vendor at least as well as with the hand-set weights, none wrong at ≥ 0.95', () => {
    assert.deepEqual(
      rotations.map((r) => r.heldOut),
      [...REAL_FAMILIES],
    );
    for (const r of rotations) {
      assert.ok(
        r.fitted.right >= ROTATION_FLOORS[r.heldOut],
        `${r.heldOut}: ${r.fitted.right}/${r.fitted.invoices}, floor ${ROTATION_FLOORS[r.heldOut]}`,
      );
      assert.ok(r.fitted.right >= r.byHand.right, `${r.heldOut}: fitted ${r.fitted.right} < hand ${r.byHand.right}`);
      assert.equal(r.fitted.wrongConfident, 0, r.heldOut);
    }
  });
});
