// Admin pages for accounts: users (add, role, disable/enable), API tokens (create, revoke), and "log out
// everywhere" for the current user. Every change is audited with who made it.
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import { appendAudit } from '../../db/audit.js';
import {
  changeUser,
  insertUser,
  listApiTokens,
  listUsers,
  revokeApiTokenById,
  type UserChange,
} from '../../db/user-admin.js';
import { createApiToken, deleteUserSessions } from '../../db/users.js';
import { ALL_SCOPES, type TokenScope } from '../../domain/permissions.js';
import type { PageContext } from '../../views/layout.js';
import { TokensPage, type NewTokenForm } from '../../views/tokens.js';
import { UsersPage, type NewUserForm } from '../../views/users.js';
import { actorOf, requirePermission, SESSION_COOKIE } from '../auth/middleware.js';
import { hashPassword } from '../auth/passwords.js';
import type { AppEnv } from '../context.js';
import { fieldText } from './forms.js';
import { pageContext } from '../view-models.js';

const Role = z.enum(['clerk', 'ops', 'admin'], { error: 'Choose a role: clerk, ops or admin.' });
const NewUser = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address.')),
  displayName: z.string().trim().min(1, 'Enter a name.').max(100, 'The name is too long (100 characters at most).'),
  role: Role,
  password: z
    .string()
    .min(12, 'The initial password needs at least 12 characters.')
    .max(200, 'The password is too long.'),
});
const NewToken = z.object({
  name: z.string().trim().min(1, 'Give the token a name.').max(80, 'The name is too long (80 characters at most).'),
  scopes: z.array(z.enum(ALL_SCOPES as [TokenScope, ...TokenScope[]])).min(1, 'Choose at least one scope.'),
});

/** Audit an admin action (no invoice): a fresh event key per action; the row records who and when. */
export function auditAdmin(c: Context<AppEnv>, kind: string, subject: string, data: Record<string, unknown>) {
  return appendAudit(c.var.deps.sql, {
    eventKey: `${kind}:${subject}:${randomUUID()}`,
    invoiceId: null,
    kind,
    actor: actorOf(c),
    data,
  });
}

/** A zod error as one sentence per issue, for the page's error banner. */
export const issuesText = (error: z.ZodError) => error.issues.map((i) => i.message).join(' ');

const flashFrom = (c: Context<AppEnv>, messages: Record<string, string>): PageContext['flash'] => {
  const done = c.req.query('done');
  return done && messages[done] ? { kind: 'ok', text: messages[done] } : undefined;
};
const formBody = async (c: Context<AppEnv>) => c.req.parseBody({ all: true });

