// `npm test`: provide real Temporal, PostgreSQL and Chromium, run the node:test files against them,
// and leave nothing behind (servers stopped, temp dirs removed) however the run ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCliBuilt } from './build.js';
import { ensureDovecot } from './lib/dovecot.js';
import { startPostgres, ensurePostgres, type PostgresServer } from './lib/postgres.js';
import { installSystemPackages, onShutdownSignal } from './lib/processes.js';
import { ensureTesseract } from './lib/tesseract.js';
import { ensureTemporalCli, startTemporalDevServer, type TemporalDevServer } from './lib/temporal.js';
import { ensureTemporalTestServer } from './lib/temporal-test-server.js';
import { tierOf } from './lib/test-tiers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';

function testFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && !file.split('/').includes('node_modules'))
    .map((file) => relative(root, join(dir, file)));
}

/**
 * Arguments are test files or folders; `--fast` keeps only the fast tier (scripts/lib/test-tiers.ts: no
 * servers, no processes; run without starting any); other `--flags` go to the node test runner.
 */
function parseArgs(argv: string[]): { files: string[]; runnerFlags: string[]; fast: boolean } {
  const fast = argv.includes('--fast');
  const runnerFlags = argv.filter((a) => a.startsWith('--') && a !== '--fast');
  const paths = argv.filter((a) => !a.startsWith('--'));
  const files = (paths.length ? paths : ['test']).flatMap((p) => {
    const full = resolve(p);
    if (!existsSync(full)) throw new Error(`No such test file or folder: ${p}`);
    return statSync(full).isDirectory() ? testFilesUnder(full) : [relative(root, full)];
  });
  const selected = [...new Set(files)].sort().filter((file) => !fast || tierOf(root, file).tier === 'fast');
  if (selected.length === 0)
    throw new Error(`No test files (test/**/*.test.ts${fast ? ' of the fast tier' : ''}) found.`);
  return { files: selected, runnerFlags, fast };
}

async function ensureChromium(): Promise<string> {
  const path = process.env.PLEXSYNC_TEST_CHROMIUM_PATH || CHROMIUM;
  if (existsSync(path)) return path;
  try {
    await installSystemPackages(['chromium', 'fonts-liberation']);
  } catch (error) {
    throw new Error(`Chromium is needed for the browser tests: ${(error as Error).message}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is missing.`);
  return CHROMIUM;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The fast tier: the node test runner alone, two files at a time, no servers to start or stop. */
async function runFast(files: string[], runnerFlags: string[]): Promise<number> {
  console.log(`Fast tier: ${files.length} test files, no servers (the full run is \`npm test\`).`);
  const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...runnerFlags, ...files];
  const runner = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test' },
    stdio: 'inherit',
  });
  onShutdownSignal(async (signal) => {
    runner.kill(signal);
    await new Promise((r) => runner.once('exit', r));
  });
  return new Promise<number>((resolveCode) => {
    runner.once('error', (error) => {
      console.error(`Could not start the test runner: ${error.message}`);
      resolveCode(1);
    });
    runner.once('exit', (exitCode) => resolveCode(exitCode ?? 1));
  });
}

