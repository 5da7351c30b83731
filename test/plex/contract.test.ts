// One schema per Plex resource (plex/resources.ts), used by both sides: the client reads only fields the
// resource has (its wire schemas are picked from it), the simulator cannot send a field Plex does not publish
// (it checks every answer against the resource and refuses a misfit with a 500), and a client told to be
// strict refuses a response carrying an unknown field. So the simulator can no longer copy a misspelling of
// the client's (a receipt's pOId), and the client can no longer read a field Plex does not have (a PO line's
// quantity, a supplier's taxId).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { z } from 'zod';
import { loadConfig } from '../../config/index.js';
import { createPlexClient } from '../../plex/client.js';
import {
  PLEX_RESOURCE_FIELDS,
  PLEX_RESOURCES,
  PLEX_ROUTES,
  Receipt,
  type PlexResource,
  type PlexRoute,
} from '../../plex/resources.js';
import * as schemas from '../../plex/schemas.js';
import {
  createSimulatorApp,
  SimulatorStore,
  startPlexSimulator,
  type PlexSimulator,
} from '../../plex-simulator/server.js';
import { DEFAULT_SETTINGS, SIM_ROUTES } from '../../plex-simulator/store.js';
import { PlexError } from '../../plex/types.js';

const KEY = 'contract-key';

const READ_BY_CLIENT: [PlexResource, z.ZodObject][] = [
  ['apInvoice', schemas.ApInvoiceWire],
  ['purchaseOrder', schemas.PurchaseOrderWire],
  ['purchaseOrderLine', schemas.PurchaseOrderLineWire],
  ['receipt', schemas.ReceiptWire],
  ['supplier', schemas.SupplierWire],
  ['supplierFinancials', schemas.SupplierFinancialsWire],
  ['tenant', schemas.TenantWire],
];

async function simulator(t: TestContext): Promise<PlexSimulator> {
  const sim = await startPlexSimulator({ apiKey: KEY }); // dev seed
  t.after(() => sim.close());
  return sim;
}

