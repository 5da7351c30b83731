// The matched supplier's financials in Plex against the invoice: an equal tax id or IBAN is the strongest
// vendor evidence; a different IBAN on the invoice is a warning (so no auto-approval), shown masked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MatchResult } from '../../domain/match.js';
import type { SupplierFinancials } from '../../domain/plex.js';
import type { InvoiceFacts } from '../../matching/facts.js';
import { needsFinancials, withSupplierFinancials } from '../../matching/financials.js';
import { WEIGHTS } from '../../matching/score.js';

const facts = (over: Partial<InvoiceFacts> = {}): InvoiceFacts => ({
  invoiceNumber: 'INV-1',
  vendorName: 'Acme Fasteners Inc.',
  vendorTaxId: null,
  ibans: [],
  total: '235.00',
  subtotal: '235.00',
  currency: 'EUR',
  invoiceDate: '2026-11-02',
  clerkPoNumber: null,
  printedPoNumbers: ['062486'],
  lines: [],
  ...over,
});
const financials: SupplierFinancials = {
  supplierId: 's-acme',
  taxId: 'DE 811 234 567',
  taxIdType: 'VAT',
  ibanNo: 'DE89370400440532013000',
  swiftNo: null,
  bankName: null,
};
const nameWarning =
  'The vendor on the invoice ("ACME GmbH Stuttgart") does not look like PO 062486\'s supplier ("Acme Fasteners Inc.").';
const matched = (): MatchResult => ({
  status: 'matched',
  reason: 'ok',
  score: 0.8,
  duplicateOf: null,
  threeWay: null,
  candidates: [],
  evidence: [
    { signal: 'po_number_exact', points: 0.45, detail: 'PO' },
    { signal: 'supplier_mismatch', points: 0, detail: 'name 40 %' },
    { signal: 'amount', points: 0.2, detail: 'amount' },
  ],
  warnings: [nameWarning],
  purchaseOrder: {
    id: 'po-1',
    poNumber: '062486',
    status: 'Open',
    supplierId: 's-acme',
    supplierName: 'Acme Fasteners Inc.',
    supplierCode: 'ACME01',
    currencyCode: 'EUR',
    lineItemTotal: '235.00',
  },
  placeholder: {
    id: 'ph',
    invoiceNumber: 'Received',
    status: 'New',
    poNumber: '062486',
    supplierCode: 'ACME01',
    amount: '235.00',
    currencyCode: 'EUR',
  },
});

test("a printed tax id equal to the supplier's is full supplier evidence and answers a name mismatch", () => {
  const result = withSupplierFinancials(matched(), facts({ vendorTaxId: 'DE811234567' }), financials);
  const strong = result.evidence.find((e) => e.signal === 'supplier_tax_id_or_iban');
  assert.equal(strong?.points, WEIGHTS.supplier);
  assert.match(strong.detail, /tax id DE811234567 equals supplier Acme Fasteners Inc\.'s/);
  assert.ok(!result.evidence.some((e) => e.signal === 'supplier_mismatch'));
  assert.deepEqual(result.warnings, []);
  assert.equal(result.score, 0.85);
});

test('an equal IBAN is strong evidence too', () => {
  const result = withSupplierFinancials(matched(), facts({ ibans: ['DE89370400440532013000'] }), financials);
  assert.match(result.evidence.find((e) => e.signal === 'supplier_tax_id_or_iban')!.detail, /IBAN \*+3000 equals/);
  assert.deepEqual(result.warnings, []);
});

test('a different IBAN on the invoice is a warning with both values masked to the last four', () => {
  const result = withSupplierFinancials(
    matched(),
    facts({ vendorTaxId: 'DE811234567', ibans: ['GB82WEST12345698765432'] }),
    financials,
  );
  const warning = result.warnings.find((w) => w.startsWith('Bank account changed?'));
  assert.ok(warning, 'a warning blocks auto-approval');
  assert.match(warning, /IBAN \*{18}5432.*IBAN in Plex is \*{18}3000/);
  assert.ok(!warning.includes('GB82WEST') && !warning.includes('DE893704'), 'never the full numbers');
  assert.ok(result.evidence.every((e) => !e.detail.includes('12345698765432') && !e.detail.includes('0532013000')));
  assert.equal(result.status, 'matched', 'a person decides; the match itself stands');
});

test('a differing tax id is no evidence; without a printed tax id or IBAN nothing is read or changed', () => {
  const differing = withSupplierFinancials(matched(), facts({ vendorTaxId: 'DE999999999' }), financials);
  assert.ok(differing.evidence.some((e) => e.signal === 'tax_id_differs' && e.points === 0));
  assert.deepEqual(differing.warnings, [nameWarning]);
  assert.equal(needsFinancials(facts()), false);
  assert.equal(needsFinancials(facts({ ibans: ['DE89370400440532013000'] })), true);
  assert.deepEqual(
    withSupplierFinancials(matched(), facts({ ibans: ['GB82WEST12345698765432'] }), null),
    matched(),
    'no financials on file: unchanged',
  );
  const notMatched = { ...matched(), status: 'ambiguous' as const };
  assert.deepEqual(
    withSupplierFinancials(notMatched, facts({ ibans: ['GB82WEST12345698765432'] }), financials),
    notMatched,
  );
});

test('no IBAN on file in Plex: noted, not warned', () => {
  const result = withSupplierFinancials(matched(), facts({ ibans: ['GB82WEST12345698765432'] }), {
    ...financials,
    ibanNo: null,
  });
  assert.ok(result.evidence.some((e) => e.signal === 'iban_not_on_file'));
  assert.deepEqual(result.warnings, [nameWarning]);
});
