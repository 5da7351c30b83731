// The Plex reads matching uses, against the simulator over real HTTP: suppliers by name or code, a
// supplier's open POs, PO line items and receipts — each re-filtered client-side in case Plex ignored a filter.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { simulatorAndClient } from '../support/plex.js';

const API_KEY = 'sim-test-key';

for (const ignoreListFilters of [false, true]) {
  const how = ignoreListFilters ? 'when Plex ignores the filters' : 'with Plex filtering';

  const setup = (t: TestContext) =>
    simulatorAndClient(t, {
      apiKey: API_KEY,
      simulator: { ignoreListFilters }, // dev seed
      client: { retries: 0, strictResponses: true },
    });

  test(`suppliers are found by name (any case) or code, and all can be listed, ${how}`, async (t) => {
    const { client } = await setup(t);
    const byName = await client.findSuppliers({ name: ' acme fasteners inc. ' });
    assert.deepEqual(
      byName.map((s) => s.code),
      ['ACME01'],
    );
    assert.equal(byName[0]!.name, 'Acme Fasteners Inc.');
    assert.deepEqual(
      (await client.findSuppliers({ code: 'GLSS01' })).map((s) => s.name),
      ['Great Lakes Steel Supply'],
    );
    assert.deepEqual(
      await client.findSuppliers({ name: 'Acme Fasteners' }),
      [],
      'exact names only; similarity is matching’s job',
    );
    assert.deepEqual(await client.findSuppliers({}), []);
    assert.equal((await client.listSuppliers()).length, 4);
  });

  test(`a supplier's open POs exclude closed ones and other suppliers' POs, with their dates, ${how}`, async (t) => {
    const { sim, client, calls } = await setup(t);
    const acme = [...sim.store.suppliers.values()].find((s) => s.code === 'ACME01')!;
    sim.store.createPurchaseOrder({
      supplier: { name: 'Acme Fasteners Inc.', code: 'ACME01' },
      poNumber: '777001',
      status: 'Closed',
      lines: [{ description: 'x', quantity: 1, unitPrice: '1.00' }],
    });
    const open = await client.listOpenPurchaseOrders(acme.id);
    assert.deepEqual(open.map((po) => po.poNumber).sort(), ['062486', '062489']);
    assert.ok(open.every((po) => po.supplierName === 'Acme Fasteners Inc.' && po.status === 'Open'));
    assert.equal(open.find((po) => po.poNumber === '062486')?.orderedDate, '2025-10-20');
    assert.equal(open.find((po) => po.poNumber === '062486')?.lineItemTotal, '1842.50');
    const list = calls.find((c) => c.route === 'purchase-orders.list');
    assert.ok(list, 'asked Plex for the supplier’s POs');
  });

  test(`PO line items and receipts come back as decimal strings, only for that PO, ${how}`, async (t) => {
    const { sim, client } = await setup(t);
    const po = [...sim.store.purchaseOrders.values()].find((p) => p.poNumber === '062486')!;
    const lines = await client.listPurchaseOrderLines(po.id);
    assert.deepEqual(
      lines.map((l) => [l.lineItemNumber, l.quantity, l.unitPrice]),
      [
        [1, null, '0.41'],
        [2, null, '0.19'],
        [3, null, '13.70'],
      ],
      "Plex's PO line has no ordered quantity",
    );
    assert.equal(lines[0]!.supplierPartNumber, 'ACME01-001');
    const receipts = await client.listReceipts(po.id);
    assert.equal(receipts.length, 3);
    assert.ok(receipts.every((r) => r.poId === po.id && lines.some((l) => l.id === r.poLineItemId)));
    assert.deepEqual(receipts.map((r) => r.quantity).sort(), ['2500.00', '2500.00', '25.00'].sort());
    const notReceived = [...sim.store.purchaseOrders.values()].find((p) => p.poNumber === '062490')!;
    assert.deepEqual(await client.listReceipts(notReceived.id), []);
  });
}
