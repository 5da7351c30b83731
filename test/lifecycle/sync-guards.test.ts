// The sync re-reads Plex before writing: a placeholder paid, closed, changed or removed while the invoice
// waited for review, or an invoice number Plex already has on the PO, parks the invoice in sync_failed with
// the reason and writes nothing (and never picks another placeholder). Each attempt's Plex exchanges are
// kept on its sync_operations row.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { InvoiceState } from '../../domain/invoice.js';
import type { SimApInvoice } from '../../plex/simulator/records.js';
import { makeInvoicePdf } from '../support/invoice-pdf.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../support/stack.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

interface StoredCall { method: string; path: string; status?: number; body?: Record<string, unknown> }
interface SyncOperation { outcome: string; error: string | null; error_type: string | null; request: { calls: StoredCall[] }; response: { calls: StoredCall[] } }

const syncOperations = (invoiceId: string) =>
  stack.sql<SyncOperation[]>`select outcome, error, error_type, request, response from sync_operations where invoice_id = ${invoiceId} order by round, attempt`;

const post = (path: string, body?: unknown) =>
  stack.api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** An invoice without a printed number: matched to its placeholder, then waits for a clerk. */
async function awaitingReview() {
  const inv = uniqueInvoice();
  const { placeholderIds: [placeholderId], purchaseOrderId } = await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
  const id = await stack.uploadOne(`${inv.invoiceNumber}.pdf`, await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }));
  const waiting = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  assert.equal(waiting.match?.placeholder?.id, placeholderId);
  return { id, inv, placeholder: stack.plex.store.apInvoices.get(placeholderId!)!, purchaseOrderId };
}

async function approveAndFail(id: string, invoiceNumber: string): Promise<InvoiceState> {
  const approved = await post(`/api/invoices/${id}/review`, { action: 'approve', corrections: { invoiceNumber } });
  assert.equal(approved.status, 202, await approved.clone().text());
  return stack.waitFor(id, (s) => s.status === 'sync_failed');
}

const writesOf = (invoiceNumber: string) => stack.plex.store.writes.filter((w) => (w.body as { invoiceNumber?: string })?.invoiceNumber === invoiceNumber);

/** Another AP invoice on the same PO and supplier, as an AP clerk would have entered it. */
function addApInvoice(like: SimApInvoice, changes: Partial<SimApInvoice>): string {
  const id = randomUUID();
  stack.plex.store.apInvoices.set(id, { ...structuredClone(like), id, ...changes });
  return id;
}

