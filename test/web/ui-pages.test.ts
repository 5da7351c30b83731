// Page layout in a real browser (Debian Chromium via playwright-core): every main page fits a 390-px
// phone (no sideways scrolling, Log out on screen), and checkboxes sit beside their labels.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, axeViolations, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { ADMIN, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({ worker: false }, (started) => ({ stack, browser } = started));

const PAGES = [
  '/invoices',
  '/upload',
  '/syncs/failed',
  '/dashboard',
  '/admin/settings',
  '/admin/policy',
  '/account/delegations',
  '/admin/notifications',
  '/admin/users',
  '/admin/tokens',
  '/admin/ingestion',
  '/account/preferences',
];

/** An invoice waiting for review (read model only: the page shows it without its workflow). */
async function waitingInvoice(): Promise<string> {
  const id = randomUUID();
  const bytes = Buffer.from(`%PDF-1.4 ${id}`);
  const sha = createHash('sha256').update(bytes).digest('hex');
  await stack.sql`insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name)
                  values (${sha}, ${bytes}, ${bytes.length}, 'application/pdf', 1, 'phone.pdf')`;
  await stack.sql`insert into invoices (id, document_sha256, file_name, status, uploaded_by, vendor_name, invoice_number, total, currency, confidence)
                  values (${id}, ${sha}, 'phone.pdf', 'awaiting_review', 'test', 'A vendor with a rather long trading name Ltd', 'INV-PHONE-1', '1234.56', 'USD', 0.8)`;
  return id;
}

test('without JavaScript the review page links to the document instead of saying it is loading', async () => {
  const { page } = await watchedPage(browser, { javaScriptEnabled: false });
  await logIn(page, stack.url, ADMIN);
  const id = await waitingInvoice();
  await page.goto(`${stack.url}/invoices/${id}`);
  const status = page.locator('#doc-viewer .viewer-status');
  assert.doesNotMatch(await status.innerText(), /loading/i);
  assert.equal(
    await status.getByRole('link', { name: 'Open the document' }).getAttribute('href'),
    `/invoices/${id}/document`,
  );
});

test('at 390×844 every main page fits the screen and Log out is reachable', async () => {
  const { page } = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
  await logIn(page, stack.url, ADMIN);
  const id = await waitingInvoice();
  const tooWide: string[] = [];
  for (const path of [...PAGES, `/invoices/${id}`]) {
    await page.goto(`${stack.url}${path}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) tooWide.push(`${path}: ${width}px`);
    const logout = await page.locator('header .logout button').boundingBox();
    assert.ok(
      logout && logout.x >= 0 && logout.x + logout.width <= 390,
      `${path}: Log out is on screen (${JSON.stringify(logout)})`,
    );
  }
  await page.goto(`${stack.url}/invoices`);
  await page.screenshot({ path: join(ARTIFACTS, 'queue-phone.png'), fullPage: true });
  assert.deepEqual(tooWide, [], 'no page scrolls sideways at 390 px');
  await page.close();
});

test('axe-core finds no WCAG 2.1 A/AA violation on any main page, at desktop and phone width', async () => {
  const found: string[] = [];
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 390, height: 844 },
  ]) {
    const { page } = await watchedPage(browser, { viewport });
    await logIn(page, stack.url, ADMIN);
    const id = await waitingInvoice();
    for (const path of [...PAGES, `/invoices/${id}`, '/login']) {
      await page.goto(`${stack.url}${path}`);
      for (const v of await axeViolations(page)) found.push(`${viewport.width}px ${path}: ${v}`);
    }
    await page.close();
  }
  assert.deepEqual(found, []);
});

test('checkboxes on the notifications and ingestion pages sit beside their labels', async () => {
  const { page } = await watchedPage(browser, { viewport: { width: 1440, height: 900 } });
  await logIn(page, stack.url, ADMIN);
  for (const path of ['/admin/notifications', '/admin/ingestion']) {
    await page.goto(`${stack.url}${path}`);
    const gaps = await page.locator('label:has(> input[type=checkbox])').evaluateAll((labels) =>
      labels.map((label) => {
        const box = label.querySelector('input')!;
        const text = document.createRange();
        text.setStartAfter(box);
        text.setEnd(label, label.childNodes.length);
        // From the checkbox's left edge: a stretched checkbox draws its tick mid-box, far from the text.
        return {
          label: label.textContent.trim(),
          gap: text.getBoundingClientRect().left - box.getBoundingClientRect().left,
        };
      }),
    );
    assert.ok(gaps.length > 0, `${path} has checkboxes`);
    const far = gaps.filter((g) => g.gap > 32);
    assert.deepEqual(far, [], `${path}: each label starts within 32 px of its checkbox's left edge`);
  }
  await page.close();
});
