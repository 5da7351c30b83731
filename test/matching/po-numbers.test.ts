// PO numbers as printed vs as Plex stores them: normalisation, OCR confusions, and which PO a number means.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { PurchaseOrderSummary } from '../../domain/plex.js';
import {
  joinedNeighbours,
  normalisePoNumber,
  OCR_CONFUSIONS,
  ocrKey,
  poLookupVariants,
  poNumberFit,
  poNumbersToTry,
  resolvePoLookups,
  resolvePoNumber,
} from '../../matching/po-numbers.js';

const po = (
  poNumber: string,
  supplierName = 'Acme Fasteners Inc.',
  id = `id-${poNumber}-${supplierName}`,
): PurchaseOrderSummary => ({
  id,
  poNumber,
  status: 'Open',
  supplierId: `s-${supplierName}`,
  supplierName,
  supplierCode: null,
  currencyCode: 'USD',
  lineItemTotal: '100.00',
});

const poNumberArb = fc.stringMatching(/^[0-9A-Z]{3,10}$/);
const printedArb = fc
  .tuple(
    fc.constantFrom('', 'PO', 'PO#', 'PO #', 'P.O.', 'P.O. ', 'PO-', 'po no. ', 'Purchase Order '),
    fc.stringMatching(/^[0-9A-Za-z][0-9A-Za-z \-./]{0,14}$/),
  )
  .map(([prefix, body]) => `${prefix}${body}`);

test('normalisation is idempotent, and so is the OCR key', () => {
  fc.assert(
    fc.property(printedArb, (printed) => {
      assert.equal(normalisePoNumber(normalisePoNumber(printed)), normalisePoNumber(printed));
      assert.equal(ocrKey(ocrKey(printed)), ocrKey(printed));
    }),
  );
});

test('prefixes, spaces, dashes, dots and case do not change a PO number', () => {
  for (const printed of [
    'PO#062486',
    'PO# 062-486',
    'P.O. 062 486',
    'PO-062486',
    'po no. 06-24-86',
    'Purchase Order 062486',
    ' 062486 ',
  ]) {
    assert.equal(normalisePoNumber(printed), '062486', printed);
    assert.equal(poNumberFit(printed, '062486') === null, false, printed);
  }
  // Letters after the prefix are part of the number, not a prefix.
  assert.equal(normalisePoNumber('PO-A100'), 'POA100');
  fc.assert(
    fc.property(poNumberArb, fc.constantFrom('PO#', 'P.O. ', 'PO-', 'PO '), (n, prefix) => {
      fc.pre(/^\d/.test(n));
      assert.equal(normalisePoNumber(`${prefix}${n.slice(0, 3)}-${n.slice(3)}`), normalisePoNumber(n));
    }),
  );
});

test('the printed spelling is looked up first, then without prefix, compact, and with OCR letters as digits', () => {
  assert.deepEqual(poLookupVariants('0624B6'), ['0624B6', '062486']);
  assert.deepEqual(poLookupVariants('PO# 062-486'), ['PO# 062-486', '062-486', '062486']);
  assert.deepEqual(poLookupVariants('062486'), ['062486']);
});

/** Swap some confusable characters of a PO number, as an OCR engine might. */
const confusedArb = poNumberArb.chain((original) =>
  fc.array(fc.nat(2), { minLength: original.length, maxLength: original.length }).map((picks) => ({
    original,
    printed: [...original]
      .map((c, i) => {
        const options = OCR_CONFUSIONS[c] ?? [];
        return picks[i]! > 0 && options.length ? options[(picks[i]! - 1) % options.length]! : c;
      })
      .join(''),
  })),
);

test('an OCR-confused PO number maps back to its PO only when exactly one PO fits', () => {
  fc.assert(
    fc.property(confusedArb, fc.uniqueArray(poNumberArb, { maxLength: 6 }), ({ original, printed }, others) => {
      const plex = [original, ...others.filter((o) => o !== original)].map((n) => po(n));
      const resolution = resolvePoNumber(printed, plex);
      assert.ok(resolution, 'the original PO always fits');
      assert.ok(resolution.purchaseOrders.some((p) => p.poNumber === original) || resolution.fit !== 'ocr');
      const rivals = plex.filter((p) => ocrKey(p.poNumber) === ocrKey(printed));
      if (resolution.fit === 'ocr') {
        // accepted (one PO) exactly when no other PO has the same OCR reading
        assert.equal(resolution.purchaseOrders.length === 1, rivals.length === 1);
      }
      // whatever level wins, every PO returned really fits at that level
      for (const p of resolution.purchaseOrders) assert.equal(poNumberFit(printed, p.poNumber), resolution.fit);
    }),
  );
});

test('"0624B6" resolves to 062486 alone, and is ambiguous when 0624B6-like rivals exist', () => {
  const lookup = (found: PurchaseOrderSummary[]) =>
    resolvePoLookups([{ printed: '0624B6', source: 'invoice', found }], 'Acme Fasteners Inc.');
  const single = lookup([po('062486')]);
  assert.equal(single.kind, 'resolved');
  assert.equal(single.kind === 'resolved' && single.fit, 'ocr');
  assert.equal(lookup([po('062486'), po('O62486')]).kind, 'ambiguous');
  // an exact hit beats OCR readings
  const exact = lookup([po('062486'), po('0624B6')]);
  assert.equal(exact.kind === 'resolved' && exact.purchaseOrder.poNumber, '0624B6');
});

test("the clerk's PO number wins; otherwise printed numbers are pooled and narrowed to the vendor's POs", () => {
  const a = po('062486');
  const b = po('062487');
  const other = po('062487', 'Great Lakes Steel Supply', 'gl');
  const clerkFirst = resolvePoLookups(
    [
      { printed: '062487', source: 'clerk', found: [b] },
      { printed: '062486', source: 'invoice', found: [a] },
    ],
    'Acme Fasteners Inc.',
  );
  assert.equal(clerkFirst.kind === 'resolved' && clerkFirst.purchaseOrder.id, b.id);
  const clerkUnknown = resolvePoLookups(
    [
      { printed: '999999', source: 'clerk', found: [] },
      { printed: '062486', source: 'invoice', found: [a] },
    ],
    'Acme Fasteners Inc.',
  );
  assert.equal(clerkUnknown.kind === 'resolved' && clerkUnknown.source, 'invoice');
  const two = resolvePoLookups(
    [
      { printed: '062486', source: 'invoice', found: [a] },
      { printed: '062487', source: 'invoice', found: [b] },
    ],
    'Acme Fasteners Inc.',
  );
  assert.equal(two.kind, 'ambiguous');
  const narrowed = resolvePoLookups([{ printed: '062487', source: 'invoice', found: [b, other] }], 'Great Lakes Steel');
  assert.equal(narrowed.kind === 'resolved' && narrowed.purchaseOrder.id, 'gl');
  assert.equal(resolvePoLookups([{ printed: '1', source: 'invoice', found: [] }], null).kind, 'none');
});

test('numbers to try: the clerk first, then each printed one once; split numbers are joined pairwise', () => {
  assert.deepEqual(
    poNumbersToTry('062487', ['062486', '062487', '062486']).map((t) => [t.value, t.source]),
    [
      ['062487', 'clerk'],
      ['062486', 'invoice'],
    ],
  );
  assert.deepEqual(joinedNeighbours(['062', '486', '7']), ['062486', '4867']);
});
