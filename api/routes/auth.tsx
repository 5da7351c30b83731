// Login and logout: email + password (throttled, never locking anyone out, the same answer for every
// failure) and single sign-on through OpenID Connect. Login forms carry a double-submit CSRF token
// (there is no session yet); the OIDC callback is bound to the browser that started it by a cookie.
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { clientAddress } from '../auth/client-address.js';
import { createLoginThrottle, type LoginThrottle } from '../auth/login-throttle.js';
import { publicRoute, SESSION_COOKIE } from '../auth/middleware.js';
import { createSsoClient, SsoError, type PendingLogin, type SsoClient } from '../auth/oidc.js';
import { checkPassword } from '../auth/passwords.js';
import { createSession, deleteSession, findUserByEmail, newSecret, upsertSsoUser, type User } from '../../db/users.js';
import { LoginPage } from '../../views/login.js';
import type { AppEnv } from '../context.js';
import { fieldText } from './forms.js';

const LOGIN_CSRF_COOKIE = 'plexsync_login_csrf';
const OIDC_COOKIE = 'plexsync_oidc';
const OIDC_CALLBACK = '/auth/oidc/callback';
/** The one answer to every failed password login, whether or not the account exists. */
export const LOGIN_FAILED = 'Email or password is wrong.';

const Pending = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(43),
  next: z.string(),
});

