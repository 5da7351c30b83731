// Admin and ops pages over real HTTP, Postgres and Temporal: users, API tokens, settings (validated,
// audited, applied to new uploads), the Plex connection test, the dashboard, roles and CSRF.
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/app.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { createInvoiceService } from '../../services/invoices.js';
import { createInvoiceProcesses } from '../../services/temporal.js';
import { getEffectiveSettings } from '../../db/settings.js';
import { upsertUser } from '../../db/users.js';
import { type Role } from '../../domain/permissions.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { createPlexClient } from '../../plex/client.js';
import { csrfFrom, PageSession } from '../support/browserless-session.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
/** One admin session for the whole file: logins are rate limited (10 per 15 minutes per address and email). */
let adminSession: PageSession;
before(async () => {
  stack = await startStack();
  adminSession = await sessionAs(ADMIN.email, ADMIN.password);
});
after(async () => {
  await stack?.stop();
});

async function sessionAs(email: string, password: string): Promise<PageSession> {
  const s = new PageSession(stack.url);
  assert.equal((await s.login(email, password)).status, 302, `${email} logs in`);
  return s;
}
const asAdmin = async () => adminSession;

/** A user straight in the database (for tests about what happens to an existing account). */
async function makeUser(role: Role): Promise<{ id: string; email: string; password: string }> {
  const email = `${role}-${randomBytes(3).toString('hex')}@test.local`;
  const password = `pw ${randomBytes(6).toString('hex')}`;
  const user = await upsertUser(stack.sql, {
    email,
    displayName: `Test ${role}`,
    role,
    passwordHash: await hashPassword(password),
  });
  return { id: user.id, email, password };
}

const auditOf = (kind: string) =>
  stack.sql<
    { actor: string; data: Record<string, unknown>; created_at: Date }[]
  >`select actor, data, created_at from audit_log where kind = ${kind} order by seq`;
const loggedIn = async (s: PageSession) => (await s.fetch('/invoices')).status === 200;

