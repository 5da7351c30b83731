// No dead ends on the review page, in Chromium: a PO with several open placeholders offers them to choose
// from (the choice is checked against Plex again and kept as evidence), a failed sync whose placeholder
// vanished can be re-matched or rejected, and every correctable field is prefilled with its notes, the
// invoice number checked like a Plex write.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { invoiceTotals, makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { uploadForSeededPo } from '../support/seeded-invoice.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({}, (started) => ({ stack, browser } = started));

const writesOf = (invoiceNumber: string) =>
  stack.plex.store.writes.filter(
    (w) => (w.body as { invoiceNumber?: string } | undefined)?.invoiceNumber === invoiceNumber,
  );

async function reviewPage(id: string): Promise<Page> {
  const { page } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${id}`);
  await page.getByRole('button', { name: 'Approve and sync' }).waitFor();
  return page;
}

test('a PO with two open placeholders: the clerk picks one by radio button, Plex is asked again, the choice is the audit evidence', async () => {
  const { id, inv, placeholderIds } = await uploadForSeededPo(stack, 'two-placeholders.pdf', { placeholders: 2 });
  const waiting = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  assert.equal(waiting.match?.status, 'ambiguous');
  const page = await reviewPage(id);

  const radios = page.getByRole('radio');
  assert.equal(await radios.count(), 2);
  assert.match(await page.locator('.placeholder-choice').innerText(), new RegExp(`PO ${inv.poNumber} · amount`));
  // Approving without a choice is refused with what to do.
  await page.getByRole('button', { name: 'Approve and sync' }).click();
  assert.match(await page.locator('.flash.error').innerText(), /Choose one of the placeholders/);

  const chosen = placeholderIds[1]!;
  await page.locator(`input[type=radio][value="${chosen}"]`).check();
  await page.getByRole('button', { name: 'Approve and sync' }).click();
  await page.waitForURL(/done=approve/);
  const done = await stack.waitFor(id, (s) => s.status === 'synced');
  assert.equal(done.sync.placeholderId, chosen);
  assert.equal(await stack.placeholderNumber(chosen), inv.invoiceNumber);
  assert.equal(await stack.placeholderNumber(placeholderIds[0]!), 'Received');
  const [audit] = await stack.sql<
    { data: { placeholderChoice?: { placeholderId: string; confirmedOpenInPlex: boolean } } }[]
  >`
    select data from audit_log where invoice_id = ${id} and kind = 'review.approved'`;
  assert.equal(audit?.data.placeholderChoice?.placeholderId, chosen);
  assert.equal(audit?.data.placeholderChoice?.confirmedOpenInPlex, true);
});

test('a chosen placeholder closed in Plex before the approval is refused on the fresh read; nothing is written', async () => {
  const { id, inv, placeholderIds } = await uploadForSeededPo(stack, 'closed-choice.pdf', { placeholders: 2 });
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  const page = await reviewPage(id);
  await page.locator(`input[type=radio][value="${placeholderIds[0]}"]`).check();
  stack.plex.store.apInvoices.get(placeholderIds[0]!)!.status = 'Closed';
  await page.getByRole('button', { name: 'Approve and sync' }).click();
  const back = await stack.waitFor(id, (s) => s.status === 'awaiting_review' && s.errors.length > 0);
  assert.match(back.errors.join(' '), /no longer an open "Received" placeholder/);
  assert.deepEqual(writesOf(inv.invoiceNumber), []);
});

test('a failed sync whose placeholder vanished is re-matched to the new placeholder and synced, or rejected', async () => {
  const setUp = async (name: string) => {
    const { id, inv, placeholderIds } = await uploadForSeededPo(stack, `${name}.pdf`, {
      invoice: { vendorName: 'Acme Fasteners' },
    });
    await stack.waitFor(id, (s) => s.status === 'awaiting_review');
    const gone = structuredClone(stack.plex.store.apInvoices.get(placeholderIds[0]!)!);
    stack.plex.store.apInvoices.delete(gone.id);
    const approve = await stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve' }),
    });
    assert.equal(approve.status, 202);
    const failed = await stack.waitFor(id, (s) => s.status === 'sync_failed');
    assert.equal(failed.sync.lastErrorType, 'PlaceholderGone');
    return { id, inv, gone };
  };

  const first = await setUp('gone-rematch');
  // Goods received again: Plex has a new placeholder for the PO.
  const fresh = randomUUID();
  stack.plex.store.apInvoices.set(fresh, { ...first.gone, id: fresh });
  const { page } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${first.id}`);
  assert.match(await page.locator('.failed-decisions').innerText(), /no longer exists in Plex/);
  await page.getByRole('button', { name: /Re-match/ }).click();
  await stack.waitFor(first.id, (s) => s.status === 'awaiting_review' && s.match?.placeholder?.id === fresh);
  await page.goto(`${stack.url}/invoices/${first.id}`);
  await page.getByRole('button', { name: 'Approve and sync' }).click();
  const synced = await stack.waitFor(first.id, (s) => s.status === 'synced');
  assert.equal(synced.sync.placeholderId, fresh);
  assert.equal(await stack.placeholderNumber(fresh), first.inv.invoiceNumber);

  const second = await setUp('gone-reject');
  await page.goto(`${stack.url}/invoices/${second.id}`);
  await page.locator('.failed-decisions #reason').fill('Goods returned');
  await page.keyboard.press('Enter');
  const rejected = await stack.result(second.id);
  assert.equal(rejected.status, 'rejected');
  assert.equal(rejected.decisions.at(-1)?.reason, 'Goods returned');
  assert.deepEqual(writesOf(second.inv.invoiceNumber), []);
});

