// The Notifications page: admins set recipients per role, extra addresses, the webhook URL (never shown
// or audited in full again) and the SMTP server; bad input is refused with the reason; ops may look and
// test the SMTP connection but not change anything; the daily digest's time and zone set here move its
// Temporal Schedule at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hashPassword } from '../../api/auth/passwords.js';
import { getNotificationSettings } from '../../db/notification-settings.js';
import { digestScheduleId } from '../../notify/digest-schedule.js';
import { upsertUser } from '../../db/users.js';
import { PageSession } from '../support/browserless-session.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { ADMIN, startStack, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let smtp: TestSmtpServer;
let admin: PageSession;
const OPS = { email: 'ops@test.local', password: 'ops password long enough' };
const SECRET_URL = 'https://hooks.slack.example/services/T0/B0/very-secret-token';

before(async () => {
  smtp = await startSmtpServer({ auth: { user: 'mailer', pass: 'pw' } });
  stack = await startStack({
    worker: false,
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_USER: 'mailer', SMTP_PASSWORD: 'pw' },
  });
  await upsertUser(stack.sql, {
    email: OPS.email,
    displayName: 'Ops',
    role: 'ops',
    passwordHash: await hashPassword(OPS.password),
  });
  admin = new PageSession(stack.url);
  await admin.login(ADMIN.email, ADMIN.password);
});
after(async () => {
  await stack?.stop();
  await smtp?.close();
});

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  return body;
};
const save = async (session: PageSession, fields: Record<string, string | string[]>) => {
  const page = await (await session.fetch('/admin/notifications')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  return session.fetch('/admin/notifications', { method: 'POST', body: form({ ...fields, _csrf: csrf }) });
};
const BASE = {
  emailEnabled: 'on',
  webhookEnabled: 'on',
  escalationRoles: ['admin', 'clerk'],
  syncFailedRoles: 'ops',
  digestRoles: 'clerk',
};

test('defaults are shown; an admin saves roles, extra addresses and a webhook URL that is never shown again', async () => {
  const first = await (await admin.fetch('/admin/notifications')).text();
  assert.match(first, /escalations to admins and clerks, failed syncs to ops, the digest to clerks/);
  assert.match(first, /SMTP_PASSWORD \(set, not shown\)/);
  assert.ok(!first.includes('>pw<') && !first.includes('"pw"'), 'the SMTP password is not on the page');

  const res = await save(admin, {
    ...BASE,
    syncFailedRoles: ['ops', 'admin'],
    syncFailedExtra: 'AP-Lead@Example.test,\n controller@example.test',
    webhookUrl: SECRET_URL,
    smtpFrom: 'AP <ap@example.test>',
  });
  assert.equal(res.status, 302);
  const stored = (await getNotificationSettings(stack.sql)).values;
  assert.deepEqual(stored.syncFailedRoles, ['ops', 'admin']);
  assert.deepEqual(stored.syncFailedExtra, ['ap-lead@example.test', 'controller@example.test']);
  assert.equal(stored.webhookUrl, SECRET_URL);
  assert.equal(stored.smtpFrom, 'AP <ap@example.test>');
  const page = await (await admin.fetch('/admin/notifications?saved=1')).text();
  assert.match(page, /Notification settings saved/);
  assert.ok(!page.includes('very-secret-token'), 'the webhook URL is not shown again');
  assert.ok(page.includes('https://hooks.slack.example/…'));
  const audit = await stack.sql<{ data: unknown }[]>`select data from audit_log where kind = 'notifications.changed'`;
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit[0]!.data).includes('very-secret-token'), 'nor audited');

  await save(admin, { ...BASE }); // empty URL field keeps it
  assert.equal((await getNotificationSettings(stack.sql)).values.webhookUrl, SECRET_URL);
  await save(admin, { ...BASE, webhookClear: 'on' });
  assert.equal((await getNotificationSettings(stack.sql)).values.webhookUrl, null);
});

test('bad input is refused with the reason and shown back', async () => {
  const res = await save(admin, { ...BASE, escalationExtra: 'ok@example.test, not-an-address', smtpPort: '70000' });
  assert.equal(res.status, 422);
  const page = await res.text();
  assert.match(page, /Extra addresses for escalations: &quot;not-an-address&quot; is not an email address\./);
  assert.match(page, /SMTP port is 1–65535\./);
  assert.match(page, /not-an-address<\/textarea>/);
  const bad = await save(admin, { ...BASE, escalationRoles: 'owner' });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /Roles are clerk, ops or admin\./);
  const url = await save(admin, { ...BASE, webhookUrl: 'ftp://example.test/x' });
  assert.equal(url.status, 422);
});

