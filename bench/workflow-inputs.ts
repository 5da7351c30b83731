// What one workflow pays for the modules its input checks need. The SDK evaluates the workflow code's
// modules anew for every workflow it runs or keeps cached, so a module's evaluation time and the heap it
// keeps are paid per workflow. This bundles the workflows' checks (domain/workflow-inputs.ts, valibot) and,
// as the baseline, the web's zod schemas of the same shapes with the domain modules they come with (what
// the workflows imported before), evaluates each N times in one V8 context as the SDK does, keeping every
// copy, and prints time and heap per evaluation and their ratio.
// Usage: npm run bench:workflow-inputs -- [N=100]
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import vm from 'node:vm';
import { build } from 'esbuild';

const N = Number(process.argv[2] ?? 100);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

async function bundle(source: string): Promise<vm.Script> {
  const out = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'iife',
    globalName: 'checks',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'error',
  });
  return new vm.Script(out.outputFiles[0]!.text);
}

function perEvaluation(script: vm.Script): { ms: number; kb: number } {
  const context = vm.createContext({ kept: [] as unknown[] });
  script.runInContext(context); // the first evaluation compiles; the SDK compiles once too
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    script.runInContext(context);
    vm.runInContext('kept.push(checks)', context);
  }
  const ms = (performance.now() - started) / N;
  gc();
  return { ms, kb: (process.memoryUsage().heapUsed - heapBefore) / N / 1024 };
}

const valibot = perEvaluation(await bundle(`export * from './domain/workflow-inputs.ts';`));
const zod = perEvaluation(
  await bundle(
    `export * from './domain/invoice.ts'; export * from './domain/ingest.ts'; export * from './domain/policy.ts';`,
  ),
);
const row = (name: string, r: { ms: number; kb: number }) =>
  console.log(`${name.padEnd(44)} ${r.ms.toFixed(2).padStart(6)} ms ${r.kb.toFixed(0).padStart(6)} KB`);
console.log(`${N} evaluations each, per evaluation (= per workflow):`);
row("the web's zod schemas (baseline)", zod);
row("the workflows' checks (valibot)", valibot);
console.log(`ratio valibot/zod: time ${(valibot.ms / zod.ms).toFixed(2)}, heap ${(valibot.kb / zod.kb).toFixed(2)}`);