export function adminRoutes() {
  const app = new Hono<AppEnv>();

  // ---- users -------------------------------------------------------------------------------------
  const usersPage = async (
    c: Context<AppEnv>,
    status: 200 | 409 | 404 | 422,
    flash?: PageContext['flash'],
    form?: NewUserForm,
  ) => c.html(<UsersPage ctx={pageContext(c, flash)} users={await listUsers(c.var.deps.sql)} form={form} />, status);
  const USER_DONE = {
    created: 'User added.',
    role: 'Role changed; their sessions were ended.',
    disabled: 'User disabled; their sessions were ended.',
    enabled: 'User enabled.',
  };

  app.get('/admin/users', requirePermission('users:manage'), (c) => usersPage(c, 200, flashFrom(c, USER_DONE)));

  app.post('/admin/users', requirePermission('users:manage'), async (c) => {
    const body = await formBody(c);
    const parsed = NewUser.safeParse(body);
    const form = {
      email: fieldText(body.email),
      displayName: fieldText(body.displayName),
      role: Role.safeParse(body.role).data,
    };
    if (!parsed.success) return usersPage(c, 422, { kind: 'error', text: issuesText(parsed.error) }, form);
    const { password, ...user } = parsed.data;
    const created = await insertUser(c.var.deps.sql, { ...user, passwordHash: await hashPassword(password) });
    if (!created)
      return usersPage(c, 409, { kind: 'error', text: `A user with the email ${user.email} already exists.` }, form);
    await auditAdmin(c, 'user.created', created.id, { userId: created.id, email: created.email, role: created.role });
    return c.redirect('/admin/users?done=created');
  });

  const applyChange = async (c: Context<AppEnv>, change: UserChange, done: keyof typeof USER_DONE) => {
    const userId = c.req.param('id') ?? '';
    if ('disabled' in change && change.disabled && userId === c.var.user?.id) {
      return usersPage(c, 409, { kind: 'error', text: 'You cannot disable your own account.' });
    }
    const result = await changeUser(c.var.deps.sql, userId, change);
    if (!result.ok) {
      return result.reason === 'not_found'
        ? usersPage(c, 404, { kind: 'error', text: 'No such user.' })
        : usersPage(c, 409, {
            kind: 'error',
            text: 'That would leave no active admin: make someone else an admin first.',
          });
    }
    const { before, after } = result;
    if ('role' in change && before.role !== after.role) {
      await auditAdmin(c, 'user.role_changed', after.id, {
        userId: after.id,
        email: after.email,
        from: before.role,
        to: after.role,
      });
    } else if ('disabled' in change && before.disabled !== after.disabled) {
      await auditAdmin(c, after.disabled ? 'user.disabled' : 'user.enabled', after.id, {
        userId: after.id,
        email: after.email,
      });
    }
    // Demoting yourself ended your own session too: off to the login page.
    if (after.id === c.var.user?.id && before.role !== after.role) return c.redirect('/login');
    return c.redirect(`/admin/users?done=${done}`);
  };

  app.post('/admin/users/:id/role', requirePermission('users:manage'), async (c) => {
    const role = Role.safeParse((await formBody(c)).role);
    if (!role.success) return usersPage(c, 422, { kind: 'error', text: issuesText(role.error) });
    return applyChange(c, { role: role.data }, 'role');
  });
  app.post('/admin/users/:id/disable', requirePermission('users:manage'), (c) =>
    applyChange(c, { disabled: true }, 'disabled'),
  );
  app.post('/admin/users/:id/enable', requirePermission('users:manage'), (c) =>
    applyChange(c, { disabled: false }, 'enabled'),
  );

  // Any signed-in user may end all of their own sessions (e.g. after using a shared computer).
  app.post('/account/logout-everywhere', requirePermission('account:self'), async (c) => {
    const user = c.var.user!;
    await deleteUserSessions(c.var.deps.sql, user.id);
    await auditAdmin(c, 'user.logged_out_everywhere', user.id, { userId: user.id, email: user.email });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login');
  });

  // ---- API tokens --------------------------------------------------------------------------------
  const tokensPage = async (
    c: Context<AppEnv>,
    status: 200 | 201 | 404 | 422,
    opts: { flash?: PageContext['flash']; form?: NewTokenForm; created?: { name: string; token: string } } = {},
  ) => {
    if (opts.created) c.header('Cache-Control', 'no-store');
    return c.html(
      <TokensPage
        ctx={pageContext(c, opts.flash)}
        tokens={await listApiTokens(c.var.deps.sql)}
        form={opts.form}
        created={opts.created}
      />,
      status,
    );
  };

  app.get('/admin/tokens', requirePermission('users:manage'), (c) =>
    tokensPage(c, 200, { flash: flashFrom(c, { revoked: 'Token revoked: it no longer works.' }) }),
  );

  app.post('/admin/tokens', requirePermission('users:manage'), async (c) => {
    const body = await formBody(c);
    const scopes = body.scopes === undefined ? [] : [body.scopes].flat();
    const parsed = NewToken.safeParse({ name: body.name, scopes });
    if (!parsed.success) {
      const form = {
        name: fieldText(body.name),
        scopes: scopes.filter((s): s is TokenScope => ALL_SCOPES.includes(s as TokenScope)),
      };
      return tokensPage(c, 422, { flash: { kind: 'error', text: issuesText(parsed.error) }, form });
    }
    const { name, scopes: granted } = parsed.data;
    const { id, token } = await createApiToken(c.var.deps.sql, { name, userId: c.var.user!.id, scopes: granted });
    await auditAdmin(c, 'token.created', id, { tokenId: id, name, scopes: granted });
    return tokensPage(c, 201, { created: { name, token } });
  });

  app.post('/admin/tokens/:id/revoke', requirePermission('users:manage'), async (c) => {
    const id = c.req.param('id');
    const revoked = await revokeApiTokenById(c.var.deps.sql, id);
    if (!revoked)
      return tokensPage(c, 404, { flash: { kind: 'error', text: 'No such live token (already revoked?).' } });
    await auditAdmin(c, 'token.revoked', id, { tokenId: id, name: revoked.name, scopes: revoked.scopes });
    return c.redirect('/admin/tokens?done=revoked');
  });

  return app;
}
