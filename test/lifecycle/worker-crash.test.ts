// A worker process killed in the middle of a Plex write: a restarted worker completes the invoice and
// the placeholder is written exactly once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { workerProcesses } from '../../testkit/worker-process.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;

const workers = workerProcesses(() => stack.env);
const startWorkerProcess = () => workers.start();

before(async () => {
  stack = await startStack({ worker: false });
});
after(async () => {
  workers.killAll();
  await stack?.stop();
});

test('killing the worker mid-write and restarting it completes the invoice without a double update', async () => {
  const inv = uniqueInvoice();
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  // Plex answers the write slowly, so the worker dies while it is in flight.
  stack.plex.store.setFault('ap-invoices.put', { latencyMs: 3_000 });
  const first = startWorkerProcess();

  const id = await stack.uploadOne('crash.pdf', await makeInvoicePdf(inv));

  await eventually('the worker reached the Plex write', () => (stack.plex.store.calls['ap-invoices.put'] ?? 0) > 0, {
    timeoutMs: 90_000,
    intervalMs: 50,
  });
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));

  stack.plex.store.clearFaults();
  startWorkerProcess();
  const done = await stack.waitFor(id, (s) => s.status === 'synced', 120_000);
  assert.equal(done.sync.writtenInvoiceNumber, inv.invoiceNumber);
  const applied = stack.plex.store.writes.filter((w) => w.apInvoiceId === placeholderIds[0] && w.applied);
  assert.equal(applied.length, 1, 'the placeholder was written exactly once');
});
