// Users who sign in with a password: created in the database, and signed in through the login page; the
// tests that act as several people (approval policies) get one session each.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../api/auth/passwords.js';
import type { Sql } from '../../db/client.js';
import { upsertUser } from '../../db/users.js';
import { type Role } from '../../domain/permissions.js';
import { PageSession } from './browserless-session.js';
import type { Stack } from '../../testkit/stack.js';

/** A user of the role who signs in with this password. */
export async function userWithPassword(
  sql: Sql,
  user: { email: string; password: string; displayName: string; role: Role },
): Promise<void> {
  const { email, displayName, role, password } = user;
  await upsertUser(sql, { email, displayName, role, passwordHash: await hashPassword(password) });
}

/** A new user of the role, signed in: their email and session. */
export async function signedInPerson(
  stack: Stack,
  name: string,
  role: Role,
): Promise<{ email: string; session: PageSession }> {
  const email = `${name}-${randomBytes(3).toString('hex')}@test.local`;
  const password = `pw ${randomBytes(6).toString('hex')}`;
  await userWithPassword(stack.sql, { email, password, displayName: name, role });
  const session = new PageSession(stack.url);
  assert.equal((await session.login(email, password)).status, 302);
  return { email, session };
}

/** Several people, each signed in as `signedInPerson`, one after another: by name, for tests acting as a team. */
export async function signedInPeople(
  stack: Stack,
  team: ReadonlyArray<readonly [name: string, role: Role]>,
): Promise<Record<string, { email: string; session: PageSession }>> {
  const people: Record<string, { email: string; session: PageSession }> = {};
  for (const [name, role] of team) people[name] = await signedInPerson(stack, name, role);
  return people;
}
