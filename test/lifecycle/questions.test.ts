// A question on an invoice's thread keeps it from escalating: the review SLA stands still from the
// question until its answer, then runs on; a plain comment changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, withStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

const SLA_MS = 3_000;
let stack: Stack;
withStack(
  { env: { ESCALATE_AFTER: `${SLA_MS / 1000}s`, QUESTIONS_PAUSE_ESCALATION: 'true' } },
  (started) => (stack = started),
);

/** An invoice matched ambiguously (two placeholders): it waits for a clerk and would escalate after the SLA. */
async function waitingInvoice(name: string): Promise<string> {
  const inv = uniqueInvoice();
  await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
    placeholders: 2,
  });
  const id = await stack.uploadOne(`${name}.pdf`, await makeInvoicePdf(inv));
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  return id;
}

async function post(
  path: string,
  body?: unknown,
): Promise<{ status: number; json: { comment: { id: string }; notes: string[] } }> {
  const res = await stack.api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { comment: { id: string }; notes: string[] } };
}

test('an open question keeps the invoice from escalating past the SLA; once answered it escalates', async () => {
  const id = await waitingInvoice('question');
  const asked = await post(`/api/invoices/${id}/comments`, {
    body: 'Is the freight line ours? @buyer',
    kind: 'question',
  });
  assert.equal(asked.status, 201);
  assert.match(
    asked.json.notes.join(' '),
    /No user @buyer/,
    'an unknown mention is reported, the question still stands',
  );
  const open = await stack.waitFor(id, (s) => (s.openQuestions ?? []).includes(asked.json.comment.id), 10_000);
  assert.equal(open.status, 'awaiting_review');

  // Well past the SLA, the invoice still waits unescalated (checked against the workflow all along).
  const until = Date.now() + SLA_MS * 2.5;
  while (Date.now() < until) {
    const s = await stack.state(id);
    assert.equal(s.escalated, false, 'escalated while a question was open');
    await new Promise((r) => setTimeout(r, 250));
  }

  const answeredAt = Date.now();
  const answered = await post(`/api/invoices/${id}/comments/${asked.json.comment.id}/answer`);
  assert.equal(answered.status, 200);
  const escalated = await stack.waitFor(id, (s) => s.status === 'escalated', 30_000);
  assert.deepEqual(escalated.openQuestions, []);
  // The clock ran on with what it had left, not a fresh SLA (generous bound for a loaded machine).
  assert.ok(Date.now() - answeredAt < SLA_MS + 5_000, `escalated ${Date.now() - answeredAt} ms after the answer`);
  const kinds = (
    await stack.sql<{ kind: string }[]>`select kind from audit_log where invoice_id = ${id} order by seq`
  ).map((r) => r.kind);
  const asks = kinds.indexOf('comment.question_asked');
  const answers = kinds.indexOf('comment.question_answered');
  assert.ok(asks >= 0 && answers > asks && kinds.indexOf('review.escalated') > answers, kinds.join(', '));
});

test('a plain comment does not pause escalation', async () => {
  const id = await waitingInvoice('comment');
  const commented = await post(`/api/invoices/${id}/comments`, { body: 'Looking into it.' });
  assert.equal(commented.status, 201);
  const escalated = await stack.waitFor(id, (s) => s.status === 'escalated', 30_000);
  assert.equal(escalated.openQuestions, undefined);
});
