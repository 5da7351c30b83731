// With a small workflow cache (WORKER_MAX_CACHED_WORKFLOWS) most invoices waiting for review are not in the
// worker's memory: a decision reaching one replays it from its history first. Each ends as decided, and
// a query answers for an evicted one as for a cached one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, uniqueInvoice, withStack, type Stack } from '../../testkit/stack.js';

let stack: Stack;
withStack({ env: { WORKER_MAX_CACHED_WORKFLOWS: '2' } }, (started) => (stack = started));

test('with room for 2 workflows, 6 invoices wait for review, are queried and approved, and all sync once', async () => {
  const invoices = await Promise.all(
    Array.from({ length: 6 }, async (_, i) => {
      const inv = uniqueInvoice();
      const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
        poNumber: inv.poNumber,
        supplier: inv.vendorName,
        lines: inv.lines,
      });
      // No invoice number printed: each waits for a clerk.
      const id = await stack.uploadOne(`cache-${i}.pdf`, await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }));
      return { id, inv, placeholderId: placeholderIds[0]! };
    }),
  );
  for (const { id } of invoices) await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  for (const { id, inv } of invoices) {
    const state = await stack.state(id);
    assert.equal(state.fields.poNumber, inv.poNumber, 'an evicted workflow answers its query from a replay');
    const res = await stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve', corrections: { invoiceNumber: inv.invoiceNumber } }),
    });
    assert.equal(res.status, 202, await res.text());
  }
  for (const { id, inv, placeholderId } of invoices) {
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.equal(done.sync.writtenInvoiceNumber, inv.invoiceNumber);
    assert.equal(await stack.placeholderNumber(placeholderId), inv.invoiceNumber);
  }
  const applied = stack.plex.store.writes.filter(
    (w) => w.applied && invoices.some((i) => i.placeholderId === w.apInvoiceId),
  );
  assert.equal(applied.length, invoices.length, 'one applied write per placeholder');
});
