// `npm start`: the whole PlexSync stack on one machine for a new user. PostgreSQL and Temporal keep their
// state in .data/, the Plex simulator stands in for Plex, then the worker and the web app run with the
// settings they need. Anything already given in the environment is used instead of starting it here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCliBuilt } from './build.js';
import { freePort, preferredPort } from './lib/ports.js';
import { createDatabase, databaseUrl, startPostgres } from './lib/postgres.js';
import { delay, describeExit, onShutdownSignal, spawnManaged, type ManagedProcess } from './lib/processes.js';
import { ensureTemporalCli, startTemporalDevServer } from './lib/temporal.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, '.data');
const logDir = join(dataDir, 'logs');
const stateFile = join(dataDir, 'run.json');
const env = process.env;
/** Paths inside the current folder relative, others absolute. */
const show = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel || '.';
};

/** What runs, in start order; stopped in reverse (app, then Temporal, then PostgreSQL). */
const running: Array<{ name: string; stop(): Promise<void> }> = [];
/** Pids of our servers, so a later run can clean up after this one if it is killed with SIGKILL. */
const state = { pid: process.pid, children: [] as Array<{ name: string; pid: number; signal: NodeJS.Signals; match: string }> };
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
  return (stopping ??= (async () => {
    for (const item of [...running].reverse()) {
      console.log(`Stopping ${item.name}…`);
      await item.stop().catch((error: unknown) => console.error(`  ${item.name}: ${(error as Error).message}`));
    }
    rmSync(stateFile, { force: true });
  })());
}

async function fail(message: string): Promise<never> {
  if (!stopping) console.error(`\n${message}\n`);
  await stopAll();
  process.exit(1);
}

