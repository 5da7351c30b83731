// Sessions (cookie holds a random id; the server keeps its hash), CSRF tokens bound to the session, the
// same-origin check on state-changing requests, and per-route permissions (domain/permissions.ts) for
// sessions on pages and the JSON API and for bearer tokens on the JSON API.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { findApiToken, touchSession } from '../../db/users.js';
import type { AppEnv } from '../context.js';
import { isAllowed, lowestRole, PERMISSIONS, type Permission } from '../../domain/permissions.js';

export const SESSION_COOKIE = 'plexsync_session';

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

// Which permission each route's guard stands for, so the permission test can read it off the app's routes.
const guards = new WeakMap<object, Permission | 'public'>();
/** The permission a route handler checks ('public' for open routes), if it is a guard. */
export const permissionOfHandler = (handler: unknown): Permission | 'public' | undefined =>
  typeof handler === 'function' ? guards.get(handler) : undefined;

/** Marks a route open to everyone (login, health, static assets); every other route names a permission. */
export const publicRoute: MiddlewareHandler<AppEnv> = async (_c, next) => next();
guards.set(publicRoute, 'public');

/**
 * The request needs `permission`. Pages: a session whose role holds it (no session: the login page).
 * JSON API (/api/…): a bearer token with the permission's scope, or a session whose role holds it —
 * exactly the role's permissions, as on the pages.
 */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    const api = c.req.path.startsWith('/api/');
    const auth = api ? c.req.header('Authorization') : undefined;
    if (auth?.startsWith('Bearer ')) {
      const token = await findApiToken(c.var.deps.sql, auth.slice(7).trim());
      if (!token) throw new HTTPException(401, { message: 'Invalid or revoked API token.' });
      if (!isAllowed(permission, { kind: 'token', scopes: token.scopes })) {
        const scope = PERMISSIONS[permission].scope;
        throw new HTTPException(403, {
          message: scope ? `The token lacks the ${scope} scope.` : 'API tokens cannot do this; log in instead.',
        });
      }
      c.set('apiToken', token);
      return next();
    }
    const user = c.var.user;
    if (!user) {
      if (api) throw new HTTPException(401, { message: 'Send an API token as "Authorization: Bearer <token>".' });
      const nextUrl = encodeURIComponent(new URL(c.req.url).pathname);
      if (c.req.header('HX-Request')) {
        c.header('HX-Redirect', `/login?next=${nextUrl}`);
        return c.body(null, 401);
      }
      return c.redirect(`/login?next=${nextUrl}`);
    }
    if (!isAllowed(permission, { kind: 'session', role: user.role })) {
      throw new HTTPException(403, {
        message: api
          ? `Your role (${user.role}) does not allow ${PERMISSIONS[permission].allows}.`
          : `This page needs the ${lowestRole(permission)} role.`,
      });
    }
    await next();
  };
  guards.set(guard, permission);
  return guard;
}

/**
 * Every state-changing request must come from our own pages: a browser's `Sec-Fetch-Site` and `Origin`
 * must not name another site (clients that send neither, such as API scripts, are judged by what follows),
 * and a session's request must carry the session's CSRF token (form field or header). The login form
 * has no session yet: its double-submit token is checked by the login route.
 */
export const csrfMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next();
  if (isCrossSite(c)) throw new HTTPException(403, { message: 'Refused: the request came from another site.' });
  if (c.req.path === '/login' || !c.var.sessionId) return next();
  const expected = c.var.csrfToken;
  let sent = c.req.header('X-CSRF-Token');
  if (!sent && isForm(c)) {
    const body = await c.req.parseBody({ all: true });
    const field = body['_csrf'];
    sent = typeof field === 'string' ? field : undefined;
  }
  if (!expected || !sent || !constantTimeEqual(sent, expected)) {
    throw new HTTPException(403, {
      message:
        'The form has expired or did not come from PlexSync (missing CSRF token). Reload the page and try again.',
    });
  }
  await next();
};

function isCrossSite(c: Context<AppEnv>): boolean {
  const site = c.req.header('Sec-Fetch-Site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = c.req.header('Origin');
  if (origin === undefined) return false;
  let sent: URL;
  try {
    sent = new URL(origin);
  } catch {
    return true; // "null" (sandboxed frames, some redirects) or garbage
  }
  const publicUrl = c.var.deps.config.web.publicUrl;
  // Behind a TLS-terminating proxy without PUBLIC_URL the scheme we see may differ: compare hosts then.
  return publicUrl ? sent.origin !== new URL(publicUrl).origin : sent.host !== new URL(c.req.url).host;
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