describe('users', () => {
  test('an admin adds a clerk (scrypt password, audited) who can then log in, but not into admin pages', async () => {
    const admin = await asAdmin();
    const email = `new-${randomBytes(3).toString('hex')}@test.local`;
    const short = await admin.postForm('/admin/users', '/admin/users', {
      email,
      displayName: 'New Clerk',
      role: 'clerk',
      password: 'too short',
    });
    assert.equal(short.status, 422);
    assert.match(await short.text(), /at least 12 characters/);

    const res = await admin.postForm('/admin/users', '/admin/users', {
      email: email.toUpperCase(),
      displayName: 'New Clerk',
      role: 'clerk',
      password: 'a long enough password',
    });
    assert.equal(res.status, 302);
    assert.match(await (await admin.fetch('/admin/users')).text(), new RegExp(email));
    const [row] = await stack.sql<
      { password_hash: string; role: string }[]
    >`select password_hash, role from users where email = ${email}`;
    assert.match(row!.password_hash, /^scrypt\$/);
    assert.equal(row!.role, 'clerk');
    const again = await admin.postForm('/admin/users', '/admin/users', {
      email,
      displayName: 'Twice',
      role: 'admin',
      password: 'another long password',
    });
    assert.equal(again.status, 409, 'an existing account is never overwritten');

    const clerk = await sessionAs(email, 'a long enough password');
    assert.ok(await loggedIn(clerk));
    assert.equal((await clerk.fetch('/admin/users')).status, 403);
    const audit = (await auditOf('user.created')).filter((a) => a.data.email === email);
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, ADMIN.email);
    assert.ok(!JSON.stringify(audit[0]!.data).includes('long enough'), 'no password in the audit log');
  });

  test('a role change ends the user’s sessions; the new role applies at the next login', async () => {
    const user = await makeUser('clerk');
    const session = await sessionAs(user.email, user.password);
    assert.equal((await session.fetch('/syncs/failed')).status, 403);
    const admin = await asAdmin();
    assert.equal((await admin.postForm('/admin/users', `/admin/users/${user.id}/role`, { role: 'ops' })).status, 302);
    assert.equal((await session.fetch('/invoices')).status, 302, 'the old session is gone');
    const again = await sessionAs(user.email, user.password);
    assert.equal((await again.fetch('/syncs/failed')).status, 200, 'now ops');
    const audit = (await auditOf('user.role_changed')).filter((a) => a.data.email === user.email);
    assert.deepEqual(
      audit.map((a) => [a.actor, a.data.from, a.data.to]),
      [[ADMIN.email, 'clerk', 'ops']],
    );
  });

  test('disabling ends the user’s sessions and blocks login; enabling lets them back in', async () => {
    const user = await makeUser('clerk');
    const session = await sessionAs(user.email, user.password);
    const admin = await asAdmin();
    assert.equal((await admin.postForm('/admin/users', `/admin/users/${user.id}/disable`, {})).status, 302);
    assert.equal((await session.fetch('/invoices')).status, 302);
    assert.equal((await new PageSession(stack.url).login(user.email, user.password)).status, 401);
    assert.equal((await admin.postForm('/admin/users', `/admin/users/${user.id}/enable`, {})).status, 302);
    assert.ok(await loggedIn(await sessionAs(user.email, user.password)));
    const kinds = (
      await stack.sql<{ kind: string }[]>`select kind from audit_log where data->>'email' = ${user.email} order by seq`
    ).map((r) => r.kind);
    assert.deepEqual(kinds, ['user.disabled', 'user.enabled']);
  });

  test('the last active admin cannot be demoted or disabled, and an admin cannot disable themselves', async () => {
    const admin = await asAdmin();
    const [me] = await stack.sql<{ id: string }[]>`select id from users where email = ${ADMIN.email}`;
    const other = await makeUser('admin');
    // With a second admin, demoting that one is fine; then ADMIN is the last active admin.
    assert.equal(
      (await admin.postForm('/admin/users', `/admin/users/${other.id}/role`, { role: 'clerk' })).status,
      302,
    );
    const demote = await admin.postForm('/admin/users', `/admin/users/${me!.id}/role`, { role: 'ops' });
    assert.equal(demote.status, 409);
    assert.match(await demote.text(), /no active admin/);
    assert.equal((await admin.postForm('/admin/users', `/admin/users/${me!.id}/disable`, {})).status, 409);
    const [row] = await stack.sql<
      { role: string; disabled: boolean }[]
    >`select role, disabled from users where id = ${me!.id}`;
    assert.deepEqual({ ...row }, { role: 'admin', disabled: false });
    assert.ok(await loggedIn(admin), 'the refused change did not end the admin’s session');
  });

  test('“log out everywhere” ends every session of the current user, and only theirs', async () => {
    const user = await makeUser('clerk');
    const [laptop, phone] = [await sessionAs(user.email, user.password), await sessionAs(user.email, user.password)];
    const bystander = await asAdmin();
    assert.equal((await laptop.postForm('/invoices', '/account/logout-everywhere', {})).status, 302);
    assert.equal(await loggedIn(laptop), false);
    assert.equal(await loggedIn(phone), false);
    assert.ok(await loggedIn(bystander));
    assert.equal((await auditOf('user.logged_out_everywhere')).filter((a) => a.data.email === user.email).length, 1);
  });
});

describe('roles and CSRF', () => {
  test('a clerk gets 403 on admin pages and settings; ops may read settings but not change them', async () => {
    const clerkUser = await makeUser('clerk');
    const clerk = await sessionAs(clerkUser.email, clerkUser.password);
    for (const path of ['/admin/users', '/admin/tokens', '/admin/settings'])
      assert.equal((await clerk.fetch(path)).status, 403, path);
    assert.equal((await clerk.postForm('/invoices', '/admin/settings', { autoApproveThreshold: '0.5' })).status, 403);
    assert.doesNotMatch(
      await (await clerk.fetch('/invoices')).text(),
      /href="\/admin\//,
      'no admin links in a clerk’s nav',
    );
    assert.equal((await clerk.fetch('/dashboard')).status, 200);

    const opsUser = await makeUser('ops');
    const ops = await sessionAs(opsUser.email, opsUser.password);
    const page = await ops.fetch('/admin/settings');
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Only admins can change settings/);
    assert.equal(
      (await ops.postForm('/admin/settings', '/admin/settings', { autoApproveThreshold: '0.5' })).status,
      403,
    );
    assert.equal((await ops.fetch('/admin/users')).status, 403);
    const [stored] = await stack.sql`select 1 from settings where auto_approve_threshold = 0.5`;
    assert.equal(stored, undefined);
  });

  test('every admin form post without the CSRF token is refused and changes nothing', async () => {
    const admin = await asAdmin();
    const victim = await makeUser('clerk');
    const [token] = await stack.sql<{ id: string }[]>`select id from api_tokens where revoked_at is null limit 1`;
    const posts: [string, Record<string, string>][] = [
      [
        '/admin/users',
        { email: 'csrf@test.local', displayName: 'X', role: 'admin', password: 'a long enough password' },
      ],
      [`/admin/users/${victim.id}/role`, { role: 'admin' }],
      [`/admin/users/${victim.id}/disable`, {}],
      [`/admin/users/${victim.id}/enable`, {}],
      ['/account/logout-everywhere', {}],
      ['/admin/tokens', { name: 'csrf', scopes: 'invoices:read' }],
      [`/admin/tokens/${token!.id}/revoke`, {}],
      ['/admin/settings', { autoApproveThreshold: '0.1' }],
      ['/admin/settings/plex-check', {}],
    ];
    for (const [path, fields] of posts) {
      const res = await admin.fetch(path, { method: 'POST', body: new URLSearchParams(fields) });
      assert.equal(res.status, 403, path);
      assert.match(await res.text(), /CSRF/, path);
    }
    assert.ok(await loggedIn(admin));
    assert.equal((await stack.sql`select 1 from users where email = 'csrf@test.local'`).length, 0);
    assert.equal(
      (await stack.sql`select 1 from users where id = ${victim.id} and role = 'clerk' and not disabled`).length,
      1,
    );
    assert.equal((await stack.sql`select 1 from api_tokens where id = ${token!.id} and revoked_at is null`).length, 1);
    assert.equal((await stack.sql`select 1 from settings`).length, 0);
  });
});

