// The Ingestion admin page over real HTTP: add and edit a mailbox (password stored encrypted, never shown
// or audited), test its connection against a real Dovecot, validation, roles, CSRF.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { getMailbox } from '../../db/ingestion.js';
import { createSecretBox } from '../../ingest/secret.js';
import { csrfFrom, PageSession } from '../support/browserless-session.js';
import { newMailAccount, stopDovecot } from '../support/imap.js';
import { userWithPassword } from '../support/people.js';
import { TEST_SECRET_KEY } from '../support/ingest.js';
import { ADMIN, startStack, type Stack } from '../../testkit/stack.js';

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

/** Post a form as htmx does (HX-Request), with the CSRF token of `fromPage`; the status and the fragment. */
async function hxPost(
  fromPage: string,
  action: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const csrf = csrfFrom(await (await admin.fetch(fromPage)).text());
  const res = await admin.fetch(action, {
    method: 'POST',
    headers: { 'HX-Request': 'true' },
    body: new URLSearchParams({ ...fields, _csrf: csrf }),
  });
  return { status: res.status, body: await res.text() };
}

/** A loopback port nobody listens on (taken and released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A mailbox added through the form for a new mail account: its account, id and the form's fields but id and password. */
async function addedMailbox(name: string) {
  const account = await newMailAccount();
  const id = `ap-${randomBytes(3).toString('hex')}`;
  const base = {
    name,
    host: account.host,
    port: String(account.port),
    username: account.username,
    folder: 'INBOX',
    processedFolder: 'Processed',
    allowedSenders: '',
    enabled: 'on',
  };
  const added = await admin.postForm('/admin/ingestion', '/admin/ingestion/mailboxes', {
    ...base,
    id,
    password: account.password,
  });
  assert.equal(added.status, 302);
  return { account, id, base };
}

const auditOf = (kind: string) =>
  stack.sql<
    { actor: string; data: Record<string, unknown> }[]
  >`select actor, data from audit_log where kind = ${kind} order by seq`;

