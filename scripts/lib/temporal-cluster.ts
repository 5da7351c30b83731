// The production topology on one machine: the Temporal server built from its Go module at a pinned
// version, on PostgreSQL (persistence + SQL visibility), for the cluster test and `npm run bench:soak`.
// The dev server (scripts/lib/temporal.ts) stays the run command's Temporal; this is what a customer's
// cluster runs (docker-compose.yml pins the same server version).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../domain/search-attributes.js';
import { canConnect, isPortFree } from './ports.js';
import { delay, describeExit, runCommand, spawnManaged, type ManagedProcess } from './processes.js';

/** Keep in step with docker-compose.yml's TEMPORAL_VERSION default. */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
const READY_TIMEOUT_MS = 120_000;

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

/**
 * The server and its SQL schema tool, built once with `go install` into .tools/temporal-server-<version>/.
 * The first build downloads ~1.6 GB of modules and compiles for a few minutes on 2 cores; later builds
 * reuse Go's caches.
 */
export async function ensureTemporalServer(projectRoot: string): Promise<TemporalServerBinaries> {
  const bin = join(projectRoot, '.tools', `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const binaries = { server: join(bin, 'server'), sqlTool: join(bin, 'sql') };
  const wanted = [
    [binaries.server, `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`],
    [binaries.sqlTool, `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`],
  ] as const;
  for (const [path, module] of wanted) {
    if (existsSync(path)) continue;
    const go = await runCommand('go', ['version'], { timeoutMs: 30_000 }).catch(() => undefined);
    if (!go || go.code !== 0) {
      throw new Error(
        `Go >= 1.24 is needed to build the Temporal server (${module}); install Go or put the binary at ${path}.`,
      );
    }
    console.error(`Building ${module} into ${bin} (first time: several minutes) …`);
    const built = await runCommand('go', ['install', module], {
      cwd: projectRoot,
      env: { ...process.env, GOBIN: bin },
      inherit: true,
    });
    if (built.code !== 0 || !existsSync(path)) throw new Error(`go install ${module} failed:\n${built.output}`);
  }
  return binaries;
}

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
}

/** A postgres:// admin URL as the schema tool and the server config want it. */
export function postgresTarget(adminUrl: string): PostgresTarget {
  const url = new URL(adminUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password) || undefined,
  };
}

/** Create both databases (when missing) and bring their schemas to this server version's latest. */
export async function setupTemporalSchema(
  binaries: TemporalServerBinaries,
  pg: PostgresTarget,
  databases: { persistence: string; visibility: string },
): Promise<void> {
  const common = [
    '--ep',
    pg.host,
    '-p',
    String(pg.port),
    '-u',
    pg.user,
    ...(pg.password ? ['--pw', pg.password] : []),
    '--plugin',
    'postgres12',
  ];
  const tool = async (db: string, args: string[], okIf?: RegExp) => {
    const result = await runCommand(binaries.sqlTool, [...common, '--db', db, ...args], { timeoutMs: 120_000 });
    if (result.code !== 0 && !(okIf && okIf.test(result.output)))
      throw new Error(`temporal sql tool ${args[0]} on ${db} failed:\n${result.output}`);
  };
  for (const [db, schema] of [
    [databases.persistence, 'postgresql/v12/temporal'],
    [databases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    await tool(db, ['create'], /already exists/);
    await tool(db, ['setup-schema', '-v', '0.0'], /already exists|schema_version/);
    await tool(db, ['update-schema', '--schema-name', schema]);
  }
}

export interface TemporalClusterOptions {
  binaries: TemporalServerBinaries;
  postgres: PostgresTarget;
  databases: { persistence: string; visibility: string };
  /** Config and logs live here; ports are chosen once and kept, so a restart comes back on the same ones. */
  dataDir: string;
  /** The Temporal CLI, to register the search attributes. */
  cliPath: string;
  frontendPort?: number;
  logFile?: string;
  echo?: boolean;
  unref?: boolean;
}

export interface TemporalCluster {
  address: string;
  process(): ManagedProcess;
  /** Start the server process again after a crash or stop (same config, ports and databases). */
  restart(): Promise<void>;
  /** kill -9 of the server, for failure tests. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

interface ServicePorts {
  grpc: number;
  membership: number;
  http?: number;
}

function configYaml(
  opts: TemporalClusterOptions,
  ports: Record<'frontend' | 'history' | 'matching' | 'worker', ServicePorts>,
  metricsPort: number,
): string {
  const store = (db: string, conns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: "${db}"
        connectAddr: "${opts.postgres.host}:${opts.postgres.port}"
        connectProtocol: "tcp"
        user: "${opts.postgres.user}"
        password: "${opts.postgres.password ?? ''}"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const service = (name: keyof typeof ports) => `  ${name}:
    rpc:
      grpcPort: ${ports[name].grpc}
      membershipPort: ${ports[name].membership}
      bindOnLocalHost: true${ports[name].http ? `\n      httpPort: ${ports[name].http}` : ''}`;
  return `# Written by scripts/lib/temporal-cluster.ts; the shape of the server's development-postgres12.yaml.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
${store(opts.databases.persistence, 20)}
    postgres-visibility:
${store(opts.databases.visibility, 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  metrics:
    prometheus:
      framework: "tally"
      timerType: "histogram"
      listenAddress: "127.0.0.1:${metricsPort}"
services:
${service('frontend')}
${service('history')}
${service('matching')}
${service('worker')}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend.grpc}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${join(opts.dataDir, 'config', 'dynamicconfig.yaml')}"
  pollInterval: "10s"
`;
}

/** Frontend, history, matching and worker services in one server process, on PostgreSQL. */
export async function startTemporalCluster(opts: TemporalClusterOptions): Promise<TemporalCluster> {
  const configDir = join(opts.dataDir, 'config');
  mkdirSync(configDir, { recursive: true });
  const taken = new Set<number>();
  // Membership ports are stored in a smallint column, so every port stays below 32768 (the kernel's
  // ephemeral range starts there, which also keeps them clear of outgoing connections).
  const port = async () => {
    for (;;) {
      const candidate = 20_000 + Math.floor(Math.random() * 12_000);
      if (!taken.has(candidate) && (await isPortFree(candidate))) {
        taken.add(candidate);
        return candidate;
      }
    }
  };
  const ports = {
    frontend: { grpc: opts.frontendPort ?? (await port()), membership: await port(), http: await port() },
    history: { grpc: await port(), membership: await port() },
    matching: { grpc: await port(), membership: await port() },
    worker: { grpc: await port(), membership: await port() },
  };
  writeFileSync(join(configDir, 'cluster.yaml'), configYaml(opts, ports, await port()));
  // Updates as the app uses them; the dev server turns them on the same way.
  writeFileSync(
    join(configDir, 'dynamicconfig.yaml'),
    [
      'frontend.enableUpdateWorkflowExecution:',
      '  - value: true',
      'frontend.enableUpdateWorkflowExecutionAsyncAccepted:',
      '  - value: true',
      'system.forceSearchAttributesCacheRefreshOnRead:',
      '  - value: true',
      '',
    ].join('\n'),
  );
  const address = `127.0.0.1:${ports.frontend.grpc}`;
  let child: ManagedProcess;
  const spawnServer = async () => {
    const started = Date.now();
    child = spawnManaged({
      name: 'temporal-server',
      command: opts.binaries.server,
      args: ['--root', opts.dataDir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
      logFile: opts.logFile,
      echo: opts.echo,
      unref: opts.unref,
    });
    try {
      await waitUntilServing(address, () => child, started + READY_TIMEOUT_MS, opts.cliPath);
    } catch (error) {
      await child.stop(2_000);
      throw new Error(`${(error as Error).message}\nTemporal server output:\n${child.tail(40)}`);
    }
  };
  await spawnServer();
  try {
    await registerSearchAttributes(opts.cliPath, address);
  } catch (error) {
    await child!.stop(5_000);
    throw error;
  }
  return {
    address,
    process: () => child,
    restart: spawnServer,
    kill: async () => {
      process.kill(-child.pid, 'SIGKILL');
      await child.exited;
    },
    stop: () => child.stop(15_000),
  };
}

/** Serving = the frontend answers over gRPC; then the `default` namespace is created once and awaited. */
async function waitUntilServing(
  address: string,
  server: () => ManagedProcess,
  deadline: number,
  cliPath: string,
): Promise<void> {
  const port = Number(address.split(':')[1]);
  let lastError = 'not accepting connections yet';
  let created = false;
  while (Date.now() < deadline) {
    if (server().hasExited())
      throw new Error(`Temporal server exited during start-up (${describeExit(await server().exited)}).`);
    if (await canConnect(port)) {
      try {
        const connection = await Connection.connect({ address, connectTimeout: '3s' });
        try {
          await connection.workflowService.describeNamespace({ namespace: 'default' });
          return;
        } finally {
          await connection.close();
        }
      } catch (error) {
        lastError = (error as Error).message;
        // A new cluster has no namespace (the server image's auto-setup script creates it; so do we).
        if (!created && /not found/i.test(lastError)) {
          const result = await runCommand(
            cliPath,
            ['operator', 'namespace', 'create', '--address', address, '--namespace', 'default', '--retention', '72h'],
            { timeoutMs: 30_000 },
          );
          created = result.code === 0 || /already/i.test(result.output);
        }
      }
    }
    await delay(250);
  }
  throw new Error(`Temporal server at ${address} not ready within ${READY_TIMEOUT_MS / 1000}s: ${lastError}`);
}

/** The five attributes the invoice workflow upserts; already registered ones are left alone. */
async function registerSearchAttributes(cliPath: string, address: string): Promise<void> {
  // A namespace created moments ago reaches the operator service's cache within seconds: retry until then.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listed = await runCommand(
      cliPath,
      ['operator', 'search-attribute', 'list', '--address', address, '--namespace', 'default'],
      { timeoutMs: 30_000 },
    );
    let failure = listed.code === 0 ? '' : listed.output;
    for (const flag of failure ? [] : SEARCH_ATTRIBUTE_FLAGS) {
      const [name, type] = flag.split('=') as [string, string];
      if (new RegExp(`\\b${name}\\b`).test(listed.output)) continue;
      const created = await runCommand(
        cliPath,
        [
          'operator',
          'search-attribute',
          'create',
          '--address',
          address,
          '--namespace',
          'default',
          '--name',
          name,
          '--type',
          type,
        ],
        { timeoutMs: 30_000 },
      );
      if (created.code !== 0) {
        failure = `registering search attribute ${name} failed:\n${created.output}`;
        break;
      }
    }
    if (!failure) return;
    if (Date.now() > deadline) throw new Error(failure);
    await delay(1_000);
  }
}
