// The policy and delegation pages over real HTTP and Postgres: only admins edit the policy, an unchanged
// save stores no version, and delegations are created, refused and cancelled with an audit trail.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { hashPassword } from '../../api/auth/passwords.js';
import { activeDelegations, listPolicyVersions } from '../../db/policies.js';
import { upsertUser } from '../../db/users.js';
import { type Role } from '../../domain/permissions.js';
import { PageSession } from '../support/browserless-session.js';
import { ADMIN, withStack, type Stack } from '../../testkit/stack.js';

let stack: Stack;
withStack({ worker: false }, (started) => (stack = started));

async function userSession(role: Role) {
  const email = `${role}-${randomBytes(3).toString('hex')}@test.local`;
  const password = `pw ${randomBytes(6).toString('hex')}`;
  await upsertUser(stack.sql, { email, displayName: `Test ${role}`, role, passwordHash: await hashPassword(password) });
  const session = new PageSession(stack.url);
  assert.equal((await session.login(email, password)).status, 302);
  return { email, session };
}
const today = () => new Date().toISOString().slice(0, 10);

const STARTER = {
  'r0.name': 'Every invoice',
  'r0.autoAllowed': 'on',
  'r0.autoThreshold': '0.95',
  'r0.s0.name': 'AP clerk',
  'r0.s0.kind': 'role',
  'r0.s0.role': 'clerk',
  'r0.s0.required': '1',
  'r0.s0.sla': '24h',
  op: 'save',
};

test('only admins see or save the approval policy; saving the policy in force again stores no new version', async () => {
  const { session: ops } = await userSession('ops');
  assert.equal((await ops.fetch('/admin/policy')).status, 403);
  assert.equal((await ops.postForm('/invoices', '/admin/policy', STARTER)).status, 403);
  assert.deepEqual(await listPolicyVersions(stack.sql), []);

  const admin = new PageSession(stack.url);
  await admin.login(ADMIN.email, ADMIN.password);
  assert.equal(
    (await admin.postForm('/admin/policy', '/admin/policy', STARTER)).headers.get('location'),
    '/admin/policy?saved=1',
  );
  assert.equal(
    (await admin.postForm('/admin/policy', '/admin/policy', STARTER)).headers.get('location'),
    '/admin/policy?saved=same',
  );
  assert.equal((await listPolicyVersions(stack.sql)).length, 1);

  const noCatchAll = await admin.postForm('/admin/policy', '/admin/policy', { ...STARTER, 'r0.currencies': 'USD' });
  assert.equal(noCatchAll.status, 422);
  assert.match(await noCatchAll.text(), /must match every invoice/);
  const badGroup = await admin.postForm('/admin/policy', '/admin/policy', {
    ...STARTER,
    'g0.name': 'Trusted',
    'g0.suppliers': '',
  });
  assert.equal(badGroup.status, 422);
  assert.equal((await listPolicyVersions(stack.sql)).length, 1);
});

test('a user delegates to a colleague for a period (audited), cannot delegate to themselves, and cancels it', async () => {
  const away = await userSession('ops');
  const { email: delegate } = await userSession('clerk');
  const self = await away.session.postForm('/account/delegations', '/account/delegations', {
    from: today(),
    to: today(),
    delegate: away.email,
  });
  assert.equal(self.status, 422);
  const backwards = await away.session.postForm('/account/delegations', '/account/delegations', {
    from: today(),
    to: '2000-01-01',
    delegate,
  });
  assert.equal(backwards.status, 422);
  assert.match(await backwards.text(), /cannot be before the first/);

  const saved = await away.session.postForm('/account/delegations', '/account/delegations', {
    from: today(),
    to: today(),
    delegate,
  });
  assert.equal(saved.status, 302);
  const [active] = await activeDelegations(stack.sql, new Date(), delegate);
  assert.equal(active?.user, away.email);
  assert.equal(active.to.getTime() - active.from.getTime(), 86_400_000, 'through the end of the last day');
  const page = await (await away.session.fetch('/account/delegations')).text();
  assert.match(page, new RegExp(delegate));

  // Someone else cannot cancel it; its owner can.
  const other = await userSession('clerk');
  assert.equal(
    (await other.session.postForm('/account/delegations', `/account/delegations/${active.id}/cancel`, {})).status,
    404,
  );
  assert.equal(
    (await away.session.postForm('/account/delegations', `/account/delegations/${active.id}/cancel`, {})).status,
    302,
  );
  assert.deepEqual(await activeDelegations(stack.sql, new Date(), delegate), []);
  const audit = await stack.sql<
    { kind: string; actor: string }[]
  >`select kind, actor from audit_log where kind like 'delegation.%' order by seq`;
  assert.deepEqual(
    audit.map((a) => [a.kind, a.actor]),
    [
      ['delegation.created', away.email],
      ['delegation.cancelled', away.email],
    ],
  );
});