describe('API tokens', () => {
  test('a token created on the page is shown once, works as a bearer token within its scopes, and stops working when revoked', async () => {
    const admin = await asAdmin();
    const none = await admin.postForm('/admin/tokens', '/admin/tokens', { name: 'no scopes' });
    assert.equal(none.status, 422);
    assert.match(await none.text(), /at least one scope/);

    const created = await admin.postForm('/admin/tokens', '/admin/tokens', {
      name: 'scanner',
      scopes: 'invoices:read',
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('Cache-Control'), 'no-store');
    const token = /id="new-token">(psk_[\w-]+)</.exec(await created.text())?.[1];
    assert.ok(token, 'the new token is on the page');
    const bearer = (path: string, init: RequestInit = {}) =>
      fetch(`${stack.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await bearer('/api/invoices')).status, 200);
    assert.equal(
      (await bearer('/api/invoices', { method: 'POST', body: new FormData() })).status,
      403,
      'read scope only',
    );

    const list = await (await admin.fetch('/admin/tokens')).text();
    assert.ok(!list.includes(token), 'shown only once');
    const [row] = await stack.sql<
      { id: string; last_used_at: Date | null }[]
    >`select id, last_used_at from api_tokens where name = 'scanner'`;
    assert.ok(row!.last_used_at, 'last use recorded');
    assert.match(list, new RegExp(`id="token-${row!.id}"[\\s\\S]*?scanner[\\s\\S]*?invoices:read`));

    assert.equal((await admin.postForm('/admin/tokens', `/admin/tokens/${row!.id}/revoke`, {})).status, 302);
    assert.equal((await bearer('/api/invoices')).status, 401);
    const created_ = (await auditOf('token.created')).filter((a) => a.data.name === 'scanner');
    const revoked = (await auditOf('token.revoked')).filter((a) => a.data.name === 'scanner');
    assert.equal(created_.length, 1);
    assert.equal(revoked.length, 1);
    assert.equal(revoked[0]!.actor, ADMIN.email);
    assert.ok(!JSON.stringify(created_[0]!.data).includes(token), 'the token itself is never audited');
  });
});

describe('settings', () => {
  test('bad values are refused with a message and nothing is stored', async () => {
    const admin = await asAdmin();
    const bad = await admin.postForm('/admin/settings', '/admin/settings', {
      autoApproveThreshold: '1.5',
      escalateAfter: '24h',
    });
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /Auto-approve threshold must be between 0 and 1\.01/);
    assert.match(html, /value="1\.5"/, 'the typed value is shown back');
    const sla = await admin.postForm('/admin/settings', '/admin/settings', { escalateAfter: 'tomorrow' });
    assert.equal(sla.status, 422);
    assert.match(await sla.text(), /Escalation SLA must be a duration/);
    const pct = await admin.postForm('/admin/settings', '/admin/settings', { priceTolerancePct: 'ten' });
    assert.equal(pct.status, 422);
    assert.match(await pct.text(), /Price tolerance must be a number/);
    assert.equal((await stack.sql`select 1 from settings`).length, 0);
  });

  test('a change is audited and new uploads take the new threshold and SLA; clearing goes back to the defaults', async () => {
    const admin = await asAdmin();
    const saved = await admin.postForm('/admin/settings', '/admin/settings', {
      autoApproveThreshold: '1.01',
      escalateAfter: '36h',
      priceTolerancePct: '2.5',
      dateWindowDaysBefore: '10',
    });
    assert.equal(saved.status, 302);
    const effective = await getEffectiveSettings(stack.sql, stack.config);
    assert.deepEqual(
      effective.matching,
      { ...stack.config.matching, priceTolerance: 0.025, dateWindowDaysBefore: 10 },
      'tolerances in matching’s terms (fractions)',
    );
    const page = await (await admin.fetch('/admin/settings')).text();
    assert.match(page, new RegExp(`Last changed by ${ADMIN.email}`));
    const [audit] = (await auditOf('settings.changed')).slice(-1);
    assert.equal(audit!.actor, ADMIN.email);
    assert.deepEqual(audit!.data.changes, {
      autoApproveThreshold: { from: null, to: 1.01 },
      escalateAfter: { from: null, to: '36h' },
      priceTolerancePct: { from: null, to: 2.5 },
      dateWindowDaysBefore: { from: null, to: 10 },
    });

    const uploadPerfect = async () => {
      const inv = uniqueInvoice();
      await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
      return stack.uploadOne('perfect.pdf', await makeInvoicePdf(inv));
    };
    const strict = await uploadPerfect();
    const waiting = await stack.waitFor(strict, (s) => s.status === 'awaiting_review');
    assert.ok(
      waiting.reviewReasons.some((r) => /below the auto-approve threshold of 101%/.test(r)),
      JSON.stringify(waiting.reviewReasons),
    );
    assert.deepEqual(await startSettings(strict), { autoApproveThreshold: 1.01, escalateAfter: '36h' });

    // Cleared fields are unset again: the defaults from config apply to the next upload.
    assert.equal(
      (await admin.postForm('/admin/settings', '/admin/settings', { autoApproveThreshold: '', escalateAfter: '' }))
        .status,
      302,
    );
    assert.deepEqual(await getEffectiveSettings(stack.sql, stack.config), {
      autoApproveThreshold: stack.config.review.autoApproveThreshold,
      escalateAfter: stack.config.review.escalateAfter,
      undoWindow: stack.config.review.undoWindow,
      matching: stack.config.matching,
    });
    const relaxed = await uploadPerfect();
    await stack.waitFor(relaxed, (s) => s.status === 'synced');
    assert.deepEqual(await startSettings(relaxed), {
      autoApproveThreshold: stack.config.review.autoApproveThreshold,
      escalateAfter: stack.config.review.escalateAfter,
    });
  });

  test('the Plex box shows the base URL but never the key, and the connection test reports OK or a clear error', async () => {
    const admin = await asAdmin();
    const page = await (await admin.fetch('/admin/settings')).text();
    assert.ok(page.includes(stack.plex.url), 'base URL shown');
    assert.ok(!page.includes(stack.env.PLEX_API_KEY!), 'the key is never shown');
    assert.match(page, /set \(not shown\)/);
    const ok = await plexCheck(admin, '/admin/settings');
    assert.equal(ok.status, 200);
    assert.match(ok.html, /^<p class="flash ok" id="plex-check-outcome">Connected/, 'an htmx fragment, not a page');

    // The same app with a wrong key for its Plex client only.
    const other = await serveApp({ apiKey: 'wrong-key' });
    try {
      const s = new PageSession(other.url);
      assert.equal((await s.login(ADMIN.email, ADMIN.password)).status, 302);
      const bad = await plexCheck(s, '/admin/settings');
      assert.match(bad.html, /Connection failed/);
      assert.match(bad.html, /Plex refused the API key \(401\)/);
    } finally {
      await other.close();
    }
  });
});

describe('dashboard', () => {
  test('figures match the seeded invoices, and the date filter narrows them', async () => {
    await seedDashboardInvoices();
    const admin = await asAdmin();
    const full = await (await admin.fetch('/dashboard?from=2021-03-01&to=2021-03-10')).text();
    assert.equal(stat(full, 'invoices'), '10');
    assert.equal(stat(full, 'touchless'), '50%');
    assert.equal(stat(full, 'synced'), '5');
    assert.equal(stat(full, 'median'), '3 h');
    assert.equal(stat(full, 'p90'), '7 h 36 min', 'p90 of 1,2,3,4,10 h interpolates to 7.6 h');
    const perDay = tableRows(full, 'chart-per-day');
    assert.equal(perDay.length, 10, 'every day of the range, zero-filled');
    assert.deepEqual(perDay.slice(0, 4), [
      ['2021-03-01', '2'],
      ['2021-03-02', '1'],
      ['2021-03-03', '1'],
      ['2021-03-04', '0'],
    ]);
    assert.deepEqual(perDay.at(-1), ['2021-03-10', '1'], 'the last second of the last day counts');
    assert.deepEqual(tableRows(full, 'chart-vendors'), [
      ['Dash Vendor A', '4'],
      ['Dash Vendor B', '3'],
      ['Dash Vendor C', '2'],
      ['(not read)', '1'],
    ]);
    assert.deepEqual(tableRows(full, 'chart-failures'), [
      ['PUT /accounting/v1/ap-invoices/…: 503 from Plex', '2'],
      ['PUT /accounting/v1/ap-invoices/…: 401 from Plex. Either the API key is wrong or expired', '1'],
    ]);
    assert.deepEqual(tableRows(full, 'synced-amounts'), [
      ['EUR', '2', '60.00'],
      ['USD', '3', '1,300.75'],
    ]);
    assert.match(full, /<svg role="img" aria-labelledby="chart-per-day-title chart-per-day-desc"/);

    const narrow = await (await admin.fetch('/dashboard?from=2021-03-01&to=2021-03-02')).text();
    assert.equal(stat(narrow, 'invoices'), '3');
    assert.equal(stat(narrow, 'touchless'), '67%');
    assert.match(narrow, /id="no-failures"/);
    assert.deepEqual(tableRows(narrow, 'synced-amounts'), [
      ['EUR', '1', '50.00'],
      ['USD', '2', '300.75'],
    ]);

    const recent = await (await admin.fetch('/dashboard')).text();
    const today = new Date().toISOString().slice(0, 10);
    const monthAgo = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    assert.match(recent, new RegExp(`name="from" value="${monthAgo}"`));
    assert.match(recent, new RegExp(`name="to" value="${today}"`));
    assert.match(recent, /Recent Vendor Q/, 'two days ago is in the default range');
    assert.doesNotMatch(recent, /Old Vendor X/, '45 days ago is not');

    const backwards = await admin.fetch('/dashboard?from=2021-03-10&to=2021-03-01');
    assert.equal(backwards.status, 400);
    assert.match(await backwards.text(), /The start date is after the end date/);
  });
});

// ---- helpers ------------------------------------------------------------------------------------

/** The settings a workflow was started with, from its first history event. */
async function startSettings(invoiceId: string) {
  const history = await stack.client.workflow.getHandle(invoiceId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const input = JSON.parse(Buffer.from(payload!.data!).toString('utf8')) as {
    settings: { autoApproveThreshold: number; escalateAfter: string };
  };
  return { autoApproveThreshold: input.settings.autoApproveThreshold, escalateAfter: input.settings.escalateAfter };
}

async function plexCheck(s: PageSession, fromPage: string): Promise<{ status: number; html: string }> {
  const csrf = csrfFrom(await (await s.fetch(fromPage)).text());
  const res = await s.fetch('/admin/settings/plex-check', {
    method: 'POST',
    headers: { 'HX-Request': 'true', 'X-CSRF-Token': csrf },
  });
  return { status: res.status, html: await res.text() };
}

/** A second web app on the stack's database whose Plex client uses other credentials. */
async function serveApp(plex: { apiKey: string }): Promise<{ url: string; close: () => Promise<void> }> {
  const { config, sql } = stack;
  const processes = createInvoiceProcesses(stack.client, config.temporal.taskQueue);
  const app = createApp({
    config,
    sql,
    logger: createLogger({ level: 'silent', name: 'test' }),
    metrics: createMetrics(sql),
    invoices: createInvoiceService({ sql, processes, config }),
    plex: createPlexClient({ ...config.plex!, apiKey: plex.apiKey, retries: 0 }),
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

const stat = (html: string, name: string) => new RegExp(`id="stat-${name}">([^<]*)<`).exec(html)?.[1];

/** Rows of the table inside the element with this id (a chart's data table or a plain table). */
function tableRows(html: string, id: string): string[][] {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `${id} is on the page`);
  const body = html.slice(start).split('<tbody>')[1]!.split('</tbody>')[0]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1]!.replace(/&amp;/g, '&')),
  );
}

async function seedDashboardInvoices() {
  const hour = 3_600_000;
  const rows: {
    at: string | Date;
    vendor: string | null;
    status: string;
    auto: boolean | null;
    currency?: string;
    total?: string;
    syncedAfterH?: number;
    error?: string;
  }[] = [
    {
      at: '2021-03-01T10:00:00Z',
      vendor: 'Dash Vendor A',
      status: 'synced',
      auto: true,
      currency: 'USD',
      total: '100.50',
      syncedAfterH: 1,
    },
    {
      at: '2021-03-01T11:00:00Z',
      vendor: 'Dash Vendor A',
      status: 'synced',
      auto: true,
      currency: 'USD',
      total: '200.25',
      syncedAfterH: 2,
    },
    {
      at: '2021-03-02T09:00:00Z',
      vendor: 'Dash Vendor B',
      status: 'synced',
      auto: false,
      currency: 'EUR',
      total: '50.00',
      syncedAfterH: 3,
    },
    {
      at: '2021-03-03T09:00:00Z',
      vendor: 'Dash Vendor A',
      status: 'synced',
      auto: true,
      currency: 'USD',
      total: '1000.00',
      syncedAfterH: 4,
    },
    {
      at: '2021-03-05T09:00:00Z',
      vendor: 'Dash Vendor C',
      status: 'synced',
      auto: false,
      currency: 'EUR',
      total: '10.00',
      syncedAfterH: 10,
    },
    {
      at: '2021-03-06T09:00:00Z',
      vendor: 'Dash Vendor B',
      status: 'sync_failed',
      auto: true,
      error: `PUT /accounting/v1/ap-invoices/${randomUUID()}: 503 from Plex`,
    },
    {
      at: '2021-03-06T10:00:00Z',
      vendor: 'Dash Vendor B',
      status: 'sync_failed',
      auto: true,
      error: `  PUT /accounting/v1/ap-invoices/${randomUUID()}:\n 503 from Plex `,
    },
    {
      at: '2021-03-07T09:00:00Z',
      vendor: 'Dash Vendor C',
      status: 'sync_failed',
      auto: false,
      error: `PUT /accounting/v1/ap-invoices/${randomUUID()}: 401 from Plex. Either the API key is wrong or expired`,
    },
    { at: '2021-03-08T09:00:00Z', vendor: null, status: 'awaiting_review', auto: null },
    { at: '2021-03-10T23:59:59.999Z', vendor: 'Dash Vendor A', status: 'rejected', auto: false },
    // Outside 2021-03-01..10 on either side.
    {
      at: '2021-02-28T23:59:59.999Z',
      vendor: 'Dash Vendor Z',
      status: 'synced',
      auto: true,
      currency: 'USD',
      total: '5.00',
      syncedAfterH: 1,
    },
    {
      at: '2021-03-11T00:00:00Z',
      vendor: 'Dash Vendor Z',
      status: 'synced',
      auto: true,
      currency: 'USD',
      total: '5.00',
      syncedAfterH: 1,
    },
    { at: new Date(Date.now() - 2 * 24 * hour), vendor: 'Recent Vendor Q', status: 'awaiting_review', auto: null },
    { at: new Date(Date.now() - 45 * 24 * hour), vendor: 'Old Vendor X', status: 'awaiting_review', auto: null },
  ];
  for (const r of rows) {
    const bytes = randomBytes(32);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const createdAt = new Date(r.at);
    await stack.sql`insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name)
      values (${sha}, ${bytes}, ${bytes.length}, 'application/pdf', 1, 'seed.pdf')`;
    await stack.sql`
      insert into invoices (id, document_sha256, file_name, status, uploaded_by, vendor_name, currency, total,
                            auto_approved, synced_at, last_error, created_at)
      values (${`inv-${sha.slice(0, 24)}`}, ${sha}, 'seed.pdf', ${r.status}, 'seed', ${r.vendor}, ${r.currency ?? null},
              ${r.total ?? null}, ${r.auto}, ${r.syncedAfterH ? new Date(createdAt.getTime() + r.syncedAfterH * hour) : null},
              ${r.error ?? null}, ${createdAt})`;
  }
}