describe('sync guards', () => {
  const cases: { name: string; change: (placeholder: SimApInvoice) => void; type: string; reason: RegExp }[] = [
    { name: 'paid (status still New)', change: (p) => Object.assign(p, { paid: true, balance: 0 }), type: 'PlaceholderNotOpen', reason: /paid or closed/ },
    { name: 'closed', change: (p) => Object.assign(p, { status: 'Closed' }), type: 'PlaceholderNotOpen', reason: /no longer open \(status Closed\)/ },
    { name: 'given another number by someone else', change: (p) => Object.assign(p, { invoiceNumber: 'CLERK-771' }), type: 'PlaceholderChanged', reason: /"CLERK-771"/ },
    { name: 'removed', change: (p) => stack.plex.store.apInvoices.delete(p.id), type: 'PlaceholderGone', reason: /no longer exists/ },
  ];
  for (const c of cases) {
    test(`a placeholder ${c.name} while the invoice waited for review parks it in sync_failed (${c.type}); nothing is written`, async () => {
      const { id, inv, placeholder } = await awaitingReview();
      c.change(placeholder);
      const failed = await approveAndFail(id, inv.invoiceNumber);
      assert.equal(failed.sync.lastErrorType, c.type);
      assert.match(failed.sync.lastError ?? '', c.reason);
      assert.deepEqual(writesOf(inv.invoiceNumber), [], 'no write was sent');
      const [op, ...more] = await syncOperations(id);
      assert.equal(more.length, 0, 'one attempt: retrying cannot fix it');
      assert.equal(op?.outcome, 'failed');
      assert.equal(op?.error_type, c.type);
      const [row] = await stack.sql<{ status: string; last_error: string }[]>`select status, last_error from invoices where id = ${id}`;
      assert.equal(row?.status, 'sync_failed');
      assert.match(row?.last_error ?? '', c.reason);
    });
  }

  test('a replay after the placeholder was closed never writes to another placeholder of the PO', async () => {
    const { id, inv, placeholder } = await awaitingReview();
    placeholder.status = 'Closed';
    // Goods received again: the PO now has a fresh open placeholder the invoice was never matched to.
    const fresh = addApInvoice(placeholder, { status: 'New' });
    await approveAndFail(id, inv.invoiceNumber);
    assert.equal((await post(`/api/invoices/${id}/retry-sync`)).status, 202);
    const again = await stack.waitFor(id, (s) => s.status === 'sync_failed' && s.sync.rounds === 2);
    assert.equal(again.sync.lastErrorType, 'PlaceholderNotOpen');
    assert.deepEqual(writesOf(inv.invoiceNumber), []);
    assert.equal(stack.plex.store.apInvoices.get(fresh)?.invoiceNumber, 'Received');
  });

  test('an invoice number Plex already has on the PO stops the sync as DuplicateInvoiceNumber, naming the record', async () => {
    const { id, inv, placeholder } = await awaitingReview();
    const existing = addApInvoice(placeholder, { invoiceNumber: inv.invoiceNumber, status: 'Open' });
    const failed = await approveAndFail(id, inv.invoiceNumber);
    assert.equal(failed.sync.lastErrorType, 'DuplicateInvoiceNumber');
    assert.match(failed.sync.lastError ?? '', new RegExp(`AP invoice ${existing}.*"${inv.invoiceNumber}"`));
    assert.deepEqual(writesOf(inv.invoiceNumber), []);
    assert.equal(placeholder.invoiceNumber, 'Received');
  });

  test('a write Plex refuses because someone changed the record meanwhile is PlaceholderChanged, with the 409 kept', async () => {
    const { id, inv } = await awaitingReview();
    stack.plex.store.setFault('ap-invoices.put', { mutateBeforeWrite: 'change' });
    const failed = await approveAndFail(id, inv.invoiceNumber);
    assert.equal(failed.sync.lastErrorType, 'PlaceholderChanged');
    const [op] = await syncOperations(id);
    const put = op!.response.calls.find((call) => call.method === 'PUT');
    assert.equal(put?.status, 409);
    assert.equal(put?.body?.code, 'CONFLICT');
  });

  test("every Plex call of a sync attempt is stored with its request and response, without the API key", async () => {
    const inv = uniqueInvoice();
    const { placeholderIds: [placeholderId] } = await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    const id = await stack.uploadOne('logged.pdf', await makeInvoicePdf(inv));
    await stack.waitFor(id, (s) => s.status === 'synced');

    const [op, ...more] = await syncOperations(id);
    assert.equal(more.length, 0);
    assert.equal(op?.outcome, 'written');
    const placeholderPath = `/accounting/v1/ap-invoices/${placeholderId}`;
    assert.deepEqual(op!.response.calls.map((c) => `${c.method} ${c.path.split('?')[0]} ${c.status}`), [
      'GET /accounting/v1/ap-invoices 200', // our number already on the PO?
      'GET /accounting/v1/ap-invoices 200', // still an open placeholder?
      `GET ${placeholderPath} 200`,
      `PUT ${placeholderPath} 200`,
    ]);
    const get = op!.response.calls[2]!;
    assert.equal(get.body?.invoiceNumber, 'Received', 'the re-read record as Plex sent it');
    const putRequest = op!.request.calls[3]!;
    assert.equal(putRequest.body?.invoiceNumber, inv.invoiceNumber);
    assert.equal(putRequest.body?.supplierCode, get.body?.supplierCode, 'the record\'s own fields are sent back');
    assert.equal(op!.response.calls[3]!.body?.invoiceNumber, inv.invoiceNumber);
    const stored = JSON.stringify(op);
    assert.ok(!stored.includes(stack.env.PLEX_API_KEY!), 'the API key is not stored');
  });
});
