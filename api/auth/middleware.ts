// Sessions (cookie holds a random id; the server keeps its hash), CSRF tokens bound to the session,
// role checks, and bearer tokens for the JSON API.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { findApiToken, touchSession, type Role, type TokenScope } from '../../db/users.js';
import type { AppEnv } from '../context.js';

export const SESSION_COOKIE = 'plexsync_session';
const RANK: Record<Role, number> = { clerk: 1, ops: 2, admin: 3 };

/** Attach the session's user (if any) to the request. */
export const sessionMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) {
    const { sql, config } = c.var.deps;
    const session = await touchSession(sql, id, config.web.sessionIdleMinutes);
    if (session) {
      c.set('user', session.user);
      c.set('csrfToken', session.csrfToken);
      c.set('sessionId', id);
    }
  }
  await next();
};

/** Pages: a logged-in user with at least `role`, else the login page (or 403). */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.var.user;
    if (!user) {
      const nextUrl = encodeURIComponent(new URL(c.req.url).pathname);
      if (c.req.header('HX-Request')) {
        c.header('HX-Redirect', `/login?next=${nextUrl}`);
        return c.body(null, 401);
      }
      return c.redirect(`/login?next=${nextUrl}`);
    }
    if (RANK[user.role] < RANK[role]) throw new HTTPException(403, { message: `This page needs the ${role} role.` });
    await next();
  };
}

/** Every state-changing request from a session must carry the session's CSRF token (form field or header). */
export const csrfMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) || !c.var.sessionId) return next();
  const expected = c.var.csrfToken;
  let sent = c.req.header('X-CSRF-Token');
  if (!sent && isForm(c)) {
    const body = await c.req.parseBody({ all: true });
    const field = body['_csrf'];
    sent = typeof field === 'string' ? field : undefined;
  }
  if (!expected || !sent || !constantTimeEqual(sent, expected)) {
    throw new HTTPException(403, { message: 'The form has expired or did not come from PlexSync (missing CSRF token). Reload the page and try again.' });
  }
  await next();
};

/** JSON API: `Authorization: Bearer <token>` with the scope, or a logged-in session. */
export function requireScope(scope: TokenScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.req.header('Authorization');
    if (auth?.startsWith('Bearer ')) {
      const token = await findApiToken(c.var.deps.sql, auth.slice(7).trim());
      if (!token) throw new HTTPException(401, { message: 'Invalid or revoked API token.' });
      if (!token.scopes.includes(scope)) throw new HTTPException(403, { message: `The token lacks the ${scope} scope.` });
      c.set('apiToken', token);
      return next();
    }
    if (c.var.user) return next();
    throw new HTTPException(401, { message: 'Send an API token as "Authorization: Bearer <token>".' });
  };
}

/** Who did it, for decisions and the audit log. */
export function actorOf(c: Context<AppEnv>): string {
  if (c.var.apiToken) return `token:${c.var.apiToken.name}`;
  return c.var.user?.email ?? 'anonymous';
}

function isForm(c: Context): boolean {
  const type = c.req.header('Content-Type') ?? '';
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
