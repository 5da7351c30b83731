// What one client keeps of a supplier's lists between invoices (PLEX_READ_CACHE_SECONDS), against the
// simulator over real HTTP with a hand-driven clock: open POs and recent receipts read once for a burst
// of one supplier's invoices, its AP invoices reused only when asked and only while young, a write's
// answer replacing the record in them, and every fallback to Plex where a kept list cannot answer.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { simulatorAndClient } from '../support/plex.js';

const API_KEY = 'supplier-reads-key';
const TTL = 60_000;

async function setup(t: TestContext) {
  let now = Date.parse('2025-11-20T12:00:00Z'); // a month after the dev seed's receipts
  const calls: string[] = [];
  const clock = { now: () => now, sleep: async () => {} };
  const recording: typeof fetch = (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search ? `?${url.searchParams.toString()}` : ''}`);
    return fetch(input, init);
  };
  // dev seed: ACME01 has open POs 062486 and 062489
  const { sim, client } = await simulatorAndClient(t, {
    apiKey: API_KEY,
    client: { retries: 0, strictResponses: true, clock, readCacheMs: TTL, fetch: recording },
  });
  const acme = [...sim.store.suppliers.values()].find((s) => s.code === 'ACME01')!;
  const po = (poNumber: string) => [...sim.store.purchaseOrders.values()].find((p) => p.poNumber === poNumber)!;
  const routes = () => calls.splice(0);
  return {
    sim,
    client,
    acme,
    po,
    routes,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

test('the second invoice of a supplier within the cache lifetime reads its open POs and recent receipts once; later ones ask nothing', async (t) => {
  const { client, acme, po, routes, advance } = await setup(t);
  assert.deepEqual(client.cachedPurchaseOrders('062486'), [], 'nothing kept before any read');

  await client.noteSupplier(acme.id); // the first invoice of this supplier: nothing read ahead
  assert.deepEqual(routes(), []);
  advance(5_000);
  await client.noteSupplier(acme.id); // the second, 5 s later: its lists are read once
  const read = routes();
  // The PO list, the receipts, and the supplier's own record (its name on the POs, kept for the process).
  assert.equal(read.length, 3, read.join('\n'));
  assert.ok(read.includes(`GET /mdm/v1/suppliers?id=${acme.id}`), read.join('\n'));
  assert.ok(
    read.some(
      (r) =>
        r.startsWith('GET /purchasing/v1/purchase-orders?') &&
        r.includes(`supplierId=${acme.id}`) &&
        r.includes('status=Open'),
    ),
    read.join('\n'),
  );
  assert.ok(
    read.some(
      (r) =>
        r.startsWith('GET /purchasing/v1/receipts?') &&
        r.includes(`supplierId=${acme.id}`) &&
        r.includes('receiveDateBegin='),
    ),
    read.join('\n'),
  );

  // Later invoices of the burst: the PO and its receipts without a call.
  assert.deepEqual(
    client.cachedPurchaseOrders(' 062486 ').map((p) => p.id),
    [po('062486').id],
  );
  assert.deepEqual(
    client.cachedPurchaseOrders('062489').map((p) => p.poNumber),
    ['062489'],
  );
  const receipts = await client.listReceipts(po('062486').id, { supplierId: acme.id });
  assert.ok(receipts.length > 0 && receipts.every((r) => r.poId === po('062486').id));
  await client.noteSupplier(acme.id);
  assert.deepEqual(routes(), [], 'no Plex call for a kept PO, its receipts, or a third invoice');

  // Past the lifetime, nothing is answered from what was kept.
  advance(TTL);
  assert.deepEqual(client.cachedPurchaseOrders('062486'), []);
  await client.listReceipts(po('062486').id, { supplierId: acme.id });
  assert.equal(routes().length, 1, 'receipts asked of Plex again');
});

test('a PO without receipts in the kept list is asked of Plex (none is never taken from a kept list)', async (t) => {
  const { sim, client, acme, routes, advance } = await setup(t);
  await client.noteSupplier(acme.id);
  advance(1_000);
  await client.noteSupplier(acme.id);
  routes();
  // Goods received after the supplier's receipts were read.
  const created = sim.store.createPurchaseOrder({
    supplier: { name: 'Acme Fasteners Inc.', code: 'ACME01' },
    poNumber: '777010',
    lines: [{ description: 'Hex nut M8', quantity: 10, unitPrice: '0.10' }],
  });
  const fresh = await client.listReceipts(created.purchaseOrderId, { supplierId: acme.id });
  assert.ok(fresh.length > 0, "the new PO's receipts, read from Plex");
  assert.deepEqual(routes(), [`GET /purchasing/v1/receipts?pOId=${created.purchaseOrderId}`]);
  assert.deepEqual(client.cachedPurchaseOrders('777010'), [], 'a PO opened after the read is not among the kept ones');
});

test("placeholders are read afresh from the supplier's AP invoices; the duplicate check reuses that list only when asked and while young", async (t) => {
  const { sim, client, routes, advance } = await setup(t);
  const placeholders = await client.listPlaceholders('062486', { supplierCode: 'ACME01' });
  assert.equal(placeholders.length, 1);
  assert.deepEqual(routes(), ['GET /accounting/v1/ap-invoices?supplierCode=ACME01']);
  // Read afresh each time, never from what was kept.
  await client.listPlaceholders('062486', { supplierCode: 'ACME01' });
  assert.equal(routes().length, 1);

  advance(10_000);
  const reused = await client.listSupplierApInvoices('ACME01', 'INV-1', { maxAgeMs: 30_000 });
  assert.deepEqual(routes(), [], 'a 10 s old list serves a check that accepts 30 s');
  assert.ok(
    reused.invoices.some((r) => r.summary.id === placeholders[0]!.id && r.writable.invoiceNumber === 'Received'),
  );
  await client.listSupplierApInvoices('ACME01', 'INV-1', { maxAgeMs: 5_000 });
  assert.equal(routes().length, 1, 'too old for a check that accepts 5 s: read again');
  await client.listSupplierApInvoices('ACME01', 'INV-1');
  assert.equal(routes().length, 1, 'no age given: always read');

  // A write's answer replaces the record in the kept list.
  const { requestBody } = await client.updateApInvoiceNumber(placeholders[0]!.id, 'INV-1');
  assert.equal(requestBody.invoiceNumber, 'INV-1');
  routes();
  const after = await client.listSupplierApInvoices('ACME01', 'INV-1', { maxAgeMs: 30_000 });
  assert.deepEqual(routes(), []);
  assert.equal(after.invoices.find((r) => r.summary.id === placeholders[0]!.id)?.summary.invoiceNumber, 'INV-1');
  assert.equal(sim.store.apInvoices.get(placeholders[0]!.id)?.invoiceNumber, 'INV-1');
});

test("a placeholder filed under another supplier code, or no supplier code known, is found through the PO's AP invoices", async (t) => {
  const { sim, client, routes } = await setup(t);
  const placeholder = [...sim.store.apInvoices.values()].find(
    (i) => i.poNumber === '062486' && i.invoiceNumber === 'Received',
  )!;
  placeholder.supplierCode = 'ACME-REMIT';
  const found = await client.listPlaceholders('062486', { supplierCode: 'ACME01' });
  assert.deepEqual(
    found.map((p) => p.id),
    [placeholder.id],
  );
  assert.deepEqual(routes(), [
    'GET /accounting/v1/ap-invoices?supplierCode=ACME01',
    'GET /accounting/v1/ap-invoices?poNumber=062486',
  ]);
  await client.listPlaceholders('062486');
  assert.deepEqual(routes(), ['GET /accounting/v1/ap-invoices?poNumber=062486']);
});

test('with the cache off (0), every list is read afresh', async (t) => {
  const { sim, client, calls } = await simulatorAndClient(t, {
    apiKey: API_KEY,
    client: { retries: 0, readCacheMs: 0 },
  });
  const acme = [...sim.store.suppliers.values()].find((s) => s.code === 'ACME01')!;
  await client.noteSupplier(acme.id);
  await client.noteSupplier(acme.id);
  assert.deepEqual(client.cachedPurchaseOrders('062486'), []);
  await client.listSupplierApInvoices('ACME01', 'X', { maxAgeMs: 60_000 });
  await client.listSupplierApInvoices('ACME01', 'X', { maxAgeMs: 60_000 });
  assert.equal(calls.filter((c) => c.path.startsWith('/accounting/v1/ap-invoices')).length, 2);
});