describe('ingestion admin page', () => {
  test('an admin adds a mailbox: the password is stored encrypted, never shown or audited, and the connection test logs in', async () => {
    const account = await newMailAccount();
    const id = `ap-${randomBytes(3).toString('hex')}`;
    const fields = {
      id,
      name: 'Accounts payable',
      host: account.host,
      port: String(account.port),
      username: account.username,
      password: account.password,
      folder: 'INBOX',
      processedFolder: 'Done',
      allowedSenders: '@acme.example, billing@vendor.example',
      enabled: 'on',
    };
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
    assert.match(
      await check.text(),
      /Connected: 0 messages in the folder; IDLE supported; MOVE supported; processed folder will be created/,
    );
  });

  test('editing without a password keeps it; a wrong new password shows in the connection test; changes are audited', async () => {
    const { id, base } = await addedMailbox('Second');
    const before = await getMailbox(stack.sql, id);
    assert.equal(
      (
        await admin.postForm(`/admin/ingestion/mailboxes/${id}`, `/admin/ingestion/mailboxes/${id}`, {
          ...base,
          name: 'Renamed',
          password: '',
        })
      ).status,
      302,
    );
    const after = await getMailbox(stack.sql, id);
    assert.equal(after?.name, 'Renamed');
    assert.equal(after?.passwordEncrypted, before?.passwordEncrypted);
    const changes = (await auditOf('ingest.mailbox_changed')).at(-1)!.data;
    assert.deepEqual(changes.changes, { name: { from: 'Second', to: 'Renamed' } });
    assert.equal(changes.passwordChanged, false);

    assert.equal(
      (
        await admin.postForm(`/admin/ingestion/mailboxes/${id}`, `/admin/ingestion/mailboxes/${id}`, {
          ...base,
          password: 'not-the-password',
        })
      ).status,
      302,
    );
    const check = await admin.postForm('/admin/ingestion', `/admin/ingestion/mailboxes/${id}/test`, {});
    assert.match(await check.text(), /Connection failed:.*refused the login/);
  });

  test('"Test connection" on the add form tests the values as typed, before saving: each failure says what is wrong', async () => {
    const account = await newMailAccount();
    const id = `ap-${randomBytes(3).toString('hex')}`;
    const typed = {
      id,
      name: 'Not saved yet',
      host: account.host,
      port: String(account.port),
      username: account.username,
      password: account.password,
      folder: 'INBOX',
      processedFolder: 'Done',
      allowedSenders: '',
    };
    const testNew = (fields: Record<string, string>) =>
      hxPost('/admin/ingestion', '/admin/ingestion/test-connection', fields);

    const ok = await testNew(typed);
    assert.equal(ok.status, 200);
    assert.match(ok.body, /Connected: 0 messages in the folder; IDLE supported/);
    assert.ok(!ok.body.includes('<html'), 'htmx gets the result alone, shown inline');

    assert.match(
      (await testNew({ ...typed, password: 'not-the-password' })).body,
      /Connection failed: The server refused the login for ap-\d+ \(wrong user or password\)/,
    );
    assert.match(
      (await testNew({ ...typed, port: String(await closedPort()) })).body,
      /Connection failed: 127\.0\.0\.1:\d+ refused the connection: nothing listens on that port/,
    );
    assert.match(
      (await testNew({ ...typed, tls: 'on' })).body,
      /Connection failed: 127\.0\.0\.1:\d+ does not speak TLS from the first byte: untick TLS/,
    );
    assert.match(
      (await testNew({ ...typed, folder: 'Invoices' })).body,
      /Connection failed: Cannot open the folder &quot;Invoices&quot;: Mailbox doesn(&#39;|')t exist: Invoices\. Folders on the server: INBOX\./,
    );
    assert.match(
      (await testNew({ ...typed, host: 'no-such-host.invalid' })).body,
      /Connection failed: The host no-such-host\.invalid (was not found|could not be looked up)/,
    );
    assert.match((await testNew({ ...typed, password: '' })).body, /Not tested: enter the mailbox password/);
    assert.match((await testNew({ ...typed, port: 'x' })).body, /Not tested: The port must be a number/);

    assert.equal(await getMailbox(stack.sql, id), undefined, 'testing saves nothing');
    const audits = (await auditOf('ingest.mailbox_tested')).filter((a) => a.data.mailboxId === id);
    assert.equal(audits.length, 8, 'every test is audited');
    assert.equal(audits[0]!.actor, ADMIN.email);
    assert.deepEqual(
      audits.map((a) => a.data.ok),
      [true, false, false, false, false, false, false, false],
    );
    assert.equal(audits[0]!.data.asTyped, true);
    assert.equal(audits[0]!.data.host, account.host);
    assert.ok(!JSON.stringify(audits).includes(account.password), 'the password is never audited');

    // Without JavaScript the button submits the form: the page comes back with the result and the values (not the password).
    const plain = await admin.postForm('/admin/ingestion', '/admin/ingestion/test-connection', {
      ...typed,
      password: 'not-the-password',
    });
    assert.equal(plain.status, 200);
    const html = await plain.text();
    assert.match(html, /refused the login/);
    assert.match(html, /value="Not saved yet"/);
    assert.ok(!html.includes('not-the-password'));
  });

  test('"Test connection" on the edit form tests the typed values with the saved password when the field is left empty', async () => {
    const { account, id, base } = await addedMailbox('Edit test');
    const page = `/admin/ingestion/mailboxes/${id}`;
    const edit = await (await admin.fetch(page)).text();
    assert.match(
      edit,
      new RegExp(`hx-post="/admin/ingestion/mailboxes/${id}/test"`),
      'the edit form has its own test button',
    );

    assert.match((await hxPost(page, `${page}/test`, { ...base, password: '' })).body, /Connected: 0 messages/);
    assert.match(
      (await hxPost(page, `${page}/test`, { ...base, password: '', folder: 'Archive' })).body,
      /Cannot open the folder &quot;Archive&quot;/,
    );
    assert.match(
      (await hxPost(page, `${page}/test`, { ...base, password: 'typed-but-wrong' })).body,
      /refused the login/,
    );
    assert.match(
      (await hxPost(page, `${page}/test`, { ...base, password: '', port: String(await closedPort()) })).body,
      /refused the connection/,
    );
    const saved = await getMailbox(stack.sql, id);
    assert.equal(saved?.folder, 'INBOX', 'testing changes nothing');
    assert.equal(saved?.port, account.port);
    const audits = (await auditOf('ingest.mailbox_tested')).filter((a) => a.data.mailboxId === id);
    assert.deepEqual(
      audits.map((a) => [a.data.ok, a.data.saved]),
      [
        [true, true],
        [false, true],
        [false, true],
        [false, true],
      ],
    );
  });

  test('refuses bad input with the reason, and keeps what was typed (but not the password)', async () => {
    const res = await admin.postForm('/admin/ingestion', '/admin/ingestion/mailboxes', {
      id: 'Bad Id',
      name: 'X',
      host: 'imap.example.com',
      port: '99999',
      username: 'u',
      password: 'secret-typed',
      folder: 'INBOX',
      processedFolder: 'P',
      allowedSenders: 'not an address',
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
    await userWithPassword(stack.sql, { email, password: 'ops password 123', displayName: 'Ops', role: 'ops' });
    const ops = new PageSession(stack.url);
    assert.equal((await ops.login(email, 'ops password 123')).status, 302);
    assert.equal((await ops.fetch('/admin/ingestion')).status, 403);
    const forged = await admin.fetch('/admin/ingestion/mailboxes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        id: 'forged',
        name: 'F',
        host: 'h',
        port: '1',
        username: 'u',
        password: 'p',
        folder: 'INBOX',
        processedFolder: 'P',
      }),
    });
    assert.equal(forged.status, 403);
    assert.equal(await getMailbox(stack.sql, 'forged'), undefined);
    const testedBefore = (await auditOf('ingest.mailbox_tested')).length;
    const typed = { host: '127.0.0.1', port: '1', username: 'u', password: 'p', folder: 'INBOX', processedFolder: 'P' };
    const forgedTest = await admin.fetch('/admin/ingestion/test-connection', {
      method: 'POST',
      headers: { 'HX-Request': 'true' },
      body: new URLSearchParams(typed),
    });
    assert.equal(forgedTest.status, 403, 'the typed-values test needs the CSRF token too');
    const opsCsrf = csrfFrom(await (await ops.fetch('/invoices')).text());
    const opsTest = await ops.fetch('/admin/ingestion/test-connection', {
      method: 'POST',
      headers: { 'HX-Request': 'true' },
      body: new URLSearchParams({ ...typed, _csrf: opsCsrf }),
    });
    assert.equal(opsTest.status, 403, 'and an admin');
    assert.equal((await auditOf('ingest.mailbox_tested')).length, testedBefore, 'refused tests are not run');
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
