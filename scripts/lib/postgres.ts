// A project-local PostgreSQL server for `npm start` and the tests: find or install the binaries, initdb,
// start on loopback only, wait until it accepts connections, create/drop databases.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import postgres from 'postgres';
import { freePort } from './ports.js';
import { delay, installSystemPackages, runCommand, spawnManaged, type ManagedProcess } from './processes.js';

const READY_TIMEOUT_MS = 60_000;

function isServerBinDir(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'));
}

function findBinDir(): string | undefined {
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    const found = versions.map((v) => join(debianRoot, v, 'bin')).find(isServerBinDir);
    if (found) return found;
  }
  for (const [command, args] of [
    ['pg_config', ['--bindir']],
    ['sh', ['-c', 'dirname "$(command -v initdb)"']],
  ] as const) {
    try {
      const dir = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (dir && isServerBinDir(dir)) return dir;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** The PostgreSQL server binaries, installing Debian's `postgresql` package when they are missing. */
export async function ensurePostgres(): Promise<{ binDir: string }> {
  let binDir = findBinDir();
  if (!binDir) {
    await installSystemPackages(['postgresql']);
    binDir = findBinDir();
  }
  if (!binDir)
    throw new Error('PostgreSQL server binaries (initdb, postgres) not found even after installing `postgresql`.');
  return { binDir };
}

interface RunAs {
  uid: number;
  gid: number;
}

/** initdb and postgres refuse to run as root; then they run as the `postgres` system user. */
function serverUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, but there is no `postgres` system user to run PostgreSQL as (apt-get install postgresql creates it).',
    );
  }
}

/**
 * Where the data really lives. The postgres user must be able to reach the data dir; a project cloned
 * inside a private folder (mkdtemp, mode 700) is not reachable, so fall back to a stable per-path
 * folder under /var/tmp.
 */
function reachableDataDir(requested: string, runAs: RunAs | undefined): string {
  mkdirSync(dirname(requested), { recursive: true });
  if (!runAs) return requested;
  const reachable = execFileSync('sh', ['-c', 'test -x "$1" && echo yes || true', 'sh', dirname(requested)], {
    encoding: 'utf8',
    uid: runAs.uid,
    gid: runAs.gid,
  }).trim();
  if (reachable === 'yes') return requested;
  const hash = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  const fallbackParent = `/var/tmp/plexsync-${hash}`;
  mkdirSync(fallbackParent, { recursive: true });
  chmodSync(fallbackParent, 0o755);
  const fallback = join(fallbackParent, basename(requested));
  console.error(
    `Note: the postgres user cannot reach ${dirname(requested)}; keeping the database in ${fallback} instead.`,
  );
  return fallback;
}

/** A postmaster.pid left by a killed run blocks start-up when its pid now belongs to another process. */
function clearStalePidFile(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // not running (or no /proc): stale
  }
  const program = cmdline.split('\0')[0] ?? '';
  if (pid > 0 && (program === 'postgres' || program.endsWith('/postgres'))) {
    throw new Error(
      `Another PostgreSQL (pid ${pid}) is already running on ${dataDir}. Stop it first (kill -INT ${pid}), ` +
        'or check whether PlexSync is already running.',
    );
  }
  rmSync(pidFile, { force: true });
}

export interface StartPostgresOptions {
  dataDir: string;
  /** A free port when omitted. */
  port?: number;
  /** Test servers: no fsync, and stop() deletes the data. */
  ephemeral?: boolean;
  logFile?: string;
  echo?: boolean;
  /** Let the process exit even while the server runs (test support). */
  unref?: boolean;
}

export interface PostgresServer {
  /** Admin URL, e.g. postgres://postgres@127.0.0.1:54329/postgres (trust auth, loopback only). */
  url: string;
  port: number;
  /** Where the data really is (see the /var/tmp fallback). */
  dataDir: string;
  /** Milliseconds spent in initdb, 0 when the cluster already existed. */
  initdbMs: number;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startPostgres(options: StartPostgresOptions): Promise<PostgresServer> {
  const { binDir } = await ensurePostgres();
  const runAs = serverUser();
  const requested = resolve(options.dataDir);
  const dataDir = reachableDataDir(requested, runAs);
  const usedFallback = dataDir !== requested;
  mkdirSync(dataDir, { recursive: true });
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  chmodSync(dataDir, 0o700);

  let initdbMs = 0;
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    if (readdirSync(dataDir).length > 0)
      throw new Error(`${dataDir} is not empty and not a PostgreSQL data directory.`);
    const started = Date.now();
    const initdb = await runCommand(
      join(binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-A',
        'trust',
        '-U',
        'postgres',
        '--encoding',
        'UTF8',
        '--no-locale',
        ...(options.ephemeral ? ['--no-sync'] : []),
      ],
      { ...runAs, cwd: dataDir },
    );
    if (initdb.code !== 0) throw new Error(`initdb failed for ${dataDir}:\n${initdb.output}`);
    initdbMs = Date.now() - started;
  }
  clearStalePidFile(dataDir);

  const port = options.port ?? (await freePort());
  // Unix sockets have a ~100 byte path limit; TCP on loopback is what we use anyway.
  const socketDir = dataDir.length < 80 ? dataDir : '';
  const args = ['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1'];
  if (options.ephemeral) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const child = spawnManaged({
    name: 'postgres',
    command: join(binDir, 'postgres'),
    args,
    cwd: dataDir,
    ...runAs,
    logFile: options.logFile,
    echo: options.echo,
    unref: options.unref,
    // SIGINT = fast shutdown (roll back open transactions, checkpoint, exit); only the postmaster.
    stopSignal: 'SIGINT',
    signalGroup: false,
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    await child.stop(15_000);
    if (options.ephemeral) rmSync(usedFallback ? dirname(dataDir) : dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilAccepting(url, () => child.hasExited());
  } catch (error) {
    await stop();
    const where = options.logFile ? ` (full log: ${options.logFile})` : '';
    throw new Error(`${(error as Error).message}\nPostgreSQL output${where}:\n${child.tail(30)}`);
  }
  return { url, port, dataDir, initdbMs, process: child, stop };
}

async function waitUntilAccepting(url: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = '';
  while (Date.now() < deadline) {
    if (exited()) throw new Error('PostgreSQL exited during start-up.');
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      lastError = (error as Error).message;
    } finally {
      await sql.end({ timeout: 0 });
    }
    await delay(100);
  }
  throw new Error(`PostgreSQL at ${url} did not accept connections within ${READY_TIMEOUT_MS / 1000}s: ${lastError}`);
}

/** The URL of database `name` on the server behind adminUrl. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Create the database unless it exists; true when it was created. */
export async function createDatabase(adminUrl: string, name: string): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [existing] = await sql`select 1 from pg_database where datname = ${name}`;
    if (existing) return false;
    await sql`create database ${sql(name)}`;
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return false; // created concurrently
    throw error;
  } finally {
    await sql.end();
  }
}

/** Drop the database if it exists, disconnecting its sessions. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`drop database if exists ${sql(name)} with (force)`;
  } finally {
    await sql.end();
  }
}
