// The pure review rules: when an invoice may be approved without a person, and what sync uses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Extraction } from '../../domain/extraction.js';
import type { MatchResult } from '../../domain/match.js';
import { effectiveFields, reviewReasons } from '../../workflows/rules.js';

const f = <T>(value: T | null, confidence = 0.99) => ({ value, confidence, notes: [] });
function extraction(confidence: number, poNumbers: string[] = ['062486']): Extraction {
  return {
    fields: {
      invoiceNumber: f('INV-1'),
      invoiceDate: f('2026-11-02'),
      dueDate: f(null, 0),
      vendorName: f('Acme'),
      vendorTaxId: f(null, 0),
      currency: f('USD'),
      subtotal: f('10.00'),
      tax: f('0.00'),
      total: f('10.00'),
      amountDue: f(null, 0),
      poNumbers: f(poNumbers),
      paymentTerms: f(null, 0),
      billTo: f(null, 0),
      vendorEmailDomain: f(null, 0),
    },
    lineItems: [],
    confidence,
    pageCount: 1,
    pages: [],
    warnings: [],
    extractor: 'test',
  };
}
const matched: MatchResult = {
  status: 'matched',
  reason: 'ok',
  score: 1,
  evidence: [],
  candidates: [],
  warnings: [],
  duplicateOf: null,
  purchaseOrder: {
    id: 'po',
    poNumber: '062486',
    status: 'Open',
    supplierId: null,
    supplierName: null,
    supplierCode: null,
    currencyCode: 'USD',
    lineItemTotal: '10.00',
  },
  placeholder: {
    id: 'ph',
    invoiceNumber: 'Received',
    status: 'New',
    poNumber: '062486',
    supplierCode: null,
    amount: '10.00',
    currencyCode: 'USD',
  },
};

test('corrections override extracted values; the first PO number is the one matched', () => {
  const e = extraction(0.99, ['062486', '062487']);
  assert.deepEqual(effectiveFields(e, {}).poNumber, '062486');
  const fields = effectiveFields(e, { invoiceNumber: 'INV-2', poNumber: '062487' });
  assert.equal(fields.invoiceNumber, 'INV-2');
  assert.equal(fields.poNumber, '062487');
  assert.equal(fields.total, '10.00');
  assert.deepEqual(effectiveFields(null, {}), {
    invoiceNumber: null,
    poNumber: null,
    vendorName: null,
    total: null,
    currency: null,
    invoiceDate: null,
  });
});

test('confident, complete and unambiguously matched invoices need no review', () => {
  const e = extraction(0.97);
  assert.deepEqual(
    reviewReasons({ extraction: e, fields: effectiveFields(e, {}), match: matched, errors: [] }, 0.95, false),
    [],
  );
});

test('each reason for review is reported', () => {
  const e = extraction(0.6, ['1', '2']);
  const reasons = reviewReasons(
    {
      extraction: e,
      fields: { ...effectiveFields(e, {}), invoiceNumber: null },
      match: { ...matched, status: 'ambiguous', reason: 'two placeholders', placeholder: null },
      errors: [],
    },
    0.95,
    true,
  );
  assert.equal(reasons.length, 5, reasons.join(' | '));
  assert.ok(reasons.some((r) => r.includes('60%') && r.includes('95%')));
  assert.ok(reasons.includes('two placeholders'));
  assert.ok(reasons.some((r) => r.includes('several POs')));
  assert.ok(reasons.some((r) => r.includes('clerk')));
  const unreadable = reviewReasons(
    {
      extraction: null,
      fields: effectiveFields(null, {}),
      match: null,
      errors: ['Could not read the document: corrupt'],
    },
    0.95,
    false,
  );
  assert.ok(unreadable.includes('Could not read the document: corrupt'));
});

test('match warnings block auto-approval and are shown', () => {
  const e = extraction(0.99);
  const reasons = reviewReasons(
    {
      extraction: e,
      fields: effectiveFields(e, {}),
      match: { ...matched, warnings: ['Total 10.00 is 20% above the PO'] },
      errors: [],
    },
    0.95,
    false,
  );
  assert.deepEqual(reasons, ['Total 10.00 is 20% above the PO']);
});

test('a threshold above 1 turns auto-approval off', () => {
  const e = extraction(1);
  assert.notDeepEqual(
    reviewReasons({ extraction: e, fields: effectiveFields(e, {}), match: matched, errors: [] }, 1.01, false),
    [],
  );
});

test('an invoice number that cannot be written to Plex is a reason for review, never auto-approved', () => {
  const e = extraction(0.99);
  for (const bad of ['INV\u202e1', 'Rechnung Nr. 12 ä', 'x'.repeat(60)]) {
    const reasons = reviewReasons(
      { extraction: e, fields: effectiveFields(e, { invoiceNumber: bad }), match: matched, errors: [] },
      0.95,
      false,
    );
    assert.equal(reasons.length, 1, bad);
    assert.match(reasons[0]!, /^The invoice number as read cannot be written to Plex: /);
  }
});
