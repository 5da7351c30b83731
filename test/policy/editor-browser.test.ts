// An admin edits the approval policy in a real browser (Debian Chromium via playwright-core): adds a rule
// before the catch-all, gives it a second step, reorders and removes steps, is told why a bad save is
// refused, and saves a new version that is stored and audited with its before and after.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { policyInForce } from '../../db/policies.js';
import { ARTIFACTS, logIn, watchedPage, withStackAndBrowser } from '../../testkit/browser.js';
import { ADMIN, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let browser: Browser;
withStackAndBrowser({ worker: false }, (started) => ({ stack, browser } = started));

test('an admin builds a two-rule policy in the editor, sees a refused save explained, and saves version 1 then 2', async () => {
  const { page, errors } = await watchedPage(browser, { viewport: { width: 1280, height: 1000 } });
  await logIn(page, stack.url, ADMIN);
  await page.getByRole('link', { name: 'Approval policy' }).click();
  await page.waitForURL('**/admin/policy');
  assert.match(await page.locator('#policy-in-force').innerText(), /No policy saved yet/);
  assert.equal(
    await page.locator('[name="r0.name"]').inputValue(),
    'Every invoice',
    'the starter policy is today’s behaviour',
  );

  // A new rule goes before the catch-all, which keeps what was typed into it.
  await page.locator('[name="r0.s0.name"]').fill('AP clerk');
  await page.getByRole('button', { name: 'Add rule' }).click();
  assert.equal(await page.locator('fieldset.rule').count(), 2);
  assert.equal(await page.locator('[name="r1.name"]').inputValue(), 'Every invoice');
  assert.equal(await page.locator('[name="r1.s0.name"]').inputValue(), 'AP clerk');

  await page.locator('[name="r0.name"]').fill('Over 10,000');
  await page.locator('[name="r0.amountOver"]').fill('10000');
  await page.locator('[name="r0.s0.name"]').fill('Two clerks');
  await page.locator('[name="r0.s0.required"]').fill('2');
  const rule0 = page.locator('fieldset[data-rule="0"]');
  await rule0.getByRole('button', { name: 'Add step' }).click();
  await page.locator('[name="r0.s1.name"]').fill('Controller');
  await page.locator('[name="r0.s1.kind"]').selectOption('users');
  await page.locator('[name="r0.s1.users"]').fill('controller@test.local');
  await page.locator('[name="r0.s1.sla"]').fill('2d');
  // Move the controller first, then back: the order of steps is the order of approval.
  await rule0.getByTitle('Move step up').click();
  assert.equal(await page.locator('[name="r0.s0.name"]').inputValue(), 'Controller');
  await page.locator('fieldset[data-rule="0"] li[data-step="0"]').getByTitle('Move step down').click();
  assert.equal(await page.locator('[name="r0.s1.name"]').inputValue(), 'Controller');

  // A bad SLA is refused with where and why; nothing is stored.
  await page.locator('[name="r0.s1.sla"]').fill('soon');
  await page.getByRole('button', { name: 'Save policy' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Rule 1 › step 2 › sla: An SLA is a duration/);
  assert.equal(await policyInForce(stack.sql), undefined);
  assert.equal(
    await page.locator('[name="r0.s1.users"]').inputValue(),
    'controller@test.local',
    'the draft is shown back as typed',
  );

  await page.locator('[name="r0.s1.sla"]').fill('2d');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.waitForURL('**/admin/policy?saved=1');
  assert.match(await page.getByRole('status').innerText(), /Policy version 1 saved/);
  const v1 = await policyInForce(stack.sql);
  assert.equal(v1?.version, 1);
  assert.deepEqual(
    v1?.policy.rules.map((r) => r.name),
    ['Over 10,000', 'Every invoice'],
  );
  assert.deepEqual(v1?.policy.rules[0]!.when, { amountOver: '10000' });
  assert.deepEqual(
    v1?.policy.rules[0].steps.map((s) => [s.name, s.required, s.approvers]),
    [
      ['Two clerks', 2, { kind: 'role', role: 'clerk' }],
      ['Controller', 1, { kind: 'users', users: ['controller@test.local'] }],
    ],
  );
  await page.screenshot({ path: join(ARTIFACTS, 'policy-editor.png'), fullPage: true });

  // Remove the controller step and save again: version 2, audited against version 1.
  await page.locator('fieldset[data-rule="0"] li[data-step="1"]').getByRole('button', { name: 'Remove step' }).click();
  await page.getByRole('button', { name: 'Save policy' }).click();
  await page.waitForURL('**/admin/policy?saved=2');
  assert.match(await page.locator('#policy-versions').innerText(), /Version 2 · admin@test\.local[\s\S]*Version 1/);
  const audit = await stack.sql<
    {
      actor: string;
      data: { version: number; before: { version: number } | null; after: { rules: { steps: unknown[] }[] } };
    }[]
  >`
    select actor, data from audit_log where kind = 'policy.changed' order by seq`;
  assert.deepEqual(
    audit.map((a) => [a.actor, a.data.version, a.data.before?.version ?? null]),
    [
      [ADMIN.email, 1, null],
      [ADMIN.email, 2, 1],
    ],
  );
  assert.equal(audit[1]!.data.after.rules[0]!.steps.length, 1);
  // The refused save answers 422, which Chromium logs; nothing else may (script or CSP errors).
  assert.deepEqual(
    errors.filter((e) => !/status of 422/.test(e)),
    [],
  );
});
