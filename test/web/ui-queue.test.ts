// The queue in a real browser (Debian Chromium via playwright-core): why each invoice waits (reason chips
// and a filter), the due date, the whole row as the link, j/k in the order shown, a refresh that keeps
// focus and scroll, and a skip link to the first invoice.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, logIn, watchedPage } from '../../testkit/browser.js';
import { ADMIN, startStack, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack({ worker: false });
  browser = await launchChromium();
  await seedQueue();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Seed {
  vendor: string;
  invoiceNumber: string | null;
  total: string;
  confidence: number;
  minutesAgo: number;
  match?: { status: string; placeholderAmount?: string; duplicateOf?: boolean; threeWay?: 'ok' | 'mismatch' };
  dueDate?: string;
  /** Fields of the stored extraction besides the due date. */
  fields?: Record<string, { value: unknown; confidence: number }>;
}

/** An invoice straight in the read model (no workflow): what the queue reads. */
async function seed(s: Seed): Promise<string> {
  const id = randomUUID();
  const bytes = Buffer.from(`%PDF-1.4 ${id}`);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const { sql } = stack;
  await sql`insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name)
            values (${sha}, ${bytes}, ${bytes.length}, 'application/pdf', 1, ${`${id}.pdf`})`;
  await sql`insert into invoices (id, document_sha256, file_name, status, uploaded_by, vendor_name, invoice_number, total, currency, confidence, created_at)
            values (${id}, ${sha}, ${`${id}.pdf`}, 'awaiting_review', 'test', ${s.vendor}, ${s.invoiceNumber}, ${s.total}, 'USD', ${s.confidence},
                    now() - make_interval(mins => ${s.minutesAgo}))`;
  const extraction = {
    fields: {
      dueDate: { value: s.dueDate ?? null, confidence: 0.9, notes: [] },
      ...Object.fromEntries(Object.entries(s.fields ?? {}).map(([name, f]) => [name, { ...f, notes: [] }])),
    },
    confidence: s.confidence,
  };
  await sql`insert into extractions (invoice_id, extractor, confidence, extraction) values (${id}, 'test', ${s.confidence}, ${sql.json(extraction)})`;
  if (s.match) {
    const result = {
      status: s.match.status,
      placeholder: s.match.placeholderAmount ? { id: randomUUID(), amount: s.match.placeholderAmount } : null,
      duplicateOf: s.match.duplicateOf ? { invoiceId: randomUUID(), reason: 'same number' } : null,
      threeWay: s.match.threeWay ? { status: s.match.threeWay, summary: '', lines: [] } : null,
    };
    await sql`insert into matches (invoice_id, status, score, result) values (${id}, ${s.match.status}, 0.5, ${sql.json(result)})`;
  }
  return id;
}

const tag = randomUUID().slice(0, 6);
let clean: string, dup: string, noPo: string, exactNoPo: string, amountOff: string, ambiguous: string, lowConf: string;

async function seedQueue() {
  clean = await seed({
    vendor: `Clean ${tag}`,
    invoiceNumber: `C-${tag}`,
    total: '100.00',
    confidence: 0.99,
    minutesAgo: 60,
    match: { status: 'matched', placeholderAmount: '100.00', threeWay: 'ok' },
    dueDate: '2026-12-31',
  });
  dup = await seed({
    vendor: `Dup ${tag}`,
    invoiceNumber: `D-${tag}`,
    total: '100.00',
    confidence: 0.99,
    minutesAgo: 50,
    match: { status: 'duplicate', duplicateOf: true },
  });
  noPo = await seed({
    vendor: `NoPo ${tag}`,
    invoiceNumber: `N-${tag}`,
    total: '50.00',
    confidence: 0.99,
    minutesAgo: 40,
    match: { status: 'no_po_number' },
  });
  // an e-invoice read exactly from its XML, without a PO: the overall confidence is 0 for the missing PO alone
  const exact = { value: 'x', confidence: 1 };
  exactNoPo = await seed({
    vendor: `Exact ${tag}`,
    invoiceNumber: `E-${tag}`,
    total: '75.00',
    confidence: 0,
    minutesAgo: 35,
    match: { status: 'no_po_number' },
    fields: {
      invoiceNumber: exact,
      vendorName: exact,
      total: exact,
      invoiceDate: exact,
      poNumbers: { value: null, confidence: 0 },
    },
  });
  amountOff = await seed({
    vendor: `Off ${tag}`,
    invoiceNumber: `A-${tag}`,
    total: '120.00',
    confidence: 0.99,
    minutesAgo: 30,
    match: { status: 'matched', placeholderAmount: '100.00', threeWay: 'mismatch' },
  });
  ambiguous = await seed({
    vendor: `Amb ${tag}`,
    invoiceNumber: `M-${tag}`,
    total: '10.00',
    confidence: 0.99,
    minutesAgo: 20,
    match: { status: 'ambiguous' },
  });
  lowConf = await seed({
    vendor: `Low ${tag}`,
    invoiceNumber: null,
    total: '10.00',
    confidence: 0.4,
    minutesAgo: 10,
    match: { status: 'matched', placeholderAmount: '10.00' },
  });
}

const row = (page: Page, id: string) => page.locator(`#queue-rows tr[data-invoice="${id}"]`);
const chips = async (page: Page, id: string) => (await row(page, id).locator('.chip').allInnerTexts()).sort();

test('each row says why the invoice waits, with its due date; the queue filters by reason', async () => {
  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices?status=awaiting_review`);
  assert.deepEqual(await chips(page, clean), []);
  assert.deepEqual(await chips(page, dup), ['duplicate']);
  assert.deepEqual(await chips(page, noPo), ['no PO']);
  assert.deepEqual(await chips(page, exactNoPo), ['no PO'], 'a missing PO alone is no low confidence');
  assert.deepEqual(await chips(page, amountOff), ['amount off', 'lines off']);
  assert.deepEqual(await chips(page, ambiguous), ['ambiguous']);
  assert.deepEqual(await chips(page, lowConf), ['low confidence', 'no invoice number']);
  assert.match(await row(page, clean).innerText(), /2026-12-31/);
  assert.match(await page.locator('table.queue thead').innerText(), /Due/);

  await page.getByLabel('Why it waits').selectOption('duplicate');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/reason=duplicate/);
  const ids = await page
    .locator('#queue-rows tr[data-invoice]')
    .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.invoice));
  assert.ok(ids.includes(dup));
  assert.ok(!ids.includes(clean) && !ids.includes(noPo), 'only duplicates are listed');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a click anywhere on a row opens its invoice', async () => {
  const { page } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices?status=awaiting_review`);
  // A real click on the vendor cell (not the link text): whatever is on top there must open the invoice.
  await row(page, noPo).scrollIntoViewIfNeeded();
  const box = (await row(page, noPo).locator('td').nth(1).boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForURL(`**/invoices/${noPo}`);
  await page.close();
});

test('j/k walk the rows in the order shown, and go on in that order from an opened invoice', async () => {
  const { page } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices?status=awaiting_review&order=oldest&vendor=`);
  const shown = await page
    .locator('#queue-rows tr[data-invoice]')
    .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.invoice!));
  assert.ok(shown.indexOf(clean) < shown.indexOf(lowConf), 'oldest first');
  const focusedRow = () => page.evaluate(() => document.activeElement?.closest('tr')?.dataset.invoice);
  await page.keyboard.press('j');
  assert.equal(await focusedRow(), shown[0]);
  await page.keyboard.press('j');
  assert.equal(await focusedRow(), shown[1]);
  await page.keyboard.press('k');
  assert.equal(await focusedRow(), shown[0]);
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/invoices/${shown[0]}`);
  await page.keyboard.press('j');
  await page.waitForURL(`**/invoices/${shown[1]}`);
  await page.close();
});

