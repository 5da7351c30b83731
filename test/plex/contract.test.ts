// The client reads, and the simulator sends, only the fields Plex publishes for each resource: the
// simulator can no longer copy a misspelling of the client's (a receipt's pOId), and the client can no
// longer read a field Plex does not have (a PO line's quantity, a supplier's taxId).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import { PLEX_RESOURCE_FIELDS, type PlexResource } from '../../plex/resources.js';
import * as schemas from '../../plex/schemas.js';
import { startPlexSimulator } from '../../plex/simulator/server.js';

const READ_BY_CLIENT: [PlexResource, z.ZodObject][] = [
  ['apInvoice', schemas.ApInvoiceWire],
  ['purchaseOrder', schemas.PurchaseOrderWire],
  ['purchaseOrderLine', schemas.PurchaseOrderLineWire],
  ['receipt', schemas.ReceiptWire],
  ['supplier', schemas.SupplierWire],
  ['supplierFinancials', schemas.SupplierFinancialsWire],
  ['tenant', schemas.TenantWire],
];

test('every field the client reads exists on the Plex resource', () => {
  for (const [resource, schema] of READ_BY_CLIENT) {
    const published: readonly string[] = PLEX_RESOURCE_FIELDS[resource];
    for (const field of Object.keys(schema.shape)) {
      assert.ok(published.includes(field), `the client reads ${resource}.${field}, which Plex does not publish`);
    }
  }
});

test('the simulator sends only the fields Plex publishes, spelt as Plex spells them', async (t) => {
  const key = 'contract-key';
  const sim = await startPlexSimulator({ apiKey: key }); // dev seed
  t.after(() => sim.close());
  const get = async (path: string) => {
    const res = await fetch(`${sim.url}${path}`, { headers: { 'X-Plex-Connect-Api-Key': key } });
    assert.equal(res.status, 200, path);
    return (await res.json()) as Record<string, unknown> | Record<string, unknown>[];
  };
  const po = [...sim.store.purchaseOrders.values()].find((p) => p.poNumber === '062486')!;
  const bodies: [PlexResource, string][] = [
    ['apInvoice', '/accounting/v1/ap-invoices'],
    ['purchaseOrder', '/purchasing/v1/purchase-orders?pONumber=062486'],
    ['purchaseOrderLine', `/purchasing/v1/purchase-orders/${po.id}/line-items`],
    ['receipt', `/purchasing/v1/receipts?pOId=${po.id}`],
    ['supplier', '/mdm/v1/suppliers'],
    ['supplierFinancials', `/mdm/v1/suppliers/${[...sim.store.suppliers.values()].find((s) => s.code === 'NORT01')!.id}/financials`],
    ['tenant', '/mdm/v1/tenants'],
  ];
  for (const [resource, path] of bodies) {
    const published: readonly string[] = PLEX_RESOURCE_FIELDS[resource];
    const items = [await get(path)].flat();
    assert.ok(items.length > 0, `${path} returned records`);
    for (const item of items) {
      for (const field of Object.keys(item)) assert.ok(published.includes(field), `${path}: the simulator sends ${resource}.${field}, which Plex does not publish`);
    }
  }
});
