// docker-compose.yml and the Dockerfile stay in step with the code: the services a Docker user needs,
// the ports the README promises, the env the app reads, and the search attributes the workflow sets.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { EnvSchema } from '../../config/index.js';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../domain/search-attributes.js';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/lib/temporal-cluster.js';
import { APP_PROCESS_ENV, APP_PROCESSES, appNodeArgs } from '../../scripts/lib/app-processes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  profiles?: string[];
  deploy?: { replicas?: number };
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

function service(name: string): Service {
  const found = compose.services[name];
  assert.ok(found, `service ${name} missing from docker-compose.yml`);
  return found;
}

/** Container ports published on the host, from "3000:3000" or "127.0.0.1:8080:8080". */
function publishedPorts(svc: Service): number[] {
  return (svc.ports ?? []).map((p) => {
    const parts = String(p).split(':');
    assert.equal(parts.at(-1), parts.at(-2), `${p}: host and container port differ`);
    return Number(parts.at(-1));
  });
}

function dependencies(svc: Service): Record<string, string | undefined> {
  const deps = svc.depends_on ?? [];
  return Array.isArray(deps)
    ? Object.fromEntries(deps.map((d) => [d, undefined]))
    : Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.condition]));
}

/** The TypeScript entry file a command runs, e.g. api/main.ts. */
function entryFile(command: string[] | string | undefined): string | undefined {
  const words = Array.isArray(command) ? command : (command ?? '').split(/\s+/);
  return words.find((w) => w.endsWith('.ts'));
}

test('docker compose brings up everything PlexSync needs', () => {
  for (const name of ['postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'worker', 'web']) {
    const svc = service(name);
    assert.equal(svc.profiles, undefined, `${name} must start without a profile`);
  }
  assert.match(service('postgresql').image ?? '', /^postgres:16/);
  assert.match(service('temporal').image ?? '', /^temporalio\/auto-setup:/);
  assert.equal(service('temporal').environment?.DB, 'postgres12');
  assert.equal(service('temporal-ui').environment?.TEMPORAL_ADDRESS, 'temporal:7233');
  assert.deepEqual(service('plex-simulator').profiles, ['dev'], 'the Plex simulator is a dev-only double');
});

test('the app, Temporal and its Web UI are published on the documented ports', () => {
  assert.deepEqual(publishedPorts(service('web')), [3000]);
  assert.deepEqual(publishedPorts(service('temporal-ui')), [8080]);
  assert.deepEqual(publishedPorts(service('temporal')), [7233]);
  assert.deepEqual(publishedPorts(service('worker')), []);
  const web = service('web').environment ?? {};
  assert.equal(String(web.WEB_PORT), '3000');
  assert.equal(web.WEB_HOST, '0.0.0.0', 'inside a container the web server must listen on all interfaces');
});

test('web and worker get the connection settings the config requires, and nothing it does not know', () => {
  // APP_PROCESS_ENV is for the C library, not for config/index.ts.
  const known = new Set([...Object.keys(EnvSchema.shape), ...Object.keys(APP_PROCESS_ENV)]);
  for (const name of ['web', 'worker']) {
    const env = service(name).environment ?? {};
    for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PLEX_BASE_URL', 'PLEX_API_KEY', 'ADMIN_PASSWORD']) {
      assert.ok(env[key] !== undefined && env[key] !== '', `${name} lacks ${key}`);
    }
    for (const key of Object.keys(env)) assert.ok(known.has(key), `${name}: ${key} is not read by config/index.ts`);
    assert.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
    assert.match(String(env.DATABASE_URL), /^postgres:\/\/[^@]+@postgresql:5432\/plexsync$/);
    // Secrets have no defaults: compose refuses to start until they are set.
    for (const key of ['PLEX_BASE_URL', 'PLEX_API_KEY', 'ADMIN_PASSWORD']) {
      assert.match(String(env[key]), new RegExp(`^\\$\\{${key}:\\?`), `${name}: ${key} must be a required variable`);
    }
  }
});

