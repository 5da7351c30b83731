// The Plex simulator as a faithful double of PLEX_API.md, over real HTTP: auth, bare-array lists and
// filters, single GETs, PUT merge and validation, PATCH, rate limit, faults, admin endpoints, dev seed.
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   This file asserts Plex's raw wire answers as parsed JSON, field by field: the shapes under test are what
   the assertions state (the typed client and its schemas are tested in client.test.ts and contract.test.ts). */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../plex-simulator/store.js';
import {
  DEV_PURCHASE_ORDERS,
  SimulatorStore,
  startPlexSimulator,
  type PlexSimulator,
  type PlexSimulatorOptions,
} from '../../plex-simulator/server.js';

const API_KEY = 'sim-test-key';
const KEY = { 'X-Plex-Connect-Api-Key': API_KEY };

async function start(t: TestContext, opts: Partial<PlexSimulatorOptions> = {}): Promise<PlexSimulator> {
  const sim = await startPlexSimulator({ apiKey: API_KEY, ...opts });
  t.after(() => sim.close());
  return sim;
}

async function call(sim: PlexSimulator, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers ?? KEY);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${sim.url}${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

const admin = (sim: PlexSimulator, path: string, json?: unknown) =>
  call(sim, `/__admin${path}`, json === undefined ? { headers: KEY } : { method: 'POST', headers: KEY, json });

const placeholderOf = (sim: PlexSimulator, poNumber: string) =>
  [...sim.store.apInvoices.values()].find((inv) => inv.poNumber === poNumber && inv.invoiceNumber === 'Received')!;

test('the API key is required in the header: missing, wrong or in the query string is 401', async (t) => {
  const sim = await start(t);
  for (const attempt of [
    call(sim, '/mdm/v1/tenants', { headers: {} }),
    call(sim, '/mdm/v1/tenants', { headers: { 'X-Plex-Connect-Api-Key': 'nope' } }),
    call(sim, `/mdm/v1/tenants?X-Plex-Connect-Api-Key=${API_KEY}`, { headers: {} }),
    call(sim, `/mdm/v1/tenants?apiKey=${API_KEY}`),
  ]) {
    const { status, body } = await attempt;
    assert.equal(status, 401);
    assert.equal(body.code, 'REQUEST_NOT_AUTHENTICATED');
    assert.equal(typeof body.message, 'string');
  }
  assert.equal((await call(sim, '/mdm/v1/tenants')).status, 200);
});

test('lists are bare arrays; pONumber filters POs while a misspelled poNumber is silently ignored', async (t) => {
  const sim = await start(t);
  const exact = await call(sim, '/purchasing/v1/purchase-orders?pONumber=062486');
  assert.ok(Array.isArray(exact.body));
  assert.deepEqual(
    exact.body.map((po: any) => po.poNumber),
    ['062486'],
  );
  assert.equal(exact.body[0].lineItemTotal, 1842.5, 'amounts are JSON numbers');
  const misspelled = await call(sim, '/purchasing/v1/purchase-orders?poNumber=062486');
  assert.equal(misspelled.body.length, DEV_PURCHASE_ORDERS.length);
});

test('ap-invoice filters: poNumber, status any case, invoiceNumber exact or case-insensitive by setting', async (t) => {
  const sim = await start(t);
  const byPo = await call(sim, '/accounting/v1/ap-invoices?poNumber=062487&status=new');
  assert.deepEqual(
    byPo.body.map((inv: any) => inv.invoiceNumber),
    ['RECEIVED'],
  );
  const exact = await call(sim, '/accounting/v1/ap-invoices?poNumber=062487&invoiceNumber=Received');
  assert.deepEqual(exact.body, []);
  sim.store.settings.invoiceNumberFilter = 'case-insensitive';
  const loose = await call(sim, '/accounting/v1/ap-invoices?poNumber=062487&invoiceNumber=Received');
  assert.equal(loose.body.length, 1);
  const bySupplier = await call(sim, '/accounting/v1/ap-invoices?supplierCode=GLSS01&paid=true');
  assert.deepEqual(
    bySupplier.body.map((inv: any) => inv.invoiceNumber),
    ['GLS-77810'],
  );
});

test('a list cap truncates silently; ignoring filters returns everything', async (t) => {
  const sim = await start(t, { listCap: 2 });
  const capped = await call(sim, '/accounting/v1/ap-invoices');
  assert.equal(capped.status, 200);
  assert.equal(capped.body.length, 2);
  await admin(sim, '/settings', { listCap: null, ignoreListFilters: true });
  const all = await call(sim, '/accounting/v1/ap-invoices?poNumber=062486');
  assert.equal(all.body.length, sim.store.apInvoices.size);
});

test('GET one: 404 RESOURCE_NOT_FOUND for an unknown id, 400 for a non-UUID', async (t) => {
  const sim = await start(t);
  const missing = await call(sim, '/accounting/v1/ap-invoices/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'RESOURCE_NOT_FOUND');
  const bad = await call(sim, '/purchasing/v1/purchase-orders/062486');
  assert.equal(bad.status, 400);
  const id = placeholderOf(sim, '062486').id;
  assert.equal((await call(sim, `/accounting/v1/ap-invoices/${id}`)).body.id, id);
  assert.equal((await call(sim, '/no/such/route')).status, 404);
});

test('PUT merges writable fields, ignores read-only ones, bumps modifiedDate and logs the write', async (t) => {
  const sim = await start(t);
  const placeholder = placeholderOf(sim, '062486');
  const before = structuredClone(placeholder);
  const put = await call(sim, `/accounting/v1/ap-invoices/${placeholder.id}`, {
    method: 'PUT',
    json: { invoiceNumber: 'INV-1', balance: 0, id: 'x', department: '310' },
  });
  assert.equal(put.status, 200);
  assert.equal(put.body.invoiceNumber, 'INV-1');
  assert.equal(put.body.balance, before.balance, 'balance is read-only');
  assert.equal(put.body.id, before.id);
  assert.equal(put.body.department, 310, 'department reads back as an integer');
  assert.equal(put.body.supplierCode, 'ACME01', 'fields not sent are kept');
  assert.ok(put.body.modifiedDate > before.modifiedDate);
  assert.deepEqual(
    (await admin(sim, '/writes')).body.writes.map((w: any) => [w.method, w.apInvoiceId, w.applied, w.responseStatus]),
    [['PUT', placeholder.id, true, 200]],
  );
});

test("PUT validation errors are 400 in Plex's {code, message, errors[]} shape and change nothing", async (t) => {
  const sim = await start(t);
  const placeholder = placeholderOf(sim, '062486');
  const put = await call(sim, `/accounting/v1/ap-invoices/${placeholder.id}`, {
    method: 'PUT',
    json: { invoiceNumber: 5, dueDate: 'next week' },
  });
  assert.equal(put.status, 400);
  assert.equal(put.body.code, 'VALIDATION_ERROR');
  assert.equal(typeof put.body.message, 'string');
  const fields = put.body.errors.map((e: any) => e.message.split(':')[0]).sort();
  assert.deepEqual(fields, ['dueDate', 'invoiceNumber']);
  assert.ok(put.body.errors.every((e: any) => typeof e.code === 'string'));
  assert.equal(placeholder.invoiceNumber, 'Received');
  assert.equal(sim.store.writes[0]?.applied, false);
  assert.equal(sim.store.writes[0]?.responseStatus, 400);
});

test('PATCH is 405 unless allowPatch, which makes it behave like PUT', async (t) => {
  const sim = await start(t);
  const id = placeholderOf(sim, '062486').id;
  const refused = await call(sim, `/accounting/v1/ap-invoices/${id}`, {
    method: 'PATCH',
    json: { invoiceNumber: 'P-1' },
  });
  assert.equal(refused.status, 405);
  assert.match(refused.headers.get('allow') ?? '', /PUT/);
  assert.equal(sim.store.apInvoices.get(id)?.invoiceNumber, 'Received');
  await admin(sim, '/settings', { allowPatch: true });
  const patched = await call(sim, `/accounting/v1/ap-invoices/${id}`, {
    method: 'PATCH',
    json: { invoiceNumber: 'P-1' },
  });
  assert.equal(patched.status, 200);
  assert.deepEqual(
    sim.store.writes.map((w) => [w.method, w.applied, w.responseStatus]),
    [
      ['PATCH', false, 405],
      ['PATCH', true, 200],
    ],
  );
});

test('over the per-key budget answers 429 with Retry-After in seconds; admin calls are not counted', async (t) => {
  const sim = await start(t, { rateLimitPerMinute: 2 });
  await admin(sim, '/calls');
  assert.equal((await call(sim, '/mdm/v1/tenants')).status, 200);
  assert.equal((await call(sim, '/mdm/v1/suppliers')).status, 200);
  const limited = await call(sim, '/mdm/v1/tenants');
  assert.equal(limited.status, 429);
  const retryAfter = Number(limited.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
});

test('the /__admin routes need the simulator key: without it or with another key, 401 and nothing changes', async (t) => {
  const sim = await start(t);
  const before = sim.store.purchaseOrders.size;
  const without: Record<string, string>[] = [{}, { 'X-Plex-Connect-Api-Key': 'not-the-key' }];
  for (const headers of without) {
    assert.equal((await call(sim, '/__admin/writes', { headers })).status, 401);
    assert.equal((await call(sim, '/__admin/reset', { method: 'POST', headers })).status, 401);
    const faults = await call(sim, '/__admin/faults', { method: 'POST', headers, json: { route: '*', hang: true } });
    assert.equal(faults.status, 401);
  }
  assert.equal(sim.store.faults.size, 0);
  assert.equal(sim.store.purchaseOrders.size, before);
  assert.equal((await admin(sim, '/writes')).status, 200);
  assert.ok(sim.url.startsWith('http://127.0.0.1:'), 'loopback by default');
});

test('fault knobs over /__admin: failNext, 5xx rate, and clearing', async (t) => {
  const sim = await start(t);
  const set = await admin(sim, '/faults', { route: 'purchase-orders.list', failNext: 2 });
  assert.deepEqual(set.body.faults, [{ route: 'purchase-orders.list', failNext: 2 }]);
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await call(sim, '/purchasing/v1/purchase-orders?pONumber=062486')).status);
  assert.deepEqual(statuses, [503, 503, 200]);
  await admin(sim, '/faults', { route: '*', status5xx: 1 });
  assert.equal((await call(sim, '/mdm/v1/tenants')).status, 500);
  await admin(sim, '/faults', { clear: true });
  assert.equal((await call(sim, '/mdm/v1/tenants')).status, 200);
  assert.equal((await admin(sim, '/faults', { route: 'nope', hang: true })).status, 400);
  const counts = (await admin(sim, '/calls')).body;
  assert.deepEqual(counts, {
    calls: { 'purchase-orders.list': 3, 'tenants.list': 2 },
    total: 5,
    responses: { 503: 2, 200: 2, 500: 1 },
  });
});

test('an injected 429 rate answers 429 with Retry-After even under a generous budget, and only on its route', async (t) => {
  const sim = await start(t, { rateLimitPerMinute: 1_000_000 });
  await admin(sim, '/faults', { route: 'ap-invoices.list', status429: 1, retryAfterSeconds: 7 });
  const limited = await call(sim, '/accounting/v1/ap-invoices?poNumber=062486');
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '7');
  assert.equal(limited.body.code, 'TOO_MANY_REQUESTS');
  assert.equal((await call(sim, '/purchasing/v1/purchase-orders?pONumber=062486')).status, 200, 'other routes answer');
  await admin(sim, '/faults', { route: '*', status429: 1 });
  const defaulted = await call(sim, '/mdm/v1/tenants');
  assert.equal(defaulted.status, 429);
  assert.equal(defaulted.headers.get('retry-after'), '1', 'Retry-After defaults to one second');
  await admin(sim, '/faults', { clear: true });
  assert.equal((await call(sim, '/accounting/v1/ap-invoices?poNumber=062486')).status, 200);
  assert.deepEqual((await admin(sim, '/calls')).body.responses, { 429: 2, 200: 2 });
  assert.equal((await admin(sim, '/faults', { route: '*', status429: 1.5 })).status, 400);
});

