// `npm start`: the whole PlexSync stack on one machine for a new user. PostgreSQL and Temporal keep their
// state in .data/, the Plex simulator stands in for Plex, then the worker and the web app run with the
// settings they need. Anything already given in the environment is used instead of starting it here.
// Every part is supervised (scripts/lib/supervisor.ts): one that dies is restarted with backoff and the
// others keep running; only Ctrl-C (SIGINT/SIGTERM) stops the stack.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCliBuilt } from './build.js';
import { APP_PROCESS_ENV, APP_PROCESSES, appNodeArgs } from './lib/app-processes.js';
import { plexSimulatorSettings } from './lib/dev-settings.js';
import { choosePort } from './lib/ports.js';
import { createDatabase, databaseUrl, startPostgres } from './lib/postgres.js';
import { delay, onShutdownSignal, spawnManaged } from './lib/processes.js';
import { supervise, type Started } from './lib/supervisor.js';
import { ensureTemporalCli, startTemporalDevServer } from './lib/temporal.js';
import { ensureTesseract } from './lib/tesseract.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// PLEXSYNC_DATA_DIR moves the state (tests run a second stack next to a developer's).
const dataDir = resolve(process.env.PLEXSYNC_DATA_DIR || join(root, '.data'));
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
const state = {
  pid: process.pid,
  children: [] as Array<{ name: string; pid: number; signal: NodeJS.Signals; match: string }>,
};
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

/** Runs a part under supervision: restarted when it dies, its pid kept current in the state file. */
async function superviseTracked(
  name: string,
  start: () => Promise<Started>,
  signal: NodeJS.Signals,
  match: string,
): Promise<void> {
  const supervised = await supervise({
    name,
    start,
    onStart: (started) => {
      state.children = [
        ...state.children.filter((c) => c.name !== name),
        { name, pid: started.process.pid, signal, match },
      ];
      writeFileSync(stateFile, JSON.stringify(state));
    },
    log: (message) => console.error(`\n[supervisor] ${message}`),
  });
  running.push({ name, stop: () => supervised.stop() });
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
    throw new Error(
      `PlexSync is already running from this folder (pid ${previous.pid}). Stop it first (Ctrl-C in its terminal).`,
    );
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
  const saved = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { email?: string; password?: string })
    : {};
  const email = env.ADMIN_EMAIL || saved.email || 'admin@plexsync.local';
  if (env.ADMIN_PASSWORD) return { email, password: env.ADMIN_PASSWORD };
  const password = saved.password || randomBytes(12).toString('base64url');
  if (password !== saved.password || email !== saved.email)
    writeFileSync(file, JSON.stringify({ email, password }, null, 2) + '\n', { mode: 0o600 });
  return { email, password, savedIn: file };
}