export function authRoutes() {
  const app = new Hono<AppEnv>();
  let throttle: LoginThrottle | undefined;
  let sso: SsoClient | undefined;
  const throttleOf = (c: Context<AppEnv>) => (throttle ??= createLoginThrottle(c.var.deps.sql));
  const ssoOf = (c: Context<AppEnv>) => {
    const config = c.var.deps.config.web.oidc;
    return config ? (sso ??= createSsoClient(config)) : undefined;
  };
  const secure = (c: Context<AppEnv>) => c.var.deps.config.web.publicUrl?.startsWith('https://') ?? false;
  const ownUrl = (c: Context<AppEnv>, path: string) => new URL(path, c.var.deps.config.web.publicUrl ?? c.req.url);

  const loginForm = (
    c: Context<AppEnv>,
    status: 200 | 400 | 401 | 403 | 409 | 429 | 502,
    opts: { email?: string; error?: string } = {},
  ) => {
    const token = newSecret(16);
    setCookie(c, LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure: secure(c), path: '/login' });
    const next = safeNext(c.req.query('next'));
    const { passwordLogin, oidc } = c.var.deps.config.web;
    const ssoButton = oidc
      ? { name: oidc.providerName, href: `/auth/oidc/login?next=${encodeURIComponent(next)}` }
      : undefined;
    return c.html(
      <LoginPage
        ctx={{ flash: opts.error ? { kind: 'error', text: opts.error } : undefined }}
        csrfToken={token}
        email={opts.email}
        next={next}
        passwordLogin={passwordLogin}
        sso={ssoButton}
      />,
      status,
    );
  };

  /** A fresh session id at every login (no fixation); the old one, if any, is dropped. */
  const startSession = async (c: Context<AppEnv>, user: User, next: string) => {
    const { deps } = c.var;
    const old = getCookie(c, SESSION_COOKIE);
    if (old) await deleteSession(deps.sql, old);
    const session = await createSession(deps.sql, user.id, deps.config.web.sessionIdleMinutes);
    setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Lax', secure: secure(c), path: '/' });
    deps.logger.info({ user: user.email }, 'login');
    return c.redirect(safeNext(next));
  };

  app.get('/login', publicRoute, (c) => (c.var.user ? c.redirect('/invoices') : loginForm(c, 200)));

  app.post('/login', publicRoute, async (c) => {
    const { deps } = c.var;
    if (!deps.config.web.passwordLogin)
      return loginForm(c, 403, { error: 'Password login is turned off: use single sign-on.' });
    const form = await c.req.parseBody();
    const email = fieldText(form.email).trim().toLowerCase().slice(0, 320);
    const password = fieldText(form.password);
    const cookieToken = getCookie(c, LOGIN_CSRF_COOKIE);
    if (!cookieToken || form._csrf !== cookieToken) {
      return loginForm(c, 403, { email, error: 'The login form expired. Please try again.' });
    }
    const address = clientAddress(c);
    const waitMs = await throttleOf(c).waitMs(email, address);
    if (waitMs > 0) {
      deps.metrics.loginFailures.inc();
      const seconds = Math.ceil(waitMs / 1000);
      c.header('Retry-After', String(seconds));
      return loginForm(c, 429, {
        email,
        error: `Too many failed attempts. Try again in ${seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`}.`,
      });
    }
    const user = await findUserByEmail(deps.sql, email);
    // Always one scrypt verification: a dummy one for unknown, disabled and single-sign-on-only accounts.
    const ok = await checkPassword(password, user && !user.disabled ? user.passwordHash : undefined);
    if (!ok || !user) {
      deps.metrics.loginFailures.inc();
      await throttleOf(c).failed(email, address);
      deps.logger.warn({ email, address, known: Boolean(user) }, 'login failed');
      return loginForm(c, 401, { email, error: LOGIN_FAILED });
    }
    await throttleOf(c).succeeded(email, address);
    deleteCookie(c, LOGIN_CSRF_COOKIE, { path: '/login' });
    return startSession(c, user, fieldText(form.next));
  });

  app.post('/logout', publicRoute, async (c) => {
    if (c.var.sessionId) await deleteSession(c.var.deps.sql, c.var.sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login');
  });

  // ---- single sign-on (OpenID Connect) ---------------------------------------------------------------
  app.get('/auth/oidc/login', publicRoute, async (c) => {
    const client = ssoOf(c);
    if (!client) return c.text('Single sign-on is not configured.', 404);
    let started;
    try {
      started = await client.start(ownUrl(c, OIDC_CALLBACK).href, safeNext(c.req.query('next')));
    } catch (err) {
      if (!(err instanceof SsoError)) throw err;
      c.var.deps.logger.error({ err }, 'single sign-on: provider unreachable');
      return loginForm(c, 502, { error: 'The sign-in provider cannot be reached right now. Try again later.' });
    }
    const value = Buffer.from(JSON.stringify(started.pending)).toString('base64url');
    setCookie(c, OIDC_COOKIE, value, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secure(c),
      path: '/auth/oidc',
      maxAge: 600,
    });
    return c.redirect(started.url);
  });

  app.get(OIDC_CALLBACK, publicRoute, async (c) => {
    const { deps } = c.var;
    const client = ssoOf(c);
    if (!client) return c.text('Single sign-on is not configured.', 404);
    const pending = readPending(getCookie(c, OIDC_COOKIE));
    deleteCookie(c, OIDC_COOKIE, { path: '/auth/oidc' });
    if (!pending)
      return loginForm(c, 400, {
        error: 'The sign-in took too long or was started in another browser. Please try again.',
      });
    const callbackUrl = ownUrl(c, `${OIDC_CALLBACK}${new URL(c.req.url).search}`);
    let identity;
    try {
      identity = await client.finish(callbackUrl, pending);
    } catch (err) {
      if (!(err instanceof SsoError)) throw err;
      deps.logger.warn({ err: err.message, kind: err.kind }, 'single sign-on refused');
      return loginForm(c, err.kind === 'provider_unreachable' ? 502 : 401, {
        error: 'The sign-in did not succeed. Please try again.',
      });
    }
    const provider = deps.config.web.oidc!;
    if (!identity.role) {
      deps.logger.warn({ email: identity.email, claim: provider.roleClaim }, 'single sign-on: no role');
      return loginForm(c, 403, {
        error: `Your ${provider.providerName} account has no PlexSync role yet. Ask an administrator to add you to a PlexSync group.`,
      });
    }
    const user = await upsertSsoUser(deps.sql, { ...identity, role: identity.role });
    if (user === 'conflict') {
      return loginForm(c, 409, {
        error: `A PlexSync account with the email ${identity.email} already exists and cannot be linked to this sign-in. Ask an administrator.`,
      });
    }
    if (user.disabled) return loginForm(c, 403, { error: 'This PlexSync account is disabled. Ask an administrator.' });
    return startSession(c, user, pending.next);
  });

  return app;
}

function readPending(cookie: string | undefined): PendingLogin | undefined {
  if (!cookie) return undefined;
  try {
    return Pending.parse(JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

/** Only same-site relative paths, so the login cannot be turned into an open redirect. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : '/invoices';
}
