// Approval policies end to end on the real Temporal server, Postgres and HTTP with the Plex simulator:
// auto-approval only where the rule allows it, two different approvers over 10,000 with four eyes, a
// delegate approving for an away approver, a policy edit that leaves an invoice in flight alone, and an
// escalation per step.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addDelegation, savePolicy } from '../../db/policies.js';
import { Policy, type PolicyInput } from '../../domain/policy.js';
import { csrfFrom, type PageSession } from '../support/browserless-session.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { signedInPeople } from '../support/people.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
let people: Record<string, { email: string; session: PageSession }>;

const step = (name: string, approvers: PolicyInput['rules'][number]['steps'][number]['approvers'], required = 1) => ({
  name,
  approvers,
  required,
  sla: '4s',
});
const policyV1 = (controller: string): PolicyInput => ({
  supplierGroups: [{ name: 'Trusted', suppliers: ['Acme Fasteners'] }],
  rules: [
    {
      name: 'Trusted, small',
      when: { supplierGroup: 'Trusted', amountUpTo: '10000' },
      autoApprove: { allowed: true, threshold: 0.9 },
      steps: [step('AP clerk', { kind: 'role', role: 'clerk' })],
    },
    {
      name: 'Over 10,000',
      when: { amountOver: '10000' },
      autoApprove: { allowed: false, threshold: 1 },
      steps: [
        step('Two clerks', { kind: 'role', role: 'clerk' }, 2),
        step('Controller', { kind: 'users', users: [controller] }),
      ],
    },
    {
      name: 'Everything else',
      when: {},
      autoApprove: { allowed: false, threshold: 1 },
      steps: [step('Controller', { kind: 'users', users: [controller] })],
    },
  ],
});

before(async () => {
  stack = await startStack();
  people = await signedInPeople(stack, [
    ['uploader', 'clerk'],
    ['ann', 'clerk'],
    ['bob', 'clerk'],
    ['controller', 'ops'],
    ['deputy', 'clerk'],
    ['boss', 'admin'],
  ]);
  await savePolicy(stack.sql, Policy.parse(policyV1(people.controller!.email)), 'admin@test.local');
});
after(async () => {
  await stack?.stop();
});

async function csrf(who: string) {
  return csrfFrom(await (await people[who]!.session.fetch('/upload')).text());
}
async function uploadAs(who: string, name: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append('files', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  const res = await people[who]!.session.fetch('/api/invoices', {
    method: 'POST',
    body: form,
    headers: { 'X-CSRF-Token': await csrf(who) },
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { invoices: { id: string }[] }).invoices[0]!.id;
}
/** Approve through the JSON API as a signed-in person. While the workflow is still recording the previous
 * decision it answers "being decided by someone else" (a person would reload): ask again, with a deadline. */
async function approveAs(
  who: string,
  id: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; message?: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await people[who]!.session.fetch(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': await csrf(who) },
      body: JSON.stringify({ action: 'approve', ...extra }),
    });
    const body = (await res.json()) as { error?: { message: string } };
    if (!/being decided by someone else/.test(body.error?.message ?? '') || Date.now() > deadline)
      return { status: res.status, message: body.error?.message };
    await new Promise((r) => setTimeout(r, 150));
  }
}
/** Poll `read` until `done` holds for its result (30 s); fails with the last result. */
async function settles<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value: T | undefined;
  return eventually(
    () => `never settled: ${JSON.stringify(value)}`,
    async () => (done((value = await read())) ? { value } : undefined),
    { timeoutMs: 30_000, intervalMs: 150, rethrow: true },
  ).then((r) => r.value);
}
async function seeded(overrides: Parameters<typeof uniqueInvoice>[0] = {}, unitPrice?: string) {
  const base = uniqueInvoice(overrides);
  const inv = unitPrice ? { ...base, lines: [{ description: 'CNC spindle rebuild', quantity: 3, unitPrice }] } : base;
  await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
  return inv;
}
const waitingAt =
  (stepName: string, approvals = 0) =>
  (s: Awaited<ReturnType<Stack['state']>>) =>
    s.approval?.current !== null &&
    s.approval?.steps[s.approval.current ?? -1]?.name === stepName &&
    s.approval.steps[s.approval.current]!.approvals.length === approvals &&
    ['awaiting_review', 'escalated'].includes(s.status);

