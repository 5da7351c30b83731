// The sync re-reads Plex before writing: a placeholder paid, closed, changed or removed while the invoice
// waited for review, or an invoice number Plex already has on the PO, parks the invoice in sync_failed with
// the reason and writes nothing (and never picks another placeholder). Each attempt's Plex exchanges are
// kept on its sync_operations row.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { InvoiceState } from '../../domain/invoice.js';
import type { SimApInvoice } from '../../plex-simulator/records.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
before(async () => {
  // A short Plex timeout: a write whose answer is lost may land up to 2 × 2 s after it was sent, and the
  // retry waits that out.
  stack = await startStack({ env: { PLEX_TIMEOUT_MS: '2000' } });
});
after(async () => {
  await stack?.stop();
});

interface StoredCall {
  method: string;
  path: string;
  status?: number;
  body?: Record<string, unknown>;
}
interface SyncOperation {
  outcome: string;
  error: string | null;
  error_type: string | null;
  request: { calls: StoredCall[] };
  response: { calls: StoredCall[] };
}

const syncOperations = (invoiceId: string) =>
  stack.sql<
    SyncOperation[]
  >`select outcome, error, error_type, request, response from sync_operations where invoice_id = ${invoiceId} order by round, attempt`;

const post = (path: string, body?: unknown) =>
  stack.api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** An invoice without a printed number: matched to its placeholder, then waits for a clerk. */
async function awaitingReview() {
  const inv = uniqueInvoice();
  const {
    placeholderIds: [placeholderId],
    purchaseOrderId,
  } = await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
  const id = await stack.uploadOne(
    `${inv.invoiceNumber}.pdf`,
    await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }),
  );
  const waiting = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  assert.equal(waiting.match?.placeholder?.id, placeholderId);
  return { id, inv, placeholder: stack.plex.store.apInvoices.get(placeholderId!)!, purchaseOrderId };
}

async function approveAndFail(id: string, invoiceNumber: string): Promise<InvoiceState> {
  const approved = await post(`/api/invoices/${id}/review`, { action: 'approve', corrections: { invoiceNumber } });
  assert.equal(approved.status, 202, await approved.clone().text());
  return stack.waitFor(id, (s) => s.status === 'sync_failed');
}

const writesOf = (invoiceNumber: string) =>
  stack.plex.store.writes.filter((w) => (w.body as { invoiceNumber?: string })?.invoiceNumber === invoiceNumber);

/** Another AP invoice on the same PO and supplier, as an AP clerk would have entered it. */
function addApInvoice(like: SimApInvoice, changes: Partial<SimApInvoice>): string {
  const id = randomUUID();
  stack.plex.store.apInvoices.set(id, { ...structuredClone(like), id, ...changes });
  return id;
}

