// The review page in Chromium where a clerk's keystroke becomes a Plex write: Enter never approves, a
// rejection typed and confirmed with Enter is a rejection, and an approval can be taken back with Undo (u)
// while its undo window is open, before anything is written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
// A long undo window: the test, not the clock, decides when the clerk presses Undo.
withStackAndBrowser({ env: { UNDO_WINDOW: '10m' } }, (started) => ({ stack, browser } = started));

/** An invoice with its number, matched to one placeholder, waiting for a clerk (the vendor reads weakly). */
async function waitingInvoice(name: string) {
  const inv = uniqueInvoice({ vendorName: 'Acme Fasteners' });
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  const id = await stack.uploadOne(`${name}.pdf`, await makeInvoicePdf(inv));
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  return { id, inv, placeholderId: placeholderIds[0]! };
}

/** Decide every other waiting invoice, so the one under test has no neighbour to move on to. */
async function clearQueue(except: string[]) {
  for (const row of await stack.sql<
    { id: string }[]
  >`select id from invoices where status in ('awaiting_review','escalated') and id <> all(${except})`) {
    await stack.api(`/api/invoices/${row.id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'reject', reason: 'cleanup' }),
    });
    await stack.waitFor(row.id, (s) => s.status === 'rejected');
  }
}

const writesOf = (invoiceNumber: string) =>
  stack.plex.store.writes.filter(
    (w) => (w.body as { invoiceNumber?: string } | undefined)?.invoiceNumber === invoiceNumber,
  );
const auditKinds = async (id: string) =>
  (await stack.sql<{ kind: string }[]>`select kind from audit_log where invoice_id = ${id} order by seq`).map(
    (r) => r.kind,
  );

async function openInvoice(page: Page, id: string) {
  await page.goto(`${stack.url}/invoices/${id}`);
  await page.getByRole('button', { name: 'Approve and sync' }).waitFor();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
}

test('r, a reason and Enter reject the invoice: nothing is approved or written to Plex', async () => {
  const { id, inv } = await waitingInvoice('reject-enter');
  await clearQueue([id]);
  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await openInvoice(page, id);

  await page.keyboard.press('r');
  await page.keyboard.type('Not our order');
  await page.keyboard.press('Enter');
  await page.waitForURL(/done=reject/);

  const final = await stack.result(id);
  assert.equal(final.status, 'rejected');
  assert.deepEqual(
    final.decisions.map((d: { action: string; reason?: string }) => [d.action, d.reason]),
    [['reject', 'Not our order']],
  );
  assert.deepEqual(writesOf(inv.invoiceNumber), [], 'nothing was written to Plex');
  const kinds = await auditKinds(id);
  assert.ok(kinds.includes('review.rejected') && !kinds.includes('review.approved'), kinds.join(', '));
  assert.deepEqual(errors, []);
});

test('Enter in a correction field decides nothing; the only decision taken is the one the clerk chose', async () => {
  const { id, inv } = await waitingInvoice('enter-in-field');
  await clearQueue([id]);
  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await openInvoice(page, id);

  await page.keyboard.press('e');
  await page.keyboard.type('-X');
  await page.keyboard.press('Enter');
  // Still the same invoice, still waiting: the clerk then rejects it on purpose.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('r');
  await page.keyboard.type('Wrong vendor');
  await page.keyboard.press('Enter');
  await page.waitForURL(/done=reject/);

  const final = await stack.result(id);
  assert.deepEqual(
    final.decisions.map((d: { action: string; reason?: string }) => d.action),
    ['reject'],
  );
  assert.deepEqual(writesOf(inv.invoiceNumber), []);
  assert.deepEqual(writesOf(`${inv.invoiceNumber}-X`), []);
  assert.deepEqual(errors, []);
});

test('a form post that names no decision is refused and decides nothing', async () => {
  const { id } = await waitingInvoice('no-decision');
  const { page } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await openInvoice(page, id);
  // What an implicit submit of the old form sent: the fields and no decision button.
  const status = await page.evaluate(async (invoiceId) => {
    const form = new FormData(document.querySelector<HTMLFormElement>('form.review-approve')!);
    form.delete('decision');
    form.delete('action');
    return (await fetch(`/invoices/${invoiceId}/review`, { method: 'POST', body: form })).status;
  }, id);
  assert.equal(status, 422);
  assert.equal((await stack.state(id)).status, 'awaiting_review');
  assert.equal((await stack.state(id)).decisions.length, 0);
});

test('after approving, the next page names the invoice and its decision; Undo (u) takes it back before anything is written', async () => {
  const first = await waitingInvoice('undo-me');
  const second = await waitingInvoice('next-in-line');
  await clearQueue([first.id, second.id]);
  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await openInvoice(page, first.id);

  await page.keyboard.press('a');
  await page.waitForURL(new RegExp(`/invoices/${second.id}\\?`));
  const notice = page.locator('.decision-notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), new RegExp(`Approved.*${first.inv.invoiceNumber}`, 's'));
  assert.match(await notice.innerText(), /Undo/);
  assert.equal((await stack.state(first.id)).status, 'approved', 'the approval waits in its undo window');

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('u');
  await page.waitForURL(new RegExp(`/invoices/${first.id}`));
  const back = await stack.waitFor(first.id, (s) => s.status === 'awaiting_review');
  assert.deepEqual(
    back.decisions.map((d) => d.action),
    ['approve', 'recall'],
  );
  assert.deepEqual(writesOf(first.inv.invoiceNumber), [], 'nothing was written to Plex');
  assert.ok((await auditKinds(first.id)).includes('review.recalled'));
  assert.match(await page.locator('main').innerText(), /taken back/i);
  assert.deepEqual(errors, []);
});

test('an automatic approval waits out its undo window too: its page says so, and Undo (u) sends it to review with nothing written', async () => {
  const inv = uniqueInvoice();
  await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
  const id = await stack.uploadOne('auto-undo.pdf', await makeInvoicePdf(inv));
  const waitingOut = await stack.waitFor(id, (s) => s.status === 'approved' && !!s.undo);
  assert.deepEqual(
    waitingOut.decisions.map((d) => d.action),
    ['auto_approve'],
  );
  assert.equal(waitingOut.undo?.actor, 'system');

  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${id}`);
  const pending = page.locator('.pending-approval');
  await pending.waitFor();
  assert.match(
    await pending.innerText(),
    /Approved automatically\. It is written to Plex at \d\d:\d\d:\d\d UTC unless someone undoes it/,
  );
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('u');
  await page.waitForURL(/recalled=1/);
  const back = await stack.waitFor(
    id,
    (s) => s.status === 'awaiting_review' && s.reviewReasons.some((r) => /A clerk has reviewed this invoice/.test(r)),
  );
  assert.deepEqual(
    back.decisions.map((d) => d.action),
    ['auto_approve', 'recall'],
  );
  assert.deepEqual(writesOf(inv.invoiceNumber), [], 'nothing was written to Plex');
  assert.deepEqual((await auditKinds(id)).filter((k) => k.startsWith('review.')).slice(0, 3), [
    'review.auto_approved',
    'review.recalled',
    'review.required',
  ]);
  assert.equal(await page.locator('.pending-approval').count(), 0);
  assert.deepEqual(errors, []);
});

test('a clerk who turns keyboard shortcuts off in Preferences decides nothing by pressing a key; the buttons still work', async () => {
  const { id } = await waitingInvoice('no-shortcuts');
  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  const setShortcuts = async (on: boolean) => {
    await page.goto(`${stack.url}/account/preferences`);
    await page.getByLabel('Keyboard shortcuts').setChecked(on);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=saved/);
  };
  await setShortcuts(false);
  try {
    await openInvoice(page, id);
    for (const key of ['a', 's', 'r']) {
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press(key);
    }
    await page.waitForTimeout(1_000); // what a shortcut would have done has had time to start
    assert.equal(page.url(), `${stack.url}/invoices/${id}`);
    const state = await stack.state(id);
    assert.equal(state.status, 'awaiting_review');
    assert.deepEqual(state.decisions, []);
    assert.ok((await auditKinds(id)).every((k) => !k.startsWith('review.') || k === 'review.required'));
    // The buttons are the way to decide.
    await page.getByRole('button', { name: 'Send back (re-match)' }).click();
    await stack.waitFor(id, (s) => s.decisions.some((d) => d.action === 'send_back'));
  } finally {
    await setShortcuts(true);
  }
  assert.deepEqual(errors, []);
});
