// Single sign-on against a real OpenID Connect provider (the oidc-provider server on a loopback port, its
// development login and consent forms): authorization code + PKCE, roles from a claim, refusals.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Provider from 'oidc-provider';
import { createApp } from '../../api/app.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { createInvoiceService } from '../../services/invoices.js';
import { createInvoiceProcesses } from '../../services/temporal.js';
import type { Config } from '../../config/index.js';
import { upsertUser } from '../../db/users.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { PageSession } from '../support/browserless-session.js';
import { startStack, type Stack } from '../../testkit/stack.js';

/** The provider's people: their claims as the provider would release them. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  alice: { email: 'alice@idp.test', email_verified: true, name: 'Alice Admin', groups: ['staff', 'ap-admins'] },
  carol: { email: 'carol@idp.test', email_verified: true, name: 'Carol Clerk', groups: ['ap-clerks'] },
  mallory: { email: 'mallory@idp.test', email_verified: true, name: 'Mallory', groups: ['staff'] },
  // Claims an existing local account's email, but the provider does not vouch for it.
  eve: { email: 'local-admin@test.local', email_verified: false, name: 'Eve', groups: ['ap-admins'] },
  nomail: { name: 'No Mail', groups: ['ap-clerks'] },
};

let stack: Stack;
let idp: { url: string; close: () => Promise<void> };

before(async () => {
  // The provider's address must be known before the app's config, and the app's before the provider's
  // client registration: listen first, hand requests to the provider once it exists.
  let handle: (req: IncomingMessage, res: ServerResponse) => unknown = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp = {
    url: issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  stack = await startStack({
    worker: false,
    env: {
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: 'plexsync',
      OIDC_CLIENT_SECRET: 'a client secret for tests',
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: 'ap-admins=admin,ap-ops=ops,ap-clerks=clerk',
      OIDC_PROVIDER_NAME: 'Test IdP',
    },
  });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'plexsync',
        client_secret: 'a client secret for tests',
        redirect_uris: [`${stack.url}/auth/oidc/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    findAccount: (_ctx, id) =>
      ACCOUNTS[id] ? { accountId: id, claims: () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['cookie key for tests'] },
  });
  handle = provider.callback();
});
after(async () => {
  await stack?.stop();
  await idp?.close();
});

/** Cookies per host, as a browser keeps them (paths and expiry beyond "deleted" do not matter here). */
class Browser {
  private jars = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const host = new URL(url).host;
    const jar = this.jars.get(host) ?? new Map<string, string>();
    this.jars.set(host, jar);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name!.trim());
      else jar.set(name!.trim(), value.join('='));
    }
    return res;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).host)?.get(name);
  }

  /**
   * Follow redirects from `url`, filling in the provider's login form (as `login`) and consent form on
   * the way; returns the first response of our app that is not a redirect into the flow, with the
   * callback's own response.
   */
  async signIn(url: string, login: string): Promise<{ callback: Response; final: Response }> {
    let next = url;
    let init: RequestInit = {};
    let callback: Response | undefined;
    for (let hop = 0; hop < 30; hop++) {
      const res = await this.fetch(next, init);
      init = {};
      if (next.startsWith(`${stack.url}/auth/oidc/callback`)) callback = res;
      const location = res.headers.get('Location');
      if (res.status >= 300 && res.status < 400 && location) {
        next = new URL(location, next).href;
        continue;
      }
      if (next.startsWith(idp.url) && res.status === 200) {
        const html = await res.text();
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
        assert.ok(action && prompt, `a provider form: ${html.slice(0, 300)}`);
        const fields: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
        next = new URL(action.replaceAll('&amp;', '&'), next).href;
        init = { method: 'POST', body: new URLSearchParams(fields) };
        continue;
      }
      assert.ok(callback, `the flow reached our callback (stopped at ${next}: ${res.status})`);
      return { callback, final: res };
    }
    throw new Error('too many redirects');
  }
}