describe('sync guards', () => {
  const cases: { name: string; change: (placeholder: SimApInvoice) => void; type: string; reason: RegExp }[] = [
    {
      name: 'paid (status still New)',
      change: (p) => Object.assign(p, { paid: true, balance: 0 }),
      type: 'PlaceholderNotOpen',
      reason: /paid or closed/,
    },
    {
      name: 'closed',
      change: (p) => Object.assign(p, { status: 'Closed' }),
      type: 'PlaceholderNotOpen',
      reason: /no longer open \(status Closed\)/,
    },
    {
      name: 'given another number by someone else',
      change: (p) => Object.assign(p, { invoiceNumber: 'CLERK-771' }),
      type: 'PlaceholderChanged',
      reason: /"CLERK-771"/,
    },
    {
      name: 'removed',
      change: (p) => stack.plex.store.apInvoices.delete(p.id),
      type: 'PlaceholderGone',
      reason: /no longer exists/,
    },
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
      const [row] = await stack.sql<
        { status: string; last_error: string }[]
      >`select status, last_error from invoices where id = ${id}`;
      assert.equal(row?.status, 'sync_failed');
      assert.match(row?.last_error ?? '', c.reason);
    });
  }

  test('an invoice number Plex would refuse or misread is refused at review with the reason: nothing is decided or written', async () => {
    // The review Update and the sync apply one rule (domain/invoice-number.ts); a clerk's correction is
    // stopped at the first of them, before any decision.
    const { id } = await awaitingReview();
    const typed = '<script>alert(1)</script>';
    const refused = await post(`/api/invoices/${id}/review`, {
      action: 'approve',
      corrections: { invoiceNumber: typed },
    });
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /"<", ">"/);
    const state = await stack.state(id);
    assert.equal(state.status, 'awaiting_review');
    assert.equal(state.decisions.length, 0);
    assert.deepEqual(writesOf(typed), [], 'nothing was sent to Plex');
  });

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

  test('the vendor number already booked for the supplier on another PO (spelt differently) stops the sync as DuplicateInvoiceNumber; nothing is written', async () => {
    const { id, inv, placeholder } = await awaitingReview();
    const otherPo = addApInvoice(placeholder, {
      poNumber: '999001',
      poId: randomUUID(),
      status: 'Open',
      invoiceNumber: inv.invoiceNumber
        .toLowerCase()
        .replace(/-/g, ' ')
        .replace(/(\d+)$/, '00$1'),
    });
    const failed = await approveAndFail(id, inv.invoiceNumber);
    assert.equal(failed.sync.lastErrorType, 'DuplicateInvoiceNumber');
    assert.match(failed.sync.lastError ?? '', new RegExp(`AP invoice ${otherPo}.*PO 999001`));
    assert.deepEqual(writesOf(inv.invoiceNumber), []);
    assert.equal(placeholder.invoiceNumber, 'Received');
  });

  test('the vendor number booked for the supplier on no PO at all also stops the sync', async () => {
    const { id, inv, placeholder } = await awaitingReview();
    const noPo = addApInvoice(placeholder, {
      poNumber: null as unknown as string,
      poId: null as unknown as string,
      status: 'Open',
      invoiceNumber: inv.invoiceNumber,
    });
    const failed = await approveAndFail(id, inv.invoiceNumber);
    assert.equal(failed.sync.lastErrorType, 'DuplicateInvoiceNumber');
    assert.match(failed.sync.lastError ?? '', new RegExp(`AP invoice ${noPo}.*PO none`));
    assert.deepEqual(writesOf(inv.invoiceNumber), []);
  });

  test("another writer editing the placeholder between the sync's reads stops it as PlaceholderChanged, showing the change", async () => {
    const { id, inv, placeholder } = await awaitingReview();
    // The edit lands right after the sync lists the supplier's AP invoices, before it reads the placeholder.
    stack.plex.store.setFault('ap-invoices.list', { concurrentEdit: 1 });
    try {
      const failed = await approveAndFail(id, inv.invoiceNumber);
      assert.equal(failed.sync.lastErrorType, 'PlaceholderChanged');
      assert.match(failed.sync.lastError ?? '', /checkNote: \(absent\) → "Edited in Plex/);
      assert.deepEqual(writesOf(inv.invoiceNumber), []);
      assert.match(placeholder.checkNote ?? '', /Edited in Plex/, "the other writer's edit stands");
    } finally {
      stack.plex.store.clearFaults('ap-invoices.list');
    }
  });

  test('a write whose answer is lost and that lands late is waited for: one write, never a second PUT', async () => {
    const inv = uniqueInvoice();
    const {
      placeholderIds: [placeholderId],
    } = await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    // Lands 3.8 s after it arrived: after the client's 2 s timeout and the retry that follows, but before
    // the 2 × 2 s a lost write is given to land.
    stack.plex.store.setFault('ap-invoices.put', { lateLandingMs: 3_800 });
    try {
      const id = await stack.uploadOne('late.pdf', await makeInvoicePdf(inv));
      const done = await stack.waitFor(id, (s) => s.status === 'synced');
      assert.equal(done.sync.writtenInvoiceNumber, inv.invoiceNumber);
      const writes = stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderId);
      assert.equal(writes.length, 1, 'the retry did not send a second PUT');
      assert.equal(writes[0]!.responseStatus, null, 'its answer was lost');
      assert.equal(writes[0]!.applied, true, 'it landed');
      const outcomes = (await syncOperations(id)).map((o) => `${o.outcome}:${o.error_type ?? ''}`);
      assert.deepEqual(outcomes, ['failed:PlexTimeout', 'already_applied:']);
    } finally {
      stack.plex.store.clearFaults('ap-invoices.put');
    }
  });

  test('after a write that never answered, a placeholder changed by someone else is not overwritten: PlaceholderChanged with the diff', async () => {
    const { id, inv, placeholder } = await awaitingReview();
    stack.plex.store.setFault('ap-invoices.put', { hang: true });
    try {
      const approved = await post(`/api/invoices/${id}/review`, {
        action: 'approve',
        corrections: { invoiceNumber: inv.invoiceNumber },
      });
      assert.equal(approved.status, 202);
      await eventually('the first PUT was sent', () => writesOf(inv.invoiceNumber).length > 0, {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      placeholder.terms = 'Net 45'; // a buyer's edit in Plex while our first PUT is unanswered
      const failed = await stack.waitFor(id, (s) => s.status === 'sync_failed');
      assert.equal(failed.sync.lastErrorType, 'PlaceholderChanged');
      assert.match(failed.sync.lastError ?? '', /terms: "Net 30" → "Net 45"/);
      assert.equal(writesOf(inv.invoiceNumber).length, 1, 'no second PUT');
      assert.equal(placeholder.terms, 'Net 45');

      // Ops saw the change and replay: a new round reads the placeholder afresh and writes over nothing
      // (its PUT carries the buyer's terms), instead of refusing again for ever.
      stack.plex.store.clearFaults('ap-invoices.put');
      stack.plex.store.releaseHangs();
      assert.equal((await post(`/api/invoices/${id}/retry-sync`)).status, 202);
      const synced = await stack.waitFor(
        id,
        (s) => s.status === 'synced' || (s.status === 'sync_failed' && s.sync.rounds === 2),
      );
      assert.equal(synced.status, 'synced', synced.sync.lastError ?? '');
      const applied = writesOf(inv.invoiceNumber).filter((w) => w.applied);
      assert.equal(applied.length, 1, 'one write applied');
      assert.equal((applied[0]!.body as { terms?: string }).terms, 'Net 45', "the write carries the buyer's edit");
      assert.equal(placeholder.terms, 'Net 45');
      assert.equal(placeholder.invoiceNumber, inv.invoiceNumber);
    } finally {
      stack.plex.store.clearFaults('ap-invoices.put');
      stack.plex.store.releaseHangs();
    }
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

  test('every Plex call of a sync attempt is stored with its request and response, without the API key', async () => {
    const inv = uniqueInvoice();
    const {
      placeholderIds: [placeholderId],
    } = await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    const id = await stack.uploadOne('logged.pdf', await makeInvoicePdf(inv));
    await stack.waitFor(id, (s) => s.status === 'synced');

    const [op, ...more] = await syncOperations(id);
    assert.equal(more.length, 0);
    assert.equal(op?.outcome, 'written');
    const placeholderPath = `/accounting/v1/ap-invoices/${placeholderId}`;
    // Approved automatically right after its match: the supplier's AP invoices the match listed (in this
    // worker, moments ago) serve the duplicate check, so the sync itself reads only the placeholder.
    assert.deepEqual(
      op.response.calls.map((c) => `${c.method} ${c.path.split('?')[0]} ${c.status}`),
      [
        `GET ${placeholderPath} 200`, // still an open placeholder, not yet ours, unchanged since the match listed it?
        `PUT ${placeholderPath} 200`,
      ],
    );
    const get = op.response.calls[0]!;
    assert.equal(get.body?.invoiceNumber, 'Received', 'the record as Plex sent it');
    const putRequest = op.request.calls[1]!;
    assert.equal(putRequest.body?.invoiceNumber, inv.invoiceNumber);
    assert.equal(putRequest.body?.supplierCode, get.body?.supplierCode, "the record's own fields are sent back");
    assert.equal(op.response.calls[1]!.body?.invoiceNumber, inv.invoiceNumber);
    const stored = JSON.stringify(op);
    assert.ok(!stored.includes(stack.env.PLEX_API_KEY!), 'the API key is not stored');
  });

  test("a clerk's approval lists the supplier's AP invoices afresh for the duplicate check, never the match's list", async () => {
    const { id, inv, placeholder } = await awaitingReview();
    const approved = await post(`/api/invoices/${id}/review`, {
      action: 'approve',
      corrections: { invoiceNumber: inv.invoiceNumber },
    });
    assert.equal(approved.status, 202, await approved.clone().text());
    await stack.waitFor(id, (s) => s.status === 'synced');
    const [op] = await syncOperations(id);
    const placeholderPath = `/accounting/v1/ap-invoices/${placeholder.id}`;
    assert.deepEqual(
      op!.response.calls.map((c) => `${c.method} ${c.path.split('?')[0]} ${c.status}`),
      [
        'GET /accounting/v1/ap-invoices 200', // the number already booked for the supplier? (and the placeholder as listed)
        `GET ${placeholderPath} 200`, // the last read before the write: unchanged since the list?
        `PUT ${placeholderPath} 200`,
      ],
    );
    assert.match(op!.request.calls[0]!.path, /supplierCode=/);
  });
});