test('ops can read the page and test SMTP, but not change the settings', async () => {
  const ops = new PageSession(stack.url);
  await ops.login(OPS.email, OPS.password);
  const page = await (await ops.fetch('/admin/notifications')).text();
  assert.match(page, /Only admins can change these settings/);
  const refused = await save(ops, { ...BASE, digestRoles: 'ops' });
  assert.equal(refused.status, 403);

  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  const ok = await ops.fetch('/admin/notifications/smtp-check', {
    method: 'POST',
    headers: { 'HX-Request': 'true', 'X-CSRF-Token': csrf },
    body: form({ _csrf: csrf }),
  });
  assert.match(await ok.text(), /Connected: the SMTP server accepted the connection and login/);
  assert.equal(smtp.messages.length, 0, 'the test sends nothing');

  // A stored wrong host:port overrides the environment, and the test says what went wrong.
  const closed = await startSmtpServer();
  await closed.close();
  await save(admin, { ...BASE, smtpHost: '127.0.0.1', smtpPort: String(closed.port) });
  const failed = await ops.fetch('/admin/notifications/smtp-check', {
    method: 'POST',
    headers: { 'HX-Request': 'true', 'X-CSRF-Token': csrf },
    body: form({ _csrf: csrf }),
  });
  assert.match(await failed.text(), /Connection failed:<\/strong> SMTP server not reachable/);
});

test('the daily digest time and zone saved here move its Temporal Schedule at once; "no digest" removes it', async () => {
  const handle = stack.client.schedule.getHandle(digestScheduleId(stack.config.temporal.taskQueue));
  const before = await (await admin.fetch('/admin/notifications')).text();
  assert.match(before, /Off: set a time above, or NOTIFY_DIGEST_AT/);

  assert.equal((await save(admin, { ...BASE, digestAt: '07:45', digestTimeZone: 'Europe/Berlin' })).status, 302);
  const created = await handle.describe();
  assert.deepEqual(
    created.spec.calendars?.map((c) => [c.hour, c.minute]),
    [[[{ start: 7, end: 7, step: 1 }], [{ start: 45, end: 45, step: 1 }]]],
  );
  assert.equal(created.spec.timezone, 'Europe/Berlin');
  assert.equal(created.action.type === 'startWorkflow' && created.action.workflowType, 'digestWorkflow');
  const page = await (await admin.fetch('/admin/notifications?saved=1')).text();
  assert.match(page, /Every day at 07:45 \(Europe\/Berlin\)[^<]*\(Set on this page\.\)/);
  assert.deepEqual(
    [
      (await getNotificationSettings(stack.sql)).values.digestAt,
      (await getNotificationSettings(stack.sql)).values.digestTimeZone,
    ],
    ['07:45', 'Europe/Berlin'],
  );

  await save(admin, { ...BASE, digestAt: '18:05', digestTimeZone: 'America/Chicago' });
  const moved = await handle.describe();
  assert.deepEqual(
    moved.spec.calendars?.map((c) => [c.hour?.[0]?.start, c.minute?.[0]?.start]),
    [[18, 5]],
  );
  assert.equal(moved.spec.timezone, 'America/Chicago');

  const bad = await save(admin, { ...BASE, digestAt: '25:00', digestTimeZone: 'Mars/Olympus' });
  assert.equal(bad.status, 422);
  const refused = await bad.text();
  assert.match(refused, /Digest time must be HH:MM on a 24-hour clock, like 08:30\./);
  assert.match(refused, /&quot;Mars\/Olympus&quot; is not a time zone/);
  assert.equal(
    (await handle.describe()).spec.timezone,
    'America/Chicago',
    'a refused change leaves the schedule alone',
  );

  await save(admin, { ...BASE, digestAt: '18:05', digestOff: 'on' });
  await assert.rejects(handle.describe(), (err: Error) => err.name === 'ScheduleNotFoundError');
  assert.equal((await getNotificationSettings(stack.sql)).values.digestAt, 'off');
  assert.match(await (await admin.fetch('/admin/notifications')).text(), /Off: set a time above/);
  const audit = await stack.sql<
    { data: { to: { digestAt: string | null } } }[]
  >`select data from audit_log where kind = 'notifications.changed' order by seq desc limit 1`;
  assert.equal(audit[0]!.data.to.digestAt, 'off', 'the change is audited');
});
