// Plex calls per invoice, end to end: Plex allows about 200 calls a minute per key, so calls per invoice
// set the throughput. Within a burst of one supplier's invoices, a matched, automatically approved invoice
// costs at most 4 calls (match and sync together): its supplier's open POs and receipts were read once
// for the burst, its placeholders and the duplicate check share one list, the sync reads the placeholder
// once and writes once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, uniqueInvoice, withStack, type Stack } from '../../testkit/stack.js';

let stack!: Stack;
withStack({}, (s) => {
  stack = s;
});

const totalCalls = () => Object.values(stack.plex.store.calls).reduce<number>((sum, n) => sum + (n ?? 0), 0);

test("a burst of one supplier's invoices: from the third on, each costs at most 4 Plex calls, and every one is written once", async () => {
  const vendorName = 'Northwind Burst Supply Co.';
  // The POs exist before their invoices come in, as at a real site.
  const invoices = [];
  for (let i = 0; i < 4; i++) {
    const inv = uniqueInvoice({ vendorName });
    const {
      placeholderIds: [placeholderId],
    } = await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: vendorName, lines: inv.lines });
    invoices.push({ inv, placeholderId: placeholderId! });
  }
  const costs: number[] = [];
  for (const { inv, placeholderId } of invoices) {
    const before = totalCalls();
    const id = await stack.uploadOne(`${inv.invoiceNumber}.pdf`, await makeInvoicePdf(inv));
    const done = await stack.waitFor(
      id,
      (s) => s.status === 'synced' || s.status === 'awaiting_review' || s.status === 'sync_failed',
    );
    assert.equal(
      done.status,
      'synced',
      JSON.stringify({ match: done.match?.reason, reasons: (done as { reviewReasons?: unknown }).reviewReasons }),
    );
    costs.push(totalCalls() - before);
    assert.equal(stack.plex.store.apInvoices.get(placeholderId)?.invoiceNumber, inv.invoiceNumber);
    assert.equal(stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderId).length, 1);
  }
  // The first invoice finds its supplier and PO by number; the second reads the supplier's lists once.
  assert.ok(costs[2]! <= 4 && costs[3]! <= 4, `calls per invoice: ${costs.join(', ')}`);
  assert.ok(costs[0]! > costs[2]!, `the first invoice of a supplier costs more than a later one: ${costs.join(', ')}`);
});
