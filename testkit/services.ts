// Real Temporal and PostgreSQL for tests. Under `npm test` (scripts/test.ts) the servers already run and
// arrive through PLEXSYNC_TEST_* variables; a file run on its own (`npx tsx --test file`) gets its own
// servers, stopped when the process is about to exit (or its npm/npx launcher is killed).
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '../scripts/lib/postgres.js';
import { onLauncherExit } from '../scripts/lib/processes.js';
import { ensureTemporalCli, startTemporalDevServer } from '../scripts/lib/temporal.js';

export interface TestServices {
  /** postgres://postgres@127.0.0.1:PORT/postgres: create a database per test file with createDatabase(). */
  databaseAdminUrl: string;
  temporalAddress: string;
  temporalCliPath: string;
  /** Chromium for browser tests, when installed. */
  chromiumPath?: string;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let owned: Promise<TestServices> | undefined;
let stoppers: Array<() => Promise<void>> = [];
let stopping: Promise<void> | undefined;

function chromiumPath(): string | undefined {
  const path = process.env.PLEXSYNC_TEST_CHROMIUM_PATH || '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

export function getTestServices(): Promise<TestServices> {
  const { PLEXSYNC_TEST_DATABASE_URL, PLEXSYNC_TEST_TEMPORAL_ADDRESS, TEMPORAL_CLI_PATH } = process.env;
  if (PLEXSYNC_TEST_DATABASE_URL && PLEXSYNC_TEST_TEMPORAL_ADDRESS && TEMPORAL_CLI_PATH) {
    return Promise.resolve({
      databaseAdminUrl: PLEXSYNC_TEST_DATABASE_URL,
      temporalAddress: PLEXSYNC_TEST_TEMPORAL_ADDRESS,
      temporalCliPath: TEMPORAL_CLI_PATH,
      chromiumPath: chromiumPath(),
    });
  }
  return (owned ??= startOwnedServices());
}

async function startOwnedServices(): Promise<TestServices> {
  // The servers are unref'd so they do not keep the test process alive; 'beforeExit' then stops them,
  // and processes.ts kills whatever is left on 'exit'.
  process.on('beforeExit', () => void stopOwnedServices());
  // Killed launcher (e.g. `timeout 600 npx tsx …` only signals npm): nobody is waiting for us any more.
  onLauncherExit(() => void stopOwnedServices().finally(() => process.exit(143)));
  const tmp = mkdtempSync(join(tmpdir(), 'plexsync-test-'));
  chmodSync(tmp, 0o755); // the postgres system user must reach the data dir inside
  stoppers.push(async () => rmSync(tmp, { recursive: true, force: true }));
  // Exit without the async stop (signal, process.exit): processes.ts SIGKILLs the servers; drop their data.
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  const temporalCliPath = await ensureTemporalCli(root);
  const track = <T extends { stop(): Promise<void> }>(server: T): T => {
    stoppers.unshift(() => server.stop());
    return server;
  };
  const [temporal, pg] = await Promise.all([
    startTemporalDevServer({
      cliPath: temporalCliPath,
      headless: true,
      unref: true,
      logFile: join(tmp, 'temporal.log'),
    }).then(track),
    startPostgres({ dataDir: join(tmp, 'pg'), ephemeral: true, unref: true, logFile: join(tmp, 'postgres.log') }).then(
      track,
    ),
  ]);
  return { databaseAdminUrl: pg.url, temporalAddress: temporal.address, temporalCliPath, chromiumPath: chromiumPath() };
}

/** Stop the servers this module started (no-op under `npm test`). Safe to call more than once. */
export function stopOwnedServices(): Promise<void> {
  if (!owned) return Promise.resolve();
  return (stopping ??= (async () => {
    await owned.catch(() => undefined);
    const current = stoppers;
    stoppers = [];
    for (const stop of current) await stop().catch(() => undefined);
  })());
}
