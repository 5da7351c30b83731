// Supplier similarity: symmetric, blind to legal forms, case and punctuation; tax ids decide when both exist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  isLegalForm,
  normaliseSupplierName,
  SAME_SUPPLIER_THRESHOLD,
  supplierSimilarity,
} from '../../domain/supplier-name.js';
import { rankSuppliers, supplierFit } from '../../matching/supplier.js';

const wordArb = fc.stringMatching(/^[a-z]{3,9}$/);
const nameArb = fc.array(wordArb, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const suffixArb = fc.constantFrom(
  '',
  ' Inc.',
  ', Inc',
  ' LLC',
  ' GmbH',
  ' Co.',
  ' Corp.',
  ' Ltd',
  ' S.A.',
  ' & Co. KG',
);
const styleArb = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toUpperCase(),
  (s: string) => s.replace(/\b\w/g, (c) => c.toUpperCase()),
);

test('similarity is symmetric and within 0..1', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (a, b) => {
      const x = supplierSimilarity(a, b);
      assert.equal(x, supplierSimilarity(b, a));
      assert.ok(x >= 0 && x <= 1);
    }),
  );
});

test('legal forms, case and punctuation do not matter', () => {
  fc.assert(
    fc.property(nameArb, suffixArb, suffixArb, styleArb, (name, s1, s2, style) => {
      // A name with a legal form for a word ("srl", "ag") is outside this property: "SRL LLC" keeps both words.
      fc.pre(!name.split(' ').some(isLegalForm));
      assert.equal(supplierSimilarity(`${style(name)}${s1}`, `${name.replace(' ', ', ')}${s2}`), 1);
    }),
  );
  assert.equal(normaliseSupplierName('ACME Fasteners, Inc.'), 'acme fasteners');
  assert.equal(normaliseSupplierName('Müller & Söhne GmbH'), 'muller and sohne');
  // the legal forms the extractor also knows: a German sole trader, a Dutch partnership, a Spanish single-member SL
  assert.equal(normaliseSupplierName('Müller Werkzeugbau e.K.'), 'muller werkzeugbau');
  assert.equal(normaliseSupplierName('Bakker & Zonen V.O.F.'), 'bakker and zonen');
  assert.equal(normaliseSupplierName('Iberia Tools S.L.U.'), 'iberia tools');
  assert.ok(supplierSimilarity('Acme Fasteners Inc.', 'Acme Fastener Co') >= SAME_SUPPLIER_THRESHOLD);
  assert.ok(supplierSimilarity('Great Lakes Steel Supply', 'Steel Supply Great Lakes') >= SAME_SUPPLIER_THRESHOLD);
});

test('different suppliers stay below the threshold', () => {
  assert.ok(supplierSimilarity('Acme Fasteners Inc.', 'Acme Bearings Inc.') < SAME_SUPPLIER_THRESHOLD);
  assert.ok(supplierSimilarity('Midwest Bearings Co.', 'Northern Packaging LLC') < 0.3);
  assert.equal(supplierSimilarity(null, 'Acme'), 0);
});

test('a tax id on both sides decides; suppliers are ranked best first', () => {
  const s = (id: string, name: string, taxId: string | null = null) => ({
    id,
    name,
    taxId,
    code: null,
    status: 'Active',
  });
  assert.equal(
    supplierFit({ name: 'Totally Different', taxId: 'DE 811 234 567' }, s('1', 'Acme', 'de811234567')).similarity,
    1,
  );
  assert.equal(supplierFit({ name: 'Acme', taxId: 'DE811234567' }, s('1', 'Acme', 'DE999999999')).similarity, 0);
  const ranked = rankSuppliers({ name: 'Acme Fastener', taxId: null }, [
    s('1', 'Acme Bearings'),
    s('2', 'ACME FASTENERS LLC'),
    s('3', 'Acme Fasteners Inc.'),
  ]);
  assert.deepEqual(ranked.map((r) => r.supplier.id).sort(), ['2', '3']);
});
