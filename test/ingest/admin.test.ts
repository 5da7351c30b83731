// The Ingestion admin page over real HTTP: add and edit a mailbox (password stored encrypted, never shown
// or audited), test its connection against a real Dovecot, validation, roles, CSRF.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../api/auth/passwords.js';
import { getMailbox } from '../../db/ingestion.js';
import { upsertUser } from '../../db/users.js';
import { createSecretBox } from '../../ingest/secret.js';
import { PageSession } from '../support/browserless-session.js';
import { newMailAccount, stopDovecot } from '../support/imap.js';
import { TEST_SECRET_KEY } from '../support/ingest.js';
import { ADMIN, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let admin: PageSession;
before(async () => {
  stack = await startStack({ env: { INGEST_SECRET_KEY: TEST_SECRET_KEY } });
  admin = new PageSession(stack.url);
  assert.equal((await admin.login(ADMIN.email, ADMIN.password)).status, 302);
});
after(async () => {
  await stack?.stop();
  await stopDovecot();
});

const auditOf = (kind: string) => stack.sql<{ actor: string; data: Record<string, unknown> }[]>`select actor, data from audit_log where kind = ${kind} order by seq`;

describe('ingestion admin page', () => {
  test('an admin adds a mailbox: the password is stored encrypted, never shown or audited, and the connection test logs in', async () => {
    const account = await newMailAccount();
    const id = `ap-${randomBytes(3).toString('hex')}`;
    const fields = { id, name: 'Accounts payable', host: account.host, port: String(account.port), username: account.username, password: account.password, folder: 'INBOX', processedFolder: 'Done', allowedSenders: '@acme.example, billing@vendor.example', enabled: 'on' };
    const res = await admin.postForm('/admin/ingestion', '/admin/ingestion/mailboxes', fields);
    assert.equal(res.status, 302);
    const row = await getMailbox(stack.sql, id);
    assert.ok(row?.passwordEncrypted && !row.passwordEncrypted.includes(account.password));
    assert.equal(createSecretBox(TEST_SECRET_KEY)!.open(row.passwordEncrypted), account.password);
    assert.deepEqual(row.allowedSenders, ['@acme.example', 'billing@vendor.example']);
    assert.equal(row.tls, false);
    const [audit] = await auditOf('ingest.mailbox_added');
    assert.equal(audit?.actor, ADMIN.email);
    assert.ok(!JSON.stringify(audit).includes(account.password), 'the password is not in the audit log');

    const list = await (await admin.fetch('/admin/ingestion')).text();
    assert.match(list, /Accounts payable/);
    const edit = await (await admin.fetch(`/admin/ingestion/mailboxes/${id}`)).text();
    assert.ok(!edit.includes(account.password), 'the edit page never shows the password');
    assert.match(edit, /Leave empty to keep it/);

    const check = await admin.postForm('/admin/ingestion', `/admin/ingestion/mailboxes/${id}/test`, {});
    assert.equal(check.status, 200);
    assert.match(await check.text(), /Connected: 0 messages in the folder; IDLE supported; MOVE supported; processed folder will be created/);
  });

  test('editing without a password keeps it; a wrong new password shows in the connection test; changes are audited', async () => {
    const account = await newMailAccount();
    const id = `ap-${randomBytes(3).toString('hex')}`;
    const base = { name: 'Second', host: account.host, port: String(account.port), username: account.username, folder: 'INBOX', processedFolder: 'Processed', allowedSenders: '', enabled: 'on' };
    assert.equal((await admin.postForm('/admin/ingestion', '/admin/ingestion/mailboxes', { ...base, id, password: account.password })).status, 302);
    const before = await getMailbox(stack.sql, id);
    assert.equal((await admin.postForm(`/admin/ingestion/mailboxes/${id}`, `/admin/ingestion/mailboxes/${id}`, { ...base, name: 'Renamed', password: '' })).status, 302);
    const after = await getMailbox(stack.sql, id);
    assert.equal(after?.name, 'Renamed');
    assert.equal(after?.passwordEncrypted, before?.passwordEncrypted);
    const changes = (await auditOf('ingest.mailbox_changed')).at(-1)!.data;
    assert.deepEqual(changes.changes, { name: { from: 'Second', to: 'Renamed' } });
    assert.equal(changes.passwordChanged, false);

    assert.equal((await admin.postForm(`/admin/ingestion/mailboxes/${id}`, `/admin/ingestion/mailboxes/${id}`, { ...base, password: 'not-the-password' })).status, 302);
    const check = await admin.postForm('/admin/ingestion', `/admin/ingestion/mailboxes/${id}/test`, {});
    assert.match(await check.text(), /Connection failed:.*refused the login/);
  });

  test('refuses bad input with the reason, and keeps what was typed (but not the password)', async () => {
    const res = await admin.postForm('/admin/ingestion', '/admin/ingestion/mailboxes', {
      id: 'Bad Id', name: 'X', host: 'imap.example.com', port: '99999', username: 'u', password: 'secret-typed', folder: 'INBOX', processedFolder: 'P', allowedSenders: 'not an address',
    });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /lower-case letters, digits and dashes/);
    assert.match(html, /The port is 1–65535/);
    assert.match(html, /Allowed senders are addresses/);
    assert.match(html, /value="imap.example.com"/);
    assert.ok(!html.includes('secret-typed'));
  });

  test('only admins reach the page, and a form without the CSRF token is refused', async () => {
    const email = `ops-${randomBytes(3).toString('hex')}@test.local`;
    await upsertUser(stack.sql, { email, displayName: 'Ops', role: 'ops', passwordHash: await hashPassword('ops password 123') });
    const ops = new PageSession(stack.url);
    assert.equal((await ops.login(email, 'ops password 123')).status, 302);
    assert.equal((await ops.fetch('/admin/ingestion')).status, 403);
    const forged = await admin.fetch('/admin/ingestion/mailboxes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id: 'forged', name: 'F', host: 'h', port: '1', username: 'u', password: 'p', folder: 'INBOX', processedFolder: 'P' }),
    });
    assert.equal(forged.status, 403);
    assert.equal(await getMailbox(stack.sql, 'forged'), undefined);
  });

  test('ingestion counts are exported for Prometheus', async () => {
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    assert.match(metrics, /plexsync_ingest_invoices\{channel="email"\} 0/);
    assert.match(metrics, /# TYPE plexsync_ingest_messages gauge/);
  });

  test('an uploaded invoice says so in its source box', async () => {
    const res = await admin.fetch('/invoices/inv-000000000000000000000000/source');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Uploaded\./);
  });
});
