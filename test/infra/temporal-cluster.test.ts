// The production topology: the Temporal server built from its Go module, on PostgreSQL with SQL
// visibility, two worker processes, and a kill -9 of the server and of a worker in the middle of the
// work. Every invoice ends synced, each placeholder is written exactly once, and the Web UI's filter
// (a search attribute query on SQL visibility) finds them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { dropDatabase } from '../../scripts/lib/postgres.js';
import {
  ensureTemporalServer,
  postgresTarget,
  setupTemporalSchema,
  startTemporalCluster,
  type TemporalCluster,
} from '../../scripts/lib/temporal-cluster.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { getTestServices } from '../../testkit/services.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { workerProcesses } from '../../testkit/worker-process.js';
import { eventually } from '../support/eventually.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const INVOICES = 8;
let cluster: TemporalCluster | undefined;
let stack: Stack | undefined;
let dataDir: string;
let adminUrl: string;
const databases = {
  persistence: `temporal_${randomBytes(4).toString('hex')}`,
  visibility: `temporal_vis_${randomBytes(4).toString('hex')}`,
};
const workers = workerProcesses(() => stack!.env);

before(async () => {
  const services = await getTestServices();
  adminUrl = services.databaseAdminUrl;
  const binaries = await ensureTemporalServer(root);
  await setupTemporalSchema(binaries, postgresTarget(adminUrl), databases);
  dataDir = mkdtempSync(join(tmpdir(), 'plexsync-cluster-'));
  cluster = await startTemporalCluster({
    binaries,
    postgres: postgresTarget(adminUrl),
    databases,
    dataDir,
    cliPath: services.temporalCliPath,
    logFile: join(dataDir, 'server.log'),
    unref: true,
  });
  stack = await startStack({ worker: false, temporalAddress: cluster.address });
});

after(async () => {
  workers.killAll();
  await stack?.stop();
  await cluster?.stop();
  for (const db of Object.values(databases)) await dropDatabase(adminUrl, db).catch(() => {});
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('on the Temporal server with PostgreSQL, a kill -9 of the server and of one of two workers loses no invoice and writes none twice', async () => {
  const s = stack!;
  const invoices = Array.from({ length: INVOICES }, () => uniqueInvoice());
  const placeholders: string[] = [];
  for (const inv of invoices) {
    const { placeholderIds } = await seedPurchaseOrder(s.plex, {
      poNumber: inv.poNumber,
      supplier: inv.vendorName,
      lines: inv.lines,
    });
    placeholders.push(placeholderIds[0]!);
  }
  const first = workers.start();
  workers.start();
  // Slow Plex writes keep work in flight when the server and a worker die.
  s.plex.store.setFault('ap-invoices.put', { latencyMs: 400 });
  const ids: string[] = [];
  for (const [i, inv] of invoices.entries()) ids.push(await s.uploadOne(`cluster-${i}.pdf`, await makeInvoicePdf(inv)));

  await eventually(
    () => `no Plex write began; workers said:\n${workers.output()}`,
    () => (s.plex.store.calls['ap-invoices.put'] ?? 0) > 0,
    { timeoutMs: 300_000, intervalMs: 50 },
  );
  await cluster!.kill();
  first.kill('SIGKILL');
  await cluster!.restart();
  s.plex.store.clearFaults();

  try {
    for (const id of ids) await s.waitFor(id, (st) => st.status === 'synced', 240_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nworkers said:\n${workers.output()}`);
  }
  for (const [i, placeholderId] of placeholders.entries()) {
    assert.equal(await s.placeholderNumber(placeholderId), invoices[i]!.invoiceNumber);
    const applied = s.plex.store.writes.filter((w) => w.apInvoiceId === placeholderId && w.applied);
    assert.equal(applied.length, 1, `placeholder ${i} written exactly once`);
  }
  // SQL visibility with the custom search attributes: the Web UI's "InvoiceStatus = synced" filter.
  const listed: string[] = [];
  const visibilityDeadline = Date.now() + 30_000;
  do {
    listed.length = 0;
    for await (const wf of s.client.workflow.list({
      query: `InvoiceStatus = "synced" AND TaskQueue = "${s.config.temporal.taskQueue}"`,
    }))
      listed.push(wf.workflowId);
    if (listed.length >= INVOICES) break;
    await new Promise((r) => setTimeout(r, 500));
  } while (Date.now() < visibilityDeadline);
  assert.deepEqual(listed.sort(), [...ids].sort());
});
