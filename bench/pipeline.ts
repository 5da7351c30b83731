// Throughput of the real pipeline (upload → parse → match → auto-approve → Plex sync → audit) against a
// bare workflow with the same number of no-op activities, on the same Temporal server in the same run.
// Usage: npm run bench:pipeline -- [N=200] [concurrency=20] [--built]. Prints invoices/s for both and the ratio.
// --built runs the worker as production does, a process built into dist/cli with its heap limit (its
// document readers built too); without it the worker runs in this process from the TypeScript sources. The
// web app runs in this process either way. One invoice goes through first, untimed, so that start-up
// (a worker process, the first reader) is not counted.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { makeInvoicePdf } from '../testkit/invoice-pdf.js';
import { stopOwnedServices } from '../testkit/services.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../testkit/stack.js';
import { workerProcesses } from '../testkit/worker-process.js';
import { ensureCliBuilt } from '../scripts/build.js';
import { NOOP_ACTIVITIES_PER_INVOICE } from './noop-workflow.js';

const BUILT = process.argv.includes('--built');
const [n, concurrency] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const N = Number(n ?? 200);
const CONCURRENCY = Number(concurrency ?? 20);

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function pipeline(stack: Stack): Promise<number> {
  const files: Uint8Array[] = [];
  for (let i = 0; i <= N; i++) {
    const inv = uniqueInvoice({ invoiceNumber: `BENCH-${process.pid}-${i}`, poNumber: String(100000 + i) });
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    files.push(await makeInvoicePdf(inv));
  }
  const run = async (bytes: Uint8Array) => {
    const res = await stack.upload([{ name: 'bench.pdf', bytes }]);
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    const id = ((await res.json()) as { invoices: { id: string }[] }).invoices[0]!.id;
    const final = await stack.result(id);
    if (final.status !== 'synced') throw new Error(`${id} ended ${final.status}`);
  };
  await run(files.shift()!); // warm-up, untimed
  const started = performance.now();
  await inBatches(files, CONCURRENCY, run);
  return (performance.now() - started) / 1000;
}

async function bare(stack: Stack): Promise<number> {
  const taskQueue = `${stack.config.temporal.taskQueue}-bare`;
  const connection = await NativeConnection.connect({ address: stack.config.temporal.address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./noop-workflow.ts', import.meta.url)),
    }),
    activities: { noop: async () => {} },
  });
  const running = worker.run();
  const started = performance.now();
  await inBatches(
    Array.from({ length: N }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      await stack.client.workflow.execute('bareWorkflow', {
        taskQueue,
        workflowId: `bare-${process.pid}-${i}-${Date.now()}`,
        args: [NOOP_ACTIVITIES_PER_INVOICE],
      });
    },
  );
  const seconds = (performance.now() - started) / 1000;
  worker.shutdown();
  await running;
  await connection.close();
  return seconds;
}

// Rate limits raised for the run: the bench measures PlexSync, not Plex's 200 calls/minute budget.
if (BUILT) await ensureCliBuilt();
const stack = await startStack({ plexRateLimit: 1_000_000, ...(BUILT ? { worker: false } : {}) });
const workers = workerProcesses(() => ({ ...stack.env, LOG_LEVEL: 'silent' }));
try {
  if (BUILT) workers.start({ built: true });
  const bareSeconds = await bare(stack);
  const pipelineSeconds = await pipeline(stack);
  const bareRate = N / bareSeconds;
  const pipelineRate = N / pipelineSeconds;
  console.log(
    `invoices: ${N}, concurrency: ${CONCURRENCY}, activities per invoice: ${NOOP_ACTIVITIES_PER_INVOICE}, worker: ${BUILT ? 'built, its own process' : 'from the sources, in this process'}`,
  );
  console.log(`bare workflow (no-op activities): ${bareRate.toFixed(1)} workflows/s`);
  console.log(`PlexSync pipeline:                ${pipelineRate.toFixed(1)} invoices/s`);
  console.log(`ratio pipeline/bare: ${(pipelineRate / bareRate).toFixed(2)}`);
} finally {
  workers.killAll();
  await stack.stop();
  await stopOwnedServices();
}
