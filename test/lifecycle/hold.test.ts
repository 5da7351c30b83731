// Hold for goods receipt, on the real Temporal server: an invoice whose PO has no "Received" placeholder
// yet is held by a clerk; the workflow looks at Plex again on a schedule and, once the goods are received
// (receipts and a placeholder appear), goes on by itself to auto-approval and the sync. A hold that sees no
// receipt before it ends comes back to review with the reason; a clerk's decision ends a hold at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withStack, type Stack } from '../../testkit/stack.js';
import { uploadForSeededPo } from '../support/seeded-invoice.js';

let stack: Stack;
// Re-checks every second (doubling), held at most 8 s: the test, not the clock, is the slow part.
withStack({ env: { HOLD_RECHECK: '1s', HOLD_MAX: '8s' } }, (started) => (stack = started));

const review = (id: string, body: object) =>
  stack.api(`/api/invoices/${id}/review`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const auditKinds = async (id: string) =>
  (await stack.sql<{ kind: string }[]>`select kind from audit_log where invoice_id = ${id} order by seq`).map(
    (r) => r.kind,
  );

/** An invoice for a PO whose goods have not been received: no receipt, no placeholder. */
async function notReceived(name: string) {
  const { id, inv, purchaseOrderId } = await uploadForSeededPo(stack, `${name}.pdf`, { placeholders: 0 });
  const waiting = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  assert.equal(waiting.match?.status, 'no_placeholder');
  assert.match(waiting.match.reason, /no receipt in Plex yet/);
  return { id, inv, purchaseOrderId };
}

describe('hold for goods receipt', () => {
  test('held, the goods arrive in Plex, the invoice is matched again by itself, auto-approved and written once', async () => {
    const { id, inv, purchaseOrderId } = await notReceived('held');
    assert.equal((await review(id, { action: 'hold', reason: 'goods due Friday' })).status, 202);
    const held = await stack.waitFor(id, (s) => s.status === 'on_hold');
    assert.ok(held.hold && held.hold.actor && Date.parse(held.hold.until) > Date.parse(held.hold.since));
    await stack.waitFor(id, (s) => (s.hold?.checks ?? 0) >= 1); // it looked, nothing yet

    const { placeholderId } = stack.plex.store.receiveGoods(purchaseOrderId);
    const done = await stack.waitFor(
      id,
      (s) => s.status === 'synced' || s.status === 'awaiting_review' || s.status === 'sync_failed',
    );
    assert.equal(
      done.status,
      'synced',
      `${done.status}: ${done.reviewReasons.join(' | ')} ${done.sync.lastError ?? ''}`,
    );
    assert.equal(done.match?.placeholder?.id, placeholderId);
    assert.equal(done.decisions.at(-1)?.action, 'auto_approve');
    const writes = stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderId && w.applied);
    assert.equal(writes.length, 1);
    assert.equal((writes[0]!.body as { invoiceNumber?: string }).invoiceNumber, inv.invoiceNumber);
    const kinds = await auditKinds(id);
    for (const kind of ['review.held', 'hold.receipt_arrived', 'review.auto_approved', 'sync.succeeded'])
      assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(', ')}`);
  });

  test('no receipt before the hold ends: back to review with the reason, nothing written', async () => {
    const { id, inv } = await notReceived('held-too-long');
    assert.equal((await review(id, { action: 'hold' })).status, 202);
    await stack.waitFor(id, (s) => s.status === 'on_hold');
    const back = await stack.waitFor(id, (s) => s.status === 'awaiting_review' && s.hold === null, 60_000);
    assert.ok(
      back.errors.some((e) => /Held for goods receipt until .*no "Received" placeholder appeared/.test(e)),
      back.errors.join(' | '),
    );
    assert.ok((await auditKinds(id)).includes('hold.expired'));
    assert.deepEqual(
      stack.plex.store.writes.filter((w) => (w.body as { invoiceNumber?: string }).invoiceNumber === inv.invoiceNumber),
      [],
    );
  });

  test('a clerk rejecting a held invoice ends the hold at once; a matched invoice cannot be held', async () => {
    const { id } = await notReceived('held-then-rejected');
    assert.equal((await review(id, { action: 'hold' })).status, 202);
    await stack.waitFor(id, (s) => s.status === 'on_hold');
    assert.equal((await review(id, { action: 'hold' })).status, 409, 'already on hold');
    assert.equal((await review(id, { action: 'reject', reason: 'PO cancelled' })).status, 202);
    const rejected = await stack.waitFor(id, (s) => s.status === 'rejected');
    assert.deepEqual(
      rejected.decisions.map((d) => d.action),
      ['hold', 'reject'],
    );

    const { id: ambiguous } = await uploadForSeededPo(stack, 'two-placeholders.pdf', { placeholders: 2 });
    await stack.waitFor(ambiguous, (s) => s.status === 'awaiting_review');
    const refused = await review(ambiguous, { action: 'hold' });
    assert.equal(refused.status, 409);
    assert.match(
      ((await refused.json()) as { error: { message: string } }).error.message,
      /Only an invoice whose PO has no "Received" placeholder yet/,
    );
  });
});
