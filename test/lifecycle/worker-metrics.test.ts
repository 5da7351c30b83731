// The worker process serves its own Prometheus metrics: documents read (by extractor, or by reason when
// unreadable) and how long reading took, next to the process metrics.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort } from '../../scripts/lib/ports.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { pngOf } from '../support/hostile-files.js';
import { workerProcesses } from '../../testkit/worker-process.js';
import { startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
let port: number;
const workers = workerProcesses(() => ({
  ...stack.env,
  LOG_LEVEL: 'warn',
  WORKER_METRICS_PORT: String(port),
  OCR_ENABLED: 'false',
}));

before(async () => {
  stack = await startStack({ worker: false });
  port = await freePort();
});
after(async () => {
  workers.killAll();
  await stack?.stop();
});

/** The worker's metrics endpoint, asked again while the worker is still starting. */
const scrape = (path = '/metrics'): Promise<Response> =>
  eventually(`the worker answered ${path}`, () => fetch(`http://127.0.0.1:${port}${path}`), { intervalMs: 250 });

test('GET /metrics on the worker counts documents read and unreadable, with the time taken', async () => {
  workers.start();
  const empty = await scrape();
  assert.equal(empty.status, 200);
  assert.match(empty.headers.get('content-type') ?? '', /text\/plain/);
  assert.match(await empty.text(), /plexsync_worker_process_cpu_user_seconds_total/);

  // On a timeout, show what the worker process wrote (its warnings and errors, or how it exited).
  const settled = async (id: string, statuses: string[]) => {
    await stack
      .waitFor(id, (s) => statuses.includes(s.status), 120_000)
      .catch((err: unknown) => {
        throw new Error(`${String(err)}\n--- worker output ---\n${workers.output()}`);
      });
  };
  await settled(await stack.uploadOne('good.pdf', await makeInvoicePdf(uniqueInvoice())), [
    'awaiting_review',
    'approved',
    'synced',
  ]);
  // Not the 20,000 × 20,000 bomb other files upload: the invoice id comes from the file's hash, and the
  // test Temporal server (one per run) already holds that invoice on another suite's task queue.
  await settled(await stack.uploadOne('bomb.png', pngOf(20_000, 20_001)), ['awaiting_review']);

  const body = await (await scrape()).text();
  assert.match(body, /plexsync_documents_parsed_total\{outcome="read",extractor="text-layer@1"\} 1/);
  assert.match(body, /plexsync_documents_parsed_total\{outcome="unreadable",extractor="image_too_large"\} 1/);
  assert.match(body, /plexsync_parse_duration_seconds_count 2/);
  assert.equal((await scrape('/other')).status, 404);
});
