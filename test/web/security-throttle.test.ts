// Login throttling on its own, with a clock the test moves: growing delays per key, counts that lapse,
// successes that forgive only their own typos; client addresses behind a trusted proxy; SSO settings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { clientAddress } from '../../api/auth/client-address.js';
import { createLoginThrottle, delayAfter, POLICIES, THROTTLE_WINDOW_MS } from '../../api/auth/login-throttle.js';
import { roleFromClaim } from '../../api/auth/oidc.js';
import type { AppEnv } from '../../api/context.js';
import { ConfigError, loadConfig, type Config } from '../../config/index.js';
import type { Sql } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { createTestDatabase } from '../support/database.js';

let sql: Sql;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
before(async () => {
  database = await createTestDatabase('plexsync_throttle', 2);
  sql = database.sql;
  await migrate(sql);
});
after(async () => {
  await database?.close();
});

const SECOND = 1000;
function clock(start = Date.UTC(2026, 0, 5, 9)) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('login throttle', () => {
  test('delays start after the free failures and double up to the cap', () => {
    const p = POLICIES.accountFromAddress;
    assert.deepEqual(
      [1, 4].map((n) => delayAfter(n, p)),
      [0, 0],
    );
    assert.equal(delayAfter(p.free, p), p.firstDelayMs);
    assert.equal(delayAfter(p.free + 1, p), 2 * p.firstDelayMs);
    assert.equal(delayAfter(p.free + 2, p), 4 * p.firstDelayMs);
    assert.equal(delayAfter(p.free + 40, p), p.maxDelayMs);
    assert.ok(POLICIES.account.maxDelayMs <= 60 * SECOND, 'the account-wide key never holds an owner back for long');
  });

  test('one address guessing one account waits longer after each failure; another address does not wait', async () => {
    const t = clock();
    const throttle = createLoginThrottle(sql, t.now);
    const email = 'growing@test.local';
    for (let i = 0; i < POLICIES.accountFromAddress.free - 1; i++) {
      assert.equal(await throttle.waitMs(email, '10.0.0.1'), 0);
      await throttle.failed(email, '10.0.0.1');
    }
    await throttle.failed(email, '10.0.0.1');
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const wait = await throttle.waitMs(email, '10.0.0.1');
      waits.push(wait);
      t.advance(wait); // waits it out, then fails again
      assert.equal(await throttle.waitMs(email, '10.0.0.1'), 0);
      await throttle.failed(email, '10.0.0.1');
    }
    assert.deepEqual(waits, [15 * SECOND, 30 * SECOND, 60 * SECOND]);
    assert.equal(await throttle.waitMs(email, '10.0.0.2'), 0, 'the owner, elsewhere, is not held back');
  });

  test('failures older than the window no longer count', async () => {
    const t = clock();
    const throttle = createLoginThrottle(sql, t.now);
    const email = 'lapsed@test.local';
    for (let i = 0; i < POLICIES.accountFromAddress.free - 1; i++) await throttle.failed(email, '10.0.1.1');
    t.advance(THROTTLE_WINDOW_MS + SECOND);
    await throttle.failed(email, '10.0.1.1');
    assert.equal(await throttle.waitMs(email, '10.0.1.1'), 0, 'one fresh failure, not five');
  });

  test("a success forgives that address's typos on that account, but not its guesses at other accounts", async () => {
    const t = clock();
    const throttle = createLoginThrottle(sql, t.now);
    const address = '10.0.2.1';
    for (let i = 0; i < POLICIES.accountFromAddress.free - 1; i++) await throttle.failed('typo@test.local', address);
    await throttle.succeeded('typo@test.local', address);
    await throttle.failed('typo@test.local', address);
    assert.equal(await throttle.waitMs('typo@test.local', address), 0);

    for (let i = 0; i < POLICIES.address.free; i++) await throttle.failed(`spray-${i}@test.local`, address);
    assert.ok(
      (await throttle.waitMs('anyone@test.local', address)) > 0,
      'password spraying from one address is slowed',
    );
    await throttle.succeeded('typo@test.local', address);
    assert.ok((await throttle.waitMs('anyone@test.local', address)) > 0, 'a success does not reset the address');
  });

  test('an account guessed from many addresses is slowed everywhere, briefly', async () => {
    const t = clock();
    const throttle = createLoginThrottle(sql, t.now);
    const email = 'spread@test.local';
    for (let i = 0; i < POLICIES.account.free; i++) await throttle.failed(email, `10.1.${i}.1`);
    const wait = await throttle.waitMs(email, '10.9.9.9');
    assert.ok(wait > 0 && wait <= POLICIES.account.maxDelayMs, `waits ${wait} ms`);
  });
});