describe('approval policies', () => {
  test('a trusted supplier’s invoice under its auto-approve limit syncs with no person', async () => {
    const inv = await seeded();
    const id = await uploadAs('uploader', 'trusted.pdf', await makeInvoicePdf(inv));
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.equal(done.decisions[0]?.action, 'auto_approve');
    assert.equal(done.approval?.rule, 'Trusted, small');
    assert.equal(done.approval?.policyVersion, 1);
  });

  test('over 10,000: two different clerks, then the controller; the uploader and a repeat approver are refused', async () => {
    const inv = await seeded({}, '4500.00');
    const id = await uploadAs('uploader', 'large.pdf', await makeInvoicePdf(inv));
    const waiting = await stack.waitFor(id, waitingAt('Two clerks'));
    assert.equal(waiting.approval?.rule, 'Over 10,000');
    assert.match(waiting.reviewReasons[0] ?? '', /no auto-approval/);

    // Ops can find it stuck at the step by search attribute.
    await eventually(
      'found by the ApprovalStep search attribute',
      async () => {
        for await (const wf of stack.client.workflow.list({
          query: `ApprovalStep = "Two clerks" AND WorkflowId = "${id}"`,
        }))
          if (wf.workflowId === id) return true;
        return false;
      },
      { timeoutMs: 20_000, intervalMs: 200, rethrow: true },
    );

    const own = await approveAs('uploader', id);
    assert.equal(own.status, 409);
    assert.match(own.message ?? '', /Four eyes: .* uploaded this invoice/);
    assert.equal((await approveAs('ann', id)).status, 202);
    await stack.waitFor(id, waitingAt('Two clerks', 1));
    const twice = await approveAs('ann', id);
    assert.equal(twice.status, 409);
    assert.match(twice.message ?? '', /already approved this step/);
    assert.match(
      (await approveAs('uploader', id)).message ?? '',
      /uploaded this invoice/,
      'the uploader is refused as the second approver',
    );
    // The controller step is not theirs yet: a clerk's approval counts for the step that waits.
    assert.equal((await approveAs('bob', id)).status, 202);
    await stack.waitFor(id, waitingAt('Controller'));
    assert.match((await approveAs('bob', id)).message ?? '', /approved an earlier step|not an approver/);
    assert.equal((await approveAs('controller', id)).status, 202);
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.deepEqual(
      done.approval?.steps.map((s) => s.approvals.map((a) => a.actor)),
      [[people.ann!.email, people.bob!.email], [people.controller!.email]],
    );
    const kinds = (
      await settles(
        () =>
          stack.sql<
            { kind: string }[]
          >`select kind from audit_log where invoice_id = ${id} and kind like 'review.%approved' order by seq`,
        (rows) => rows.length >= 3,
      )
    ).map((r) => r.kind);
    assert.deepEqual(kinds, ['review.step_approved', 'review.step_approved', 'review.approved']);
  });

  test('a delegate approves while the controller is away; not before the delegation', async () => {
    const inv = await seeded({ vendorName: 'Globex Industrial Supply' });
    const id = await uploadAs('uploader', 'away.pdf', await makeInvoicePdf(inv));
    await stack.waitFor(id, waitingAt('Controller'));
    assert.match((await approveAs('deputy', id)).message ?? '', /is not an approver of the step "Controller"/);
    await addDelegation(
      stack.sql,
      {
        user: people.controller!.email,
        delegate: people.deputy!.email,
        from: new Date(Date.now() - 60_000),
        to: new Date(Date.now() + 86_400_000),
      },
      people.controller!.email,
    );
    assert.equal((await approveAs('deputy', id)).status, 202);
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    const decision = done.decisions.at(-1)!;
    assert.equal(decision.actor, people.deputy!.email);
    assert.equal(decision.onBehalfOf, people.controller!.email);
  });

  test('a policy edit during review leaves the invoice in flight on its version; new invoices take the new one', async () => {
    const inv = await seeded({ vendorName: 'Initech Components' });
    const id = await uploadAs('uploader', 'in-flight.pdf', await makeInvoicePdf(inv));
    await stack.waitFor(id, waitingAt('Controller'));
    const v2 = policyV1(people.controller!.email);
    v2.rules[2] = { ...v2.rules[2]!, steps: [step('Any clerk', { kind: 'role', role: 'clerk' })] };
    const saved = await savePolicy(stack.sql, Policy.parse(v2), 'admin@test.local');
    assert.ok(saved.saved && saved.version === 2);

    assert.match(
      (await approveAs('ann', id)).message ?? '',
      /not an approver of the step "Controller"/,
      'version 1 still decides',
    );
    const inFlight = await stack.state(id);
    assert.equal(inFlight.approval?.policyVersion, 1);

    const next = await seeded({ vendorName: 'Initech Components' });
    const newId = await uploadAs('uploader', 'after-edit.pdf', await makeInvoicePdf(next));
    const fresh = await stack.waitFor(newId, waitingAt('Any clerk'));
    assert.equal(fresh.approval?.policyVersion, 2);
    assert.equal((await approveAs('ann', newId)).status, 202);
    assert.equal((await approveAs('controller', id)).status, 202);
    await stack.waitFor(id, (s) => s.status === 'synced');
    await stack.waitFor(newId, (s) => s.status === 'synced');
  });

  test('each step escalates after its own SLA', async () => {
    const inv = await seeded({}, '3900.00');
    const id = await uploadAs('uploader', 'slow.pdf', await makeInvoicePdf(inv));
    await stack.waitFor(id, (s) => s.status === 'escalated' && s.approval?.current === 0);
    assert.equal((await approveAs('ann', id)).status, 202);
    await stack.waitFor(id, waitingAt('Two clerks', 1));
    assert.equal((await approveAs('bob', id)).status, 202);
    const second = await stack.waitFor(id, (s) => s.status === 'escalated' && s.approval?.current === 1);
    assert.ok(second.approval?.steps[0]!.escalatedAt && second.approval.steps[1]!.escalatedAt);
    const escalations = await settles(
      () =>
        stack.sql<
          { data: { step: string } }[]
        >`select data from audit_log where invoice_id = ${id} and kind = 'review.escalated' order by seq`,
      (rows) => rows.length >= 2,
    );
    assert.deepEqual(
      escalations.map((e) => e.data.step),
      ['Two clerks', 'Controller'],
    );
  });

  test('a corrected amount re-evaluates the policy; the corrector is kept off later steps; an admin overrides four eyes only explicitly', async () => {
    // The edit test above put version 2 (no controller step for other suppliers) in force: back to version 1's rules.
    await savePolicy(stack.sql, Policy.parse(policyV1(people.controller!.email)), 'admin@test.local');
    const inv = await seeded({ vendorName: 'Umbrella Tooling' });
    const id = await uploadAs('boss', 'corrected.pdf', await makeInvoicePdf(inv));
    await stack.waitFor(id, waitingAt('Controller'));
    assert.equal((await approveAs('controller', id, { corrections: { total: '12000.00' } })).status, 202);
    // Recording a corrected decision re-reads the document to learn from it (bounded at 20 s): allow for it.
    const again = await stack.waitFor(id, waitingAt('Two clerks'), 120_000);
    assert.equal(again.approval?.rule, 'Over 10,000');
    assert.equal(again.approval?.evaluation, 2);
    assert.deepEqual(again.approval?.correctedBy, [people.controller!.email]);

    // The admin uploaded it: refused, and told an override exists; with an override and a reason it counts.
    assert.match((await approveAs('boss', id)).message ?? '', /uploaded this invoice.*An admin may override/);
    assert.match((await approveAs('boss', id, { override: true })).message ?? '', /needs a reason/);
    assert.equal(
      (await approveAs('boss', id, { override: true, reason: 'Controller on leave, CFO signs off' })).status,
      202,
    );
    await stack.waitFor(id, waitingAt('Two clerks', 1));
    assert.equal((await approveAs('ann', id)).status, 202);
    await stack.waitFor(id, waitingAt('Controller'));
    assert.match((await approveAs('controller', id)).message ?? '', /corrected its fields/);
    const audit = await stack.sql<{ kind: string; actor: string; data: { reason?: string } }[]>`
      select kind, actor, data from audit_log where invoice_id = ${id} and kind in ('review.corrected', 'review.four_eyes_override') order by seq`;
    // (both were written before the approvals that followed them were accepted)
    assert.deepEqual(
      audit.map((a) => [a.kind, a.actor]),
      [
        ['review.corrected', people.controller!.email],
        ['review.four_eyes_override', people.boss!.email],
      ],
    );
    assert.equal(audit[1]!.data.reason, 'Controller on leave, CFO signs off');
  });
});
