// A user of a given role, created in the database and signed in through the login page: the tests that
// act as several people (approval policies) get one session each.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../api/auth/passwords.js';
import { upsertUser } from '../../db/users.js';
import { type Role } from '../../domain/permissions.js';
import { PageSession } from './browserless-session.js';
import type { Stack } from '../../testkit/stack.js';

export async function signedInPerson(
  stack: Stack,
  name: string,
  role: Role,
): Promise<{ email: string; session: PageSession }> {
  const email = `${name}-${randomBytes(3).toString('hex')}@test.local`;
  const password = `pw ${randomBytes(6).toString('hex')}`;
  await upsertUser(stack.sql, { email, displayName: name, role, passwordHash: await hashPassword(password) });
  const session = new PageSession(stack.url);
  assert.equal((await session.login(email, password)).status, 302);
  return { email, session };
}
