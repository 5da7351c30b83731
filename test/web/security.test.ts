// Security of the web app as an attacker meets it: API permissions by role, login without account
// discovery or lockout abuse, uploads that are not what they claim, cross-site requests, health output.
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../api/app.js';
import { passwordVerifications } from '../../api/auth/passwords.js';
import { createInvoiceService } from '../../services/invoices.js';
import { createInvoiceProcesses } from '../../services/temporal.js';
import { createSql } from '../../db/client.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { csrfFrom, PageSession } from '../support/browserless-session.js';
import { userWithPassword } from '../support/people.js';
import { fetchFrom } from '../support/http-from.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
const CLERK = { email: 'sec-clerk@test.local', password: 'clerk password 123' };
const OPS = { email: 'sec-ops@test.local', password: 'ops password 12345' };
before(async () => {
  stack = await startStack();
  await userWithPassword(stack.sql, {
    ...CLERK,
    displayName: 'Clara Clerk',
    role: 'clerk',
  });
  await userWithPassword(stack.sql, {
    ...OPS,
    displayName: 'Oscar Ops',
    role: 'ops',
  });
});
after(async () => {
  await stack?.stop();
});

/** A logged-in session and its CSRF token, as the pages' own scripts would send it. */
async function sessionOf(user: { email: string; password: string }, fetchImpl?: typeof fetch) {
  const s = new PageSession(stack.url, fetchImpl);
  const login = await s.login(user.email, user.password);
  assert.equal(login.status, 302, `${user.email} logs in`);
  const csrf = csrfFrom(await (await s.fetch('/upload')).text());
  return { s, csrf };
}

describe('API permissions follow the session role', () => {
  test('a clerk cannot replay a failed sync through the JSON API; ops can', async () => {
    const inv = uniqueInvoice();
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
    const id = await stack.uploadOne('sec-failed.pdf', await makeInvoicePdf(inv));
    await stack.waitFor(id, (st) => st.status === 'sync_failed');
    stack.plex.store.clearFaults();

    const clerk = await sessionOf(CLERK);
    const denied = await clerk.s.fetch(`/api/invoices/${id}/retry-sync`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': clerk.csrf },
    });
    assert.equal(denied.status, 403);
    const replays =
      await stack.sql`select 1 from audit_log where invoice_id = ${id} and kind = 'sync.replay_requested'`;
    assert.equal(replays.length, 0, 'nothing was replayed');

    const ops = await sessionOf(OPS);
    const allowed = await ops.s.fetch(`/api/invoices/${id}/retry-sync`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': ops.csrf },
    });
    assert.equal(allowed.status, 202);
    await stack.waitFor(id, (st) => st.status === 'synced');
  });
});

describe('login', () => {
  const masked = async (res: Response, email: string) =>
    `${res.status} ${(await res.text()).replace(/name="_csrf" value="[^"]+"/, '_csrf').replaceAll(email, '<email>')}`;

  test('an unknown email, a wrong password and a disabled account get the same answer', async () => {
    const disabled = 'sec-disabled@test.local';
    await userWithPassword(stack.sql, {
      email: disabled,
      password: 'disabled password 1',
      displayName: 'D',
      role: 'clerk',
    });
    await stack.sql`update users set disabled = true where email = ${disabled}`;
    const s = new PageSession(stack.url, fetchFrom('127.0.0.11'));
    const unknown = await masked(await s.login('nobody-here@test.local', 'some password 1'), 'nobody-here@test.local');
    const wrong = await masked(await s.login(CLERK.email, 'wrong password 1'), CLERK.email);
    const off = await masked(await s.login(disabled, 'disabled password 1'), disabled);
    assert.match(unknown, /^401 /);
    assert.equal(wrong, unknown);
    assert.equal(off, unknown);
  });

  test('an unknown email costs the same scrypt verification as a real one', async () => {
    const s = new PageSession(stack.url, fetchFrom('127.0.0.16'));
    for (const email of ['nobody-at-all@test.local', CLERK.email]) {
      const before = passwordVerifications();
      assert.equal((await s.login(email, 'not the password 1')).status, 401);
      assert.equal(passwordVerifications() - before, 1, `${email}: one scrypt verification`);
    }
  });

  test("an attacker's failures from another address neither lock the account nor reveal it", async () => {
    const victim = { email: 'sec-victim@test.local', password: 'victim password 12' };
    await userWithPassword(stack.sql, {
      ...victim,
      displayName: 'V',
      role: 'admin',
    });
    const attacker = new PageSession(stack.url, fetchFrom('127.0.0.12'));
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await attacker.login(victim.email, `guess ${i} of many`);
      assert.ok([401, 429].includes(res.status), `attempt ${i}: ${res.status}`);
      const text = await res.text();
      assert.doesNotMatch(text, /locked/i);
      answers.push(String(res.status));
    }
    assert.ok(answers.includes('429'), `the attacker is slowed down: ${answers.join(',')}`);
    // The same number of failures against an account that does not exist is answered the same way.
    const prober = new PageSession(stack.url, fetchFrom('127.0.0.13'));
    const probe: string[] = [];
    for (let i = 0; i < 12; i++)
      probe.push(String((await prober.login('sec-nobody@test.local', `guess ${i} of many`)).status));
    assert.deepEqual(probe, answers);

    const own = new PageSession(stack.url, fetchFrom('127.0.0.14'));
    assert.equal((await own.login(victim.email, victim.password)).status, 302, 'the victim still logs in');
  });

  test('successful logins are not counted against anyone', async () => {
    for (let i = 0; i < 14; i++) {
      const s = new PageSession(stack.url, fetchFrom('127.0.0.15'));
      assert.equal((await s.login(OPS.email, OPS.password)).status, 302, `login ${i + 1}`);
    }
  });
});