function track(name: string, proc: ManagedProcess, stop: () => Promise<void>, signal: NodeJS.Signals, match: string): void {
  running.push({ name, stop });
  state.children.push({ name, pid: proc.pid, signal, match });
  writeFileSync(stateFile, JSON.stringify(state));
  void proc.exited.then((status) => {
    if (stopping) return;
    const log = proc.logFile ? `\n(full log: ${show(proc.logFile)})` : '';
    void fail(`${name} stopped unexpectedly (${describeExit(status)}). Its last lines:\n${proc.tail(30)}${log}`);
  });
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** A run killed with SIGKILL cannot stop its servers; the next run does it. */
async function stopLeftovers(): Promise<void> {
  if (!existsSync(stateFile)) return;
  const previous = JSON.parse(readFileSync(stateFile, 'utf8')) as typeof state;
  if (previous.pid !== process.pid && commandLine(previous.pid).includes('scripts/run.ts')) {
    throw new Error(`PlexSync is already running from this folder (pid ${previous.pid}). Stop it first (Ctrl-C in its terminal).`);
  }
  for (const child of previous.children.reverse()) {
    if (!commandLine(child.pid).includes(child.match)) continue;
    console.log(`Stopping ${child.name} (pid ${child.pid}) left over from an earlier run…`);
    process.kill(child.pid, child.signal);
    for (let waited = 0; commandLine(child.pid) && waited < 15_000; waited += 100) await delay(100);
    if (commandLine(child.pid)) process.kill(-child.pid, 'SIGKILL');
  }
  rmSync(stateFile, { force: true });
}

/** The dev admin login: ADMIN_EMAIL/ADMIN_PASSWORD when set, else generated once and kept in .data. */
function devAdmin(): { email: string; password: string; savedIn?: string } {
  const file = join(dataDir, 'dev-admin.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { email?: string; password?: string }) : {};
  const email = env.ADMIN_EMAIL || saved.email || 'admin@plexsync.local';
  if (env.ADMIN_PASSWORD) return { email, password: env.ADMIN_PASSWORD };
  const password = saved.password || randomBytes(12).toString('base64url');
  if (password !== saved.password || email !== saved.email) writeFileSync(file, JSON.stringify({ email, password }, null, 2) + '\n', { mode: 0o600 });
  return { email, password, savedIn: file };
}

function appProcess(name: string, entry: string, args: string[], childEnv: NodeJS.ProcessEnv): ManagedProcess {
  if (!existsSync(join(root, entry))) {
    throw new Error(`${entry} does not exist, so the ${name} cannot start. (It belongs to the app, not to this script.)`);
  }
  const proc = spawnManaged({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', entry, ...args],
    cwd: root,
    env: childEnv,
    logFile: join(logDir, `${name}.log`),
    echo: true,
  });
  track(name, proc, () => proc.stop(10_000), 'SIGTERM', entry);
  return proc;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  await ensureCliBuilt(); // [cli build] `npx plexsync` uses dist/cli (scripts/build.ts); rebuilt when a source changed
  await stopLeftovers();
  for (const name of ['postgres', 'temporal', 'plex-simulator', 'worker', 'web']) rmSync(join(logDir, `${name}.log`), { force: true });
  const admin = devAdmin();
  const notes: string[] = [];

  let databaseUrlForApp = env.DATABASE_URL;
  if (!databaseUrlForApp) {
    const started = Date.now();
    const pg = await startPostgres({ dataDir: join(dataDir, 'pg'), port: await preferredPort(54329), logFile: join(logDir, 'postgres.log') });
    track('PostgreSQL', pg.process, pg.stop, 'SIGINT', '/postgres');
    await createDatabase(pg.url, 'plexsync');
    databaseUrlForApp = databaseUrl(pg.url, 'plexsync');
    console.log(`PostgreSQL ready on port ${pg.port} in ${seconds(started)}${pg.initdbMs ? ` (new cluster, initdb ${(pg.initdbMs / 1000).toFixed(1)}s)` : ''}`);
    notes.push(`Database       ${databaseUrlForApp}   (data in ${show(pg.dataDir)})`);
  }

  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalUiUrl = env.TEMPORAL_UI_URL;
  if (!temporalAddress) {
    const started = Date.now();
    const cliPath = await ensureTemporalCli(root);
    const port = await preferredPort(7233);
    let uiPort = await preferredPort(8233);
    if (uiPort === port) uiPort = await freePort();
    const dbFile = join(dataDir, 'temporal.db');
    const temporal = await startTemporalDevServer({ cliPath, port, uiPort, dbFile, logFile: join(logDir, 'temporal.log') });
    track('Temporal', temporal.process, temporal.stop, 'SIGTERM', cliPath);
    temporalAddress = temporal.address;
    temporalUiUrl = temporal.uiUrl;
    console.log(`Temporal dev server ready on ${temporal.address}, Web UI ${temporal.uiUrl} in ${seconds(started)}`);
    notes.push(`Temporal state ${show(dbFile)}`);
  }

  let plexBaseUrl = env.PLEX_BASE_URL;
  let plexApiKey = env.PLEX_API_KEY;
  if (plexBaseUrl && !plexApiKey) throw new Error('PLEX_BASE_URL is set, so PLEX_API_KEY (the Plex Connect consumer key) must be set too.');
  if (!plexBaseUrl) {
    plexApiKey = `dev-${randomBytes(12).toString('hex')}`;
    const args = ['--port', String(await freePort()), '--api-key', plexApiKey, '--seed', 'dev'];
    const simulator = appProcess('plex-simulator', 'plex/simulator/main.ts', args, env);
    plexBaseUrl = (await simulator.waitForLine(/Plex simulator listening on (https?:\/\/[^\s"'<>,}]+)/, 60_000))[1];
  }

  const appEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: env.NODE_ENV || 'development',
    DATABASE_URL: databaseUrlForApp,
    TEMPORAL_ADDRESS: temporalAddress,
    ...(temporalUiUrl ? { TEMPORAL_UI_URL: temporalUiUrl } : {}),
    PLEX_BASE_URL: plexBaseUrl,
    PLEX_API_KEY: plexApiKey,
    WEB_PORT: env.WEB_PORT || String(await preferredPort(3000)),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    // Files dropped into .data/inbox become invoices (processed/, failed/, duplicates/ next to them).
    INGEST_FOLDER: env.INGEST_FOLDER || join(dataDir, 'inbox'),
    WORKER_METRICS_PORT: env.WORKER_METRICS_PORT || String(await preferredPort(9464)),
  };
  appProcess('worker', 'worker/main.ts', [], appEnv);
  const web = appProcess('web', 'api/main.ts', [], appEnv);
  const appUrl = (await web.waitForLine(/listening on (https?:\/\/[^\s"'<>,}]+)/, 120_000))[1];

  const lines = [
    `App            ${appUrl}`,
    `Sign in        ${admin.email} / ${admin.password}${admin.savedIn ? `   (kept in ${show(admin.savedIn)})` : ''}`,
    `Temporal UI    ${temporalUiUrl ?? '(not known: set TEMPORAL_UI_URL)'}`,
    `Plex           ${plexBaseUrl}${env.PLEX_BASE_URL ? '' : `   (simulator, API key ${plexApiKey})`}`,
    `Inbox folder   ${show(appEnv.INGEST_FOLDER!)}/   (drop invoices here)`,
    `Metrics        ${appUrl}/metrics (web), http://127.0.0.1:${appEnv.WORKER_METRICS_PORT}/metrics (worker)`,
    ...notes,
    `Logs           ${show(logDir)}/`,
  ];
  const rule = '─'.repeat(72);
  console.log(`\n${rule}\n PlexSync is running\n\n${lines.map((l) => `   ${l}`).join('\n')}\n\n Ctrl-C to stop.\n${rule}\n`);
}

onShutdownSignal(async () => {
  console.log('\nStopping PlexSync…');
  await stopAll();
});
main().catch((error: unknown) => fail((error as Error).message));
