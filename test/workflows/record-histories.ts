// Records real invoice-workflow histories as replay fixtures (test/fixtures/histories/*.json).
// Run after a deliberate, compatible workflow change: `npm run record-histories [-- scenario …]` (named
// scenarios only: re-recording the others would hide a break of their older histories). The replay test then
// fails whenever a later change would break these recorded executions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { stopOwnedServices } from '../../testkit/services.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

const OUT = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

async function upload(stack: Stack, bytes: Uint8Array): Promise<string> {
  const res = await stack.upload([{ name: 'fixture.pdf', bytes }]);
  return ((await res.json()) as { invoices: { id: string }[] }).invoices[0]!.id;
}
const review = (stack: Stack, id: string, body: unknown) =>
  stack.api(`/api/invoices/${id}/review`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

const scenarios: Record<string, (stack: Stack) => Promise<string>> = {
  async 'auto-approved-synced'(stack) {
    const inv = uniqueInvoice();
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    const id = await upload(stack, await makeInvoicePdf(inv));
    await stack.client.workflow.getHandle(id).result();
    return id;
  },
  async 'reviewed-corrected-synced'(stack) {
    const inv = uniqueInvoice();
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    const id = await upload(stack, await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }));
    await stack.waitFor(id, (s) => s.status === 'awaiting_review');
    await review(stack, id, { action: 'approve', corrections: { invoiceNumber: inv.invoiceNumber } });
    await stack.client.workflow.getHandle(id).result();
    return id;
  },
  async 'escalated-sent-back-rejected'(stack) {
    const inv = uniqueInvoice();
    const id = await upload(stack, await makeInvoicePdf(inv));
    await stack.waitFor(id, (s) => s.status === 'escalated');
    await review(stack, id, { action: 'send_back', reason: 'check PO' });
    // The decision is recorded before the re-match finishes: retry until the invoice awaits review again.
    await eventually(
      'the reject was accepted',
      async () => (await review(stack, id, { action: 'reject', reason: 'not ours' })).status === 202,
      { intervalMs: 200 },
    );
    await stack.client.workflow.getHandle(id).result();
    return id;
  },
  async 'sync-failed-replayed'(stack) {
    const inv = uniqueInvoice();
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
    const id = await upload(stack, await makeInvoicePdf(inv));
    await stack.waitFor(id, (s) => s.status === 'sync_failed');
    stack.plex.store.clearFaults();
    await stack.api(`/api/invoices/${id}/retry-sync`, { method: 'POST' });
    await stack.client.workflow.getHandle(id).result();
    return id;
  },
  // Recorded with the notify-escalation and notify-sync-failed patches: both announce through a child.
  async 'escalated-notified-sync-failed-notified'(stack) {
    const inv = uniqueInvoice();
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    const id = await upload(stack, await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }));
    await stack.waitFor(id, (s) => s.status === 'escalated');
    stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
    await review(stack, id, { action: 'approve', corrections: { invoiceNumber: inv.invoiceNumber } });
    await stack.waitFor(id, (s) => s.status === 'sync_failed');
    stack.plex.store.clearFaults();
    await stack.api(`/api/invoices/${id}/retry-sync`, { method: 'POST' });
    await stack.client.workflow.getHandle(id).result();
    return id;
  },
};
const only = process.argv.slice(2);
const unknown = only.filter((name) => !(name in scenarios));
if (unknown.length)
  throw new Error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);

const stack = await startStack({ env: { ESCALATE_AFTER: '1s' } });
try {
  mkdirSync(OUT, { recursive: true });
  for (const [name, run] of Object.entries(scenarios)) {
    if (only.length && !only.includes(name)) continue;
    const id = await run(stack);
    const history = await stack.client.workflow.getHandle(id).fetchHistory();
    // protobufjs JSON form (longs and enums as strings, bytes base64); read back with History.fromObject.
    writeFileSync(
      `${OUT}${name}.json`,
      JSON.stringify(temporal.api.history.v1.History.fromObject(history).toJSON(), null, 1),
    );
    console.log(`recorded ${name} (${history.events?.length} events)`);
  }
} finally {
  await stack.stop();
  await stopOwnedServices();
}
