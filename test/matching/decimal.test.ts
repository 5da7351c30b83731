// Exact decimal comparisons for money and quantities: tolerance edges without binary floating point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  absoluteDifference,
  compareDecimals,
  sumDecimals,
  tolerancePercent,
  withinTolerance,
} from '../../domain/decimal.js';

const cents = (n: number) =>
  `${n < 0 ? '-' : ''}${Math.trunc(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;

test('within tolerance exactly when |actual − expected| ≤ expected × tolerance, decided in integers', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.integer({ min: 0, max: 20_000_000 }),
      fc.integer({ min: 0, max: 2000 }),
      (expected, actual, bp) => {
        const check = withinTolerance(cents(actual), cents(expected), bp / 10_000)!;
        assert.equal(check.within, Math.abs(actual - expected) * 10_000 <= expected * bp);
        assert.equal(check.exact, actual === expected);
      },
    ),
  );
});

test('the edges of 5 %, 1 % and exact', () => {
  assert.equal(withinTolerance('105.00', '100.00', 0.05)!.within, true);
  assert.equal(withinTolerance('105.01', '100.00', 0.05)!.within, false);
  assert.equal(withinTolerance('94.99', '100.00', 0.05)!.within, false);
  assert.equal(withinTolerance('0.4242', '0.42', 0.01)!.within, true);
  assert.equal(withinTolerance('0.4243', '0.42', 0.01)!.within, false);
  assert.equal(withinTolerance('500', '500.00', 0)!.within, true);
  assert.equal(withinTolerance('500.001', '500', 0)!.within, false);
  assert.equal(withinTolerance('0', '0', 0.05)!.within, true);
  assert.equal(withinTolerance('1', '0', 0.05)!.within, false);
  assert.equal(withinTolerance('x', '1', 0.05), null);
  assert.equal(withinTolerance('250.00', '235.00', 0.05)!.deviationPercent, '6.38');
  assert.equal(withinTolerance('220.00', '235.00', 0.05)!.deviationPercent, '-6.38');
});

test('sums, differences and comparisons stay exact', () => {
  assert.equal(sumDecimals(['0.10', '0.20', '0.3']), '0.60');
  assert.equal(compareDecimals(sumDecimals(['0.1', '0.2']), '0.3'), 0);
  assert.equal(absoluteDifference('235.00', '250'), '15.00');
  assert.equal(sumDecimals([]), '0');
  assert.equal(tolerancePercent(0.05), '5 %');
  assert.equal(tolerancePercent(0.005), '0.5 %');
});
