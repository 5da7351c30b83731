// Memory of the worker and web processes at the issue's load: N invoices (default 1,000) waiting for review
// (open workflows, each with its escalation timer) and then M documents (default 20, image-only scans, so
// every page goes through OCR) uploaded at once and read while the open workflows wait. The worker and a
// web process run as their own processes (worker/main.ts, api/main.ts); their RSS is sampled every 250 ms
// from /proc, each with the processes it started (its document readers). Both run as production runs them:
// built, with their heap limits (scripts/lib/app-processes.ts). The web process serves the uploads and, throughout, the queue page under 20 concurrent
// connections. Prints peak and settled RSS per phase against the targets (worker ≤ 512 MB, web ≤ 256 MB).
// Usage: npm run bench:memory -- [open=1000] [documents=20]
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createSession } from '../db/users.js';
import { ensureCliBuilt } from '../scripts/build.js';
import { APP_PROCESS_ENV, appNodeArgs } from '../scripts/lib/app-processes.js';
import { freePort } from '../scripts/lib/ports.js';
import { makeInvoicePdf, type InvoiceSpec } from '../testkit/invoice-pdf.js';
import { scanOf } from '../testkit/scan.js';
import { stopOwnedServices } from '../testkit/services.js';
import { startStack } from '../testkit/stack.js';
import { workerProcesses } from '../testkit/worker-process.js';

const OPEN = Number(process.argv[2] ?? 1000);
const DOCUMENTS = Number(process.argv[3] ?? 20);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ownRssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A process's own RSS and how many processes it has started that still run ("812+2"), in MB. */
const own = (pid: number | undefined) => (pid ? `${ownRssMb(pid).toFixed(0)}+${childrenOf(pid).length}` : '?');

/** RSS of a process and everything it started (its document reader processes), in MB. */
function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  return ownRssMb(pid) + childrenOf(pid).reduce((sum, child) => sum + rssMb(child), 0);
}

/** Peak RSS of each process while `during` runs, sampled every 250 ms. */
async function peaks<T>(
  pids: { worker?: number; web?: number },
  during: () => Promise<T>,
): Promise<{ value: T; worker: number; web: number }> {
  let worker = 0;
  let web = 0;
  const timer = setInterval(() => {
    worker = Math.max(worker, rssMb(pids.worker));
    web = Math.max(web, rssMb(pids.web));
  }, 250);
  try {
    const value = await during();
    return { value, worker, web };
  } finally {
    clearInterval(timer);
  }
}

const spec = (i: number): InvoiceSpec => ({
  // No PO number: each invoice waits for a clerk (open workflow with its escalation timer).
  invoiceNumber: `MEM-${Date.now().toString(36)}-${i}`,
  vendorName: ['Acme Fasteners Inc.', 'Midwest Bearings Co.', 'Great Lakes Steel Supply'][i % 3]!,
  invoiceDate: '2026-11-02',
  omit: ['poNumber'],
  lines: [{ description: 'Hex bolt M8x40, zinc', quantity: 100 + i, unitPrice: '0.42' }],
});

