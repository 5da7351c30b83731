// A clerk in a real browser (Debian Chromium via playwright-core): log in, upload, review with a
// correction, approve, and see the invoice synced. Screenshots go to test-artifacts/.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { upsertUser } from '../../db/users.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({}, (started) => ({ stack, browser } = started));

test('a clerk logs in, uploads, corrects and approves an invoice, and sees it synced', async () => {
  const inv = uniqueInvoice();
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  const dir = join(tmpdir(), `plexsync-browser-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'needs-review.pdf');
  writeFileSync(file, await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }));

  const { page, errors } = await watchedPage(browser);

  await page.goto(`${stack.url}/invoices`);
  await page.screenshot({ path: join(ARTIFACTS, 'login.png') });
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/invoices');

  await page.getByRole('link', { name: 'Upload' }).click();
  await page.setInputFiles('#files', file);
  await page.getByRole('button', { name: 'Upload' }).click();
  // htmx swaps the per-file result into the page without a reload.
  const result = page.locator('#upload-results li').first();
  await result.waitFor();
  assert.match(await result.innerText(), /needs-review\.pdf/);
  await page.screenshot({ path: join(ARTIFACTS, 'upload.png') });
  await result.getByRole('link').click();

  // Wait until the workflow asks for review (reload: the page is server-rendered).
  const reviewButton = page.getByRole('button', { name: 'Approve and sync' });
  for (let i = 0; i < 100 && !(await reviewButton.isVisible()); i++) {
    await page.waitForTimeout(200);
    await page.reload();
  }
  assert.ok(await reviewButton.isVisible(), 'the review form appears');
  assert.match(await page.locator('main').innerText(), /No invoice number was found/);
  await page.screenshot({ path: join(ARTIFACTS, 'review.png'), fullPage: true });
  await page.getByLabel('Invoice number').fill(inv.invoiceNumber);
  await reviewButton.click();
  await page.waitForURL(/done=approve/);

  const badge = page.locator('h1 .badge');
  for (let i = 0; i < 100 && (await badge.innerText()) !== 'Synced'; i++) {
    await page.waitForTimeout(200);
    await page.reload();
  }
  assert.equal(await badge.innerText(), 'Synced');
  await page.screenshot({ path: join(ARTIFACTS, 'synced.png'), fullPage: true });
  const applied = stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderIds[0] && w.applied);
  assert.equal(applied.length, 1);
  assert.deepEqual((applied[0]!.body as { invoiceNumber: string }).invoiceNumber, inv.invoiceNumber);

  await page.goto(`${stack.url}/invoices?status=synced`);
  assert.match(await page.locator('table.queue').innerText(), new RegExp(inv.invoiceNumber));
  await page.screenshot({ path: join(ARTIFACTS, 'queue.png') });
  assert.deepEqual(errors, [], 'no script or CSP errors in the browser console');
});

test('several files dropped at once each show their own progress and result', async () => {
  const dir = join(tmpdir(), `plexsync-browser-multi-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const good = await makeInvoicePdf(uniqueInvoice());
  const files = {
    'first.pdf': good,
    'second.pdf': await makeInvoicePdf(uniqueInvoice()),
    'broken.pdf': new TextEncoder().encode('not a pdf'),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, 'again.pdf'), good);

  const page = await browser.newPage();
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/upload`);
  await page.setInputFiles(
    '#files',
    [...Object.keys(files), 'again.pdf'].map((n) => join(dir, n)),
  );
  await page.getByRole('button', { name: 'Upload' }).click();
  const items = page.locator('#upload-results li');
  await page.waitForFunction(
    () =>
      document.querySelectorAll('#upload-results li').length === 4 &&
      !document.querySelector('#upload-results li.pending'),
  );
  const texts = await items.allInnerTexts();
  assert.ok(
    texts.some((t) => /broken\.pdf: .*not a PDF/.test(t)),
    texts.join(' | '),
  );
  assert.ok(
    texts.some((t) => /Already received/.test(t)),
    'the second copy of a file is flagged',
  );
  // Each file taken links to its invoice (the second copy to the same one); the broken file does not.
  assert.equal(await items.filter({ has: page.locator('a[href^="/invoices/"]') }).count(), 3, texts.join(' | '));
  await page.screenshot({ path: join(ARTIFACTS, 'upload-several.png') });
});

test('keyboard-only review of three invoices, with the document shown and fields highlighted on it', async () => {
  const specs = [uniqueInvoice(), uniqueInvoice(), uniqueInvoice()];
  await seedPurchaseOrder(stack.plex, {
    poNumber: specs[0]!.poNumber,
    supplier: specs[0]!.vendorName,
    lines: specs[0]!.lines,
  });
  await seedPurchaseOrder(stack.plex, {
    poNumber: specs[2]!.poNumber,
    supplier: specs[2]!.vendorName,
    lines: specs[2]!.lines,
  });
  const ids: string[] = [];
  for (const [i, spec] of specs.entries()) {
    // 1 and 3 lack their invoice number (the clerk types it); 2 names a PO Plex does not know (rejected).
    const bytes = await makeInvoicePdf(i === 1 ? spec : { ...spec, omit: ['invoiceNumber'] });
    ids.push(await stack.uploadOne(`kb-${i}.pdf`, bytes));
    await stack.waitFor(ids[i]!, (s) => s.status === 'awaiting_review');
  }
  // Older invoices from other tests are decided first so these three are the review queue; those still
  // being read are waited for, or they would join the queue in the middle of the test.
  await eventually(
    'older invoices settled',
    async () =>
      (await stack.sql`select 1 from invoices where status in ('received','parsing','matching') and id <> all(${ids})`)
        .length === 0,
    { timeoutMs: 120_000, intervalMs: 200, rethrow: true },
  );
  for (const row of await stack.sql<
    { id: string }[]
  >`select id from invoices where status in ('awaiting_review','escalated') and id <> all(${ids})`) {
    await stack.api(`/api/invoices/${row.id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'reject', reason: 'cleanup' }),
    });
    await stack.waitFor(row.id, (s) => s.status === 'rejected');
  }

  const { page, errors } = await watchedPage(browser);
  await page.goto(`${stack.url}/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/invoices');
  await page.goto(`${stack.url}/invoices/${ids[0]}`);

  // The PDF is rendered and each located field has a box; focusing a field row lights its box.
  await page.locator('#doc-viewer canvas').first().waitFor();
  await page.locator('.field-box[data-field=vendorName]').waitFor();
  await page.locator('tr[data-field=vendorName]').focus();
  assert.equal(await page.locator('.field-box.lit').count(), 1);
  assert.equal(await page.locator('.field-box.lit').getAttribute('data-field'), 'vendorName');
  await page.screenshot({ path: join(ARTIFACTS, 'review-highlight.png'), fullPage: true });
  assert.match(await page.locator('.shortcuts').innerText(), /approve and sync/);

  // 1: e → type the invoice number → Esc → a approves (Enter in a field decides nothing); the next invoice opens.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('e');
  await page.keyboard.type(specs[0]!.invoiceNumber);
  await page.keyboard.press('Escape');
  await page.keyboard.press('a');
  await page.waitForURL(new RegExp(`/invoices/${ids[1]}\\?done=approve`));
  // 2: r → reason → Tab to Reject → Enter.
  await page.keyboard.press('r');
  await page.keyboard.type('Not our PO');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.value), 'reject');
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/invoices/${ids[2]}\\?done=reject`));
  // 3: same as 1.
  await page.keyboard.press('e');
  await page.keyboard.type(specs[2]!.invoiceNumber);
  await page.keyboard.press('Escape');
  await page.keyboard.press('a');
  await page.waitForURL(/done=approve/);

  const final = await Promise.all(ids.map((id) => stack.result(id)));
  assert.deepEqual(
    final.map((s) => s.status),
    ['synced', 'rejected', 'synced'],
  );
  assert.equal(final[0]!.sync.writtenInvoiceNumber, specs[0]!.invoiceNumber);
  assert.deepEqual(errors, []);
});

