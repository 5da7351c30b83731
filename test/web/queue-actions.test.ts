// Acting on invoices from the queue: assigning an invoice to a named clerk (validated against the users
// who may review, audited as assigned, reassigned, released) and one decision for several ticked invoices
// — approve only those that pass every check, reject with one reason, assign — over the JSON API, the
// no-JavaScript form and in Chromium (the 5-s refresh keeps the ticks; Enter in the reason decides nothing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { upsertUser } from '../../db/users.js';
import type { BulkOutcome } from '../../domain/invoice.js';
import { axeViolations, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
// Automatic approval off: clean invoices wait for a clerk, as under a site policy that wants one.
withStackAndBrowser({ env: { AUTO_APPROVE_THRESHOLD: '1.01' } }, (started) => ({ stack, browser } = started));

const json = (path: string, body: unknown) =>
  stack.api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const auditKinds = async (id: string) =>
  await stack.sql<{ kind: string; data: { assignee: string | null; previous: string | null } }[]>`
    select kind, data from audit_log where invoice_id = ${id} and kind in ('invoice.assigned', 'invoice.reassigned', 'invoice.released') order by seq`;

/** A clean invoice (its PO and placeholder fit) waiting for review; `off` makes its lines and amount differ. */
async function waiting(opts: { off?: boolean; noNumber?: boolean } = {}) {
  const inv = uniqueInvoice();
  const poLines = opts.off ? inv.lines.map((l) => ({ ...l, quantity: l.quantity + 40 })) : inv.lines;
  const {
    placeholderIds: [placeholderId],
  } = await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: poLines });
  const id = await stack.uploadOne(
    `${inv.invoiceNumber}.pdf`,
    await makeInvoicePdf({ ...inv, omit: opts.noNumber ? ['invoiceNumber'] : [] }),
  );
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  return { id, inv, placeholderId: placeholderId! };
}

test('assigning to a named clerk: only users who may review, audited as assigned, reassigned and released', async () => {
  await upsertUser(stack.sql, {
    email: 'dana@test.local',
    displayName: 'Dana Clerk',
    role: 'clerk',
    passwordHash: 'x',
  });
  const gone = await upsertUser(stack.sql, {
    email: 'gone@test.local',
    displayName: 'Gone',
    role: 'clerk',
    passwordHash: 'x',
  });
  await stack.sql`update users set disabled = true where id = ${gone.id}`;
  const { id } = await waiting();

  assert.equal((await json(`/api/invoices/${id}/assign`, { assignee: 'Dana@Test.local' })).status, 200);
  assert.equal((await stack.sql`select assigned_to from invoices where id = ${id}`)[0]!.assigned_to, 'dana@test.local');
  assert.equal((await json(`/api/invoices/${id}/assign`, { assignee: ADMIN.email })).status, 200);
  for (const nobody of ['gone@test.local', 'nobody@test.local']) {
    const refused = await json(`/api/invoices/${id}/assign`, { assignee: nobody });
    assert.equal(refused.status, 422, nobody);
    assert.match(await refused.text(), /not a user who can review invoices/);
  }
  assert.equal((await json(`/api/invoices/${id}/assign`, { assignee: 'not an address' })).status, 400);
  assert.equal((await json(`/api/invoices/${id}/assign`, { assignee: null })).status, 200);
  assert.deepEqual(
    (await auditKinds(id)).map((a) => [a.kind, a.data.assignee, a.data.previous]),
    [
      ['invoice.assigned', 'dana@test.local', null],
      ['invoice.reassigned', ADMIN.email, 'dana@test.local'],
      ['invoice.released', null, ADMIN.email],
    ],
  );
  assert.equal((await stack.sql`select assigned_to from invoices where id = ${id}`)[0]!.assigned_to, null);
});

