// The failed-syncs page in a real browser (Debian Chromium via playwright-core): a reason a clerk can act on
// instead of the raw Plex call, and the failing Plex response rather than the first read of the attempt.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { ADMIN, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({ worker: false }, (started) => ({ stack, browser } = started));

/** A failed sync as the sync activity records it: GET the placeholder (200), then the PUT fails. */
async function seedFailed(put: { status?: number; error?: string; errorType?: string }): Promise<string> {
  const id = randomUUID();
  const placeholder = randomUUID();
  const bytes = Buffer.from(`%PDF-1.4 ${id}`);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const path = `/accounting/v1/ap-invoices/${placeholder}`;
  const raw = `PUT ${path}: ${put.status ?? 'fetch failed'} Service Unavailable`;
  await stack.sql`insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name)
                  values (${sha}, ${bytes}, ${bytes.length}, 'application/pdf', 1, 'f.pdf')`;
  await stack.sql`insert into invoices (id, document_sha256, file_name, status, uploaded_by, invoice_number, last_error)
                  values (${id}, ${sha}, 'f.pdf', 'sync_failed', 'test', ${`F-${id.slice(0, 6)}`}, ${raw})`;
  const response = {
    calls: [
      { method: 'GET', path, status: 200, body: { id: placeholder, invoiceNumber: 'Received' } },
      {
        method: 'PUT',
        path,
        ...(put.status ? { status: put.status, body: { code: 'SERVICE_UNAVAILABLE' } } : { error: put.error }),
      },
    ],
  };
  await stack.sql`insert into sync_operations (id, invoice_id, round, attempt, placeholder_id, invoice_number, outcome, response, error, error_type, started_at)
                  values (${randomUUID()}, ${id}, 1, 1, ${placeholder}, 'F-1', 'failed', ${stack.sql.json(response)}, ${raw}, ${put.errorType ?? null}, now())`;
  return id;
}

test('a failed sync reads as a reason a clerk can act on, with the failing Plex response', async () => {
  const outage = await seedFailed({ status: 503 });
  const offline = await seedFailed({ error: 'fetch failed' });
  const gone = await seedFailed({ status: 404, errorType: 'PlaceholderGone' });
  const { page, errors } = await watchedPage(browser);
  await logIn(page, stack.url, ADMIN);
  await page.goto(`${stack.url}/syncs/failed`);

  const reason = (id: string) => page.locator(`#failed-${id} .reason`).innerText();
  assert.match(await reason(outage), /Plex was unavailable.*503.*Nothing was written.*Replay/);
  assert.doesNotMatch(await reason(outage), /accounting\/v1|PUT/, 'no raw API call in the reason');
  assert.match(await reason(offline), /could not reach Plex/);
  assert.match(await reason(gone), /no longer exists in Plex/);

  const response = (id: string) => page.locator(`#failed-${id} code.response`).innerText();
  assert.match(await response(outage), /^PUT → 503/);
  assert.match(await response(offline), /^PUT → no answer: fetch failed/);
  // The raw message stays one click away for ops.
  await page.locator(`#failed-${outage} details summary`).click();
  assert.match(await page.locator(`#failed-${outage} details`).innerText(), /PUT \/accounting\/v1\/ap-invoices\/.*503/);
  assert.deepEqual(errors, []);
  await page.close();
});
