// The escalation timer: an invoice nobody reviews is marked escalated and audited, then still waits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withStack, type Stack } from '../../testkit/stack.js';
import { uploadForSeededPo } from '../support/seeded-invoice.js';

let stack: Stack;
withStack({ env: { ESCALATE_AFTER: '2s' } }, (started) => (stack = started));

test('an unreviewed invoice escalates after the SLA, is audited, and can still be approved', async () => {
  const { id, placeholderIds } = await uploadForSeededPo(stack, 'ambiguous.pdf', { placeholders: 2 });

  const escalated = await stack.waitFor(id, (s) => s.status === 'escalated');
  assert.equal(escalated.escalated, true);
  assert.equal(escalated.match?.status, 'ambiguous');
  const [row] = await stack.sql<
    { escalated_at: Date | null; status: string }[]
  >`select escalated_at, status from invoices where id = ${id}`;
  assert.equal(row?.status, 'escalated');
  assert.ok(row?.escalated_at);
  const audit = await stack.sql<
    { kind: string }[]
  >`select kind from audit_log where invoice_id = ${id} and kind = 'review.escalated'`;
  assert.equal(audit.length, 1);

  // Ambiguous placeholders cannot be approved blindly.
  const refused = await stack.api(`/api/invoices/${id}/review`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'approve' }),
  });
  assert.equal(refused.status, 409);
  assert.match(((await refused.json()) as { error: { message: string } }).error.message, /placeholders/);

  const sendBack = await stack.api(`/api/invoices/${id}/review`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ action: 'send_back', reason: 'ask AP to remove the duplicate placeholder' }),
  });
  assert.equal(sendBack.status, 202);
  const back = await stack.waitFor(id, (s) => s.decisions.length === 1 && s.status === 'escalated');
  assert.equal(back.decisions[0]?.action, 'send_back');
  assert.equal(placeholderIds.length, 2);
});