test('services start in dependency order', () => {
  assert.equal(dependencies(service('temporal')).postgresql, 'service_healthy');
  assert.ok('temporal' in dependencies(service('temporal-setup')));
  assert.ok('temporal' in dependencies(service('temporal-ui')));
  for (const name of ['web', 'worker']) {
    const deps = dependencies(service(name));
    assert.equal(deps.postgresql, 'service_healthy', `${name} waits for a healthy database`);
    assert.equal(deps['temporal-setup'], 'service_completed_successfully', `${name} waits for the search attributes`);
  }
});

test('the image runs the worker and the web app as the run command does, built', () => {
  assert.match(dockerfile, /^FROM node:24(-slim)?\b/m);
  assert.match(dockerfile, /npm ci --omit=dev/);
  // The CLI is built in a build stage and copied in after the sources (dist is in .dockerignore).
  assert.match(dockerfile, /^FROM node:24(-slim)? AS build$[\s\S]*^RUN npm run build$/m);
  assert.match(dockerfile, /^COPY \. \.$[\s\S]*^COPY --from=build \/app\/dist \.\/dist$/m);
  assert.ok(packageJson.dependencies.tsx, 'tsx must be a runtime dependency: the image has no devDependencies');
  // OCR_ENGINE=auto runs the native program when it is there: the image ships it in its final stage.
  assert.match(
    dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')),
    /apt-get install -y --no-install-recommends tesseract-ocr/,
  );
  // the worker and the web app run built, with their heap limits, as the run command runs them
  for (const name of ['worker', 'web'] as const) {
    const svc = service(name);
    assert.ok(svc.build !== undefined, `${name} is built from the Dockerfile`);
    assert.deepEqual(svc.command, ['node', ...appNodeArgs(name)], `${name} runs as the run command runs it`);
    for (const [key, value] of Object.entries(APP_PROCESS_ENV))
      assert.equal(String(svc.environment?.[key]), value, `${name} has ${key}=${value} as the run command gives it`);
    assert.equal(entryFile(packageJson.scripts[name]), APP_PROCESSES[name].source, `npm run ${name} runs its source`);
  }
  assert.equal(entryFile(service('plex-simulator').command), entryFile(packageJson.scripts['plex-sim']));
  const cmd = dockerfile.match(/^CMD\s+(\[.*\])\s*$/m);
  assert.ok(cmd, 'Dockerfile has an exec-form CMD');
  assert.deepEqual(JSON.parse(cmd[1]!) as string[], ['node', ...appNodeArgs('web')]);
  for (const [key, value] of Object.entries(APP_PROCESS_ENV))
    assert.match(dockerfile, new RegExp(`^ENV ${key}=${value}$`, 'm'), `the image sets ${key}`);
  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
  for (const path of ['node_modules', '.data', '.git'])
    assert.ok(ignored.includes(path), `.dockerignore must list ${path}`);
  assert.ok(existsSync(join(root, 'package-lock.json')), 'npm ci needs package-lock.json');
});

test('temporal-setup registers exactly the search attributes the workflow sets', () => {
  const command = [service('temporal-setup').command ?? ''].flat().join('\n');
  const registered = [...command.matchAll(/search-attribute create .*--name (\w+) --type (\w+)/g)].map(
    (m) => `${m[1]}=${m[2]}`,
  );
  assert.deepEqual(registered.sort(), [...SEARCH_ATTRIBUTE_FLAGS].sort());
});

test('compose runs the topology the cluster test proves: the same Temporal server version on PostgreSQL, two workers, two web processes', () => {
  const image = service('temporal').image ?? '';
  assert.equal(
    image.match(/:\$\{TEMPORAL_VERSION:-([^}]+)\}$/)?.[1],
    TEMPORAL_SERVER_VERSION,
    'docker-compose.yml and scripts/lib/temporal-cluster.ts pin the same server',
  );
  assert.equal(service('worker').deploy?.replicas, 2);
  const webs = Object.entries(compose.services).filter(([, svc]) =>
    [svc.command ?? ''].flat().includes(APP_PROCESSES.web.entry),
  );
  assert.equal(webs.length, 2, 'two web processes');
  assert.deepEqual(webs.map(([, svc]) => publishedPorts(svc)[0]).sort(), [3000, 3001]);
  for (const [name, svc] of webs)
    assert.equal(
      String(svc.environment?.WEB_PORT),
      String(publishedPorts(svc)[0]),
      `${name} listens where it is published`,
    );
});