describe('uploads that are not what they claim', () => {
  // Bytes as Latin-1 text and back (Buffer's latin1 is byte for byte; TextDecoder's is windows-1252).
  const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  const pdfText = async () => Buffer.from(await makeInvoicePdf(uniqueInvoice())).toString('latin1');

  /** A ZIP archive holding one stored (uncompressed) file. */
  function zipOf(name: string, content: Uint8Array): Uint8Array {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc32(content), 14);
    header.writeUInt32LE(content.length, 18);
    header.writeUInt32LE(content.length, 22);
    header.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(content), 16);
    central.writeUInt32LE(content.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(name.length, 28);
    const centralOffset = header.length + name.length + content.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(centralOffset, 16);
    return Buffer.concat([header, Buffer.from(name), content, central, Buffer.from(name), end]);
  }

  test('a ZIP holding a PDF, named .pdf, is refused', async () => {
    const pdf = await makeInvoicePdf(uniqueInvoice());
    const res = await stack.upload([{ name: 'invoice.pdf', bytes: zipOf('invoice.pdf', pdf) }]);
    assert.ok([415, 422].includes(res.status), `status ${res.status}: ${await res.text()}`);
  });

  test('an HTML page with a PDF inside, or a PDF with a page after it, named .pdf, is refused', async () => {
    const pdf = await pdfText();
    for (const polyglot of [
      `<html><body><script>alert(document.cookie)</script><!--\n${pdf}\n-->\n</body></html>\n`,
      `${pdf}\n<html><body><script>alert(document.cookie)</script></body></html>\n`,
    ]) {
      const res = await stack.upload([{ name: 'invoice.pdf', bytes: latin1(polyglot) }]);
      assert.ok([415, 422].includes(res.status), `status ${res.status}: ${await res.text()}`);
    }
  });

  test('a stored document is served as a download, never sniffed', async () => {
    const id = await stack.uploadOne('served.pdf', await makeInvoicePdf(uniqueInvoice()));
    const clerk = await sessionOf(CLERK);
    const res = await clerk.s.fetch(`/invoices/${id}/document`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Content-Type'), 'application/pdf');
    assert.match(res.headers.get('Content-Disposition') ?? '', /^attachment; filename="served\.pdf"/);
    assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff');
  });
});

describe('cross-site requests and public output', () => {
  test('a state-changing request from another site is refused even with the CSRF token', async () => {
    const { s, csrf } = await sessionOf(OPS);
    const post = (headers: Record<string, string>) =>
      s.fetch('/syncs/replay-all', { method: 'POST', headers: { 'X-CSRF-Token': csrf, ...headers } });
    assert.equal((await post({ Origin: 'https://evil.example' })).status, 403);
    assert.equal((await post({ Origin: 'null' })).status, 403);
    assert.equal((await post({ 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    assert.equal((await post({ 'Sec-Fetch-Site': 'same-site' })).status, 403);
    assert.equal(
      (await post({ Origin: stack.url, 'Sec-Fetch-Site': 'same-origin' })).status,
      302,
      'our own pages still work',
    );
    assert.equal((await post({})).status, 302, 'clients that send neither header are judged by the CSRF token alone');
  });

  test('a cross-site login attempt is refused', async () => {
    const s = new PageSession(stack.url);
    const csrf = csrfFrom(await (await s.fetch('/login')).text());
    const res = await s.fetch('/login', {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
      body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, _csrf: csrf }),
    });
    assert.equal(res.status, 403);
  });

  test('/healthz does not show the database error to the public', async () => {
    const deadSql = createSql('postgres://nobody:secret@127.0.0.1:1/plexsync_nowhere', { max: 1 });
    try {
      const app = createApp({
        config: stack.config,
        sql: deadSql,
        logger: createLogger({ level: 'silent', name: 'test' }),
        metrics: createMetrics(deadSql),
        invoices: createInvoiceService({
          sql: deadSql,
          processes: createInvoiceProcesses(stack.client, 'nowhere'),
          config: stack.config,
        }),
      });
      const res = await app.request('/healthz');
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { ok: false });
    } finally {
      await deadSql.end({ timeout: 1 });
    }
  });
});
