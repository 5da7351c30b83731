// An admin in a real browser (Debian Chromium via playwright-core) opens the dashboard, settings, users
// and API tokens pages: the charts render, htmx runs the Plex connection test, a token is created, and
// nothing trips the CSP (no console errors). Screenshots go to test-artifacts/.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { ADMIN, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({ worker: false }, (started) => ({ stack, browser } = started));

/** A few weeks of invoices straight into the read model, so every chart has something to draw. */
async function seedRecentInvoices() {
  const vendors = ['Acme Fasteners Inc.', 'Bolt & Nut GmbH', 'Westfield Steel', 'Precision Castings'];
  const errors = ['PUT /accounting/v1/ap-invoices/…: 503 from Plex', 'PUT /accounting/v1/ap-invoices/…: 401 from Plex'];
  for (let i = 0; i < 40; i++) {
    const bytes = randomBytes(32);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const createdAt = new Date(Date.now() - ((i * 7) % 27) * 86_400_000 - i * 60_000);
    const status = i % 9 === 0 ? 'sync_failed' : i % 5 === 0 ? 'awaiting_review' : 'synced';
    await stack.sql`insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name)
      values (${sha}, ${bytes}, ${bytes.length}, 'application/pdf', 1, 'seed.pdf')`;
    await stack.sql`
      insert into invoices (id, document_sha256, file_name, status, uploaded_by, vendor_name, currency, total,
                            auto_approved, synced_at, last_error, created_at)
      values (${`inv-${sha.slice(0, 24)}`}, ${sha}, 'seed.pdf', ${status}, 'seed', ${vendors[i % vendors.length]!},
              ${i % 3 === 0 ? 'EUR' : 'USD'}, ${`${100 + i * 37}.50`}, ${status === 'awaiting_review' ? null : i % 4 !== 0},
              ${status === 'synced' ? new Date(createdAt.getTime() + (1 + (i % 6)) * 3_600_000) : null},
              ${status === 'sync_failed' ? errors[i % 2]! : null}, ${createdAt})`;
  }
}

test('an admin opens the dashboard, settings, users and API tokens pages without script or CSP errors', async () => {
  await seedRecentInvoices();
  const { page, errors } = await watchedPage(browser, { viewport: { width: 1280, height: 900 } });

  await logIn(page, stack.url, ADMIN);

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.waitForURL('**/dashboard');
  assert.equal(await page.locator('#stat-invoices').innerText(), '40');
  const perDay = page.getByRole('img', { name: 'Invoices uploaded per day' });
  assert.ok((await perDay.boundingBox())!.height > 100, 'the per-day chart has room to draw');
  assert.ok((await perDay.locator('rect').count()) >= 30, 'one bar per day');
  assert.ok(await page.getByRole('img', { name: 'Invoices per vendor (top 10)' }).isVisible());
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL('**/admin/settings');
  await page.getByLabel('Auto-approve threshold').fill('0.97');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.waitForURL('**/admin/settings?saved=1');
  assert.equal(await page.getByLabel('Auto-approve threshold').inputValue(), '0.97');
  await page.getByRole('button', { name: 'Test connection' }).click();
  // htmx swaps the result into the box without leaving the page.
  await page.locator('#plex-result .flash.ok').waitFor();
  assert.match(await page.locator('#plex-result').innerText(), /Connected/);
  assert.match(page.url(), /\/admin\/settings\?saved=1$/);
  await page.screenshot({ path: join(ARTIFACTS, 'settings.png'), fullPage: true });

  await page.getByRole('link', { name: 'Users' }).click();
  await page.waitForURL('**/admin/users');
  await page.getByLabel('Email', { exact: true }).fill('browser.clerk@test.local');
  await page.getByLabel('Name', { exact: true }).fill('Browser Clerk');
  await page.getByLabel('Initial password (at least 12 characters)').fill('a long enough password');
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.waitForURL('**/admin/users?done=created');
  assert.match(await page.locator('table.users').innerText(), /browser\.clerk@test\.local/);
  await page.screenshot({ path: join(ARTIFACTS, 'users.png'), fullPage: true });

  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.waitForURL('**/admin/tokens');
  await page.getByLabel(/^Name/).fill('scanner upload');
  await page.getByLabel(/invoices:write/).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  assert.match(await page.locator('#new-token').innerText(), /^psk_/);
  await page.screenshot({ path: join(ARTIFACTS, 'tokens.png'), fullPage: true });

  assert.deepEqual(errors, [], 'no script or CSP errors in the browser console');
});
