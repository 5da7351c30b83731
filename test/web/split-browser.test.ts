// A file that held several invoices, in Chromium: its page lists the parts and moves the split with the
// keyboard alone; a part's page links back to the file; no axe-core violations at desktop and phone widths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { PDFDocument } from 'pdf-lib';
import { axeViolations, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({}, (started) => ({ stack, browser } = started));

test('the file page lists its invoices; Move the split by keyboard replaces the parts; both pages pass axe at 1440 and 390 px', async () => {
  const invoices = [uniqueInvoice({ vendorName: 'Acme Fasteners' }), uniqueInvoice({ vendorName: 'Acme Fasteners' })];
  const merged = await PDFDocument.create();
  for (const inv of invoices) {
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    const src = await PDFDocument.load(await makeInvoicePdf(inv));
    for (const page of await merged.copyPages(src, src.getPageIndices())) merged.addPage(page);
  }
  const source = await stack.uploadOne('scanner-batch.pdf', await merged.save());
  const split = await stack.waitFor(source, (s) => s.status === 'split');
  for (const p of split.split!.parts) await stack.waitFor(p.invoiceId, (s) => s.status === 'awaiting_review');

  for (const width of [1440, 390]) {
    const { page, errors } = await watchedPage(browser, { viewport: { width, height: 900 } });
    await logIn(page, stack.url, ADMIN);
    await page.goto(`${stack.url}/invoices/${source}`);
    const table = page.getByRole('region', { name: 'Invoices in this file' });
    assert.match(
      await table.innerText(),
      new RegExp(`${invoices[0]!.invoiceNumber}[\\s\\S]*${invoices[1]!.invoiceNumber}`),
    );
    assert.deepEqual(await axeViolations(page), [], `file page at ${width} px`);
    await page.goto(`${stack.url}/invoices/${split.split!.parts[1]!.invoiceId}`);
    assert.match(await page.locator('.part-of').innerText(), /This invoice is page 2 of the file scanner-batch\.pdf/);
    assert.deepEqual(await axeViolations(page), [], `part page at ${width} px`);
    assert.deepEqual(errors, []);
    await page.close();
  }

  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${source}`);
  const pages = page.getByLabel(/Move the split/);
  await pages.focus();
  await pages.fill('1-2');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/split=moved/);
  assert.match(await page.locator('main').innerText(), /Split moved/);
  assert.match(await page.getByRole('region', { name: 'Invoices in this file' }).innerText(), /^1-2\b/m);
  for (const p of split.split!.parts) await stack.waitFor(p.invoiceId, (s) => s.status === 'rejected');
  assert.deepEqual(errors, []);
});
