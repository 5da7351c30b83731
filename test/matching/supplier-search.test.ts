// Matching without a PO number: the vendor's open POs judged on amount, date window and placeholders;
// accepted only when exactly one passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlaceholderSummary, PurchaseOrderSummary } from '../../domain/plex.js';
import { dateFit } from '../../matching/amounts.js';
import { assessCandidate, preselectPurchaseOrders } from '../../matching/candidates.js';
import { decideBySupplier } from '../../matching/decide.js';
import type { InvoiceFacts } from '../../matching/facts.js';
import { DEFAULT_MATCHING_SETTINGS as settings } from '../../matching/settings.js';
import { supplierFit } from '../../matching/supplier.js';

const facts: InvoiceFacts = {
  invoiceNumber: 'INV-1',
  vendorName: 'Acme Fasteners',
  vendorTaxId: null,
  ibans: [],
  total: '235.00',
  subtotal: null,
  currency: 'USD',
  invoiceDate: '2026-11-02',
  clerkPoNumber: null,
  printedPoNumbers: [],
  lines: [],
};
const supplier = supplierFit(
  { name: 'Acme Fasteners', taxId: null },
  { id: 's-1', code: 'ACME01', name: 'Acme Fasteners Inc.', status: 'Active', taxId: null },
);
const po = (
  poNumber: string,
  lineItemTotal: string,
  orderedDate = '2026-10-20',
  status = 'Open',
): PurchaseOrderSummary => ({
  id: `po-${poNumber}`,
  poNumber,
  status,
  supplierId: 's-1',
  supplierName: 'Acme Fasteners Inc.',
  supplierCode: 'ACME01',
  currencyCode: 'USD',
  lineItemTotal,
  orderedDate,
  active: true,
});
const ph = (amount: string, id = `ph-${amount}`): PlaceholderSummary => ({
  id,
  invoiceNumber: 'Received',
  status: 'New',
  poNumber: null,
  supplierCode: 'ACME01',
  amount,
  currencyCode: 'USD',
});
const decide = (candidates: ReturnType<typeof assessCandidate>[], unknownPoNumbers: string[] = []) =>
  decideBySupplier({ facts, settings, candidates, unknownPoNumbers, blocked: null });

test('the date window runs from 90 days before to 30 days after the invoice date, inclusive', () => {
  const window = { before: 90, after: 30 };
  assert.equal(dateFit('2026-11-02', '2026-08-04', window)?.within, true); // 90 days before
  assert.equal(dateFit('2026-11-02', '2026-08-03', window)?.within, false);
  assert.equal(dateFit('2026-11-02', '2026-12-02', window)?.within, true); // 30 days after
  assert.equal(dateFit('2026-11-02', '2026-12-03', window)?.within, false);
  assert.equal(dateFit(null, '2026-12-03', window), null);
});

test('exactly one open PO with a fitting placeholder is matched, with a warning to confirm it', () => {
  const result = decide([
    assessCandidate(facts, supplier, po('100001', '235.00'), [ph('235.00')], settings),
    assessCandidate(facts, supplier, po('100002', '900.00'), [ph('900.00')], settings),
  ]);
  assert.equal(result.status, 'matched');
  assert.equal(result.purchaseOrder?.poNumber, '100001');
  assert.ok(result.evidence.some((e) => e.signal === 'supplier' && e.points > 0));
  assert.ok(result.evidence.some((e) => e.signal === 'amount' && e.points > 0));
  assert.match(
    result.warnings.join(),
    /No PO number on the invoice: matched to PO 100001 by supplier, amount and date/,
  );
  assert.deepEqual(
    result.candidates.map((c) => [c.purchaseOrder.poNumber, c.passed]),
    [
      ['100001', true],
      ['100002', false],
    ],
  );
});

test('two fitting POs are ambiguous; none fitting keeps the PO-number status with the reason', () => {
  const two = decide([
    assessCandidate(facts, supplier, po('100001', '235.00'), [ph('235.00')], settings),
    assessCandidate(facts, supplier, po('100003', '240.00'), [ph('240.00')], settings),
  ]);
  assert.equal(two.status, 'ambiguous');
  assert.equal(two.placeholder, null);
  assert.match(two.reason, /2 open POs .* fit .*100001, 100003/);
  const none = decide([assessCandidate(facts, supplier, po('100002', '900.00'), [ph('900.00')], settings)], ['999999']);
  assert.equal(none.status, 'po_not_found');
  assert.match(none.reason, /Plex has no purchase order 999999, and no open PO/);
  assert.equal(decide([]).status, 'no_po_number');
});

test('a PO without a placeholder, outside the window, or closed does not pass', () => {
  assert.equal(assessCandidate(facts, supplier, po('1', '235.00'), [], settings).passed, false);
  assert.equal(
    assessCandidate(facts, supplier, po('2', '235.00', '2026-06-01'), [ph('235.00')], settings).passed,
    false,
  );
  assert.equal(
    assessCandidate(facts, supplier, po('3', '235.00', '2026-10-20', 'Closed'), [ph('235.00')], settings).passed,
    false,
  );
  const twoPlaceholders = decide([
    assessCandidate(facts, supplier, po('4', '470.00'), [ph('235.00', 'a'), ph('235.00', 'b')], settings),
  ]);
  assert.equal(twoPlaceholders.status, 'ambiguous');
  assert.match(twoPlaceholders.reason, /2 open "Received" placeholders/);
});

test('preselection skips POs outside the window or smaller than the invoice, and caps the lookups', () => {
  const pos = [
    po('A', '235.00'),
    po('B', '100.00'),
    po('C', '235.00', '2025-01-01'),
    po('D', '300.00'),
    po('E', '5000.00'),
  ];
  const { selected, rejected } = preselectPurchaseOrders(facts, pos, settings, 2);
  assert.deepEqual(
    selected.map((p) => p.poNumber),
    ['A', 'D'],
  );
  assert.deepEqual(rejected.map((r) => r.purchaseOrder.poNumber).sort(), ['B', 'C', 'E']);
});