test('bulk approval takes only the invoices that pass every check; the others stay, each with why; a bulk rejection takes one reason', async () => {
  const clean = await waiting();
  const off = await waiting({ off: true });
  const unnumbered = await waiting({ noNumber: true });
  const res = await json('/api/invoices/bulk', {
    action: 'approve',
    ids: [clean.id, off.id, unnumbered.id, 'inv-000000000000000000000000'],
  });
  assert.equal(res.status, 200, await res.clone().text());
  const { outcomes } = (await res.json()) as { outcomes: BulkOutcome[] };
  const by = new Map(outcomes.map((o) => [o.invoiceId, o]));
  assert.equal(by.get(clean.id)?.outcome, 'approved');
  assert.equal(by.get(off.id)?.outcome, 'skipped');
  assert.match(by.get(off.id)?.reason ?? '', /placeholder|amount|quantit|line/i);
  assert.equal(by.get(unnumbered.id)?.outcome, 'skipped');
  assert.match(by.get(unnumbered.id)?.reason ?? '', /No invoice number/);
  assert.equal(by.get('inv-000000000000000000000000')?.outcome, 'skipped');

  await stack.waitFor(clean.id, (s) => s.status === 'synced');
  assert.equal(await stack.placeholderNumber(clean.placeholderId), clean.inv.invoiceNumber);
  assert.equal(await stack.placeholderNumber(off.placeholderId), 'Received', 'nothing written for a skipped invoice');
  const [approval] = await stack.sql<
    { actor: string }[]
  >`select actor from audit_log where invoice_id = ${clean.id} and kind = 'review.approved'`;
  assert.ok(approval, 'the approval is audited like any other');

  const rejected = (await (
    await json('/api/invoices/bulk', {
      action: 'reject',
      ids: [off.id, unnumbered.id],
      reason: 'Duplicate paper copies',
    })
  ).json()) as { outcomes: BulkOutcome[] };
  assert.deepEqual(
    rejected.outcomes.map((o) => o.outcome),
    ['rejected', 'rejected'],
  );
  for (const { id } of [off, unnumbered])
    assert.equal((await stack.waitFor(id, (s) => s.status === 'rejected')).status, 'rejected');
  assert.equal(
    (await json('/api/invoices/bulk', { action: 'reject', ids: [clean.id] })).status,
    400,
    'a rejection needs its reason',
  );
  assert.equal((await json('/api/invoices/bulk', { action: 'approve', ids: [] })).status, 400);
  assert.equal(
    (await json('/api/invoices/bulk', { action: 'approve', ids: Array.from({ length: 51 }, (_, i) => `inv-${i}`) }))
      .status,
    400,
  );
});

test('in Chromium: tick invoices in the queue, the refresh keeps the ticks, Enter in the reason decides nothing, Reject applies to the ticked ones', async () => {
  const a = await waiting();
  const b = await waiting();
  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices?status=awaiting_review`);
  const box = (id: string) => page.locator(`input[name=ids][value="${id}"]`);
  await box(a.id).check();
  await box(b.id).check();
  // The rows refresh every 5 s; the ticks survive it.
  await page.waitForResponse((r) => r.url().includes('/invoices/rows'), { timeout: 8_000 });
  await page.waitForTimeout(200);
  assert.equal(await box(a.id).isChecked(), true);
  assert.equal(await box(b.id).isChecked(), true);
  assert.deepEqual(await axeViolations(page), []);

  await page.getByLabel('Rejection reason').fill('Not ours');
  await page.getByLabel('Rejection reason').press('Enter');
  await page.waitForTimeout(500);
  assert.match(page.url(), /\/invoices\?status=awaiting_review$/, 'Enter in the reason submits nothing');
  assert.equal((await stack.state(a.id)).status, 'awaiting_review');

  await page.getByRole('button', { name: 'Reject with this reason' }).click();
  await page.waitForURL('**/invoices/bulk');
  assert.match(await page.getByRole('status').innerText(), /2 of 2 invoices rejected/);
  assert.equal(await page.locator('table.bulk-results tbody tr').count(), 2);
  assert.deepEqual(await axeViolations(page), []);
  for (const { id } of [a, b]) await stack.waitFor(id, (s) => s.status === 'rejected');

  // Without a choice of action (the form posted by hand), nothing happens and the page says so.
  const refused = await page.request.post(`${stack.url}/invoices/bulk`, {
    form: { _csrf: await page.locator('input[name=_csrf]').first().inputValue(), ids: a.id },
  });
  assert.equal(refused.status(), 422);
  assert.match(await refused.text(), /Choose what to do/);
  assert.deepEqual(errors, []);
});

test('in Chromium: the invoice page assigns to a named clerk from a list', async () => {
  await upsertUser(stack.sql, {
    email: 'erin@test.local',
    displayName: 'Erin Clerk',
    role: 'clerk',
    passwordHash: 'x',
  });
  const { id } = await waiting();
  const { page } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${id}`);
  await page.getByLabel('Assign to a clerk').selectOption('erin@test.local');
  await page.getByRole('button', { name: 'Assign', exact: true }).click();
  await page.waitForURL(`**/invoices/${id}`);
  assert.match((await page.locator('form.assign').textContent()) ?? '', /Assigned to erin@test\.local/);
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await page.waitForURL(`**/invoices/${id}`);
  assert.match(
    (await page.locator('form.assign').textContent()) ?? '',
    new RegExp(`Assigned to ${ADMIN.email.replace('.', '\\.')}`),
  );
  assert.deepEqual(
    (await auditKinds(id)).map((a) => a.kind),
    ['invoice.assigned', 'invoice.reassigned'],
  );
});