test('the 5xx, 429 and drop rates are probabilities drawn per call', () => {
  const draws = [0.05, 0.5, 0.95];
  let next = 0;
  const store = new SimulatorStore(DEFAULT_SETTINGS, 'none', () => draws[next++ % draws.length]!);
  const plan = (route: 'ap-invoices.put' | 'tenants.list') => {
    const p = store.planFault(route);
    return p.failStatus ?? (p.applyThenDrop ? 'drop' : 'ok');
  };
  store.setFault('tenants.list', { status5xx: 0.1 });
  assert.deepEqual([plan('tenants.list'), plan('tenants.list'), plan('tenants.list')], [500, 'ok', 'ok']);
  store.setFault('tenants.list', { status429: 0.6 });
  assert.deepEqual([plan('tenants.list'), plan('tenants.list'), plan('tenants.list')], [429, 429, 'ok']);
  // Both rates: a call that escapes the 5xx draw may still draw a 429.
  store.setFault('tenants.list', { status5xx: 0.1, status429: 0.6 });
  next = 0;
  assert.deepEqual(plan('tenants.list'), 500);
  next = 1;
  assert.equal(plan('tenants.list'), 'ok', '0.5 escapes 5xx, then 0.95 escapes 429');
  store.clearFaults();
  store.setFault('ap-invoices.put', { dropRate: 0.6 });
  next = 0;
  assert.deepEqual([plan('ap-invoices.put'), plan('ap-invoices.put'), plan('ap-invoices.put')], ['drop', 'drop', 'ok']);
});

