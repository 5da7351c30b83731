// "Waiting for me" in a real browser (Debian Chromium via playwright-core) on the full stack: the
// controller sees the invoice at their step, the queue says whom it waits on, a colleague sees nothing
// until the controller delegates to them, and the invoice page shows the path before and after approval.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../api/auth/passwords.js';
import { addDelegation, savePolicy } from '../../db/policies.js';
import { upsertUser } from '../../db/users.js';
import { Policy } from '../../domain/policy.js';
import { ARTIFACTS, launchChromium, logIn, watchedPage } from '../../testkit/browser.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
const controller = {
  email: `controller-${randomBytes(3).toString('hex')}@test.local`,
  password: 'controller password 1',
};
const colleague = { email: `colleague-${randomBytes(3).toString('hex')}@test.local`, password: 'colleague password 1' };

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
  await upsertUser(stack.sql, {
    email: controller.email,
    displayName: 'Carla Controller',
    role: 'ops',
    passwordHash: await hashPassword(controller.password),
  });
  await upsertUser(stack.sql, {
    email: colleague.email,
    displayName: 'Colin Clerk',
    role: 'clerk',
    passwordHash: await hashPassword(colleague.password),
  });
  await savePolicy(
    stack.sql,
    Policy.parse({
      rules: [
        {
          name: 'Everything',
          when: {},
          autoApprove: { allowed: false, threshold: 1 },
          steps: [
            { name: 'Controller', approvers: { kind: 'users', users: [controller.email] }, required: 1, sla: '1d' },
          ],
        },
      ],
    }),
    'admin@test.local',
  );
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the controller finds the invoice under "Waiting for me", sees its path and approves it; a colleague sees it only as delegate', async () => {
  const inv = uniqueInvoice({ vendorName: 'Globex Industrial Supply' });
  await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
  const id = await stack.uploadOne('waiting.pdf', await makeInvoicePdf(inv));
  await stack.waitFor(id, (s) => s.status === 'awaiting_review' && s.approval?.current === 0);

  const { page: other } = await watchedPage(browser);
  await logIn(other, stack.url, colleague);
  await other.goto(`${stack.url}/waiting-for-me`);
  assert.equal(await other.locator('#nothing-waiting').count(), 1, 'not theirs');
  await addDelegation(
    stack.sql,
    {
      user: controller.email,
      delegate: colleague.email,
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 86_400_000),
    },
    controller.email,
  );
  await other.reload();
  assert.match(
    await other.locator('#waiting-for-me').innerText(),
    new RegExp(`as delegate of ${controller.email.replace('.', '\\.')}`),
  );

  const { page, errors } = await watchedPage(browser, { viewport: { width: 1280, height: 1000 } });
  await logIn(page, stack.url, controller);
  assert.match(await page.locator('#queue-rows').innerText(), /Step 1 of 1: Controller · waits on controller-/);
  await page.getByRole('link', { name: 'Waiting for me' }).click();
  await page.waitForURL('**/waiting-for-me');
  const row = page.locator('#waiting-for-me tbody tr');
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), new RegExp(inv.invoiceNumber));
  await row.getByRole('link').click();
  await page.waitForURL(`**/invoices/${id}`);
  assert.equal(await page.locator('#approval-path li[data-state="current"]').count(), 1);
  await page.screenshot({ path: join(ARTIFACTS, 'approval-path.png'), fullPage: true });
  await page.getByRole('button', { name: 'Approve and sync' }).click();
  await stack.waitFor(id, (s) => s.status === 'synced');
  await page.goto(`${stack.url}/invoices/${id}`);
  const done = page.locator('#approval-path li[data-state="done"]');
  assert.match(
    await done.innerText(),
    new RegExp(`Controller[\\s\\S]*done[\\s\\S]*${controller.email.replace('.', '\\.')}`),
  );
  await page.goto(`${stack.url}/waiting-for-me`);
  assert.equal(await page.locator('#nothing-waiting').count(), 1, 'nothing left for the controller');
  assert.deepEqual(errors, []);
});