async function main(): Promise<number> {
  const { files, runnerFlags, fast } = parseArgs(process.argv.slice(2));
  // The native OCR program, as the Docker image ships it: the OCR tests compare both engines.
  await ensureTesseract().catch((error: unknown) => {
    throw new Error(`The tesseract program is needed for the OCR tests: ${(error as Error).message}`);
  });
  // Temporal's time-skipping test server for the workflow tests that skip days of timers (both tiers).
  process.env.PLEXSYNC_TEST_SERVER ??= await ensureTemporalTestServer(root);
  if (fast) return runFast(files, runnerFlags);
  await ensureCliBuilt(); // [cli build] the tests run `npx plexsync`, which uses dist/cli (scripts/build.ts)
  const tmp = mkdtempSync(join(tmpdir(), 'plexsync-test-'));
  chmodSync(tmp, 0o755); // the postgres system user must reach the data dir inside
  const logs = { temporal: join(tmp, 'temporal.log'), postgres: join(tmp, 'postgres.log') };
  let temporal: TemporalDevServer | undefined;
  let pg: PostgresServer | undefined;
  let runner: ChildProcess | undefined;
  let cleaning: Promise<void> | undefined;

  const cleanup = (failed: boolean) => (cleaning ??= stopAndRemove(failed));
  const stopAndRemove = async (failed: boolean) => {
    await Promise.allSettled([temporal?.stop(), pg?.stop()]);
    if (failed && (existsSync(logs.temporal) || existsSync(logs.postgres))) {
      const keep = join(root, 'test-artifacts', 'server-logs');
      rmSync(keep, { recursive: true, force: true });
      mkdirSync(keep, { recursive: true });
      for (const file of Object.values(logs)) if (existsSync(file)) cpSync(file, join(keep, relative(tmp, file)));
      console.error(`Server logs (Temporal, PostgreSQL): ${relative(process.cwd(), keep) || keep}/`);
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  // The runner and the test processes it forks live in their own process group, so that none of them
  // (e.g. a test whose Temporal worker traps SIGINT) can outlive the run.
  const signalRunners = (signal: NodeJS.Signals) => {
    try {
      if (runner?.pid) process.kill(-runner.pid, signal);
    } catch {
      // group already gone
    }
  };
  process.on('exit', () => {
    // Also on a forced exit: processes.ts SIGKILLs the servers, their data goes here.
    signalRunners('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });
  onShutdownSignal(async (signal) => {
    if (runner && runner.exitCode === null && runner.signalCode === null) {
      signalRunners(signal);
      const killer = setTimeout(() => signalRunners('SIGKILL'), 10_000);
      await new Promise((r) => runner?.once('exit', r));
      clearTimeout(killer);
    }
    signalRunners('SIGKILL');
    console.error(`\nInterrupted (${signal}); stopping test servers…`);
    await cleanup(false);
  });

  try {
    const started = Date.now();
    const cliPath = await ensureTemporalCli(root);
    await ensurePostgres();
    const chromiumPath = await ensureChromium();
    // The ingestion tests start their own throwaway Dovecot (IMAP) from this binary.
    const dovecotPath = await ensureDovecot();
    const [temporalResult, pgResult] = await Promise.allSettled([
      startTemporalDevServer({ cliPath, headless: true, logFile: logs.temporal }),
      startPostgres({ dataDir: join(tmp, 'pg'), ephemeral: true, logFile: logs.postgres }),
    ]);
    if (temporalResult.status === 'fulfilled') temporal = temporalResult.value;
    if (pgResult.status === 'fulfilled') pg = pgResult.value;
    if (!temporal || !pg) {
      for (const r of [temporalResult, pgResult])
        if (r.status === 'rejected') console.error(String((r.reason as Error).message));
      await cleanup(true);
      return 1;
    }
    console.log(
      `Test services up in ${seconds(Date.now() - started)}: Temporal ${temporal.address}, ` +
        `PostgreSQL ${pg.url} (initdb ${seconds(pg.initdbMs)}), Chromium ${chromiumPath}`,
    );

    const env = {
      ...process.env,
      NODE_ENV: 'test',
      PLEXSYNC_TEST_DATABASE_URL: pg.url,
      PLEXSYNC_TEST_TEMPORAL_ADDRESS: temporal.address,
      PLEXSYNC_TEST_CHROMIUM_PATH: chromiumPath,
      PLEXSYNC_TEST_DOVECOT_PATH: dovecotPath,
      TEMPORAL_CLI_PATH: cliPath,
    };
    const args = [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-timeout=600000',
      ...runnerFlags,
      ...files,
    ];
    runner = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit', detached: true });
    const code = await new Promise<number>((resolveCode) => {
      runner!.once('error', (error) => {
        console.error(`Could not start the test runner: ${error.message}`);
        resolveCode(1);
      });
      runner!.once('exit', (exitCode) => resolveCode(exitCode ?? 1));
    });
    signalRunners('SIGKILL'); // stray test processes, if any
    await cleanup(code !== 0);
    return code;
  } catch (error) {
    console.error(`\n${(error as Error).message}`);
    await cleanup(true);
    return 1;
  }
}

process.exitCode = await main();