test('a drop rate applies writes and then closes the connection without an answer', async (t) => {
  const sim = await start(t);
  const placeholder = placeholderOf(sim, '062486');
  await admin(sim, '/faults', { route: 'ap-invoices.put', dropRate: 1 });
  await assert.rejects(
    call(sim, `/accounting/v1/ap-invoices/${placeholder.id}`, { method: 'PUT', json: { invoiceNumber: 'D-1' } }),
  );
  assert.equal(placeholder.invoiceNumber, 'D-1', 'the write was applied');
  assert.deepEqual(
    sim.store.writes.map((w) => [w.applied, w.responseStatus]),
    [[true, null]],
  );
  assert.equal(sim.store.responses.dropped, 1);
  await admin(sim, '/faults', { route: 'ap-invoices.put', dropRate: 0 });
  assert.equal(
    (await call(sim, `/accounting/v1/ap-invoices/${placeholder.id}`, { method: 'PUT', json: { invoiceNumber: 'D-2' } }))
      .status,
    200,
  );
  assert.equal(
    (await call(sim, `/accounting/v1/ap-invoices/${placeholder.id}`)).status,
    200,
    'reads are never dropped',
  );
});

test('POST /__admin/purchase-orders creates supplier, PO, lines, receipts and placeholders', async (t) => {
  const sim = await start(t, { seed: 'none' });
  const created = await admin(sim, '/purchase-orders', {
    supplier: { name: 'Acme Fasteners Inc.' },
    poNumber: '070001',
    lines: [
      { description: 'Bolt', quantity: 3, unitPrice: '0.10' },
      { description: 'Nut', quantity: 1, unitPrice: 1 },
    ],
    placeholders: 2,
    invoices: [{ invoiceNumber: 'A-1', amount: '0.50' }],
  });
  assert.equal(created.status, 201);
  const ids = created.body;
  assert.equal(ids.supplierCode, 'ACME01');
  assert.equal(ids.lineItemIds.length, 2);
  assert.equal(ids.placeholderIds.length, 2);
  const po = (await call(sim, `/purchasing/v1/purchase-orders/${ids.purchaseOrderId}`)).body;
  assert.equal(po.lineItemTotal, 1.3);
  const amounts = ids.placeholderIds.map((id: string) => sim.store.apInvoices.get(id)!.amount);
  assert.deepEqual(amounts, [0.65, 0.65]);
  const lines = (await call(sim, `/purchasing/v1/purchase-orders/${ids.purchaseOrderId}/line-items`)).body;
  assert.deepEqual(
    lines.map((l: any) => [l.lineItemNumber, l.description, l.unitPrice]),
    [
      [1, 'Bolt', 0.1],
      [2, 'Nut', 1],
    ],
  );
  const receipts = (await call(sim, `/purchasing/v1/receipts?pOId=${ids.purchaseOrderId}`)).body;
  assert.deepEqual(receipts.map((r: any) => r.id).sort(), [...ids.receiptIds].sort());
  const again = await admin(sim, '/purchase-orders', {
    supplier: { name: 'acme fasteners inc.' },
    poNumber: '070002',
    lines: [{ description: 'x', quantity: 1, unitPrice: '2.00' }],
  });
  assert.equal(again.body.supplierId, ids.supplierId, 'supplier reused by name');
  const suppliers = (await call(sim, `/mdm/v1/suppliers?id=${ids.supplierId}`)).body;
  assert.deepEqual(
    suppliers.map((s: any) => s.name),
    ['Acme Fasteners Inc.'],
  );
  assert.equal((await admin(sim, '/purchase-orders', { poNumber: '1' })).status, 400);
  const inProcess = sim.store.createPurchaseOrder({
    supplier: { name: 'New Vendor LLC' },
    poNumber: '070003',
    lines: [{ description: 'y', quantity: 2, unitPrice: '1.25' }],
  });
  assert.equal(inProcess.supplierCode, 'NEWV01');
  assert.equal(sim.store.apInvoices.get(inProcess.placeholderIds[0]!)?.amount, 2.5);
});

