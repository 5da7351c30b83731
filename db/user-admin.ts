// Queries behind the Users and API tokens pages: listings without secrets, creating a user without
// overwriting one, and role/disable changes that end the user's sessions and keep one active admin.
import type { Sql } from './client.js';
import type { User } from './users.js';
import type { ApiTokenListing } from '../domain/api-tokens.js';
import type { Role, TokenScope } from '../domain/permissions.js';

export interface UserListing extends User {
  createdAt: Date;
  activeSessions: number;
}

export async function listUsers(sql: Sql): Promise<UserListing[]> {
  const rows = await sql<
    {
      id: string;
      email: string;
      display_name: string;
      role: Role;
      disabled: boolean;
      created_at: Date;
      sessions: number;
    }[]
  >`
    select u.id, u.email, u.display_name, u.role, u.disabled, u.created_at,
           (select count(*)::int from sessions s where s.user_id = u.id and s.expires_at > now()) as sessions
    from users u order by u.email`;
  return rows.map((r) => ({
    id: String(r.id),
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled,
    createdAt: r.created_at,
    activeSessions: r.sessions,
  }));
}

/** Insert a new user; undefined when the email is taken (an existing account is never overwritten). */
export async function insertUser(
  sql: Sql,
  u: { email: string; displayName: string; role: Role; passwordHash: string },
): Promise<User | undefined> {
  const [row] = await sql<{ id: string }[]>`
    insert into users (email, display_name, role, password_hash)
    values (${u.email.toLowerCase()}, ${u.displayName}, ${u.role}, ${u.passwordHash})
    on conflict (email) do nothing
    returning id`;
  return row
    ? { id: String(row.id), email: u.email.toLowerCase(), displayName: u.displayName, role: u.role, disabled: false }
    : undefined;
}

export type UserChange = { role: Role } | { disabled: boolean };
export type UserChangeResult =
  { ok: true; before: User; after: User } | { ok: false; reason: 'not_found' | 'last_admin' };

/**
 * Change a user's role or disabled flag. A change that would leave no active admin is refused. Any real
 * change ends the user's sessions, so the new role (or the lock-out) applies at once.
 */
export async function changeUser(sql: Sql, userId: string, change: UserChange): Promise<UserChangeResult> {
  if (!/^\d+$/.test(userId)) return { ok: false, reason: 'not_found' };
  return sql.begin(async (tx) => {
    // Locking every active admin serialises concurrent demotions: two admins cannot demote each other.
    const admins = await tx<
      { id: string }[]
    >`select id from users where role = 'admin' and not disabled order by id for update`;
    const [row] = await tx<{ id: string; email: string; display_name: string; role: Role; disabled: boolean }[]>`
      select id, email, display_name, role, disabled from users where id = ${userId} for update`;
    if (!row) return { ok: false as const, reason: 'not_found' as const };
    const before: User = {
      id: String(row.id),
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      disabled: row.disabled,
    };
    const after: User = { ...before, ...change };
    const activeAdmin = (u: User) => u.role === 'admin' && !u.disabled;
    if (activeAdmin(before) && !activeAdmin(after) && admins.length <= 1)
      return { ok: false as const, reason: 'last_admin' as const };
    if (after.role === before.role && after.disabled === before.disabled) return { ok: true as const, before, after };
    await tx`update users set role = ${after.role}, disabled = ${after.disabled} where id = ${userId}`;
    await tx`delete from sessions where user_id = ${userId}`;
    return { ok: true as const, before, after };
  });
}

/** Live tokens first (newest first), then revoked ones. */
export async function listApiTokens(sql: Sql): Promise<ApiTokenListing[]> {
  const rows = await sql<
    {
      id: string;
      name: string;
      scopes: TokenScope[];
      email: string | null;
      created_at: Date;
      last_used_at: Date | null;
      revoked_at: Date | null;
    }[]
  >`
    select t.id, t.name, t.scopes, u.email, t.created_at, t.last_used_at, t.revoked_at
    from api_tokens t left join users u on u.id = t.user_id
    order by t.revoked_at is not null, t.created_at desc, t.id desc`;
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    scopes: r.scopes,
    createdBy: r.email,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revoke a live token; returns its name and scopes for the audit entry, undefined if none was live. */
export async function revokeApiTokenById(
  sql: Sql,
  id: string,
): Promise<{ name: string; scopes: TokenScope[] } | undefined> {
  if (!/^\d+$/.test(id)) return undefined;
  const [row] = await sql<{ name: string; scopes: TokenScope[] }[]>`
    update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning name, scopes`;
  return row;
}
