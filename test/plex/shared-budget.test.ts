// One Plex call budget across processes: two Plex clients, each with its own per-process limiter set to
// the whole budget (as two workers on one key would have), share the budget in PostgreSQL and together
// never get a 429 from a simulator whose limit equals it. Without the shared budget they do.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migrate } from '../../db/migrate.js';
import { createSharedCallBudget } from '../../db/plex-call-budget.js';
import { createPlexClient } from '../../plex/client.js';
import { startPlexSimulator, type PlexSimulator } from '../../plex-simulator/server.js';
import { createTestDatabase } from '../support/database.js';

const KEY = 'budget-key';
const LIMIT = 6;
const WINDOW_MS = 1_500;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sim: PlexSimulator;

before(async () => {
  db = await createTestDatabase('plex_budget', 6);
  await migrate(db.sql);
  sim = await startPlexSimulator({ apiKey: KEY, rateLimitPerMinute: LIMIT, rateWindowMs: WINDOW_MS });
});
after(async () => {
  await sim?.close();
  await db?.close();
});

/** Two "workers", each making `calls` reads at once; the simulator's 429 count afterwards. */
async function twoWorkers(shared: boolean, calls: number): Promise<{ rejected: number; ok: number }> {
  sim.store.reset();
  await db.sql`delete from plex_call_starts`;
  const worker = () =>
    createPlexClient({
      baseUrl: sim.url,
      apiKey: KEY,
      timeoutMs: 10_000,
      retries: 0,
      maxCallsPerMinute: LIMIT,
      budgetWindowMs: WINDOW_MS,
      strictResponses: true,
      ...(shared
        ? {
            sharedBudget: createSharedCallBudget(db.sql, {
              name: 'test-key',
              max: LIMIT,
              windowMs: WINDOW_MS,
              marginMs: 300,
            }),
          }
        : {}),
    });
  const [a, b] = [worker(), worker()];
  const results = await Promise.allSettled(
    [a, b].flatMap((client) => Array.from({ length: calls }, () => client.checkConnection())),
  );
  return { rejected: sim.store.responses['429'] ?? 0, ok: results.filter((r) => r.status === 'fulfilled').length };
}

test('two workers sharing the budget never see a 429', async () => {
  const { rejected, ok } = await twoWorkers(true, 9);
  assert.equal(rejected, 0);
  assert.equal(ok, 18);
});

test("two per-process limiters alone overrun the key's limit (what the shared budget prevents)", async () => {
  const { rejected } = await twoWorkers(false, 9);
  assert.ok(rejected > 0, 'each process spends the whole budget');
});
