// Approval policies together with the review safeguards, on the real Temporal server, Postgres and HTTP with
// the Plex simulator: each step's approval has the undo window (a recall takes that step's approval back,
// the next approver waits for the window) and honours the clerk's placeholder choice, confirmed in Plex.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { savePolicy } from '../../db/policies.js';
import { NO_STORED_SETTINGS as NONE, saveSettings } from '../../db/settings.js';
import { Policy, type PolicyInput } from '../../domain/policy.js';
import { csrfFrom, type PageSession } from '../support/browserless-session.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { signedInPeople } from '../support/people.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let people: Record<string, { email: string; session: PageSession }>;
const SOLO = 'Globex Industrial Supply';

const policy = (controller: string): PolicyInput => ({
  supplierGroups: [{ name: 'Solo', suppliers: [SOLO] }],
  rules: [
    {
      name: 'One step',
      when: { supplierGroup: 'Solo' },
      autoApprove: { allowed: false, threshold: 1 },
      steps: [{ name: 'Controller', approvers: { kind: 'users', users: [controller] }, required: 1, sla: '1h' }],
    },
    {
      name: 'Two steps',
      when: {},
      autoApprove: { allowed: false, threshold: 1 },
      steps: [
        { name: 'Clerk', approvers: { kind: 'role', role: 'clerk' }, required: 1, sla: '1h' },
        { name: 'Controller', approvers: { kind: 'users', users: [controller] }, required: 1, sla: '1h' },
      ],
    },
  ],
});

before(async () => {
  stack = await startStack();
  people = await signedInPeople(stack, [
    ['uploader', 'clerk'],
    ['ann', 'clerk'],
    ['controller', 'ops'],
  ]);
  await savePolicy(stack.sql, Policy.parse(policy(people.controller!.email)), 'admin@test.local');
});
after(async () => {
  await stack?.stop();
});

async function postAs(
  who: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: { decisionId?: string; error?: { message: string } } }> {
  const session = people[who]!.session;
  const csrf = csrfFrom(await (await session.fetch('/upload')).text());
  const res = await session.fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { decisionId?: string; error?: { message: string } } };
}
const approveAs = (who: string, id: string, extra: Record<string, unknown> = {}) =>
  postAs(who, `/api/invoices/${id}/review`, { action: 'approve', ...extra });
const writesOf = (invoiceNumber: string) =>
  stack.plex.store.writes.filter(
    (w) => (w.body as { invoiceNumber?: string } | undefined)?.invoiceNumber === invoiceNumber,
  );
const waitingAt =
  (stepName: string, approvals = 0) =>
  (s: Awaited<ReturnType<Stack['state']>>) =>
    s.approval?.current !== null &&
    s.approval?.steps[s.approval.current ?? -1]?.name === stepName &&
    s.approval.steps[s.approval.current]!.approvals.length === approvals &&
    s.status === 'awaiting_review' &&
    !s.undo;

/** An invoice uploaded under the given undo window (fixed per invoice at its start), waiting at `step`. */
async function waiting(undoWindow: string, step: string, opts: { vendorName?: string; placeholders?: number } = {}) {
  await saveSettings(stack.sql, { ...NONE, undoWindow }, 'test');
  const inv = uniqueInvoice(opts.vendorName ? { vendorName: opts.vendorName } : {});
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
    placeholders: opts.placeholders,
  });
  const form = new FormData();
  form.append('files', new Blob([(await makeInvoicePdf(inv)) as Uint8Array<ArrayBuffer>]), `${inv.invoiceNumber}.pdf`);
  const session = people.uploader!.session;
  const res = await session.fetch('/api/invoices', {
    method: 'POST',
    body: form,
    headers: { 'X-CSRF-Token': csrfFrom(await (await session.fetch('/upload')).text()) },
  });
  assert.equal(res.status, 201);
  const id = ((await res.json()) as { invoices: { id: string }[] }).invoices[0]!.id;
  const state = await stack.waitFor(id, waitingAt(step));
  return { id, inv, placeholderIds, state };
}

