// Picking a correction's value off the document in Chromium: with the invoice number field focused, a
// click on a word of the page fills it and becomes its highlight and provenance; a dragged box takes the
// words inside (an amount normalised as the server parses it). The decision carries the box, the stored
// decision keeps it, and learning takes the place the clerk picked (not the first place the value is
// printed). The words endpoint answers only whoever may see the document; a box off the document is refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser } from 'playwright-core';
import { createApiToken } from '../../db/users.js';
import { ARTIFACTS, axeViolations, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { invoiceTotals, makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({}, (started) => ({ stack, browser } = started));

const CODE = 'QX-7731';

/** An invoice whose number is not under a label the extraction knows: it is printed twice, in a sentence and in the footer. */
async function invoiceWithLooseNumber() {
  const inv = uniqueInvoice();
  const pdf = await PDFDocument.load(await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.getPage(0);
  page.drawText(`Please quote ${CODE} with your payment`, { x: 50, y: 110, size: 10, font });
  page.drawText(CODE, { x: 480, y: 40, size: 10, font });
  return { inv, bytes: await pdf.save() };
}

test('click a word to fill the focused field; drag a box over an amount; the decision and learning get the box', async () => {
  const { inv, bytes } = await invoiceWithLooseNumber();
  const id = await stack.uploadOne('pick.pdf', bytes);
  const ready = await stack.waitFor(id, (s) => s.status === 'awaiting_review' || s.status === 'escalated');
  assert.notEqual(ready.extraction?.fields.invoiceNumber.value, CODE, 'the extraction did not read the number itself');

  // Whoever may not see the document may not see its words either.
  const uploadOnly = (
    await createApiToken(stack.sql, { name: 'upload only', userId: null, scopes: ['invoices:write'] })
  ).token;
  const refused = await fetch(`${stack.url}/api/invoices/${id}/words`, {
    headers: { authorization: `Bearer ${uploadOnly}` },
  });
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /invoices:read/);
  const anonymous = await fetch(`${stack.url}/invoices/${id}/words`, { redirect: 'manual' });
  assert.equal(anonymous.status, 302, 'the page route sends nobody to the login page');
  assert.match(anonymous.headers.get('location') ?? '', /^\/login/);
  const words = await stack.api(`/api/invoices/${id}/words`);
  assert.equal(words.status, 200);
  const body = (await words.json()) as {
    pages: { page: number; width: number; words: { text: string; box: number[] }[] }[];
  };
  assert.equal(body.pages[0]?.width, 612);
  assert.equal(body.pages[0]?.words.filter((w) => w.text === CODE).length, 2, 'both printings of the number are words');

  // A box on a page the document does not have, or off its page, is refused with what is wrong (422), and nothing is decided.
  const review = (provenance: unknown) =>
    stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'send_back', corrections: { invoiceNumber: CODE }, provenance }),
    });
  const offDocument = await review({ invoiceNumber: { page: 2, box: { x: 480, y: 38, width: 40, height: 11 } } });
  assert.equal(offDocument.status, 422);
  assert.equal(
    ((await offDocument.json()) as { error: { message: string } }).error.message,
    'Invoice number: the box was picked on page 2, but the document has 1 page.',
  );
  const offPage = await review({ invoiceNumber: { page: 1, box: { x: 600, y: 38, width: 40, height: 11 } } });
  assert.equal(offPage.status, 422);
  assert.equal(
    ((await offPage.json()) as { error: { message: string } }).error.message,
    'Invoice number: the box picked on page 1 lies outside the page (612 × 792).',
  );
  assert.equal((await stack.state(id)).decisions.length, 0);

  const { page, errors } = await watchedPage(browser, { viewport: { width: 1440, height: 900 } });
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices/${id}`);
  await page.locator('#doc-viewer canvas').first().waitFor();
  // The targets are there only while a correction field has focus.
  assert.equal(
    await page
      .locator('.word-target')
      .first()
      .isVisible()
      .catch(() => false),
    false,
  );

  await page.locator('#c-invoiceNumber').focus();
  const targets = page.locator(`.word-target[data-text="${CODE}"]`);
  await targets.nth(1).waitFor();
  assert.equal(await page.locator('#pick-hint').isVisible(), true, 'the hint says values can be picked');
  assert.deepEqual(await axeViolations(page), []);
  // Shift-click adds a word, joined in reading order whatever the order of the clicks.
  await targets.nth(0).click();
  await page.locator('.word-target[data-text="quote"]').click({ modifiers: ['Shift'] });
  assert.equal(await page.locator('#c-invoiceNumber').inputValue(), `quote ${CODE}`);
  // A plain click starts again: the footer's printing, the second in reading order.
  await targets.nth(1).click();
  assert.equal(await page.locator('#c-invoiceNumber').inputValue(), CODE);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'c-invoiceNumber', 'the field keeps the focus');
  const picked = page.locator('.field-box.picked[data-field=invoiceNumber]');
  await picked.waitFor();
  const [pickedBox, footerWord] = [await picked.boundingBox(), await targets.nth(1).boundingBox()];
  assert.ok(
    pickedBox && footerWord && Math.abs(pickedBox.y - footerWord.y) < 4 && Math.abs(pickedBox.x - footerWord.x) < 4,
    'the highlight is on the word clicked',
  );
  const provenance = await page.locator('input[name="provenance.invoiceNumber"]').inputValue();
  assert.match(provenance, /^1,4\d\d(\.\d)?,\d\d(\.\d)?,/, `the footer's box: ${provenance}`);

  // Drag a box over the printed total ("$1,234.56") with the total field focused: the server's spelling.
  const total = invoiceTotals(inv).total;
  await page.locator('#c-total').fill(''); // prefilled with the same total: empty it, so the drag is what fills it
  // The last amount on the page is the total's.
  const printedTotal = page.locator('.word-target[data-text^="$"]').last();
  const t = await printedTotal.boundingBox();
  assert.ok(t);
  await page.mouse.move(t.x - 6, t.y - 4);
  await page.mouse.down();
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 3 });
  await page.mouse.move(t.x + t.width + 6, t.y + t.height + 4, { steps: 3 });
  await page.mouse.up();
  await page.waitForFunction((v) => (document.querySelector('#c-total') as HTMLInputElement).value === v, total);
  await page.locator('.field-box.picked[data-field=total]').waitFor();
  assert.match(await page.locator('input[name="provenance.total"]').inputValue(), /^1,/);
  // Typing over a picked value drops its box: it no longer says where the value is.
  await page.locator('#c-total').fill(total);
  assert.equal(await page.locator('input[name="provenance.total"]').inputValue(), '');
  assert.equal(await page.locator('.field-box.picked[data-field=total]').count(), 0);
  await page.screenshot({ path: join(ARTIFACTS, 'pick-from-document.png') });

  await page.getByRole('button', { name: 'Send back (re-match)' }).click();
  await page.waitForURL(/done=send_back/);
  const state = await stack.waitFor(id, (s) => s.decisions.some((d) => d.corrections.invoiceNumber === CODE));
  const decision = state.decisions.find((d) => d.corrections.invoiceNumber === CODE)!;
  const box = decision.provenance?.invoiceNumber;
  assert.ok(box, 'the decision carries the picked box');
  assert.equal(box.page, 1);
  assert.ok(box.box.x > 470 && box.box.y < 60, `the footer's box: ${JSON.stringify(box)}`);
  assert.equal(decision.provenance?.total, undefined, 'no box for a field that was typed (and not corrected)');

  // The workflow holds the decision as soon as it is sent; the activity that stores it, and then learns from
  // it, runs after: wait for what it writes.
  const stored = await eventually('the decision is stored', async () => {
    const [row] = await stack.sql<{ provenance: Record<string, { page: number; box: { x: number } }> | null }[]>`
      select provenance from review_decisions where id = ${decision.id}`;
    return row;
  });
  assert.deepEqual(stored.provenance, { invoiceNumber: box });
  // Learning took the place picked, the footer, and not the sentence where the number is printed first.
  const learned = await eventually('a pattern is learned', async () => {
    const [row] = await stack.sql<
      { pattern: { page: number; region: { x: number; y: number }; elsewhere: unknown[] } }[]
    >`select pattern from vendor_patterns where decision_id = ${decision.id} and field = 'invoiceNumber'`;
    return row;
  });
  assert.ok(learned, 'a pattern was learned');
  assert.equal(learned.pattern.page, 1);
  assert.ok(
    learned.pattern.region.x > 470 / 612 && learned.pattern.region.y < 60 / 792,
    `learned region ${JSON.stringify(learned.pattern.region)}`,
  );
  assert.deepEqual(learned.pattern.elsewhere, []);
  assert.deepEqual(errors, []);
  await page.close();
});
