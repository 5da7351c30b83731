// The simulator in dev mode keeps its records in a state file between runs: a placeholder written in one
// run still carries that number after a restart (as in Plex), records added by the admin API stay, a
// reset goes back to the seed and is kept too, and a broken file is refused with what to do.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startPlexSimulator } from '../../plex-simulator/server.js';

const API_KEY = 'state-key';
const headers = { 'X-Plex-Connect-Api-Key': API_KEY, 'Content-Type': 'application/json' };

test('records written in one run are there in the next; a reset returns to the seed and is kept', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plex-sim-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stateFile = join(dir, 'state.json');

  const first = await startPlexSimulator({ apiKey: API_KEY, stateFile });
  const placeholder = [...first.store.apInvoices.values()].find(
    (i) => i.poNumber === '062486' && i.invoiceNumber === 'Received',
  )!;
  const put = await fetch(`${first.url}/accounting/v1/ap-invoices/${placeholder.id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ invoiceNumber: 'INV-KEPT-1' }),
  });
  assert.equal(put.status, 200);
  const created = first.store.createPurchaseOrder({
    supplier: { name: 'Kept Supplier Ltd' },
    poNumber: '880001',
    lines: [{ description: 'Widget', quantity: 2, unitPrice: '3.50' }],
  });
  await first.close();

  const second = await startPlexSimulator({ apiKey: API_KEY, stateFile });
  t.after(() => second.close());
  const read = await fetch(`${second.url}/accounting/v1/ap-invoices/${placeholder.id}`, { headers });
  assert.equal(((await read.json()) as { invoiceNumber: string }).invoiceNumber, 'INV-KEPT-1');
  assert.ok(second.store.purchaseOrders.has(created.purchaseOrderId));
  assert.ok([...second.store.suppliers.values()].some((s) => s.name === 'Kept Supplier Ltd'));
  assert.equal(second.store.receipts.size > 0 && second.store.lineItems.size > 0, true);

  // An admin reset goes back to the seed, and that is what the next run starts from.
  assert.equal((await fetch(`${second.url}/__admin/reset`, { method: 'POST', headers })).status, 200);
  await second.close();
  const third = await startPlexSimulator({ apiKey: API_KEY, stateFile });
  t.after(() => third.close());
  assert.equal(third.store.apInvoices.get(placeholder.id)?.invoiceNumber, 'Received');
  assert.equal(third.store.purchaseOrders.has(created.purchaseOrderId), false);
});

test('without a state file every run starts from the seed; a broken state file is refused with what to do', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plex-sim-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const plain = await startPlexSimulator({ apiKey: API_KEY });
  const placeholder = [...plain.store.apInvoices.values()].find((i) => i.invoiceNumber === 'Received')!;
  plain.store.apInvoices.get(placeholder.id)!.invoiceNumber = 'CHANGED';
  await plain.close();
  const again = await startPlexSimulator({ apiKey: API_KEY });
  t.after(() => again.close());
  assert.equal(again.store.apInvoices.get(placeholder.id)?.invoiceNumber, 'Received');

  const broken = join(dir, 'broken.json');
  writeFileSync(broken, JSON.stringify({ version: 1, suppliers: 'nope' }));
  await assert.rejects(
    startPlexSimulator({ apiKey: API_KEY, stateFile: broken }),
    /state file .* is not readable .* move it away/,
  );
});