const userRow = async (email: string) =>
  (
    await stack.sql<
      { role: string; password_hash: string; oidc_subject: string | null }[]
    >`select role, password_hash, oidc_subject from users where email = ${email}`
  )[0];

describe('single sign-on', () => {
  test('the login page offers the provider; a clerk signs in and gets exactly the clerk role', async () => {
    const browser = new Browser();
    const page = await (await browser.fetch(`${stack.url}/login`)).text();
    assert.match(page, /href="\/auth\/oidc\/login\?next=%2Finvoices"[^>]*>Log in with Test IdP/);
    const start = await browser.fetch(`${stack.url}/auth/oidc/login?next=/dashboard`);
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('Location')!);
    assert.equal(authorize.origin, idp.url);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));

    const { callback } = await browser.signIn(authorize.href, 'carol');
    assert.equal(callback.status, 302);
    assert.equal(callback.headers.get('Location'), '/dashboard');
    assert.ok(browser.cookie(stack.url, 'plexsync_session'), 'a session');
    assert.equal((await browser.fetch(`${stack.url}/invoices`)).status, 200);
    assert.equal((await browser.fetch(`${stack.url}/syncs/failed`)).status, 403);
    const row = await userRow('carol@idp.test');
    assert.equal(row?.role, 'clerk');
    assert.equal(row?.oidc_subject, 'carol');
    assert.equal(row?.password_hash, '', 'no local password');
  });

  test('the highest mapped group wins (admin), and a changed group applies at the next sign-in', async () => {
    const browser = new Browser();
    const { callback } = await browser.signIn(`${stack.url}/auth/oidc/login`, 'alice');
    assert.equal(callback.status, 302);
    assert.equal((await browser.fetch(`${stack.url}/admin/users`)).status, 200);
    assert.equal((await userRow('alice@idp.test'))?.role, 'admin');

    ACCOUNTS.alice!.groups = ['ap-ops'];
    try {
      const again = new Browser();
      assert.equal((await again.signIn(`${stack.url}/auth/oidc/login`, 'alice')).callback.status, 302);
      assert.equal((await userRow('alice@idp.test'))?.role, 'ops');
      assert.equal((await again.fetch(`${stack.url}/admin/users`)).status, 403);
    } finally {
      ACCOUNTS.alice!.groups = ['staff', 'ap-admins'];
    }
  });

  test('someone without a mapped group is refused and gets no session or account', async () => {
    const browser = new Browser();
    const { callback } = await browser.signIn(`${stack.url}/auth/oidc/login`, 'mallory');
    assert.equal(callback.status, 403);
    assert.match(await callback.text(), /no PlexSync role/);
    assert.equal(browser.cookie(stack.url, 'plexsync_session'), undefined);
    assert.equal(await userRow('mallory@idp.test'), undefined);
  });

  test('an account disabled in PlexSync stays out, whatever the provider says', async () => {
    const first = new Browser();
    assert.equal((await first.signIn(`${stack.url}/auth/oidc/login`, 'carol')).callback.status, 302);
    await stack.sql`update users set disabled = true where email = 'carol@idp.test'`;
    try {
      const browser = new Browser();
      const { callback } = await browser.signIn(`${stack.url}/auth/oidc/login`, 'carol');
      assert.equal(callback.status, 403);
      assert.match(await callback.text(), /disabled/);
      assert.equal(browser.cookie(stack.url, 'plexsync_session'), undefined);
    } finally {
      await stack.sql`update users set disabled = false where email = 'carol@idp.test'`;
    }
  });

  test('a sign-in without an email address is refused', async () => {
    const browser = new Browser();
    const { callback } = await browser.signIn(`${stack.url}/auth/oidc/login`, 'nomail');
    assert.equal(callback.status, 401);
    assert.equal(browser.cookie(stack.url, 'plexsync_session'), undefined);
    const [row] = await stack.sql`select 1 from users where oidc_subject = 'nomail'`;
    assert.equal(row, undefined);
  });

  test('an unverified email never takes over an existing local account', async () => {
    await upsertUser(stack.sql, {
      email: 'local-admin@test.local',
      displayName: 'Local',
      role: 'admin',
      passwordHash: await hashPassword('local admin password'),
    });
    const browser = new Browser();
    const { callback } = await browser.signIn(`${stack.url}/auth/oidc/login`, 'eve');
    assert.equal(callback.status, 409);
    assert.equal(browser.cookie(stack.url, 'plexsync_session'), undefined);
    assert.equal((await userRow('local-admin@test.local'))?.oidc_subject, null);
  });

  test('a callback not started in this browser, or with a forged state, is refused', async () => {
    const victim = new Browser();
    const started = await victim.fetch(`${stack.url}/auth/oidc/login`);
    const authorize = started.headers.get('Location')!;
    // The attacker's browser completes the provider's part but lacks the victim's login cookie.
    const attacker = new Browser();
    const { callback } = await attacker.signIn(authorize, 'carol');
    assert.equal(callback.status, 400);
    assert.equal(attacker.cookie(stack.url, 'plexsync_session'), undefined);

    const forged = new Browser();
    await forged.fetch(`${stack.url}/auth/oidc/login`);
    const res = await forged.fetch(
      `${stack.url}/auth/oidc/callback?code=made-up&state=not-the-state&iss=${encodeURIComponent(idp.url)}`,
    );
    assert.equal(res.status, 401);
    assert.equal(forged.cookie(stack.url, 'plexsync_session'), undefined);
  });

  test('a single-sign-on user has no password to guess: the password form refuses them like anyone else', async () => {
    const s = new PageSession(stack.url);
    const res = await s.login('carol@idp.test', '');
    assert.equal(res.status, 401);
    assert.match(await res.text(), /Email or password is wrong/);
  });
});

