// The comment thread on the invoice page over plain HTTP: the form works without JavaScript, refuses a
// post without the CSRF token or the permission, shows text as text, and a mention sends one email, once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiToken } from '../../db/users.js';
import { ADMIN, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { PageSession, csrfFrom } from '../support/browserless-session.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { signedInPerson } from '../support/people.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
let smtp: TestSmtpServer;
let invoiceId: string;
let admin: PageSession;

before(async () => {
  smtp = await startSmtpServer();
  stack = await startStack({
    env: {
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: 'AP Robot <ap-robot@example.test>',
      NOTIFY_INITIAL_RETRY: '200ms',
      NOTIFY_MAX_RETRY: '1s',
    },
  });
  invoiceId = await stack.uploadOne('commented.pdf', await makeInvoicePdf(uniqueInvoice()));
  admin = new PageSession(stack.url);
  await admin.login(ADMIN.email, ADMIN.password);
});
after(async () => {
  await stack?.stop();
  await smtp?.close();
});

const page = () => `/invoices/${invoiceId}`;
const comments = () =>
  stack.sql<
    { id: string; body: string; author: string; kind: string }[]
  >`select id::text, body, author, kind from invoice_comments where invoice_id = ${invoiceId} order by id`;

async function until<T>(
  what: string,
  read: () => Promise<T> | T,
  done: (v: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  let last: T | undefined;
  return eventually(
    () => `${what}: ${JSON.stringify(last)}`,
    async () => {
      last = await read();
      return done(last) ? { value: last } : undefined;
    },
    { timeoutMs, intervalMs: 150, rethrow: true },
  ).then((r) => r.value);
}

test('without JavaScript: the form posts, the page comes back at the new comment, in the thread list', async () => {
  const res = await admin.postForm(`/invoices/${invoiceId}`, `/invoices/${invoiceId}/comments`, {
    body: 'Freight looks high.',
    requestKey: 'no-js-form-1',
  });
  assert.equal(res.status, 302);
  const [row] = await comments();
  assert.equal(row?.body, 'Freight looks high.');
  assert.equal(res.headers.get('Location'), `/invoices/${invoiceId}?comment=${row.id}#comment-${row.id}`);
  const html = await (await admin.fetch(res.headers.get('Location')!.split('#')[0]!)).text();
  assert.match(
    html,
    new RegExp(`<ol class="thread"><li id="comment-${row.id}" class="comment" tabindex="-1" autofocus="">`),
  );
  assert.match(html, /<label for="comment-body">/);
  assert.match(html, /<strong>admin@test\.local<\/strong>/);
});

test('a post without the CSRF token, or from a token without the review scope, is refused and stores nothing', async () => {
  const before = (await comments()).length;
  const noCsrf = await admin.fetch(`/invoices/${invoiceId}/comments`, {
    method: 'POST',
    body: new URLSearchParams({ body: 'forged' }),
  });
  assert.equal(noCsrf.status, 403);
  const { token } = await createApiToken(stack.sql, { name: 'read only', userId: null, scopes: ['invoices:read'] });
  const readOnly = await fetch(`${stack.url}/api/invoices/${invoiceId}/comments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ body: 'hi' }),
  });
  assert.equal(readOnly.status, 403);
  assert.match(((await readOnly.json()) as { error: { message: string } }).error.message, /invoices:review/);
  const listed = await fetch(`${stack.url}/api/invoices/${invoiceId}/comments`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(listed.status, 200, 'reading the thread needs only invoices:read');
  assert.equal((await comments()).length, before);
});

test('a comment is shown as text: markup in it is escaped, never run', async () => {
  const res = await admin.postForm(page(), `/invoices/${invoiceId}/comments`, {
    body: '<script>alert(1)</script><img src=x onerror=alert(2)>',
  });
  assert.equal(res.status, 302);
  const html = await (await admin.fetch(`/invoices/${invoiceId}`)).text();
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;'));
  assert.ok(!html.includes('<script>alert(1)'));
  assert.ok(!html.includes('<img src=x'));
});

test('an @mention emails the user once (a resent form too), is audited once, and an unknown one is reported', async () => {
  const clerk = await signedInPerson(stack, 'clerk', 'clerk');
  const local = clerk.email.split('@')[0]!;
  const fields = { body: `@${local} please confirm the receipt. Also @nobody-here.`, requestKey: 'mention-form-1' };
  const first = await admin.postForm(page(), `/invoices/${invoiceId}/comments`, fields);
  assert.equal(first.status, 202, 'notes are shown on the page, not lost in a redirect');
  const shown = await first.text();
  assert.match(shown, /No user @nobody-here/);
  assert.match(shown, new RegExp(`<strong class="mention" title="${clerk.email}">@${local}</strong>`));
  const again = await admin.postForm(page(), `/invoices/${invoiceId}/comments`, fields);
  assert.equal(again.status, 202);

  const rows = (await comments()).filter((c) => c.body === fields.body);
  assert.equal(rows.length, 1, 'the resent form stored one comment');
  const mails = await until(
    'one mention email',
    () => smtp.to(clerk.email),
    (m) => m.length >= 1,
  );
  assert.match(mails[0]!.subject, /admin@test\.local mentioned you on invoice/);
  assert.ok(mails[0]!.text.includes(`/invoices/${invoiceId}#comments`), 'the email links to the invoice');
  await new Promise((r) => setTimeout(r, 1_500)); // a second copy would have been sent by now
  assert.equal(smtp.to(clerk.email).length, 1);
  assert.equal(smtp.messages.filter((m) => m.subject.includes('mentioned')).length, 1, 'nobody else was mailed');
  const audit = await stack.sql<{ actor: string; data: { text: string; mentions: string[] } }[]>`
    select actor, data from audit_log where invoice_id = ${invoiceId} and event_key = ${`${invoiceId}:comment:${rows[0]!.id}`}`;
  assert.equal(audit.length, 1);
  assert.deepEqual(audit[0]!.data.mentions, [clerk.email]);
  assert.equal(audit[0]!.data.text, fields.body);
  const notified = await stack.sql<
    { event: string; channel: string; status: string }[]
  >`select event, channel, status from notifications where invoice_id = ${invoiceId}`;
  assert.deepEqual(
    notified.map((n) => [n.event, n.channel, n.status]),
    [['mention', 'email', 'sent']],
  );
});

test('with htmx: the thread comes back as a fragment with the new question focused, and Mark answered closes it', async () => {
  const csrf = csrfFrom(await (await admin.fetch(page())).text());
  const res = await admin.fetch(`/invoices/${invoiceId}/comments`, {
    method: 'POST',
    headers: { 'HX-Request': 'true', 'X-CSRF-Token': csrf },
    body: new URLSearchParams({ body: 'Who ordered this?', kind: 'question' }),
  });
  assert.equal(res.status, 200);
  const fragment = await res.text();
  assert.ok(fragment.startsWith('<section class="card comments" id="comments"'), fragment.slice(0, 80));
  const question = (await comments()).at(-1)!;
  assert.equal(question.kind, 'question');
  assert.match(fragment, new RegExp(`<li id="comment-${question.id}" class="question" tabindex="-1" autofocus="">`));
  assert.match(fragment, /1 open question/);
  assert.ok(!fragment.includes('hx-preserve'), 'the form comes back empty after posting');
  const answered = await admin.fetch(`/invoices/${invoiceId}/comments/${question.id}/answer`, {
    method: 'POST',
    headers: { 'HX-Request': 'true', 'X-CSRF-Token': csrf },
  });
  assert.equal(answered.status, 200);
  assert.match(await answered.text(), /Answered — marked by admin@test\.local/);
  const empty = await admin.fetch(`/invoices/${invoiceId}/comments`, {
    method: 'POST',
    headers: { 'HX-Request': 'true', 'X-CSRF-Token': csrf },
    body: new URLSearchParams({ body: '   ' }),
  });
  assert.equal(empty.status, 422);
  assert.match(await empty.text(), /role="alert"[^>]*>Not posted: write something/);
});
