// Sessions below the web: a request reads its session and slides the idle expiry, writing the row at most
// once in TOUCH_SECONDS (concurrent requests of one user no longer queue on the row's lock); an
// expired session, or one of a disabled user, is no session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Sql } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { createApiToken, createSession, findApiToken, sha256Hex, TOUCH_SECONDS, touchSession } from '../../db/users.js';
import { createTestDatabase } from '../support/database.js';

let sql: Sql;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let userId: string;

before(async () => {
  database = await createTestDatabase('plexsync_sessions');
  sql = database.sql;
  await migrate(sql);
  const [row] = await sql<{ id: string }[]>`
    insert into users (email, display_name, password_hash, role) values ('ana@acme.test', 'Ana', 'x', 'clerk') returning id::text`;
  userId = row!.id;
});
after(async () => {
  await database?.close();
});

/** The session row's last request and expiry, as seconds from now (negative: in the past). */
async function times(id: string) {
  const [row] = await sql<{ seen: number; expires: number; xmin: string }[]>`
    select extract(epoch from last_seen_at - now())::float as seen, extract(epoch from expires_at - now())::float as expires,
           xmin::text
    from sessions where id_hash = ${sha256Hex(id)}`;
  return row!;
}

test('a session used again within the touch interval is read, not written', async () => {
  const s = await createSession(sql, userId, 60);
  await sql`update sessions set last_seen_at = now() - make_interval(secs => ${TOUCH_SECONDS - 5}),
            expires_at = now() + interval '50 minutes' where id_hash = ${sha256Hex(s.id)}`;
  const before = await times(s.id);
  const got = await touchSession(sql, s.id, 60);
  assert.equal(got?.user.email, 'ana@acme.test');
  assert.equal(got?.csrfToken, s.csrfToken);
  const after = await times(s.id);
  assert.equal(after.xmin, before.xmin, 'the row was not rewritten');
  assert.ok(Math.abs(after.expires - 50 * 60) < 5, `expiry unchanged: ${after.expires}`);
});

test('a session idle for longer than the touch interval slides its expiry to idleMinutes from now', async () => {
  const s = await createSession(sql, userId, 60);
  await sql`update sessions set last_seen_at = now() - make_interval(secs => ${TOUCH_SECONDS + 5}),
            expires_at = now() + interval '50 minutes' where id_hash = ${sha256Hex(s.id)}`;
  assert.equal((await touchSession(sql, s.id, 60))?.user.email, 'ana@acme.test');
  const after = await times(s.id);
  assert.ok(Math.abs(after.expires - 60 * 60) < 5, `expiry slid: ${after.expires}`);
  assert.ok(Math.abs(after.seen) < 5, `last request now: ${after.seen}`);
});

test('an expired session, an unknown id and a disabled user have no session', async () => {
  const s = await createSession(sql, userId, 60);
  await sql`update sessions set last_seen_at = now() - interval '2 hours', expires_at = now() - interval '1 second'
            where id_hash = ${sha256Hex(s.id)}`;
  assert.equal(await touchSession(sql, s.id, 60), undefined);
  assert.ok((await times(s.id)).expires < 0, 'an expired session is not revived');
  assert.equal(await touchSession(sql, 'no-such-session', 60), undefined);
  const live = await createSession(sql, userId, 60);
  await sql`update users set disabled = true where id = ${userId}`;
  try {
    assert.equal(await touchSession(sql, live.id, 60), undefined);
  } finally {
    await sql`update users set disabled = false where id = ${userId}`;
  }
});

test("an API token's last use is recorded on first use, then at most once in the touch interval", async () => {
  const { id, token } = await createApiToken(sql, { name: 'scanner', userId: null, scopes: ['invoices:write'] });
  const lastUse = async () =>
    (
      await sql<
        { at: Date | null; xmin: string }[]
      >`select last_used_at as at, xmin::text from api_tokens where id = ${id}`
    )[0]!;
  assert.equal((await lastUse()).at, null);
  assert.deepEqual(await findApiToken(sql, token), { id, name: 'scanner', scopes: ['invoices:write'] });
  const first = await lastUse();
  assert.ok(first.at, 'the first use is recorded');
  assert.ok(await findApiToken(sql, token));
  assert.equal((await lastUse()).xmin, first.xmin, 'a second use at once does not rewrite the row');
  await sql`update api_tokens set last_used_at = now() - make_interval(secs => ${TOUCH_SECONDS + 5}) where id = ${id}`;
  assert.ok(await findApiToken(sql, token));
  const later = (await lastUse()).at!;
  assert.ok(Date.now() - later.getTime() < 5_000, `a use after the interval is recorded: ${later.toISOString()}`);
  await sql`update api_tokens set revoked_at = now() where id = ${id}`;
  assert.equal(await findApiToken(sql, token), undefined);
  assert.equal(await findApiToken(sql, 'psk_no-such-token'), undefined);
});