describe('other configurations', () => {
  /** The app as configured by `web` over the test stack's settings. */
  const appWith = (web: Partial<Config['web']>) => {
    const config = { ...stack.config, web: { ...stack.config.web, ...web } };
    const invoices = createInvoiceService({
      sql: stack.sql,
      processes: createInvoiceProcesses(stack.client, config.temporal.taskQueue),
      config,
    });
    const app = createApp({
      config,
      sql: stack.sql,
      logger: createLogger({ level: 'silent', name: 'test' }),
      metrics: createMetrics(stack.sql),
      invoices,
    });
    return { app, close: () => invoices.close() };
  };

  test('a provider that cannot be reached gives a clear page, not an error', async () => {
    const { app, close } = appWith({ oidc: { ...stack.config.web.oidc!, issuerUrl: 'http://127.0.0.1:9/' } });
    try {
      const res = await app.request('/auth/oidc/login');
      assert.equal(res.status, 502);
      assert.match(await res.text(), /cannot be reached right now/);
    } finally {
      await close();
    }
  });

  test('without single sign-on configured its routes do not exist', async () => {
    const { app, close } = appWith({ oidc: undefined });
    try {
      assert.equal((await app.request('/auth/oidc/login')).status, 404);
      assert.equal((await app.request('/auth/oidc/callback?code=x&state=y')).status, 404);
      assert.doesNotMatch(await (await app.request('/login')).text(), /Log in with/);
    } finally {
      await close();
    }
  });

  test('PASSWORD_LOGIN=false hides the form and refuses password posts', async () => {
    const { app, close } = appWith({ passwordLogin: false });
    try {
      const page = await app.request('/login');
      const html = await page.text();
      assert.doesNotMatch(html, /name="password"/);
      assert.match(html, /Log in with Test IdP/);
      const cookie = page.headers
        .getSetCookie()
        .map((l) => l.split(';')[0])
        .join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? cookie.split('=')[1] ?? '';
      const post = await app.request('/login', {
        method: 'POST',
        headers: { Cookie: cookie },
        body: new URLSearchParams({ email: 'admin@test.local', password: 'correct horse battery staple', _csrf: csrf }),
      });
      assert.equal(post.status, 403);
      assert.equal(
        post.headers.getSetCookie().some((l) => l.startsWith('plexsync_session=')),
        false,
      );
    } finally {
      await close();
    }
  });
});
