// The plexsync command, run as the README shows it (`npx plexsync …` from the repository root, in a child process).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendAudit } from '../../db/audit.js';
import { eInvoiceAmounts, eInvoiceSpec, toUbl } from '../../testkit/einvoice.js';
import { ExtractionContract } from '../../extract/contract.js';
import { invoiceTotals, makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { withStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { PageSession } from '../support/browserless-session.js';
import { npxPlexsync } from './npx.js';

const dir = mkdtempSync(join(tmpdir(), 'plexsync-cli-'));
let stack: Stack;
withStack({ worker: false }, (started) => (stack = started));

const run = (args: string[], env: Record<string, string> = {}, input?: string) => npxPlexsync(args, { env, input });

test('extract --json prints one JSON object in the flat contract: values typed, page, box and source per field', async () => {
  const inv = uniqueInvoice();
  const file = join(dir, 'inv.pdf');
  writeFileSync(file, await makeInvoicePdf(inv));
  const r = await run(['extract', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'the built CLI runs (no fallback to the TypeScript sources)');
  const out = ExtractionContract.parse(JSON.parse(r.stdout));
  const { fields } = out;
  assert.equal(fields.invoiceNumber.value, inv.invoiceNumber);
  assert.equal(fields.invoiceNumber.page, 1);
  assert.equal(fields.invoiceNumber.source, 'text');
  assert.ok(fields.invoiceNumber.bbox && fields.invoiceNumber.bbox.width > 0);
  assert.equal(fields.invoiceDate.value, inv.invoiceDate);
  assert.equal(fields.total.value, Number(invoiceTotals(inv).total)); // a number, not a string
  assert.deepEqual(fields.poNumbers.value, [inv.poNumber]);
  assert.equal(out.lineItems.length, inv.lines.length);
  assert.equal(out.lineItems[0]!.quantity, inv.lines[0]!.quantity);
  assert.ok(out.confidence >= 0.95);
  assert.deepEqual(out.warnings, []);
});

test('extract without --json prints a table people can read', async () => {
  const inv = uniqueInvoice();
  const file = join(dir, 'inv-table.pdf');
  writeFileSync(file, await makeInvoicePdf(inv));
  const r = await run(['extract', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(`^invoiceNumber\\s+${inv.invoiceNumber.replace(/[-/]/g, '\\$&')}\\s+0\\.\\d\\d\\s+p\\.1\\s+text$`, 'm'),
  );
  assert.match(r.stdout, /^Line items: \d+$/m);
  assert.match(r.stdout, /^Confidence: \d\.\d\d/m);
});

test('extract of an unreadable file exits non-zero with a one-line reason', async () => {
  const truncated = join(dir, 'missing.pdf');
  const r = await run(['extract', truncated, '--json']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /cannot extract missing\.pdf: .*no such file/);
  const usage = await run(['extract']);
  assert.equal(usage.status, 2, usage.stderr);
});

test('extract reads an e-invoice XML exactly, with source einvoice; a broken one exits non-zero with the reason', async () => {
  const spec = eInvoiceSpec(5);
  const file = join(dir, 'xrechnung.xml');
  writeFileSync(file, toUbl(spec));
  const r = await run(['extract', file, '--json']);
  assert.equal(r.status, 0, r.stderr);
  type Field = { value: unknown; confidence: number; source?: string; provenance?: { source: string } };
  const out = JSON.parse(r.stdout) as { fields: Record<string, Field>; confidence: number };
  const source = (f: Field) => f.source ?? f.provenance?.source;
  assert.equal(out.fields.invoiceNumber!.value, spec.invoiceNumber);
  assert.equal(source(out.fields.invoiceNumber!), 'einvoice');
  assert.equal(Number(out.fields.total!.value), Number(eInvoiceAmounts(spec).grand));
  assert.deepEqual(out.fields.poNumbers!.value, [spec.poNumber]);
  assert.equal(out.confidence, 1);

  const broken = join(dir, 'broken.xml');
  writeFileSync(broken, toUbl(spec).slice(0, 500));
  const bad = await run(['extract', broken, '--json']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not well-formed \(line \d+, column \d+\)/);
});

test('extract refuses a file that is not a PDF or image with a clear message', async () => {
  const file = join(dir, 'fake.pdf');
  writeFileSync(file, 'not a pdf');
  const r = await run(['extract', file, '--json']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a PDF or image/);
});

test('audit verify reports an intact chain and a tampered one', async () => {
  const env = { DATABASE_URL: stack.env.DATABASE_URL! };
  await appendAudit(stack.sql, { eventKey: 'cli-1', invoiceId: null, kind: 'test', actor: 't', data: { n: 1 } });
  await appendAudit(stack.sql, { eventKey: 'cli-2', invoiceId: null, kind: 'test', actor: 't', data: { n: 2 } });
  const ok = await run(['audit', 'verify'], env);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Audit chain OK: 2 entries/);
  await stack.sql`update audit_log set actor = 'mallory' where event_key = 'cli-1'`;
  const bad = await run(['audit', 'verify'], env);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /BROKEN/);
});

test('token create prints a working token once; user add creates a login', async () => {
  const env = { DATABASE_URL: stack.env.DATABASE_URL! };
  const r = await run(['token', 'create', '--name', 'erp-bridge', '--scope', 'invoices:read'], env);
  assert.equal(r.status, 0, r.stderr);
  const token = r.stdout.trim().split('\n').at(-1)!;
  const list = await fetch(`${stack.url}/api/invoices`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(list.status, 200);
  const upload = await fetch(`${stack.url}/api/invoices`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: new FormData(),
  });
  assert.equal(upload.status, 403, 'read-only token cannot upload');
  const [row] = await stack.sql<{ token_hash: string }[]>`select token_hash from api_tokens where name = 'erp-bridge'`;
  assert.ok(row && !row.token_hash.includes(token), 'only a hash is stored');

  const added = await run(
    ['user', 'add', '--email', 'Ops@Example.com', '--role', 'ops'],
    env,
    'a long enough password\n',
  );
  assert.equal(added.status, 0, added.stderr);
  const [user] = await stack.sql<
    { email: string; role: string; password_hash: string }[]
  >`select email, role, password_hash from users where email = 'ops@example.com'`;
  assert.equal(user?.role, 'ops');
  assert.match(user.password_hash, /^scrypt\$/);
  const weak = await run(['user', 'add', '--email', 'x@example.com', '--role', 'clerk'], env, 'short\n');
  assert.equal(weak.status, 2);
});

test('user add takes the password from PLEXSYNC_PASSWORD, as the README shows for the first admin', async () => {
  const env = { DATABASE_URL: stack.env.DATABASE_URL!, PLEXSYNC_PASSWORD: 'another long password' };
  const r = await run(['user', 'add', '--email', 'you@example.com', '--role', 'admin'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /User you@example\.com \(admin\) saved/);
  const login = await new PageSession(stack.url).login('you@example.com', 'another long password');
  assert.equal(login.status, 302);
});

test('replay of an invoice that is not a failed sync, and replay --all-failed with none, answer from the database and Temporal', async () => {
  const env = {
    DATABASE_URL: stack.env.DATABASE_URL!,
    TEMPORAL_ADDRESS: stack.env.TEMPORAL_ADDRESS!,
    TEMPORAL_TASK_QUEUE: stack.env.TEMPORAL_TASK_QUEUE!,
  };
  const unknown = await run(['replay', 'inv-000000000000000000000000'], env);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /^plexsync: .*inv-000000000000000000000000/);
  assert.equal(unknown.stderr.trim().split('\n').length, 1);
  const all = await run(['replay', '--all-failed'], env);
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /Replay requested for 0 failed sync\(s\)/);
});

test('replay without a database configured says what is missing; unknown commands show usage', async () => {
  const r = await run(['replay', '--all-failed']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /DATABASE_URL/);
  const u = await run(['frobnicate']);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /Usage: plexsync/);
});
