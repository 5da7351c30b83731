// The comment thread in Chromium: a question posted from the invoice page appears in the thread without
// a reload (htmx), takes the focus, and the page stays free of accessibility violations and script errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { axeViolations, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({}, (started) => ({ stack, browser } = started));

test('a clerk posts a question from the invoice page: it joins the thread, has the focus, and axe finds nothing', async () => {
  const id = await stack.uploadOne('browser-comment.pdf', await makeInvoicePdf(uniqueInvoice()));
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${id}`);

  await page.getByLabel('Add a comment or a question').fill('Did receiving count <all> the boxes?');
  await page.getByLabel('Question — pauses escalation until answered').check();
  await page.getByRole('button', { name: 'Post' }).click();
  const item = page.locator('#comments ol.thread > li').first();
  await item.getByText('Did receiving count <all> the boxes?').waitFor();
  assert.equal(page.url(), `${stack.url}/invoices/${id}`, 'no page load: htmx swapped the thread');
  // htmx moves the focus to the autofocus element when the swap settles, a moment after the text shows.
  await page
    .waitForFunction(() => /^comment-\d+$/.test(document.activeElement?.id ?? ''), undefined, { timeout: 5000 })
    .catch(() => undefined);
  assert.match(
    await page.evaluate(() => document.activeElement?.id ?? ''),
    /^comment-\d+$/,
    'the new question has the focus',
  );
  assert.equal(await page.getByLabel('Add a comment or a question').inputValue(), '', 'the form is empty again');
  await page.getByText('1 open question').waitFor();
  assert.deepEqual(await axeViolations(page), []);

  await page.getByRole('button', { name: 'Mark answered' }).click();
  await page.getByText(/Answered — marked by/).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});
