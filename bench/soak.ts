// Soak on the production topology: the Temporal server (Go build) on PostgreSQL, two worker processes
// and two web processes, invoices uploaded at a steady rate for a while, with kill -9 of one worker, one
// web process and the Temporal server at random times. Prints lost invoices, double writes, how every
// invoice ended, and worker/web RSS over the first and last half.
// Usage: npm run bench:soak -- [invoices=1000] [minutes=15]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { freePort } from '../scripts/lib/ports.js';
import {
  ensureTemporalServer,
  postgresTarget,
  setupTemporalSchema,
  startTemporalCluster,
} from '../scripts/lib/temporal-cluster.js';
import { makeInvoicePdf } from '../testkit/invoice-pdf.js';
import { getTestServices, stopOwnedServices } from '../testkit/services.js';
import { seedPurchaseOrder, startStack, uniqueInvoice } from '../testkit/stack.js';

const INVOICES = Number(process.argv[2] ?? 1000);
const MINUTES = Number(process.argv[3] ?? 15);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const services = await getTestServices();
const binaries = await ensureTemporalServer(root);
const databases = {
  persistence: `soak_${randomBytes(3).toString('hex')}`,
  visibility: `soak_vis_${randomBytes(3).toString('hex')}`,
};
await setupTemporalSchema(binaries, postgresTarget(services.databaseAdminUrl), databases);
const dataDir = mkdtempSync(join(tmpdir(), 'plexsync-soak-'));
const cluster = await startTemporalCluster({
  binaries,
  postgres: postgresTarget(services.databaseAdminUrl),
  databases,
  dataDir,
  cliPath: services.temporalCliPath,
  logFile: join(dataDir, 'server.log'),
});
const stack = await startStack({ worker: false, temporalAddress: cluster.address });

type Role = 'worker' | 'web';
interface Proc {
  role: Role;
  child?: ChildProcess;
  port?: number;
}
const procs: Proc[] = [{ role: 'worker' }, { role: 'worker' }, { role: 'web' }, { role: 'web' }];
const start = async (p: Proc) => {
  const entry = p.role === 'worker' ? 'worker/main.ts' : 'api/main.ts';
  p.port ??= p.role === 'web' ? await freePort() : undefined;
  const env = {
    ...process.env,
    ...stack.env,
    WORKER_METRICS_PORT: '0',
    ...(p.port ? { WEB_PORT: String(p.port), WEB_HOST: '127.0.0.1' } : {}),
  };
  p.child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: 'ignore' });
};
for (const p of procs) await start(p);
const webUp = async (p: Proc) => {
  try {
    return (await fetch(`http://127.0.0.1:${p.port}/healthz`)).ok;
  } catch {
    return false;
  }
};
while (!(await Promise.all(procs.filter((p) => p.role === 'web').map(webUp))).every(Boolean)) await sleep(200);

const ids: string[] = [];
const placeholders = new Map<string, string>();
const kills: string[] = [];
const samples: { t: number; worker: number; web: number }[] = [];
const durationMs = MINUTES * 60_000;
const began = Date.now();
const killAt = [0.2, 0.45, 0.7].map((f) => began + durationMs * (f + Math.random() * 0.1));
const sampler = setInterval(() => {
  const sum = (role: Role) => procs.filter((p) => p.role === role).reduce((a, p) => a + (rssMb(p.child?.pid) ?? 0), 0);
  samples.push({ t: Date.now() - began, worker: sum('worker') / 2, web: sum('web') / 2 });
}, 5_000);

for (let i = 0; i < INVOICES; i++) {
  const due = began + (durationMs * i) / INVOICES;
  if (due > Date.now()) await sleep(due - Date.now());
  if (killAt.length && Date.now() >= killAt[0]!) {
    killAt.shift();
    const target = pick(['worker', 'web', 'temporal'] as const);
    kills.push(`${Math.round((Date.now() - began) / 1000)}s ${target}`);
    if (target === 'temporal') {
      await cluster.kill();
      await cluster.restart();
    } else {
      const p = pick(procs.filter((q) => q.role === target));
      p.child?.kill('SIGKILL');
      await sleep(1_000);
      await start(p);
    }
  }
  const inv = uniqueInvoice({ invoiceNumber: `SOAK-${i}-${randomBytes(2).toString('hex')}` });
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  const form = new FormData();
  form.append('files', new Blob([(await makeInvoicePdf(inv)) as Uint8Array<ArrayBuffer>]), `soak-${i}.pdf`);
  // A load balancer's view: try each healthy web process until one takes the upload.
  for (let attempt = 0; attempt < 60; attempt++) {
    const web = procs.filter((p) => p.role === 'web')[attempt % 2]!;
    try {
      const res = await fetch(`http://127.0.0.1:${web.port}/api/invoices`, {
        method: 'POST',
        body: form,
        headers: { Authorization: `Bearer ${stack.token}` },
      });
      if (res.status === 201) {
        const id = ((await res.json()) as { invoices: { id: string }[] }).invoices[0]!.id;
        ids.push(id);
        placeholders.set(id, placeholderIds[0]!);
        break;
      }
    } catch {
      // that process is down; try the other
    }
    await sleep(500);
  }
}

const settleDeadline = Date.now() + 10 * 60_000;
const endings = new Map<string, string>();
for (const id of ids) {
  let status = 'unknown';
  while (Date.now() < settleDeadline) {
    try {
      status = (await stack.state(id)).status;
      if (['synced', 'rejected', 'awaiting_review', 'sync_failed'].includes(status)) break;
    } catch {
      // not yet visible after a restart
    }
    await sleep(500);
  }
  endings.set(id, status);
}
clearInterval(sampler);

const counts: Record<string, number> = {};
for (const s of endings.values()) counts[s] = (counts[s] ?? 0) + 1;
let doubleWrites = 0;
for (const placeholderId of placeholders.values())
  if (stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderId && w.applied).length > 1) doubleWrites++;
const half = samples.filter((s) => s.t < durationMs / 2);
const last = samples.filter((s) => s.t >= durationMs / 2);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const drift = (role: 'worker' | 'web') => mean(last.map((s) => s[role])) / Math.max(1, mean(half.map((s) => s[role])));
console.log(
  `soak: ${INVOICES} invoices over ${MINUTES} min on Temporal server (PostgreSQL), 2 workers, 2 web processes`,
);
console.log(`kills: ${kills.join(', ') || 'none'}`);
console.log(
  `uploaded ${ids.length}/${INVOICES}; lost (not accepted) ${INVOICES - ids.length}; endings ${JSON.stringify(counts)}; double writes ${doubleWrites}`,
);
console.log(
  `RSS MB per process, first half → last half: worker ${mean(half.map((s) => s.worker)).toFixed(0)} → ${mean(last.map((s) => s.worker)).toFixed(0)} (×${drift('worker').toFixed(2)}), web ${mean(half.map((s) => s.web)).toFixed(0)} → ${mean(last.map((s) => s.web)).toFixed(0)} (×${drift('web').toFixed(2)})`,
);

for (const p of procs) p.child?.kill('SIGKILL');
await stack.stop();
await cluster.stop();
rmSync(dataDir, { recursive: true, force: true });
await stopOwnedServices();
process.exit(ids.length === INVOICES && doubleWrites === 0 && !counts.unknown ? 0 : 1);
