// Every route of the app × every role × every way to authenticate (session, API token per scope, a bad
// token, nobody) answers as the one permission table (domain/permissions.ts) says. The routes come from
// the Hono app itself, so a route added without a permission fails here.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApp } from '../../api/app.js';
import { permissionOfHandler } from '../../api/auth/middleware.js';
import { isAllowed, PERMISSIONS, type Permission, type Principal } from '../../domain/permissions.js';
import { createInvoiceService } from '../../services/invoices.js';
import { createInvoiceProcesses } from '../../services/temporal.js';
import { createApiToken, createSession, upsertUser } from '../../db/users.js';
import { ALL_SCOPES, type Role, type TokenScope } from '../../domain/permissions.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { startStack, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let app: ReturnType<typeof createApp>;
let closeInvoices: () => Promise<void>;
const users: Partial<Record<Role, string>> = {};
const tokens: Partial<Record<TokenScope, string>> = {};
const ROLES: Role[] = ['clerk', 'ops', 'admin'];

before(async () => {
  stack = await startStack({ worker: false });
  const { config, sql } = stack;
  const invoices = createInvoiceService({
    sql,
    processes: createInvoiceProcesses(stack.client, config.temporal.taskQueue),
    config,
  });
  closeInvoices = () => invoices.close();
  app = createApp({
    config,
    sql,
    logger: createLogger({ level: 'silent', name: 'test' }),
    metrics: createMetrics(sql),
    invoices,
  });
  for (const role of ROLES) {
    users[role] = (
      await upsertUser(sql, { email: `walk-${role}@test.local`, displayName: role, role, passwordHash: 'x' })
    ).id;
  }
  for (const scope of ALL_SCOPES)
    tokens[scope] = (await createApiToken(sql, { name: `walk ${scope}`, userId: null, scopes: [scope] })).token;
});
after(async () => {
  await closeInvoices?.();
  await stack?.stop();
});

interface Route {
  method: string;
  path: string;
  permission: Permission | 'public' | undefined;
}

/** Every method + path the app answers, with the permission its guard names. */
function routesOf(): Route[] {
  const byKey = new Map<string, Route>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // app-wide middleware (app.use)
    const key = `${r.method} ${r.path}`;
    const route = byKey.get(key) ?? { method: r.method, path: r.path, permission: undefined };
    const permission = permissionOfHandler(r.handler);
    if (permission) {
      assert.equal(route.permission, undefined, `${key} names more than one permission`);
      route.permission = permission;
    }
    byKey.set(key, route);
  }
  return [...byKey.values()];
}

/** A concrete URL for a route pattern: unknown ids, so that allowed requests change nothing. */
function concrete(path: string): string {
  return path
    .replace(/^\/static\/pdfjs\/standard_fonts\/:file\{.*\}$/, '/static/pdfjs/standard_fonts/FoxitFixed.pfb')
    .replace(/^\/static\/:file\{.*\}$/, '/static/app.css')
    .replace(/\/(invoices|syncs)\/:id/, '/$1/inv-000000000000000000000000')
    .replace(/:id/g, '999999999');
}

type Auth = { name: string; principal: Principal; headers: () => Promise<Record<string, string>> };
const AUTHS: Auth[] = [
  { name: 'anonymous', principal: { kind: 'anonymous' }, headers: async () => ({}) },
  {
    name: 'a revoked or made-up token',
    principal: { kind: 'anonymous' },
    headers: async () => ({ Authorization: 'Bearer psk_not-a-token' }),
  },
  ...ROLES.map((role): Auth => ({
    name: `a ${role} session`,
    principal: { kind: 'session', role },
    headers: async () => {
      // A fresh session per request: some routes end the caller's sessions (log out everywhere).
      const session = await createSession(stack.sql, users[role]!, 60);
      return { Cookie: `plexsync_session=${session.id}`, 'X-CSRF-Token': session.csrfToken };
    },
  })),
  ...ALL_SCOPES.map((scope): Auth => ({
    name: `a token with ${scope}`,
    principal: { kind: 'token', scopes: [scope] },
    headers: async () => ({ Authorization: `Bearer ${tokens[scope]!}` }),
  })),
];

// Routes anyone may call. A new public route is a decision: add it here once it has been made.
const PUBLIC = [
  'GET /healthz',
  'GET /metrics',
  'GET /static/pdfjs/standard_fonts/:file{[A-Za-z0-9_-]+\\.[a-z]+}',
  'GET /static/:file{.+}',
  'GET /login',
  'POST /login',
  'POST /logout',
  'GET /auth/oidc/login',
  'GET /auth/oidc/callback',
  // The JSON API's OpenAPI document: it describes the routes and holds no data, so integrators fetch it without a token.
  'GET /api/openapi.json',
];

test('every route names a permission from the table, or is one of the known public routes', () => {
  const routes = routesOf();
  assert.ok(routes.length > 30, `found ${routes.length} routes`);
  const missing = routes.filter((r) => r.permission === undefined).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(missing, [], 'routes without a permission');
  const open = routes.filter((r) => r.permission === 'public').map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(open.sort(), [...PUBLIC].sort());
  for (const scope of ALL_SCOPES) {
    assert.ok(
      Object.values(PERMISSIONS).some((p) => p.scope === scope),
      `the ${scope} scope grants something`,
    );
  }
});

test('every route × role × authentication method answers as the permission table says', async () => {
  const failures: string[] = [];
  let checked = 0;
  for (const route of routesOf()) {
    if (route.permission === undefined || route.permission === 'public') continue;
    const api = route.path.startsWith('/api/');
    for (const auth of AUTHS) {
      const res = await app.request(concrete(route.path), { method: route.method, headers: await auth.headers() });
      const location = res.headers.get('Location') ?? '';
      const toLogin = res.status === 302 && location.startsWith('/login?next=');
      // API tokens count only on the JSON API; on a page they are no login at all.
      const principal = !api && auth.principal.kind === 'token' ? { kind: 'anonymous' as const } : auth.principal;
      let verdict: string | undefined;
      if (principal.kind === 'anonymous') {
        const wanted = api ? res.status === 401 : toLogin;
        if (!wanted) verdict = `expected ${api ? '401' : 'a redirect to the login page'}`;
      } else if (isAllowed(route.permission, principal)) {
        if ([401, 403].includes(res.status) || toLogin || res.status >= 500) verdict = 'expected to be let through';
      } else if (res.status !== 403) {
        verdict = 'expected 403';
      }
      checked++;
      if (verdict)
        failures.push(
          `${route.method} ${route.path} as ${auth.name} (${route.permission}): ${verdict}, got ${res.status} ${location}`,
        );
      await res.arrayBuffer();
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(checked > 200, `${checked} requests checked`);
});