/** A process's main-thread V8 heap in use and allocated, and its memory outside the heap (buffers), from its /metrics, in MB. */
async function heapOf(url: string, prefix: string): Promise<string> {
  try {
    const text = await (await fetch(url)).text();
    const read = (name: string) =>
      Number(new RegExp(`^${prefix}${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
    return `${read('nodejs_heap_size_used_bytes').toFixed(0)}/${read('nodejs_heap_size_total_bytes').toFixed(0)}/${read('nodejs_external_memory_bytes').toFixed(0)}`;
  } catch {
    return '?';
  }
}

await ensureCliBuilt();
const stack = await startStack({ worker: false, env: { ESCALATE_AFTER: '24h' } });
const workerMetricsPort = await freePort();
const workers = workerProcesses(() => ({
  ...stack.env,
  WORKER_METRICS_PORT: String(workerMetricsPort),
  METRICS_ENABLED: 'true',
}));
let web: ChildProcess | undefined;
try {
  const worker = workers.start({ built: true });
  const webPort = await freePort();
  web = spawn(process.execPath, appNodeArgs('web'), {
    cwd: root,
    env: {
      ...process.env,
      ...APP_PROCESS_ENV,
      ...stack.env,
      WEB_PORT: String(webPort),
      WEB_HOST: '127.0.0.1',
      METRICS_ENABLED: 'true',
    },
    stdio: 'ignore',
  });
  const webUrl = `http://127.0.0.1:${webPort}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${webUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 240) throw new Error('the web process did not come up');
    await sleep(250);
  }
  const pids = { worker: worker.pid, web: web.pid };
  const auth = { Authorization: `Bearer ${stack.token}` };
  const upload = async (files: { name: string; bytes: Uint8Array }[]) => {
    const form = new FormData();
    for (const f of files) form.append('files', new Blob([Buffer.from(f.bytes)], { type: 'application/pdf' }), f.name);
    const res = await fetch(`${webUrl}/api/invoices`, { method: 'POST', body: form, headers: auth });
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  };
  const waiting = async () =>
    (await stack.sql<{ n: number }[]>`select count(*)::int as n from invoices where status = 'awaiting_review'`)[0]!.n;
  // RSS, and what the process itself says it holds: V8 heap in use / outside the heap (MB).
  const snapshot = async () => ({
    worker: rssMb(pids.worker),
    web: rssMb(pids.web),
    heaps: `${await heapOf(`http://127.0.0.1:${workerMetricsPort}/metrics`, 'plexsync_worker_')}  ${await heapOf(`${webUrl}/metrics`, 'plexsync_')}  ${own(pids.worker)}  ${own(pids.web)}`,
  });
  const idle = await snapshot();

  // Phase 1: N open workflows waiting for review.
  const phase1 = await peaks(pids, async () => {
    for (let b = 0; b < OPEN; b += 10) {
      const files = await Promise.all(
        Array.from({ length: Math.min(10, OPEN - b) }, async (_, k) => ({
          name: `open-${b + k}.pdf`,
          bytes: await makeInvoicePdf(spec(b + k)),
        })),
      );
      await upload(files);
    }
    while ((await waiting()) < OPEN) await sleep(500);
  });
  await sleep(5_000);
  const settled1 = await snapshot();

  // Phase 2: M scanned documents at once, read while the queue page is under load.
  const scans = await Promise.all(
    Array.from({ length: DOCUMENTS }, async (_, i) => ({
      name: `scan-${i}.pdf`,
      bytes: (await scanOf(await makeInvoicePdf(spec(OPEN + i)), { seed: i, rotateDeg: 0.6, noise: 0.02 })).pdf,
    })),
  );
  const [admin] = await stack.sql<{ id: string }[]>`select id::text from users limit 1`;
  const session = await createSession(stack.sql, admin!.id, 3600);
  const phase2 = await peaks(pids, async () => {
    const queueLoad = autocannon({
      url: `${webUrl}/invoices`,
      connections: 20,
      duration: 30,
      headers: { Cookie: `plexsync_session=${session.id}` },
    });
    await Promise.all(scans.map((s) => upload([s])));
    while ((await waiting()) < OPEN + DOCUMENTS) await sleep(500);
    return queueLoad;
  });
  const load = phase2.value;
  const settled2 = await snapshot();
  // Reading threads idle for EXTRACT_READER_IDLE (30 s by default) are stopped: what is left after that.
  await sleep(40_000);
  const settled3 = await snapshot();

  const row = (name: string, w: number, v: number, heaps = '') =>
    console.log(`${name.padEnd(52)} ${w.toFixed(0).padStart(8)} ${v.toFixed(0).padStart(8)}   ${heaps}`);
  console.log(`\n${OPEN} open workflows, then ${DOCUMENTS} scanned documents read at once; RSS in MB\n`);
  console.log(
    `${''.padEnd(52)} ${'worker'.padStart(8)} ${'web'.padStart(8)}   heap used/total/outside (main thread): worker  web;  own RSS + processes started: worker  web`,
  );
  row('idle, after start', idle.worker, idle.web, idle.heaps);
  row(`peak while ${OPEN} invoices arrive`, phase1.worker, phase1.web);
  row(`settled, ${OPEN} workflows waiting`, settled1.worker, settled1.web, settled1.heaps);
  row(`peak while ${DOCUMENTS} scans are read (+ queue under load)`, phase2.worker, phase2.web);
  row('settled after', settled2.worker, settled2.web, settled2.heaps);
  row('40 s later (idle reading threads stopped)', settled3.worker, settled3.web, settled3.heaps);
  row('target', 512, 256);
  console.log(
    `\nqueue page during phase 2: p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ${load.requests.average.toFixed(0)} req/s, ${load.non2xx + load.errors} errors`,
  );
} finally {
  web?.kill('SIGTERM');
  workers.killAll();
  await stack.stop();
  await stopOwnedServices();
}