test('all nine fields are prefilled with the values in force and their notes; due date, tax and currency can be corrected; a bad invoice number is refused with the reason', async () => {
  const inv = { ...uniqueInvoice({ vendorName: 'Acme Fasteners' }), dueDate: '2026-11-30', taxRate: '8.25' };
  await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
  const id = await stack.uploadOne('nine-fields.pdf', await makeInvoicePdf(inv));
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  const page = await reviewPage(id);
  const totals = invoiceTotals(inv);
  const value = (name: string) => page.locator(`#c-${name}`).inputValue();
  assert.equal(await value('invoiceNumber'), inv.invoiceNumber);
  assert.equal(await value('poNumber'), inv.poNumber);
  assert.equal(await value('total'), totals.total);
  assert.equal(await value('tax'), totals.tax);
  assert.equal(await value('subtotal'), totals.subtotal);
  assert.equal(await value('dueDate'), inv.dueDate);
  assert.equal(await value('currency'), 'USD');
  assert.ok(await page.locator('#c-invoiceDate').isVisible());
  assert.ok((await page.locator('.correction .field-notes').count()) > 0, "the fields' notes are shown");

  // An invoice number with a right-to-left override is refused with the reason, nothing decided.
  await page.locator('#c-invoiceNumber').fill(`INV\u202E-1`);
  await page.getByRole('button', { name: 'Approve and sync' }).click();
  assert.match(await page.locator('.flash.error').innerText(), /Invoice number: .*(control|invisible|text-direction)/);
  assert.equal((await stack.state(id)).decisions.length, 0);

  await page.locator('#c-dueDate').fill('2026-12-15');
  await page.locator('#c-currency').fill('CAD');
  await page.getByRole('button', { name: /Send back/ }).click();
  const back = await stack.waitFor(id, (s) => s.decisions.length === 1 && s.status === 'awaiting_review');
  assert.deepEqual(
    back.decisions[0]?.corrections,
    { dueDate: '2026-12-15', currency: 'CAD' },
    'only what changed is a correction',
  );
});

test('goods not received: the page says so and offers Hold for goods receipt; held, it shows the next check and still offers the decisions', async () => {
  const { id } = await uploadForSeededPo(stack, 'not-received.pdf', { placeholders: 0 });
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  const page = await reviewPage(id);
  assert.match(await page.locator('.match').innerText(), /no receipt in Plex yet: the goods have not been received/);
  await page.getByRole('button', { name: 'Hold for goods receipt' }).click();
  await stack.waitFor(id, (s) => s.status === 'on_hold');
  await page.goto(`${stack.url}/invoices/${id}`);
  const notice = page.locator('.flash.hold');
  await notice.waitFor();
  assert.match(await notice.innerText(), /On hold for goods receipt since .* next check .* held at most until/s);
  assert.equal(await page.getByRole('button', { name: 'Hold for goods receipt' }).count(), 0);
  await page.getByLabel('Reason for rejecting (required to reject)').fill('PO cancelled');
  await page.getByRole('button', { name: 'Reject' }).click();
  await stack.waitFor(id, (s) => s.status === 'rejected');
});
