// The document viewer in Chromium: zoom in and out, fit, quarter turns, a page indicator with page
// buttons, and the field boxes following the page through each of them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, axeViolations, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { rotatedInvoicePdf } from '../support/rotated-pdf.js';
import { uploadForSeededPo } from '../support/seeded-invoice.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({}, (started) => ({ stack, browser } = started));

const size = async (page: Page, selector: string) => {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is shown`);
  return box;
};

/** The invoice-number box lies inside the first page's canvas. */
async function boxInsideCanvas(page: Page) {
  const [canvas, box] = [
    await size(page, '#doc-viewer canvas'),
    await size(page, '.field-box[data-field=invoiceNumber]'),
  ];
  assert.ok(
    box.x >= canvas.x - 1 &&
      box.y >= canvas.y - 1 &&
      box.x + box.width <= canvas.x + canvas.width + 1 &&
      box.y + box.height <= canvas.y + canvas.height + 1,
    `box ${JSON.stringify(box)} inside canvas ${JSON.stringify(canvas)}`,
  );
  return { canvas, box };
}

test('zoom, rotate and page through the document; the field boxes follow', async () => {
  const inv = uniqueInvoice();
  // The invoice, and a second page of terms after it.
  const pdf = await PDFDocument.load(await makeInvoicePdf(inv));
  pdf.addPage([595, 842]).drawText('Terms and conditions of sale', {
    x: 50,
    y: 780,
    size: 14,
    font: await pdf.embedFont(StandardFonts.Helvetica),
  });
  const id = await stack.uploadOne('viewer.pdf', await pdf.save());
  await stack.waitFor(id, (s) => s.status === 'awaiting_review' || s.status === 'escalated');
  const { page, errors } = await watchedPage(browser, { viewport: { width: 1440, height: 900 } });
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${id}`);
  await page.locator('.field-box[data-field=invoiceNumber]').waitFor();

  // The whole review page, forms, field table and viewer toolbar included, passes axe-core.
  assert.deepEqual(await axeViolations(page), []);
  const indicator = page.locator('.viewer-page-number');
  assert.equal(await indicator.innerText(), 'Page 1 of 2');
  assert.equal(await page.locator('#doc-viewer canvas').count(), 2);
  const fit = await boxInsideCanvas(page);
  assert.ok(fit.canvas.width > 620, `the document uses the wide screen (${fit.canvas.width}px)`);

  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.waitForFunction(
    (w) => document.querySelector('#doc-viewer canvas')!.getBoundingClientRect().width > w * 1.2,
    fit.canvas.width,
  );
  const zoomed = await boxInsideCanvas(page);
  assert.ok(
    Math.abs(zoomed.box.width / fit.box.width - zoomed.canvas.width / fit.canvas.width) < 0.05,
    'the box grew with the page',
  );
  assert.equal(await page.locator('.viewer-zoom').innerText(), '125%');
  // Focusing a field row lights the redrawn box.
  await page.locator('tr[data-field=invoiceNumber]').focus();
  assert.equal(await page.locator('.field-box.lit').count(), 1);
  assert.equal(await page.locator('.field-box.lit').getAttribute('data-field'), 'invoiceNumber');

  await page.getByRole('button', { name: 'Fit width' }).click();
  await page.getByRole('button', { name: 'Rotate clockwise' }).click();
  await page.waitForFunction(() => {
    const c = document.querySelector('#doc-viewer canvas')!.getBoundingClientRect();
    return c.width > c.height;
  });
  const turned = await boxInsideCanvas(page);
  assert.ok(turned.box.height > turned.box.width, 'the box turned with the page (a line of text now runs down)');

  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForFunction(() => document.querySelector('.viewer-page-number')!.textContent === 'Page 2 of 2');
  assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
  await page.screenshot({ path: join(ARTIFACTS, 'viewer-rotated.png') });
  assert.deepEqual(errors, []);
});

test('a page set upright by /Rotate 90: the field box sits on the invoice number as the page is shown', async () => {
  const id = await stack.uploadOne('rotated.pdf', await rotatedInvoicePdf(90));
  await stack.waitFor(id, (s) => s.status === 'awaiting_review' || s.status === 'escalated');
  const { page, errors } = await watchedPage(browser, { viewport: { width: 1440, height: 900 } });
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${id}`);
  await page.locator('.field-box[data-field=invoiceNumber]').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'viewer-page-rotation.png') });
  const { canvas, box } = await boxInsideCanvas(page);
  assert.ok(canvas.height > canvas.width, 'the page is shown upright (portrait)');
  // the number after "Invoice No.: " drawn at x 330 of 595 points, 720 of 842 up from the bottom: right of
  // the middle, in the top sixth
  const [left, top] = [(box.x - canvas.x) / canvas.width, (box.y - canvas.y) / canvas.height];
  assert.ok(left > 0.6 && left < 0.75 && top > 0.1 && top < 0.2, `box at ${left.toFixed(2)}, ${top.toFixed(2)}`);
  assert.ok(box.width > box.height, 'a line of text runs across');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone (390 px) the viewer and its toolbar fit the screen beside a real match explanation', async () => {
  // Two open placeholders: the page carries the wide table of placeholders to choose from.
  const { id } = await uploadForSeededPo(stack, 'phone-viewer.pdf', { placeholders: 2 });
  await stack.waitFor(id, (s) => s.status === 'awaiting_review' || s.status === 'escalated');
  const { page, errors } = await watchedPage(browser, { viewport: { width: 390, height: 844 } });
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${id}`);
  await page.locator('#doc-viewer canvas').first().waitFor();
  for (const selector of ['#doc-viewer', '.viewer-toolbar', '#doc-viewer canvas']) {
    const box = await size(page, selector);
    assert.ok(box.x >= 0 && box.x + box.width <= 390 + 1, `${selector} fits 390 px: ${JSON.stringify(box)}`);
  }
  assert.ok(
    (await page.evaluate(() => document.documentElement.scrollWidth)) <= 390,
    'the page does not scroll sideways',
  );
  assert.deepEqual(errors, []);
  await page.close();
});