/** The base URL once a server there answers HTTP at all (any status), within `timeoutMs`. */
async function answering(url: string, timeoutMs: number): Promise<string> {
  const probe = url.replace('//0.0.0.0:', '//127.0.0.1:');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(`${probe}/healthz`, { signal: AbortSignal.timeout(2_000) });
      return probe;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`the web app did not answer on ${url} within ${timeoutMs / 1000}s (see its log)`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

let building: Promise<unknown> = Promise.resolve();
/** ensureCliBuilt, one build at a time (the worker and the web may be restarted together). */
function rebuildIfStale(): Promise<void> {
  const next = building.then(async () => {
    const reason = await ensureCliBuilt();
    if (reason) console.error(`\n[supervisor] rebuilt dist/cli (${reason})`);
  });
  building = next.catch(() => undefined);
  return next;
}

/** An app process (worker, web, simulator); `ready` waits for its readiness line and returns the match. */
async function appProcess(
  name: string,
  entry: string,
  args: string[],
  childEnv: NodeJS.ProcessEnv,
  ready?: RegExp,
  nodeArgs: string[] = ['--import', 'tsx', entry],
): Promise<RegExpMatchArray | undefined> {
  if (!existsSync(join(root, entry))) {
    throw new Error(
      `${entry} does not exist, so the ${name} cannot start. (It belongs to the app, not to this script.)`,
    );
  }
  let readyMatch: RegExpMatchArray | undefined;
  const start = async (): Promise<Started> => {
    // a built part started again runs the current code: the build is redone first when a source changed
    if (entry.startsWith('dist/')) await rebuildIfStale();
    const proc = spawnManaged({
      name,
      command: process.execPath,
      args: [...nodeArgs, ...args],
      cwd: root,
      env: childEnv,
      logFile: join(logDir, `${name}.log`),
      echo: true,
    });
    const started = { process: proc, stop: () => proc.stop(10_000) };
    if (ready) {
      try {
        readyMatch = await proc.waitForLine(ready, 120_000);
      } catch (error) {
        await proc.stop(2_000);
        throw new Error(`${(error as Error).message}. Its last lines:\n${proc.tail(30)}`);
      }
    }
    return started;
  };
  await superviseTracked(name, start, 'SIGTERM', entry);
  return readyMatch;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

async function main(): Promise<void> {
  mkdirSync(logDir, { recursive: true });
  // [cli build] `npx plexsync`, the worker and the web run from dist/cli (scripts/build.ts); rebuilt when a source changed
  await ensureCliBuilt();
  await stopLeftovers();
  for (const name of ['postgres', 'temporal', 'plex-simulator', 'worker', 'web'])
    rmSync(join(logDir, `${name}.log`), { force: true });
  const admin = devAdmin();
  const notes: string[] = [];
  // Scans read faster with the native OCR program; without it (no apt-get, no root) tesseract.js reads them.
  const ocr = await ensureTesseract().then(
    () => 'the tesseract program',
    (error: unknown) => `tesseract.js (the tesseract program could not be installed: ${(error as Error).message})`,
  );

  let databaseUrlForApp = env.DATABASE_URL;
  if (!databaseUrlForApp) {
    const started = Date.now();
    const port = await choosePort('PostgreSQL', 54329);
    let pg!: Awaited<ReturnType<typeof startPostgres>>;
    const startPg = async () =>
      (pg = await startPostgres({ dataDir: join(dataDir, 'pg'), port, logFile: join(logDir, 'postgres.log') }));
    await superviseTracked('PostgreSQL', startPg, 'SIGINT', '/postgres');
    await createDatabase(pg.url, 'plexsync');
    databaseUrlForApp = databaseUrl(pg.url, 'plexsync');
    console.log(
      `PostgreSQL ready on port ${pg.port} in ${seconds(started)}${pg.initdbMs ? ` (new cluster, initdb ${(pg.initdbMs / 1000).toFixed(1)}s)` : ''}`,
    );
    notes.push(`Database       ${databaseUrlForApp}   (data in ${show(pg.dataDir)})`);
  }

  let temporalAddress = env.TEMPORAL_ADDRESS;
  let temporalUiUrl = env.TEMPORAL_UI_URL;
  if (!temporalAddress) {
    const started = Date.now();
    const cliPath = await ensureTemporalCli(root);
    const port = await choosePort('Temporal', 7233, 'TEMPORAL_ADDRESS');
    const uiPort = await choosePort('the Temporal Web UI', 8233, 'TEMPORAL_ADDRESS', [port]);
    const dbFile = join(dataDir, 'temporal.db');
    let temporal!: Awaited<ReturnType<typeof startTemporalDevServer>>;
    const startTemporal = async () =>
      (temporal = await startTemporalDevServer({
        cliPath,
        port,
        uiPort,
        dbFile,
        logFile: join(logDir, 'temporal.log'),
      }));
    await superviseTracked('Temporal', startTemporal, 'SIGTERM', cliPath);
    temporalAddress = temporal.address;
    temporalUiUrl = temporal.uiUrl;
    console.log(`Temporal dev server ready on ${temporal.address}, Web UI ${temporal.uiUrl} in ${seconds(started)}`);
    notes.push(`Temporal state ${show(dbFile)}`);
  }

  let plexBaseUrl = env.PLEX_BASE_URL;
  let plexApiKey = env.PLEX_API_KEY;
  if (plexBaseUrl && !plexApiKey)
    throw new Error('PLEX_BASE_URL is set, so PLEX_API_KEY (the Plex Connect consumer key) must be set too.');
  if (!plexBaseUrl) {
    const simulator = plexSimulatorSettings(dataDir);
    plexApiKey = simulator.apiKey;
    const port = await choosePort('the Plex simulator', simulator.port);
    // The simulator's records live in .data/ like everything else: a restart keeps what PlexSync wrote.
    const args = [
      '--port',
      String(port),
      '--api-key',
      plexApiKey,
      '--seed',
      'dev',
      '--state-file',
      join(dataDir, 'plex-simulator-state.json'),
    ];
    plexBaseUrl = (await appProcess(
      'plex-simulator',
      'plex-simulator/main.ts',
      args,
      env,
      /Plex simulator listening on (https?:\/\/[^\s"'<>,}]+)/,
    ))![1];
  }

  const appEnv: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: env.NODE_ENV || 'development',
    DATABASE_URL: databaseUrlForApp,
    TEMPORAL_ADDRESS: temporalAddress,
    ...(temporalUiUrl ? { TEMPORAL_UI_URL: temporalUiUrl } : {}),
    PLEX_BASE_URL: plexBaseUrl,
    PLEX_API_KEY: plexApiKey,
    WEB_PORT: env.WEB_PORT || String(await choosePort('the web app', 3000, 'WEB_PORT')),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    // Files dropped into .data/inbox become invoices (processed/, failed/, duplicates/ next to them).
    INGEST_FOLDER: env.INGEST_FOLDER || join(dataDir, 'inbox'),
    WORKER_METRICS_PORT:
      env.WORKER_METRICS_PORT || String(await choosePort("the worker's metrics", 9464, 'WORKER_METRICS_PORT')),
  };
  // built, with their heap limits, as in production (scripts/lib/app-processes.ts)
  for (const name of ['worker', 'web'] as const)
    await appProcess(
      name,
      APP_PROCESSES[name].entry,
      [],
      { ...appEnv, ...APP_PROCESS_ENV },
      undefined,
      appNodeArgs(name),
    );
  // Ready when it answers HTTP (its health page), whatever LOG_LEVEL lets it print.
  const appUrl = await answering(`http://${appEnv.WEB_HOST || '127.0.0.1'}:${appEnv.WEB_PORT}`, 120_000);

  const lines = [
    `App            ${appUrl}`,
    `Sign in        ${admin.email} / ${admin.password}${admin.savedIn ? `   (kept in ${show(admin.savedIn)})` : ''}`,
    `Temporal UI    ${temporalUiUrl ?? '(not known: set TEMPORAL_UI_URL)'}`,
    `Plex           ${plexBaseUrl}${env.PLEX_BASE_URL ? '' : `   (simulator, API key ${plexApiKey})`}`,
    `Inbox folder   ${show(appEnv.INGEST_FOLDER!)}/   (drop invoices here)`,
    `Metrics        ${appUrl}/metrics (web), http://127.0.0.1:${appEnv.WORKER_METRICS_PORT}/metrics (worker)`,
    ...notes,
    `OCR            ${ocr}`,
    `Logs           ${show(logDir)}/`,
  ];
  const rule = '─'.repeat(72);
  console.log(
    `\n${rule}\n PlexSync is running\n\n${lines.map((l) => `   ${l}`).join('\n')}\n\n Ctrl-C to stop. A part that dies is restarted on its own (see docs/operations.md).\n${rule}\n`,
  );
}

onShutdownSignal(async () => {
  console.log('\nStopping PlexSync…');
  await stopAll();
});
main().catch((error: unknown) => fail((error as Error).message));
