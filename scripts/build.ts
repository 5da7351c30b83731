// `npm run build`: compiles the plexsync CLI, the worker and the web process once into dist/cli (esbuild:
// our TypeScript bundled into ES modules, npm packages left as imports), so they start without compiling
// TypeScript at run time and without tsx's memory (~75 MB of heap a process, measured), and bundles the
// workflow code for the built worker (worker/workflow-code.ts). The test and run commands call
// ensureCliBuilt(), which rebuilds only when a source changed.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { buildState, DIST, MANIFEST, ROOT, type BuildManifest } from '../bin/build-state.js';

/**
 * npm packages bundled into the CLI rather than imported: pure JavaScript spread over many small modules,
 * whose loading (resolving, reading and instantiating each file; zod's alone has some 100, its locales
 * among them) cost more at start-up than their code. Bundled, zod costs about 45 ms of CPU less and
 * fast-xml-parser about 30 ms. Their own imports are bundled with them. Every other package stays an import.
 * zod keeps its registry and configuration on globalThis, so a package that imports zod itself shares them.
 */
const BUNDLED_PACKAGES = new Set(['zod', 'fast-xml-parser']);

const packagesExceptBundled: Plugin = {
  name: 'packages-except-bundled',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path
        .split('/')
        .slice(0, args.path.startsWith('@') ? 2 : 1)
        .join('/');
      const fromBundledPackage = args.importer.includes('/node_modules/');
      return BUNDLED_PACKAGES.has(name) || fromBundledPackage ? undefined : { external: true };
    });
  },
};

export async function buildCli(): Promise<void> {
  const startedAtMs = Date.now();
  rmSync(DIST, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    // The sandbox starts its worker thread from a file beside it (extract/sandbox.ts), so it is an entry too.
    entryPoints: {
      main: 'cli/main.ts',
      'sandbox-worker': 'extract/sandbox-worker.ts',
      worker: 'worker/main.ts',
      web: 'api/main.ts',
    },
    outdir: DIST,
    bundle: true,
    // Commands load what they need on demand (dynamic imports become chunks), so `extract` never loads
    // the database or Temporal clients.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    plugins: [packagesExceptBundled],
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    metafile: true,
    logLevel: 'warning',
  });
  // db/migrate.ts reads its .sql files from a folder beside the module, which is now dist/cli.
  cpSync(join(ROOT, 'db', 'migrations'), join(DIST, 'migrations'), { recursive: true });
  // api/app.ts serves views/static from ../views/static beside the module: dist/views/static.
  rmSync(join(DIST, '..', 'views'), { recursive: true, force: true });
  cpSync(join(ROOT, 'views', 'static'), join(DIST, '..', 'views', 'static'), { recursive: true });
  const workflowInputs = await bundleWorkflows();
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  // The copied migrations count as inputs: the folder (a file added or removed) and each file.
  const migrations = [
    'db/migrations',
    ...readdirSync(join(ROOT, 'db', 'migrations')).map((file) => `db/migrations/${file}`),
  ];
  const entry = 'cli/main.ts';
  const manifest: BuildManifest = {
    builtAtMs: startedAtMs,
    // package-lock.json: a bundled package's new version makes the build stale too.
    inputs: [
      entry,
      ...inputs.filter((input) => input !== entry),
      ...workflowInputs.filter((input) => !inputs.includes(input)),
      ...readdirSync(join(ROOT, 'views', 'static')).map((file) => `views/static/${file}`),
      relative(ROOT, fileURLToPath(import.meta.url)),
      'bin/build-state.js',
      'package-lock.json',
      ...migrations,
    ],
  };
  mkdirSync(DIST, { recursive: true });
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 1)}\n`);
}

/**
 * The workflow code for the built worker, bundled as the worker bundles it from the sources; returns the
 * project files in it (paths from the root), so that a changed workflow makes the build stale.
 */
async function bundleWorkflows(): Promise<string[]> {
  const [{ bundleWorkflowCode }, { WORKFLOW_CODE, PREBUILT_WORKFLOW_BUNDLE }] = await Promise.all([
    import('@temporalio/worker'),
    import('../worker/workflow-code.js'),
  ]);
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const { code } = await bundleWorkflowCode({ ...WORKFLOW_CODE, logger: quiet });
  writeFileSync(join(DIST, PREBUILT_WORKFLOW_BUNDLE), code);
  return [...new Set([...code.matchAll(/^\/\*\*\*\/ "\.\/((?!node_modules\/)[^"]+)"/gm)].map((m) => m[1]!))];
}

/** Builds the CLI when dist/cli is missing or older than a source; returns what was stale, or null. */
export async function ensureCliBuilt(): Promise<string | null> {
  const state = buildState();
  if (state.fresh) return null;
  await buildCli();
  return state.reason;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const startedAtMs = Date.now();
  await buildCli();
  console.log(`Built the CLI into ${relative(process.cwd(), DIST) || '.'} in ${Date.now() - startedAtMs} ms.`);
}