test('in the browser: ops replay a failed sync; a clerk is kept out of ops and admin pages; a forged form is refused; a script-tag vendor is text', async () => {
  const clerk = { email: 'browser-clerk@test.local', password: 'browser clerk password' };
  await upsertUser(stack.sql, {
    email: clerk.email,
    displayName: 'Browser Clerk',
    role: 'clerk',
    passwordHash: await hashPassword(clerk.password),
  });
  const inv = uniqueInvoice({ vendorName: 'Acme <script>alert(1)</script> GmbH' });
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
  const id = await stack.uploadOne('replay-me.pdf', await makeInvoicePdf(inv));
  // Approved by a clerk, or automatically when it reads confidently; either way the write fails.
  const first = await stack.waitFor(id, (s) => s.status === 'awaiting_review' || s.status === 'sync_failed');
  if (first.status === 'awaiting_review') {
    await stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve' }),
    });
  }
  await stack.waitFor(id, (s) => s.status === 'sync_failed');
  stack.plex.store.clearFaults();

  const page = await browser.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  const login = async (who: { email: string; password: string }) => {
    await page.goto(`${stack.url}/login`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/invoices');
  };

  await login(ADMIN);
  await page.goto(`${stack.url}/syncs/failed`);
  const row = page.locator(`#failed-${id}`);
  assert.match(await row.innerText(), /<script>alert\(1\)<\/script>/, 'the vendor shows as text');
  await page.screenshot({ path: join(ARTIFACTS, 'failed-syncs.png'), fullPage: true });
  await row.getByRole('button', { name: 'Replay' }).click();
  await page.waitForURL(new RegExp(`/invoices/${id}`));
  await stack.waitFor(id, (s) => s.status === 'synced');
  assert.equal(stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderIds[0] && w.applied).length, 1);

  // A form whose CSRF token was tampered with is refused.
  await page.goto(`${stack.url}/syncs/failed`);
  await page.evaluate(() =>
    document.querySelectorAll<HTMLInputElement>('input[name=_csrf]').forEach((i) => (i.value = 'forged')),
  );
  const [forged] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.evaluate(() => document.querySelector<HTMLFormElement>('form.logout')!.submit()),
  ]);
  assert.equal(forged.status(), 403);
  await page.waitForURL('**/logout');
  assert.match(await page.locator('body').innerText(), /CSRF/);

  await page.context().clearCookies();
  await login(clerk);
  for (const path of ['/syncs/failed', '/admin/users', '/admin/tokens']) {
    const r = await page.goto(`${stack.url}${path}`);
    assert.equal(r?.status(), 403, path);
  }
  await page.goto(`${stack.url}/invoices/${id}`);
  assert.match(await page.locator('h1').innerText(), /<script>alert\(1\)<\/script>/);
  assert.equal(dialogs, 0, 'no script ran');
});