test('a step approval waits out the undo window: the next approver waits for it, a recall takes only that approval back', async () => {
  const { id, inv } = await waiting('10m', 'Clerk');
  const approved = await approveAs('ann', id);
  assert.equal(approved.status, 202);
  const inWindow = await stack.waitFor(id, (s) => s.undo?.decisionId === approved.body.decisionId);
  assert.equal(inWindow.approval?.steps[0]!.approvals.length, 1);
  assert.equal(inWindow.approval?.current, 0, 'the next step starts only when the window has closed');

  const early = await approveAs('controller', id);
  assert.equal(early.status, 409);
  assert.match(early.body.error?.message ?? '', /can still be undone until/);

  const recalled = await postAs('ann', `/api/invoices/${id}/recall`, {
    decisionId: approved.body.decisionId,
    reason: 'wrong supplier',
  });
  assert.equal(recalled.status, 202, JSON.stringify(recalled.body));
  const back = await stack.waitFor(id, waitingAt('Clerk', 0));
  assert.deepEqual(
    back.decisions.map((d) => d.action),
    ['approve', 'recall'],
  );
  const kinds = (
    await stack.sql<
      { kind: string }[]
    >`select kind from audit_log where invoice_id = ${id} and kind like 'review.%' order by seq`
  ).map((r) => r.kind);
  assert.deepEqual(
    kinds.filter((k) => k !== 'review.required'),
    ['review.step_approved', 'review.recalled'],
  );

  assert.equal(
    (await postAs('ann', `/api/invoices/${id}/review`, { action: 'reject', reason: 'not ours' })).status,
    202,
  );
  assert.equal((await stack.result(id)).status, 'rejected');
  assert.deepEqual(writesOf(inv.invoiceNumber), []);
});

test('the last step’s approval is recalled inside the window: the step waits again and nothing is written', async () => {
  const { id, inv, placeholderIds } = await waiting('10m', 'Controller', { vendorName: SOLO });
  const approved = await approveAs('controller', id);
  assert.equal(approved.status, 202);
  const inWindow = await stack.waitFor(id, (s) => s.status === 'approved' && !!s.undo);
  assert.equal(inWindow.approval?.current, null);
  assert.equal((await postAs('controller', `/api/invoices/${id}/recall`, {})).status, 202);
  const back = await stack.waitFor(id, waitingAt('Controller', 0));
  assert.equal(back.approval?.steps[0]!.doneAt, null);
  assert.deepEqual(writesOf(inv.invoiceNumber), []);
  assert.equal(await stack.placeholderNumber(placeholderIds[0]!), 'Received');
  assert.equal(
    (await postAs('controller', `/api/invoices/${id}/review`, { action: 'reject', reason: 'duplicate' })).status,
    202,
  );
  assert.equal((await stack.result(id)).status, 'rejected');
});

test('under a policy the first step’s approver chooses the placeholder; Plex confirms it and the sync writes only it', async () => {
  const { id, inv, placeholderIds, state } = await waiting('0s', 'Clerk', { placeholders: 2 });
  assert.equal(state.match?.status, 'ambiguous');
  const unchosen = await approveAs('ann', id);
  assert.equal(unchosen.status, 409);
  assert.match(unchosen.body.error?.message ?? '', /Choose one of the placeholders/);
  const chosen = placeholderIds[1]!;
  assert.equal((await approveAs('ann', id, { placeholderId: chosen })).status, 202);
  const second = await stack.waitFor(id, waitingAt('Controller'));
  assert.equal(second.match?.status, 'matched');
  assert.equal(second.match?.placeholder?.id, chosen);
  assert.equal((await approveAs('controller', id)).status, 202);
  const done = await stack.waitFor(id, (s) => s.status === 'synced');
  assert.equal(done.sync.placeholderId, chosen);
  assert.equal(await stack.placeholderNumber(chosen), inv.invoiceNumber);
  assert.equal(await stack.placeholderNumber(placeholderIds[0]!), 'Received');
  const [audit] = await stack.sql<
    { data: { step: string; placeholderChoice?: { placeholderId: string; confirmedOpenInPlex: boolean } } }[]
  >`
    select data from audit_log where invoice_id = ${id} and kind = 'review.step_approved'`;
  assert.equal(audit?.data.step, 'Clerk');
  assert.equal(audit?.data.placeholderChoice?.placeholderId, chosen);
  assert.equal(audit?.data.placeholderChoice?.confirmedOpenInPlex, true);
});

test('under a policy a chosen placeholder closed in Plex meanwhile is refused: the step’s approval does not count', async () => {
  const { id, inv, placeholderIds } = await waiting('0s', 'Clerk', { placeholders: 2 });
  stack.plex.store.apInvoices.get(placeholderIds[0]!)!.status = 'Closed';
  assert.equal((await approveAs('ann', id, { placeholderId: placeholderIds[0]! })).status, 202);
  const back = await stack.waitFor(id, (s) => s.errors.some((e) => /no longer an open "Received" placeholder/.test(e)));
  assert.equal(back.approval?.current, 0);
  assert.equal(back.approval?.steps[0]!.approvals.length, 0);
  assert.equal(back.match?.status, 'ambiguous');
  assert.deepEqual(writesOf(inv.invoiceNumber), []);
});