test('the 5-s refresh keeps the focused row and the scroll position', async () => {
  const { page } = await watchedPage(browser, { viewport: { width: 1000, height: 300 } });
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices?status=awaiting_review`);
  await row(page, ambiguous).locator('a.open').focus();
  await page.evaluate(() => scrollTo(0, 120));
  const y = await page.evaluate(() => scrollY);
  assert.ok(y > 0, 'the page scrolls at this height');
  // Count settled swaps (this listener runs after the page's own) and wait for the next refresh.
  await page.evaluate(() => {
    const w = window as unknown as { settles: number };
    w.settles = 0;
    document.body.addEventListener('htmx:afterSettle', () => {
      w.settles++;
    });
  });
  await page.waitForFunction(() => (window as unknown as { settles: number }).settles > 0, undefined, {
    timeout: 15_000,
  });
  assert.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.invoice), ambiguous);
  assert.equal(await page.evaluate(() => scrollY), y);
  await page.close();
});

test('a skip link reaches the first invoice in a few keys, not through every filter', async () => {
  const { page } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/invoices?status=awaiting_review`);
  const focused = () =>
    page.evaluate(() => {
      const row = document.querySelector('#queue-rows tr[data-invoice]');
      const active = document.activeElement;
      return active === row?.querySelector('input[name=ids]')
        ? 'checkbox'
        : active === row?.querySelector('a')
          ? 'link'
          : 'elsewhere';
    });
  const keys = ['Tab', 'Tab', 'Enter', 'Tab'];
  for (const key of keys) await page.keyboard.press(key);
  assert.equal(await focused(), 'checkbox', `${keys.join(', ')} reach the first invoice's row (its checkbox)`);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'link', 'one more Tab: its link');
  await page.close();
});
