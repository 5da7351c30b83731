// Three-way match: invoice lines vs PO lines vs receipts, with quantity and price tolerances, per line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { PurchaseOrderLine, ReceiptSummary } from '../../domain/plex.js';
import { threeWayCheck, threeWayWarnings, type InvoiceLine } from '../../matching/three-way.js';

const poLine = (
  n: number,
  description: string,
  quantity: string,
  unitPrice: string,
  part: string | null = null,
): PurchaseOrderLine => ({
  id: `pol-${n}`,
  lineItemNumber: n,
  description,
  quantity,
  unitPrice,
  supplierPartNumber: part,
  status: 'Open',
});
const receipt = (n: number, quantity: string): ReceiptSummary => ({
  id: `r-${n}-${quantity}`,
  poId: 'po',
  poLineItemId: `pol-${n}`,
  quantity,
  receiveDate: '2026-11-01',
});
const line = (
  description: string,
  quantity: string,
  unitPrice: string,
  partNumber: string | null = null,
): InvoiceLine => ({ description, quantity, unitPrice, partNumber });

const PO = [poLine(1, 'Hex bolt M8x40, zinc', '500.00', '0.42'), poLine(2, 'Lock washer M8', '500.00', '0.05')];
const RECEIVED = [receipt(1, '300.00'), receipt(1, '200.00'), receipt(2, '500.00')];
const run = (invoiceLines: InvoiceLine[], opts: { qty?: number; price?: number; receipts?: ReceiptSummary[] } = {}) =>
  threeWayCheck({
    invoiceLines,
    poLines: PO,
    receipts: opts.receipts ?? RECEIVED,
    quantityTolerance: opts.qty ?? 0,
    priceTolerance: opts.price ?? 0.01,
  });

test('lines that agree with the PO and the receipts (summed per PO line) are ok', () => {
  const check = run([line('Lock washer M8', '500', '0.05'), line('Hex bolt M8x40 zinc', '500', '0.42')]);
  assert.equal(check.status, 'ok', JSON.stringify(check));
  assert.deepEqual(
    check.lines.map((l) => [l.invoiceLine, l.poLine, l.receivedQuantity]),
    [
      [1, 2, '500.00'],
      [2, 1, '500.00'],
    ],
  );
  assert.deepEqual(threeWayWarnings(check), []);
});

test('a quantity differing from what was received is a mismatch explained on its line', () => {
  const check = run([line('Hex bolt M8x40, zinc', '500', '0.42'), line('Lock washer M8', '500', '0.05')], {
    receipts: [receipt(1, '400.00'), receipt(2, '500.00')],
  });
  assert.equal(check.status, 'mismatch');
  assert.equal(check.lines[0]!.status, 'mismatch');
  assert.match(check.lines[0]!.issues.join(), /invoiced 500 but 400 received/);
  assert.equal(check.lines[1]!.status, 'ok');
  const [warning, ...rest] = threeWayWarnings(check);
  assert.match(warning!, /line 1 "Hex bolt M8x40, zinc" \(PO line 1\): invoiced 500 but 400 received/);
  assert.equal(rest.length, 0);
});

test('quantity tolerance edges: exact by default, a configured tolerance is inclusive', () => {
  const received = [receipt(1, '400.00'), receipt(2, '500.00')];
  assert.equal(run([line('Hex bolt M8x40, zinc', '440', '0.42')], { receipts: received, qty: 0.1 }).status, 'ok');
  assert.equal(run([line('Hex bolt M8x40, zinc', '441', '0.42')], { receipts: received, qty: 0.1 }).status, 'mismatch');
  assert.equal(run([line('Hex bolt M8x40, zinc', '400.5', '0.42')], { receipts: received, qty: 0 }).status, 'mismatch');
  // over-delivered and invoiced as delivered: agrees with the receipts, not with the order
  const over = run([line('Hex bolt M8x40, zinc', '600', '0.42')], { receipts: [receipt(1, '600.00')] }).lines[0]!;
  assert.deepEqual(over.issues, ['invoiced 600 but only 500 ordered']);
  assert.match(
    run([line('Hex bolt M8x40, zinc', '500', '0.42')], { receipts: [] }).lines[0]!.issues.join(),
    /nothing was received/,
  );
});

test('price tolerance edges: within ±1 % is ok, beyond is a mismatch with the deviation', () => {
  fc.assert(
    fc.property(fc.integer({ min: 3000, max: 5000 }), (tenThousandths) => {
      const price = `0.${String(tenThousandths).padStart(4, '0')}`;
      const check = run([line('Hex bolt M8x40, zinc', '500', price)], { price: 0.01 });
      // 0.42 ± 1 % = 0.4158 … 0.4242, in ten-thousandths 4158 … 4242
      assert.equal(check.status === 'ok', tenThousandths >= 4158 && tenThousandths <= 4242, price);
    }),
  );
  assert.match(
    run([line('Hex bolt M8x40, zinc', '500', '0.45')]).lines[0]!.issues.join(),
    /unit price 0.45 vs PO 0.42 \(7.14 %/,
  );
});

test('lines pair by supplier part number first, unmatched lines are flagged, and empty sides are not checked', () => {
  const byPart = threeWayCheck({
    invoiceLines: [line('Something else entirely', '500', '0.42', 'ACME-001')],
    poLines: [poLine(1, 'Hex bolt', '500', '0.42', 'acme 001')],
    receipts: [receipt(1, '500')],
    quantityTolerance: 0,
    priceTolerance: 0.01,
  });
  assert.equal(byPart.lines[0]!.pairedBy, 'part_number');
  assert.equal(byPart.status, 'ok');
  const unknown = run([line('Freight surcharge', '1', '25.00')]);
  assert.equal(unknown.lines[0]!.pairedBy, 'none');
  assert.equal(unknown.status, 'mismatch');
  assert.equal(run([]).status, 'not_checked');
  assert.equal(
    threeWayCheck({
      invoiceLines: [line('x', '1', '1')],
      poLines: [],
      receipts: [],
      quantityTolerance: 0,
      priceTolerance: 0,
    }).status,
    'not_checked',
  );
});
