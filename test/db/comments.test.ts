// The comment thread's rules below the web: which @mentions name a user, a resent post stored once, a
// question answered once, and what the table refuses.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Sql } from '../../db/client.js';
import { activeUserEmails, answerQuestion, insertComment, listComments } from '../../db/comments.js';
import { migrate } from '../../db/migrate.js';
import { bodySegments, mentionTokens, resolveMentions } from '../../domain/mentions.js';
import { createTestDatabase } from '../support/database.js';

let sql: Sql;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const USERS = ['ana@acme.test', 'bo@acme.test', 'bo@other.test', 'cy@acme.test'];

before(async () => {
  database = await createTestDatabase('plexsync_comments');
  sql = database.sql;
  await migrate(sql);
  await sql`insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name)
    values (${'a'.repeat(64)}, ${Buffer.from('x')}, 1, 'application/pdf', 1, 'x.pdf')`;
  await sql`insert into invoices (id, document_sha256, file_name, uploaded_by, status) values ('inv-1', ${'a'.repeat(64)}, 'x.pdf', 'ana@acme.test', 'awaiting_review')`;
  for (const email of USERS)
    await sql`insert into users (email, display_name, password_hash, role) values (${email}, ${email}, 'x', 'clerk')`;
  await sql`update users set disabled = true where email = 'cy@acme.test'`;
});
after(async () => {
  await database?.close();
});

test('an @ followed by an email or a local part is a mention; a plain address and trailing punctuation are not', () => {
  assert.deepEqual(mentionTokens('@ana please check, cc @bo@acme.test. Mail ar@acme.test or (@cy)!'), [
    'ana',
    'bo@acme.test',
    'cy',
  ]);
  assert.deepEqual(mentionTokens('no mentions here: 5 @ 3 and x@y.z'), []);
  assert.deepEqual(mentionTokens('@ana.'), ['ana']);
});

test('mentions resolve to active users: whole emails, unambiguous local parts; the rest is reported', async () => {
  const active = await activeUserEmails(sql);
  assert.deepEqual(active, ['ana@acme.test', 'bo@acme.test', 'bo@other.test'], 'disabled users cannot be mentioned');
  const r = resolveMentions(['ana', 'ANA@acme.test', 'bo', 'bo@other.test', 'cy', 'xyz'], active);
  assert.deepEqual(r.users, ['ana@acme.test', 'bo@other.test']);
  assert.deepEqual(r.ambiguous, ['bo']);
  assert.deepEqual(r.unknown, ['cy', 'xyz']);
});

test('only the mentions that named a user are set off when shown; the rest stays text', () => {
  const segments = bodySegments('@ana and @xyz: see <b>', ['ana@acme.test']);
  assert.deepEqual(segments, [{ mention: '@ana', email: 'ana@acme.test' }, { text: ' and @xyz: see <b>' }]);
});

test('a comment sent twice with the same request key is stored once; a question is answered once', async () => {
  const first = await insertComment(sql, {
    invoiceId: 'inv-1',
    author: 'ana@acme.test',
    body: 'Is the freight ours?',
    kind: 'question',
    mentions: [],
    requestKey: 'form-key-1',
  });
  const again = await insertComment(sql, {
    invoiceId: 'inv-1',
    author: 'ana@acme.test',
    body: 'Is the freight ours?',
    kind: 'question',
    mentions: [],
    requestKey: 'form-key-1',
  });
  assert.equal(first.created, true);
  assert.equal(again.created, false);
  assert.equal(again.comment.id, first.comment.id);
  const answered = await answerQuestion(sql, 'inv-1', first.comment.id, 'bo@acme.test');
  assert.equal(answered?.answered, true);
  const twice = await answerQuestion(sql, 'inv-1', first.comment.id, 'cy@acme.test');
  assert.equal(twice?.answered, false);
  assert.equal(twice?.question.answeredBy, 'bo@acme.test', 'the first answer stands');
  const plain = await insertComment(sql, {
    invoiceId: 'inv-1',
    author: 'bo@acme.test',
    body: 'ok',
    kind: 'comment',
    mentions: [],
  });
  assert.equal(
    await answerQuestion(sql, 'inv-1', plain.comment.id, 'ana@acme.test'),
    undefined,
    'a comment is no question',
  );
  assert.equal(await answerQuestion(sql, 'inv-1', 'not-a-number', 'ana@acme.test'), undefined);
  assert.deepEqual(
    (await listComments(sql, 'inv-1')).map((c) => c.body),
    ['Is the freight ours?', 'ok'],
  );
});

test('the table refuses an empty or over-long body', async () => {
  await assert.rejects(
    insertComment(sql, { invoiceId: 'inv-1', author: 'a', body: '   ', kind: 'comment', mentions: [] }),
  );
  await assert.rejects(
    insertComment(sql, { invoiceId: 'inv-1', author: 'a', body: 'x'.repeat(4001), kind: 'comment', mentions: [] }),
  );
});