async function call(sim: PlexSimulator, method: string, path: string, json?: unknown) {
  const headers: Record<string, string> = { 'X-Plex-Connect-Api-Key': KEY };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const devPo = (sim: PlexSimulator) => [...sim.store.purchaseOrders.values()].find((p) => p.poNumber === '062486')!;

test('every field the client reads exists on the Plex resource', () => {
  for (const [resource, schema] of READ_BY_CLIENT) {
    const published: readonly string[] = PLEX_RESOURCE_FIELDS[resource];
    for (const field of Object.keys(schema.shape)) {
      assert.ok(published.includes(field), `the client reads ${resource}.${field}, which Plex does not publish`);
    }
  }
});

test('a client view can only pick fields of its resource, by type and at run time', () => {
  // @ts-expect-error pOId is a query parameter's spelling, not a field of the receipt
  assert.throws(() => schemas.readsOf(Receipt, { pOId: true }), /pOId/);
  const spec = { poId: true, quantity: z.number() } as const;
  assert.deepEqual(Object.keys(schemas.readsOf(Receipt, spec).shape), ['poId', 'quantity']);
  // Loose: a field the view does not read passes through (the PUT body is rebuilt from the record as read).
  const record = schemas.ReceiptWire.parse({ id: 'r-1', quantity: 2, somethingNew: 'kept' });
  assert.equal(record.quantity, '2.00', "the client's own transform");
  assert.equal((record as Record<string, unknown>).somethingNew, 'kept');
});

test("the field table is the resource schemas' keys", () => {
  for (const [resource, schema] of Object.entries(PLEX_RESOURCES)) {
    assert.deepEqual(PLEX_RESOURCE_FIELDS[resource as PlexResource], Object.keys(schema.shape));
  }
  assert.ok(
    PLEX_RESOURCE_FIELDS.receipt.includes('poId') &&
      !(PLEX_RESOURCE_FIELDS.receipt as readonly string[]).includes('pOId'),
  );
});

test('the simulator sends only the fields Plex publishes, spelt as Plex spells them', async (t) => {
  const sim = await simulator(t);
  const po = devPo(sim);
  const bodies: [PlexResource, string][] = [
    ['apInvoice', '/accounting/v1/ap-invoices'],
    ['purchaseOrder', '/purchasing/v1/purchase-orders?pONumber=062486'],
    ['purchaseOrderLine', `/purchasing/v1/purchase-orders/${po.id}/line-items`],
    ['receipt', `/purchasing/v1/receipts?pOId=${po.id}`],
    ['supplier', '/mdm/v1/suppliers'],
    [
      'supplierFinancials',
      `/mdm/v1/suppliers/${[...sim.store.suppliers.values()].find((s) => s.code === 'NORT01')!.id}/financials`,
    ],
    ['tenant', '/mdm/v1/tenants'],
  ];
  for (const [resource, path] of bodies) {
    const { status, body } = await call(sim, 'GET', path);
    assert.equal(status, 200, path);
    const published: readonly string[] = PLEX_RESOURCE_FIELDS[resource];
    const items = [body as Record<string, unknown>].flat();
    assert.ok(items.length > 0, `${path} returned records`);
    for (const item of items) {
      for (const field of Object.keys(item))
        assert.ok(
          published.includes(field),
          `${path}: the simulator sends ${resource}.${field}, which Plex does not publish`,
        );
    }
  }
});

test('the simulator refuses to send a record with a misspelt field or a wrong type: a 500 naming the field', async (t) => {
  const sim = await simulator(t);
  const po = devPo(sim);
  const path = `/purchasing/v1/receipts?pOId=${po.id}`;
  assert.equal((await call(sim, 'GET', path)).status, 200);

  const receipt = [...sim.store.receipts.values()].find((r) => r.poId === po.id)!;
  Object.assign(receipt, { pOId: receipt.poId }); // the query parameter's spelling, in the body
  const misspelt = await call(sim, 'GET', path);
  assert.equal(misspelt.status, 500);
  assert.equal((misspelt.body as { code: string }).code, 'SIMULATOR_CONTRACT_VIOLATION');
  assert.match((misspelt.body as { message: string }).message, /receipts\.list.*receipt.*Unrecognized key: "pOId"/);
  assert.equal(sim.store.responses['500'], 1, 'counted as the 500 it was');

  delete (receipt as unknown as Record<string, unknown>).pOId;
  Object.assign(receipt, { quantity: '2500' }); // a quantity as text: Plex sends numbers
  const wrongType = await call(sim, 'GET', path);
  assert.equal(wrongType.status, 500);
  assert.match((wrongType.body as { message: string }).message, /\[0\]\.quantity: Invalid input: expected number/);
  assert.equal(sim.store.contractViolations.length, 2, 'both kept for the tests to see');
});

test('every route the simulator serves has a resource schema, and every answer goes through it', async (t) => {
  const served = createSimulatorApp(new SimulatorStore(DEFAULT_SETTINGS, 'none'), KEY)
    .routes.filter((route) => route.method !== 'ALL' && !route.path.startsWith('/__admin'))
    .map((route) => `${route.method} ${route.path}`);
  const described = Object.values(PLEX_ROUTES).map((route) => `${route.method} ${route.path}`);
  for (const route of new Set(served))
    assert.ok(described.includes(route), `${route} is served but has no entry in PLEX_ROUTES`);
  for (const route of described) assert.ok(served.includes(route), `${route} is in PLEX_ROUTES but not served`);
  assert.deepEqual([...SIM_ROUTES].sort(), Object.keys(PLEX_ROUTES).sort());

  const sim = await simulator(t);
  sim.store.settings.allowPatch = true;
  const po = devPo(sim);
  const invoiceId = [...sim.store.apInvoices.values()].find((inv) => inv.poNumber === '062486')!.id;
  const northern = [...sim.store.suppliers.values()].find((s) => s.code === 'NORT01')!.id;
  const requests: Record<PlexRoute, [method: string, path: string, body?: unknown]> = {
    'ap-invoices.list': ['GET', '/accounting/v1/ap-invoices'],
    'ap-invoices.get': ['GET', `/accounting/v1/ap-invoices/${invoiceId}`],
    'ap-invoices.put': ['PUT', `/accounting/v1/ap-invoices/${invoiceId}`, { invoiceNumber: 'INV-C1' }],
    'ap-invoices.patch': ['PATCH', `/accounting/v1/ap-invoices/${invoiceId}`, { invoiceNumber: 'INV-C1' }],
    'purchase-orders.list': ['GET', '/purchasing/v1/purchase-orders'],
    'purchase-orders.get': ['GET', `/purchasing/v1/purchase-orders/${po.id}`],
    'purchase-orders.line-items': ['GET', `/purchasing/v1/purchase-orders/${po.id}/line-items`],
    'receipts.list': ['GET', '/purchasing/v1/receipts'],
    'suppliers.list': ['GET', '/mdm/v1/suppliers'],
    'suppliers.financials': ['GET', `/mdm/v1/suppliers/${northern}/financials`],
    'tenants.list': ['GET', '/mdm/v1/tenants'],
  };
  for (const [route, [method, path, body]] of Object.entries(requests)) {
    const answer = await call(sim, method, path, body);
    assert.equal(answer.status, 200, `${route}: the dev data is what Plex publishes (${JSON.stringify(answer.body)})`);
  }
  assert.deepEqual(sim.store.contractViolations, []);

  // A field no resource has, on every record of every table: every route must refuse to send it.
  const tables = [
    sim.store.apInvoices,
    sim.store.purchaseOrders,
    sim.store.lineItems,
    sim.store.receipts,
    sim.store.suppliers,
    sim.store.supplierFinancials,
  ];
  for (const record of [...tables.flatMap((table) => [...table.values()]), ...sim.store.tenants])
    Object.assign(record, { notPublished: 1 });
  for (const [route, [method, path, body]] of Object.entries(requests)) {
    const answer = await call(sim, method, path, body);
    assert.equal(answer.status, 500, `${route} sent a field Plex does not publish`);
    assert.match((answer.body as { message: string }).message, /"notPublished"/, route);
  }
  assert.equal(sim.store.contractViolations.length, Object.keys(requests).length);
});

/** A stand-in for Plex answering one AP invoice (and a tenant list) with whatever `record` holds. */
async function fakePlex(t: TestContext, record: Record<string, unknown>): Promise<string> {
  const server = createServer((req, res) => {
    const body = req.url?.startsWith('/mdm/v1/tenants')
      ? [{ id: '0b0d7c4e-8e51-4d0e-9c2a-5d3f1b2a9e10', code: '79870', name: 'Plant' }]
      : record;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('a strict client refuses a response carrying an unknown field; a tolerant one reads it', async (t) => {
  const id = '6f1c2a9e-0b7d-4c3e-9a51-2d8e4f0b1a77';
  const invoice = { id, invoiceNumber: 'Received', status: 'New', poNumber: '062486', amount: 1842.5, paid: false };
  const baseUrl = await fakePlex(t, { ...invoice, invoiceNo: 'A-1' }); // misspelt invoiceNumber
  const client = (strictResponses: boolean) =>
    createPlexClient({ baseUrl, apiKey: 'k', timeoutMs: 2_000, retries: 0, strictResponses });

  const refused = await client(true)
    .getApInvoice(id)
    .then(
      () => assert.fail('the strict client read it'),
      (err: unknown) => err,
    );
  assert.ok(refused instanceof PlexError, String(refused));
  assert.equal(refused.kind, 'invalid_response');
  assert.match(refused.message, /apInvoice.*Unrecognized key: "invoiceNo".*strict responses/);
  assert.equal((await client(true).checkConnection()).tenants, 1, 'a response Plex publishes passes');

  const read = await client(false).readApInvoice(id);
  assert.equal(read.summary.amount, '1842.50');
  assert.equal(read.summary.invoiceNumber, 'Received');
});

test('a strict client refuses a published field of the wrong type', async (t) => {
  const id = '6f1c2a9e-0b7d-4c3e-9a51-2d8e4f0b1a77';
  const baseUrl = await fakePlex(t, { id, invoiceNumber: 'Received', department: '200' }); // an integer on reads
  const strict = createPlexClient({ baseUrl, apiKey: 'k', timeoutMs: 2_000, retries: 0, strictResponses: true });
  await assert.rejects(
    strict.getApInvoice(id),
    (err: unknown) => err instanceof PlexError && err.kind === 'invalid_response' && /department/.test(err.message),
  );
  const tolerant = createPlexClient({ baseUrl, apiKey: 'k', timeoutMs: 2_000, retries: 0 });
  assert.equal((await tolerant.getApInvoice(id)).id, id);
});

test('PLEX_STRICT_RESPONSES turns strict responses on for the clients built from config; off by default', () => {
  const plex = { PLEX_BASE_URL: 'https://test.connect.plex.com', PLEX_API_KEY: 'k' };
  assert.equal(loadConfig(plex).plex?.strictResponses, false);
  assert.equal(loadConfig({ ...plex, PLEX_STRICT_RESPONSES: 'true' }).plex?.strictResponses, true);
});
