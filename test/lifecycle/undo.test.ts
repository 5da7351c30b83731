// Undo of an approval on the real Temporal server: inside the undo window a recall takes the decision back
// and nothing is written to Plex; after it (the sync has started) the recall is refused with the reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_STORED_SETTINGS as NONE, saveSettings } from '../../db/settings.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, withStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
withStack({}, (started) => (stack = started));

const post = (path: string, body: unknown) =>
  stack.api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const writesOf = (invoiceNumber: string) =>
  stack.plex.store.writes.filter(
    (w) => (w.body as { invoiceNumber?: string } | undefined)?.invoiceNumber === invoiceNumber,
  );

/** An invoice uploaded under the given undo window (fixed per invoice at its start), waiting for a clerk. */
async function waiting(undoWindow: string) {
  await saveSettings(stack.sql, { ...NONE, undoWindow }, 'test');
  const inv = uniqueInvoice({ vendorName: 'Acme Fasteners' });
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  const id = await stack.uploadOne(`${inv.invoiceNumber}.pdf`, await makeInvoicePdf(inv));
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  return { id, inv, placeholderId: placeholderIds[0]! };
}

test('a recall inside the undo window takes the approval back: nothing is written to Plex, the recall is audited', async () => {
  const { id, inv, placeholderId } = await waiting('10m');
  assert.equal((await post(`/api/invoices/${id}/recall`, {})).status, 409, 'nothing to undo before an approval');
  const approved = await post(`/api/invoices/${id}/review`, { action: 'approve' });
  assert.equal(approved.status, 202);
  const { decisionId } = (await approved.json()) as { decisionId: string };
  const waitingOut = await stack.waitFor(id, (s) => s.status === 'approved' && !!s.undo);
  assert.equal(waitingOut.undo?.decisionId, decisionId);

  const wrongDecision = await post(`/api/invoices/${id}/recall`, { decisionId: 'another-approval' });
  assert.equal(wrongDecision.status, 409);
  const recalled = await post(`/api/invoices/${id}/recall`, { decisionId, reason: 'wrong PO' });
  assert.equal(recalled.status, 202, await recalled.clone().text());
  const back = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  assert.deepEqual(
    back.decisions.map((d) => d.action),
    ['approve', 'recall'],
  );
  assert.equal(back.undo, null);
  assert.deepEqual(writesOf(inv.invoiceNumber), []);
  assert.equal(await stack.placeholderNumber(placeholderId), 'Received');
  const [audit] = await stack.sql<{ actor: string; data: { decisionId: string; reason: string } }[]>`
    select actor, data from audit_log where invoice_id = ${id} and kind = 'review.recalled'`;
  assert.equal(audit?.actor, 'token:tests');
  assert.equal(audit?.data.decisionId, decisionId);
  assert.equal(audit?.data.reason, 'wrong PO');

  // Still the clerk's to decide: a rejection now ends it, still without a write (accepted once the
  // workflow waits for a decision again, a moment after the status shows it).
  await eventually(
    'the rejection was accepted',
    async () => (await post(`/api/invoices/${id}/review`, { action: 'reject', reason: 'not ours' })).status === 202,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  assert.equal((await stack.result(id)).status, 'rejected');
  assert.deepEqual(writesOf(inv.invoiceNumber), []);
});

test('a recall after the undo window closed is refused with the reason; the invoice is synced', async () => {
  const { id, inv, placeholderId } = await waiting('1s');
  assert.equal((await post(`/api/invoices/${id}/review`, { action: 'approve' })).status, 202);
  await stack.waitFor(id, (s) => s.status === 'synced');
  const late = await post(`/api/invoices/${id}/recall`, {});
  assert.equal(late.status, 409);
  assert.match(
    ((await late.json()) as { error: { message: string } }).error.message,
    /Too late to undo: .*sync to Plex has/,
  );
  assert.equal(await stack.placeholderNumber(placeholderId), inv.invoiceNumber);
});

test('an undo window of 0s turns Undo off: the approval syncs at once and a later recall is refused as too late', async () => {
  const { id } = await waiting('0s');
  assert.equal((await post(`/api/invoices/${id}/review`, { action: 'approve' })).status, 202);
  await stack.waitFor(id, (s) => s.status === 'synced');
  const late = await post(`/api/invoices/${id}/recall`, {});
  assert.equal(late.status, 409);
  assert.match(
    ((await late.json()) as { error: { message: string } }).error.message,
    /Too late to undo: .*sync to Plex has/,
  );
});

test('an automatic approval waits out the undo window: a recall in it sends the invoice to review with nothing written', async () => {
  await saveSettings(stack.sql, { ...NONE, undoWindow: '10m' }, 'test');
  const inv = uniqueInvoice();
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  const id = await stack.uploadOne(`${inv.invoiceNumber}.pdf`, await makeInvoicePdf(inv));
  const waitingOut = await stack.waitFor(id, (s) => s.status === 'approved' && !!s.undo);
  assert.equal(waitingOut.undo?.decisionId, 'auto');
  assert.deepEqual(writesOf(inv.invoiceNumber), [], 'the sync waits for the window');

  const recalled = await post(`/api/invoices/${id}/recall`, { decisionId: 'auto', reason: 'not this one' });
  assert.equal(recalled.status, 202, await recalled.clone().text());
  // Back in review, with the reason it is never approved automatically again.
  const back = await stack.waitFor(
    id,
    (s) => s.status === 'awaiting_review' && s.reviewReasons.some((r) => /A clerk has reviewed this invoice/.test(r)),
  );
  assert.deepEqual(
    back.decisions.map((d) => d.action),
    ['auto_approve', 'recall'],
  );
  assert.equal(await stack.placeholderNumber(placeholderIds[0]!), 'Received');
  const [audit] = await stack.sql<{ data: { decisionId: string; reason: string } }[]>`
    select data from audit_log where invoice_id = ${id} and kind = 'review.recalled'`;
  assert.equal(audit?.data.decisionId, 'auto');
  assert.equal(audit?.data.reason, 'not this one');
});

test('an automatic approval whose undo window closed is synced, and a late recall is refused as too late', async () => {
  await saveSettings(stack.sql, { ...NONE, undoWindow: '1s' }, 'test');
  const inv = uniqueInvoice();
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  const id = await stack.uploadOne(`${inv.invoiceNumber}.pdf`, await makeInvoicePdf(inv));
  const synced = await stack.waitFor(id, (s) => s.status === 'synced');
  assert.deepEqual(
    synced.decisions.map((d) => d.action),
    ['auto_approve'],
  );
  const late = await post(`/api/invoices/${id}/recall`, {});
  assert.equal(late.status, 409);
  assert.match(
    ((await late.json()) as { error: { message: string } }).error.message,
    /Too late to undo: .*sync to Plex has/,
  );
  assert.equal(await stack.placeholderNumber(placeholderIds[0]!), inv.invoiceNumber);
  assert.equal(writesOf(inv.invoiceNumber).length, 1);
});
