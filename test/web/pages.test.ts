// Pages and their safety: login, sessions, CSRF, roles, escaping, headers, failed-syncs replay, metrics.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PageSession } from '../support/browserless-session.js';
import { userWithPassword } from '../support/people.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
const CLERK = { email: 'clerk@test.local', password: 'clerk password 123' };
before(async () => {
  stack = await startStack();
  await userWithPassword(stack.sql, {
    ...CLERK,
    displayName: 'Clara Clerk',
    role: 'clerk',
  });
});
after(async () => {
  await stack?.stop();
});

async function uploadOne(bytes: Uint8Array, name = 'x.pdf'): Promise<string> {
  return stack.uploadOne(name, bytes);
}

describe('login and sessions', () => {
  test('a wrong password is refused; a right one gives an HttpOnly SameSite session cookie', async () => {
    const s = new PageSession(stack.url);
    const bad = await s.login(ADMIN.email, 'wrong password!');
    assert.equal(bad.status, 401);
    assert.match(await bad.text(), /Email or password is wrong/);
    const ok = await s.login(ADMIN.email, ADMIN.password);
    assert.equal(ok.status, 302);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('plexsync_session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    const queue = await s.fetch('/invoices');
    assert.equal(queue.status, 200);
    const logout = await s.postForm('/invoices', '/logout', {});
    assert.equal(logout.status, 302);
    assert.equal((await s.fetch('/invoices')).status, 302, 'logged out: back to login');
  });

  test('pages need a login', async () => {
    const res = await fetch(`${stack.url}/invoices`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.match(res.headers.get('Location') ?? '', /^\/login/);
  });

  test('repeated failures slow further attempts down (429) instead of locking the account', async () => {
    const email = 'locked@test.local';
    const password = 'the right password';
    await userWithPassword(stack.sql, { email, password, displayName: 'L', role: 'clerk' });
    const s = new PageSession(stack.url);
    for (let i = 0; i < 5; i++) assert.equal((await s.login(email, `wrong ${i}`)).status, 401);
    const held = await s.login(email, password);
    assert.equal(held.status, 429);
    assert.match(held.headers.get('Retry-After') ?? '', /^\d+$/);
    assert.doesNotMatch(await held.text(), /is locked|locked after/);
  });
});

describe('forms and roles', () => {
  test('a form post without the CSRF token is rejected', async () => {
    const s = new PageSession(stack.url);
    await s.login(ADMIN.email, ADMIN.password);
    const res = await s.fetch('/syncs/replay-all', { method: 'POST', body: new URLSearchParams({}) });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /CSRF/);
    const wrong = await s.fetch('/syncs/replay-all', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: 'forged' }),
    });
    assert.equal(wrong.status, 403);
  });

  test('a clerk cannot open ops pages', async () => {
    const s = new PageSession(stack.url);
    assert.equal((await s.login(CLERK.email, CLERK.password)).status, 302);
    assert.equal((await s.fetch('/invoices')).status, 200);
    assert.equal((await s.fetch('/syncs/failed')).status, 403);
    const html = await (await s.fetch('/invoices')).text();
    assert.doesNotMatch(html, /href="\/syncs\/failed"/, 'the nav hides what the role cannot open');
  });

  test('a vendor name carrying a script tag renders as text', async () => {
    // A vendor name with markup inside it (a bare tag alone is no name to the extractor and stays empty).
    const hostile = 'Acme <script>alert(1)</script> GmbH';
    const inv = uniqueInvoice({ vendorName: hostile });
    const id = await uploadOne(await makeInvoicePdf(inv), 'xss.pdf');
    const state = await stack.waitFor(id, (st) => st.status === 'awaiting_review');
    assert.equal(state.fields.vendorName, hostile);
    const s = new PageSession(stack.url);
    await s.login(ADMIN.email, ADMIN.password);
    for (const path of [`/invoices/${id}`, '/invoices']) {
      const html = await (await s.fetch(path)).text();
      assert.ok(!html.includes('<script>alert(1)</script>'), `${path} contains the raw script tag`);
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${path} shows the escaped name`);
    }
  });

  test('pages send a strict CSP and carry no inline script', async () => {
    const s = new PageSession(stack.url);
    await s.login(ADMIN.email, ADMIN.password);
    const res = await s.fetch('/upload');
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers.get('X-Frame-Options'), 'SAMEORIGIN');
    const html = await res.text();
    assert.doesNotMatch(html, /<script>(?!<\/script>)/, 'no inline script bodies');
    const htmx = await fetch(`${stack.url}/static/htmx.min.js`);
    assert.equal(htmx.status, 200);
    assert.match(await htmx.text(), /htmx/);
  });
});

describe('ops', () => {
  test('a failed sync shows on the failed-syncs page with its reason and a Temporal link, and Replay there syncs it', async () => {
    const inv = uniqueInvoice();
    const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
      poNumber: inv.poNumber,
      supplier: inv.vendorName,
      lines: inv.lines,
    });
    stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
    const id = await uploadOne(await makeInvoicePdf(inv));
    await stack.waitFor(id, (st) => st.status === 'sync_failed');
    stack.plex.store.clearFaults();

    const s = new PageSession(stack.url);
    await s.login(ADMIN.email, ADMIN.password);
    const html = await (await s.fetch('/syncs/failed')).text();
    assert.ok(html.includes(`id="failed-${id}"`));
    assert.ok(html.includes(`/workflows/${id}`), 'links to the workflow in the Temporal UI');
    const replay = await s.postForm('/syncs/failed', `/syncs/${id}/replay`, {});
    assert.equal(replay.status, 302);
    const done = await stack.waitFor(id, (st) => st.status === 'synced');
    assert.equal(done.decisions.at(-1)?.action, 'auto_approve');
    const applied = stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderIds[0] && w.applied);
    assert.equal(applied.length, 1);
    const audit = await stack.sql<
      { actor: string }[]
    >`select actor from audit_log where invoice_id = ${id} and kind = 'sync.replay_requested'`;
    assert.deepEqual(
      audit.map((a) => a.actor),
      [ADMIN.email],
    );
  });

  test('healthz and Prometheus metrics answer', async () => {
    const health = await fetch(`${stack.url}/healthz`);
    assert.deepEqual(await health.json(), { ok: true });
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    assert.match(metrics, /plexsync_invoices\{status="/);
    assert.match(metrics, /plexsync_http_requests_total/);
    assert.match(metrics, /plexsync_uploads_total\{outcome="accepted"\}/);
  });
});

describe('queue', () => {
  test('filters by vendor prefix, PO, confidence band and status, pages with a cursor, and refreshes its rows', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const vendor = `Queue Vendor ${suffix}`;
    for (let i = 0; i < 60; i++) {
      const sha = (suffix + i.toString().padStart(4, '0')).padEnd(64, 'a').replace(/[^0-9a-f]/g, 'b');
      await stack.sql`insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name) values (${sha}, ${Buffer.from('x')}, 1, 'application/pdf', 1, 'q.pdf')`;
      await stack.sql`insert into invoices (id, document_sha256, file_name, status, uploaded_by, vendor_name, invoice_number, po_number, confidence)
        values (${`inv-q${suffix}${i}`}, ${sha}, 'q.pdf', ${i % 2 ? 'awaiting_review' : 'synced'}, 'test', ${vendor}, ${`Q-${suffix}-${i}`}, ${i === 7 ? `PO${suffix}` : '000001'}, ${i % 3 === 0 ? 0.5 : 0.99})`;
    }
    const s = new PageSession(stack.url);
    await s.login(ADMIN.email, ADMIN.password);
    // Rows, counted by their invoice link (a row's checkbox label names the invoice too).
    const count = (html: string) => (html.match(new RegExp(`class="open"[^>]*>Q-${suffix}-`, 'g')) ?? []).length;
    const first = await (await s.fetch(`/invoices?vendor=${encodeURIComponent(`queue vendor ${suffix}`)}`)).text();
    assert.equal(count(first), 50, 'a page holds 50 rows');
    const next = /href="([^"]*cursor=[^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(next, 'there is a next page');
    assert.equal(count(await (await s.fetch(next)).text()), 10);
    assert.equal(count(await (await s.fetch(`/invoices?po=PO${suffix}`)).text()), 1);
    assert.equal(count(await (await s.fetch(`/invoices?vendor=${encodeURIComponent(vendor)}&band=low`)).text()), 20);
    assert.equal(
      count(
        await (await s.fetch(`/invoices?vendor=${encodeURIComponent(vendor)}&status=awaiting_review&band=high`)).text(),
      ),
      20,
    );
    const rows = await s.fetch(`/invoices/rows?vendor=${encodeURIComponent(vendor)}&status=synced`);
    const fragment = await rows.text();
    assert.ok(fragment.startsWith('<tbody'), 'the refresh answers a fragment');
    assert.equal(count(fragment), 30);
    assert.equal((await s.fetch('/invoices?status=bogus&band=%27')).status, 200, 'bad filters are ignored, not errors');
  });
});

describe('failed syncs and concurrent review', () => {
  test('the failed-syncs page shows attempts and the last Plex response, and replays only the selected invoices', async () => {
    const specs = [uniqueInvoice(), uniqueInvoice()];
    for (const inv of specs)
      await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
    const ids = [];
    for (const inv of specs) ids.push(await uploadOne(await makeInvoicePdf(inv)));
    for (const id of ids) await stack.waitFor(id, (st) => st.status === 'sync_failed');
    stack.plex.store.clearFaults();

    const s = new PageSession(stack.url);
    await s.login(ADMIN.email, ADMIN.password);
    const html = await (await s.fetch('/syncs/failed')).text();
    const row = html.slice(html.indexOf(`id="failed-${ids[0]}"`));
    assert.match(row.slice(0, 3000), /<td class="num">3<\/td>/, 'three attempts (SYNC_MAX_ATTEMPTS=3)');
    assert.match(row.slice(0, 3000), /INTERNAL_SERVER_ERROR|5\d\d/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const res = await s.fetch('/syncs/replay-selected', {
      method: 'POST',
      body: new URLSearchParams([
        ['_csrf', csrf],
        ['ids', ids[0]!],
      ]),
    });
    assert.equal(res.status, 302);
    assert.match(res.headers.get('Location') ?? '', /replayed=1/);
    await stack.waitFor(ids[0]!, (st) => st.status === 'synced');
    assert.equal((await stack.state(ids[1]!)).status, 'sync_failed', 'the unselected invoice stays parked');
  });

  test('two clerks deciding the same invoice at once: one decision wins, the other gets a clear message', async () => {
    const id = await uploadOne(await makeInvoicePdf(uniqueInvoice()));
    await stack.waitFor(id, (st) => st.status === 'awaiting_review');
    const decide = (reason: string) =>
      stack.api(`/api/invoices/${id}/review`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: 'reject', reason }),
      });
    const results = await Promise.all([decide('clerk one'), decide('clerk two')]);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [202, 409]);
    const loser = results.find((r) => r.status === 409)!;
    assert.match(
      ((await loser.json()) as { error: { message: string } }).error.message,
      /not awaiting review|someone else/,
    );
    const final = await stack.result(id);
    assert.equal(final.decisions.length, 1);
  });
});

describe('assignment', () => {
  test('a clerk assigns an invoice to themself, finds it under "assigned to me", and releases it; both are audited', async () => {
    const id = await uploadOne(await makeInvoicePdf(uniqueInvoice()));
    await stack.waitFor(id, (st) => st.status === 'awaiting_review');
    const s = new PageSession(stack.url);
    await s.login(CLERK.email, CLERK.password);
    const assign = await s.postForm(`/invoices/${id}`, `/invoices/${id}/assign`, {});
    assert.equal(assign.status, 302);
    const page = await (await s.fetch(`/invoices/${id}`)).text();
    assert.match(page, /Assigned to <strong>clerk@test.local<\/strong>/);
    const mine = await (await s.fetch('/invoices?mine=1')).text();
    assert.ok(mine.includes(`/invoices/${id}"`));
    assert.equal((mine.match(/<tr[\s>]/g) ?? []).length, 2, 'header row + the one assigned invoice');
    await s.postForm(`/invoices/${id}`, `/invoices/${id}/assign`, { release: '1' });
    assert.ok(!(await (await s.fetch('/invoices?mine=1')).text()).includes(`/invoices/${id}"`));
    const audit = await stack.sql<
      { kind: string; actor: string }[]
    >`select kind, actor from audit_log where invoice_id = ${id} and kind like 'invoice.%ed' and kind <> 'invoice.received' order by seq`;
    assert.deepEqual(
      audit.map((a) => a.kind),
      ['invoice.assigned', 'invoice.released'],
    );
    assert.ok(audit.every((a) => a.actor === CLERK.email));
    const noCsrf = await s.fetch(`/invoices/${id}/assign`, { method: 'POST', body: new URLSearchParams({}) });
    assert.equal(noCsrf.status, 403);
  });
});
