// Upload results in a real browser (Debian Chromium via playwright-core): each file's status said once,
// a link to its invoice, and the status following the invoice (received → … → awaiting review) without a reload.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({}, (started) => ({ stack, browser } = started));

test('an upload result links to its invoice, says its status once and follows it to review', async () => {
  const inv = uniqueInvoice();
  await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
  const dir = join(tmpdir(), `plexsync-ui-upload-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'follow-me.pdf');
  writeFileSync(file, await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }));

  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/upload`);
  await page.setInputFiles('#files', file);
  await page.getByRole('button', { name: 'Upload' }).click();
  const result = page.locator('#upload-results li').first();
  await result.locator('a').first().waitFor();
  const first = await result.innerText();
  assert.doesNotMatch(first, /(\b\w+\b)\s+\1/i, `no word said twice: "${first}"`);
  const href = await result.locator('a').first().getAttribute('href');
  assert.match(href ?? '', /^\/invoices\/[\w-]+$/);

  // Without a reload, the result follows the workflow until the invoice waits for a clerk.
  await page.waitForFunction(
    () => /Awaiting review|Escalated/.test(document.querySelector('#upload-results li')?.textContent ?? ''),
    undefined,
    { timeout: 60_000 },
  );
  assert.match(await result.innerText(), /Review it/);
  // An unknown invoice has no status to follow.
  assert.equal(
    (await page.request.get(`${stack.url}/upload/status/00000000-0000-4000-8000-000000000000`)).status(),
    404,
  );
  assert.deepEqual(errors, []);
  await page.close();
});
