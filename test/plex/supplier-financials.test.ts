// A supplier's financials (tax id, bank account) through the client, served by the simulator and seeded
// through its admin API: read, cached for minutes, 404 as "none on file", admin routes keyed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUPPLIER_FINANCIALS_TTL_MS } from '../../plex/client.js';
import { startPlexSimulator } from '../../plex-simulator/server.js';
import { simulatorAndClient } from '../support/plex.js';

const API_KEY = 'financials-key';

test('financials are read, cached for minutes, and a supplier without them is null', async (t) => {
  let now = 1_000_000;
  const clock = { now: () => now, sleep: async () => {} };
  // dev seed: NORT01 has financials
  const { sim, client, calls } = await simulatorAndClient(t, {
    apiKey: API_KEY,
    client: { retries: 0, strictResponses: true, clock },
  });
  const supplierId = (code: string) => [...sim.store.suppliers.values()].find((s) => s.code === code)!.id;

  const northern = await client.getSupplierFinancials(supplierId('NORT01'));
  assert.deepEqual(northern, {
    supplierId: supplierId('NORT01'),
    taxId: '41-2345678',
    taxIdType: 'EIN',
    ibanNo: 'GB82WEST12345698765432',
    swiftNo: 'WESTGB2L',
    bankName: 'Westminster Bank',
  });
  assert.equal(await client.getSupplierFinancials(supplierId('ACME01')), null, 'no financials on file: 404 → null');

  // Changed in Plex: the cached answer stands for the TTL, then the new IBAN is read.
  const res = await fetch(`${sim.url}/__admin/suppliers/NORT01/financials`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Plex-Connect-Api-Key': API_KEY },
    body: JSON.stringify({ ibanNo: 'DE89 3704 0044 0532 0130 00', bankName: null }),
  });
  assert.equal(res.status, 200);
  await client.getSupplierFinancials(supplierId('NORT01'));
  assert.equal(
    calls.filter((c) => c.route === 'suppliers.financials').length,
    2,
    'the second read of NORT01 came from the cache',
  );
  now += SUPPLIER_FINANCIALS_TTL_MS;
  const fresh = await client.getSupplierFinancials(supplierId('NORT01'));
  assert.equal(fresh?.ibanNo, 'DE89370400440532013000', 'compact, as compared with a printed IBAN');
  assert.equal(fresh?.bankName, null, 'nullable where Plex sends null');
  assert.equal(fresh?.taxId, '41-2345678', 'fields not given to the admin route are kept');
});

test('the financials admin route needs the simulator key and an existing supplier', async (t) => {
  const sim = await startPlexSimulator({ apiKey: API_KEY });
  t.after(() => sim.close());
  const put = (code: string, key?: string) =>
    fetch(`${sim.url}/__admin/suppliers/${code}/financials`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...(key ? { 'X-Plex-Connect-Api-Key': key } : {}) },
      body: JSON.stringify({ taxId: 'DE811234567' }),
    });
  assert.equal((await put('ACME01')).status, 401);
  assert.equal((await put('NOPE99', API_KEY)).status, 404);
  assert.equal((await put('ACME01', API_KEY)).status, 200);
  const bad = await fetch(`${sim.url}/__admin/suppliers/ACME01/financials`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Plex-Connect-Api-Key': API_KEY },
    body: JSON.stringify({ iban: 'x' }),
  });
  assert.equal(bad.status, 400, 'a misspelt field is refused (strict body)');
});
