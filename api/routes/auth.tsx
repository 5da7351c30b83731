// Login and logout. Login forms carry a double-submit CSRF token (there is no session yet);
// attempts are rate limited per client and email, and accounts lock after repeated failures.
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { verifyPassword } from '../auth/passwords.js';
import { SlidingWindowLimiter } from '../auth/rate-limit.js';
import { SESSION_COOKIE } from '../auth/middleware.js';
import {
  createSession,
  deleteSession,
  findUserByEmail,
  newSecret,
  recordLoginFailure,
  recordLoginSuccess,
} from '../../db/users.js';
import { LoginPage } from '../../views/login.js';
import type { AppEnv } from '../context.js';

const LOGIN_CSRF_COOKIE = 'plexsync_login_csrf';
const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;

export function authRoutes() {
  const app = new Hono<AppEnv>();
  const limiter = new SlidingWindowLimiter(10, 15 * 60_000);
  const secure = (c: { var: AppEnv['Variables'] }) => c.var.deps.config.web.publicUrl?.startsWith('https://') ?? false;

  const loginForm = (c: Context<AppEnv>, status: 200 | 401 | 429 | 403, opts: { email?: string; error?: string } = {}) => {
    const token = newSecret(16);
    setCookie(c, LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/login' });
    const next = safeNext(c.req.query('next'));
    return c.html(
      <LoginPage ctx={{ flash: opts.error ? { kind: 'error', text: opts.error } : undefined }} csrfToken={token} email={opts.email} next={next} />,
      status,
    );
  };

  app.get('/login', (c) => (c.var.user ? c.redirect('/invoices') : loginForm(c, 200)));

  app.post('/login', async (c) => {
    const { deps } = c.var;
    const form = await c.req.parseBody();
    const email = String(form.email ?? '').trim().toLowerCase();
    const password = String(form.password ?? '');
    const cookieToken = getCookie(c, LOGIN_CSRF_COOKIE);
    if (!cookieToken || form._csrf !== cookieToken) {
      return loginForm(c, 403, { email, error: 'The login form expired. Please try again.' });
    }
    const ip = getConnInfo(c).remote.address ?? 'unknown';
    if (!limiter.hit(`${ip}|${email}`)) {
      deps.metrics.loginFailures.inc();
      return loginForm(c, 429, { email, error: 'Too many login attempts. Wait 15 minutes and try again.' });
    }
    const user = await findUserByEmail(deps.sql, email);
    const locked = user?.lockedUntil && user.lockedUntil > new Date();
    const ok = user && !user.disabled && !locked && (await verifyPassword(password, user.passwordHash));
    if (!ok) {
      deps.metrics.loginFailures.inc();
      if (user && !locked) await recordLoginFailure(deps.sql, user.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
      deps.logger.warn({ email, ip, locked: Boolean(locked) }, 'login failed');
      const error = locked ? 'This account is locked after repeated failures. Try again later.' : 'Email or password is wrong.';
      return loginForm(c, 401, { email, error });
    }
    await recordLoginSuccess(deps.sql, user.id);
    // A fresh session id at every login (no fixation); the old one, if any, is dropped.
    const old = getCookie(c, SESSION_COOKIE);
    if (old) await deleteSession(deps.sql, old);
    const session = await createSession(deps.sql, user.id, deps.config.web.sessionIdleMinutes);
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Lax', secure: secure(c), path: '/' });
    deleteCookie(c, LOGIN_CSRF_COOKIE, { path: '/login' });
    deps.logger.info({ user: user.email }, 'login');
    return c.redirect(safeNext(String(form.next ?? '')));
  });

  app.post('/logout', async (c) => {
    if (c.var.sessionId) await deleteSession(c.var.deps.sql, c.var.sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login');
  });

  return app;
}

/** Only same-site relative paths, so the login cannot be turned into an open redirect. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : '/invoices';
}
