// Users, server-side sessions and API tokens. Secrets (session ids, tokens) are stored only as hashes.
import { createHash, randomBytes } from 'node:crypto';
import type { Role, TokenScope } from '../domain/permissions.js';
import type { Sql } from './client.js';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  /** False when the user turned single-key shortcuts off (Preferences); on when absent. */
  keyboardShortcuts?: boolean;
}
export interface UserWithSecrets extends User {
  /** '' for a user without a local password (single sign-on only). */
  passwordHash: string;
}

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

interface RawUser {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  disabled: boolean;
  password_hash: string;
  oidc_subject: string | null;
  keyboard_shortcuts?: boolean;
}
const toUser = (r: RawUser): UserWithSecrets => ({
  id: String(r.id),
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  disabled: r.disabled,
  keyboardShortcuts: r.keyboard_shortcuts ?? true,
  passwordHash: r.password_hash,
});

/** A user's own preferences (Preferences page). */
export async function setKeyboardShortcuts(sql: Sql, userId: string, on: boolean): Promise<void> {
  await sql`update users set keyboard_shortcuts = ${on} where id = ${userId}`;
}

export async function upsertUser(
  sql: Sql,
  u: { email: string; displayName: string; role: Role; passwordHash: string },
): Promise<User> {
  const [row] = await sql<RawUser[]>`
    insert into users (email, display_name, role, password_hash)
    values (${u.email.toLowerCase()}, ${u.displayName}, ${u.role}, ${u.passwordHash})
    on conflict (email) do update set display_name = excluded.display_name, role = excluded.role,
      password_hash = excluded.password_hash, disabled = false
    returning *`;
  return toUser(row!);
}

export async function findUserByEmail(sql: Sql, email: string): Promise<UserWithSecrets | undefined> {
  const [row] = await sql<RawUser[]>`select * from users where email = ${email.trim().toLowerCase()}`;
  return row ? toUser(row) : undefined;
}

/**
 * The local user for a single sign-on identity: the one linked to (issuer, subject), else — when the
 * provider vouches for the email (`emailVerified`) — an unlinked user with that email, else a new user
 * without a local password. The provider's name and role win at every login. `conflict` when the email
 * belongs to another account that cannot be linked.
 */
export async function upsertSsoUser(
  sql: Sql,
  u: { issuer: string; subject: string; email: string; emailVerified: boolean; displayName: string; role: Role },
): Promise<User | 'conflict'> {
  const email = u.email.trim().toLowerCase();
  return sql.begin(async (tx) => {
    const [linked] = await tx<RawUser[]>`
      update users set display_name = ${u.displayName}, role = ${u.role},
        email = case when exists (select 1 from users o where o.email = ${email} and o.id <> users.id) then email else ${email} end
      where oidc_issuer = ${u.issuer} and oidc_subject = ${u.subject}
      returning *`;
    if (linked) return toUser(linked);
    const [byEmail] = await tx<RawUser[]>`select * from users where email = ${email} for update`;
    if (byEmail) {
      if (!u.emailVerified || byEmail.oidc_subject) return 'conflict' as const;
      const [row] = await tx<RawUser[]>`
        update users set oidc_issuer = ${u.issuer}, oidc_subject = ${u.subject}, display_name = ${u.displayName}, role = ${u.role}
        where id = ${byEmail.id} returning *`;
      return toUser(row!);
    }
    const [row] = await tx<RawUser[]>`
      insert into users (email, display_name, role, password_hash, oidc_issuer, oidc_subject)
      values (${email}, ${u.displayName}, ${u.role}, '', ${u.issuer}, ${u.subject})
      returning *`;
    return toUser(row!);
  });
}

export interface Session {
  user: User;
  csrfToken: string;
}

/** Create a session; returns the raw id for the cookie (only its hash is stored). */
export async function createSession(
  sql: Sql,
  userId: string,
  idleMinutes: number,
): Promise<{ id: string; csrfToken: string }> {
  const id = newSecret();
  const csrfToken = newSecret();
  await sql`
    insert into sessions (id_hash, user_id, csrf_token, expires_at)
    values (${sha256Hex(id)}, ${userId}, ${csrfToken}, now() + make_interval(mins => ${idleMinutes}))`;
  return { id, csrfToken };
}

/**
 * A session's idle expiry and an API token's last use are written at most once in this many seconds: a
 * committed write on every request would make each request wait for a WAL flush, and the requests of one
 * user or token wait for each other on its row's lock (`npm run bench:sessions`).
 */
export const TOUCH_SECONDS = 30;

/**
 * Look up a live session and slide its idle expiry: it expires `idleMinutes` after its last request,
 * give or take `TOUCH_SECONDS`. Most requests only read; the row is written when its last slide is
 * older than that.
 */
export async function touchSession(sql: Sql, id: string, idleMinutes: number): Promise<Session | undefined> {
  const idHash = sha256Hex(id);
  const [row] = await sql<(RawUser & { csrf_token: string; stale: boolean })[]>`
    select u.*, s.csrf_token, s.last_seen_at < now() - make_interval(secs => ${TOUCH_SECONDS}) as stale
    from sessions s join users u on u.id = s.user_id
    where s.id_hash = ${idHash} and s.expires_at > now() and not u.disabled`;
  if (!row) return undefined;
  if (row.stale)
    await sql`
      update sessions set last_seen_at = now(), expires_at = now() + make_interval(mins => ${idleMinutes})
      where id_hash = ${idHash} and expires_at > now()`;
  return { user: toUser(row), csrfToken: row.csrf_token };
}

export async function deleteSession(sql: Sql, id: string): Promise<void> {
  await sql`delete from sessions where id_hash = ${sha256Hex(id)} or expires_at < now()`;
}

export async function deleteUserSessions(sql: Sql, userId: string): Promise<void> {
  await sql`delete from sessions where user_id = ${userId}`;
}

export async function createApiToken(
  sql: Sql,
  t: { name: string; userId: string | null; scopes: TokenScope[] },
): Promise<{ id: string; token: string }> {
  const token = `psk_${newSecret()}`;
  const [row] = await sql<{ id: string }[]>`
    insert into api_tokens (name, token_hash, user_id, scopes)
    values (${t.name}, ${sha256Hex(token)}, ${t.userId}, ${t.scopes})
    returning id`;
  return { id: String(row!.id), token };
}

export async function findApiToken(
  sql: Sql,
  token: string,
): Promise<{ id: string; name: string; scopes: TokenScope[] } | undefined> {
  const tokenHash = sha256Hex(token);
  const [row] = await sql<{ id: string; name: string; scopes: TokenScope[]; stale: boolean }[]>`
    select id, name, scopes,
           last_used_at is null or last_used_at < now() - make_interval(secs => ${TOUCH_SECONDS}) as stale
    from api_tokens where token_hash = ${tokenHash} and revoked_at is null`;
  if (!row) return undefined;
  if (row.stale) await sql`update api_tokens set last_used_at = now() where token_hash = ${tokenHash}`;
  return { id: String(row.id), name: row.name, scopes: row.scopes };
}

export async function revokeApiToken(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning id`;
  return rows.length === 1;
}