test('the dev seed matches DEV_PURCHASE_ORDERS and keeps the same ids on every start', async (t) => {
  const [first, second] = await Promise.all([start(t), start(t)]);
  assert.deepEqual([...first.store.apInvoices.keys()], [...second.store.apInvoices.keys()]);
  for (const expected of DEV_PURCHASE_ORDERS) {
    const [po, ...rest] = (await call(first, `/purchasing/v1/purchase-orders?pONumber=${expected.poNumber}`)).body;
    assert.equal(rest.length, 0);
    assert.equal(po.lineItemTotal.toFixed(2), expected.lineItemTotal, expected.poNumber);
    const invoices = (await call(first, `/accounting/v1/ap-invoices?poNumber=${expected.poNumber}`)).body;
    const numbers = invoices.map((inv: any) => `${inv.invoiceNumber}=${inv.amount.toFixed(2)}`).sort();
    const wanted = [...expected.placeholders, ...expected.invoices].map((i) => `${i.invoiceNumber}=${i.amount}`).sort();
    assert.deepEqual(numbers, wanted, expected.poNumber);
  }
});

test('reset restores the start-up state; seed none empties the data but keeps the tenant', async (t) => {
  const sim = await start(t);
  const id = placeholderOf(sim, '062486').id;
  await call(sim, `/accounting/v1/ap-invoices/${id}`, { method: 'PUT', json: { invoiceNumber: 'INV-2' } });
  await admin(sim, '/faults', { route: '*', latencyMs: 1 });
  await admin(sim, '/reset', {});
  assert.equal(sim.store.apInvoices.get(id)?.invoiceNumber, 'Received');
  assert.deepEqual((await admin(sim, '/writes')).body.writes, []);
  assert.deepEqual((await admin(sim, '/faults')).body.faults, []);
  await admin(sim, '/seed', { dataset: 'none' });
  assert.deepEqual((await call(sim, '/purchasing/v1/purchase-orders')).body, []);
  assert.equal((await call(sim, '/mdm/v1/tenants')).body.length, 1);
});