describe('client address', () => {
  const appFor = (trustedProxies: string[]) => {
    const config = { web: { trustedProxies } } as unknown as Config;
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('deps', { config } as AppEnv['Variables']['deps']);
      await next();
    });
    app.get('/', (c) => c.text(clientAddress(c)));
    return app;
  };
  const env = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

  test('X-Forwarded-For counts only from a trusted proxy, read from the right', async () => {
    const forwarded = { 'X-Forwarded-For': '6.6.6.6, 203.0.113.7' };
    assert.equal(
      await (await appFor([]).request('/', { headers: forwarded }, env('198.51.100.1'))).text(),
      '198.51.100.1',
    );
    assert.equal(
      await (await appFor(['198.51.100.1']).request('/', { headers: forwarded }, env('198.51.100.1'))).text(),
      '203.0.113.7',
    );
    assert.equal(await (await appFor(['198.51.100.1']).request('/', {}, env('198.51.100.1'))).text(), '198.51.100.1');
  });
});

describe('single sign-on settings', () => {
  const base = { NODE_ENV: 'test' };
  const sso = { OIDC_ISSUER_URL: 'https://idp.example', OIDC_CLIENT_ID: 'plexsync', OIDC_CLIENT_SECRET: 's' };

  test('roles come from the mapped claim; the highest wins; unmapped values give none', () => {
    const map = { 'ap-admins': 'admin', 'ap-ops': 'ops', 'ap-clerks': 'clerk' } as const;
    assert.equal(roleFromClaim(['ap-clerks', 'ap-admins'], map), 'admin');
    assert.equal(roleFromClaim('ap-ops', map), 'ops');
    assert.equal(roleFromClaim(['staff'], map), undefined);
    assert.equal(roleFromClaim(undefined, map), undefined);
    assert.equal(roleFromClaim([{ name: 'ap-admins' }], map), undefined);
  });

  test('settings parse from the environment, and incomplete ones are refused with the reason', () => {
    const config = loadConfig({
      ...base,
      ...sso,
      OIDC_ROLE_MAP: 'ap-admins=admin, ap-clerks = clerk',
      OIDC_ROLE_CLAIM: 'roles',
    });
    assert.deepEqual(config.web.oidc?.roleMap, { 'ap-admins': 'admin', 'ap-clerks': 'clerk' });
    assert.equal(config.web.oidc?.roleClaim, 'roles');
    assert.equal(config.web.passwordLogin, true);
    assert.equal(loadConfig(base).web.oidc, undefined);
    assert.throws(
      () => loadConfig({ ...base, OIDC_ISSUER_URL: 'https://idp.example' }),
      (e: unknown) => e instanceof ConfigError && /go together/.test(e.message),
    );
    assert.throws(() => loadConfig({ ...base, ...sso }), /OIDC_ROLE_MAP is needed/);
    assert.throws(() => loadConfig({ ...base, ...sso, OIDC_ROLE_MAP: 'ap-admins=root' }), /"ap-admins=root" is not/);
    assert.throws(() => loadConfig({ ...base, PASSWORD_LOGIN: 'false' }), /nobody could log in/);
    assert.equal(
      loadConfig({ ...base, ...sso, OIDC_ROLE_MAP: 'x=clerk', PASSWORD_LOGIN: 'false' }).web.passwordLogin,
      false,
    );
  });
});
