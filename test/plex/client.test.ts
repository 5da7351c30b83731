// The Plex client against the Plex simulator over real HTTP on 127.0.0.1: lookups, re-filtering, the
// GET-then-PUT write, error kinds, in-process retries (reads only) and the client-side call budget.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createPlexClient, type PlexClientOptions } from '../../plex/client.js';
import { PlexError, type PlexErrorKind } from '../../plex/types.js';
import type { PlexSimulatorOptions } from '../../plex-simulator/server.js';
import { simulatorAndClient } from '../support/plex.js';

const API_KEY = 'sim-test-key';

const setup = (
  t: TestContext,
  simOpts: Partial<PlexSimulatorOptions> = {},
  clientOpts: Partial<PlexClientOptions> = {},
) =>
  simulatorAndClient(t, {
    apiKey: API_KEY,
    simulator: simOpts,
    client: { retries: 2, backoffBaseMs: 1, backoffCapMs: 5, strictResponses: true, ...clientOpts },
  });

async function rejection(promise: Promise<unknown>, kind: PlexErrorKind): Promise<PlexError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PlexError, `expected a PlexError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    return err;
  }
  return assert.fail(`expected PlexError '${kind}', but the call succeeded`);
}

/** The dev placeholder of PO 062486 ("Received", 1842.50). */
function devPlaceholderId(sim: { store: { apInvoices: Map<string, { id: string; poNumber: string }> } }): string {
  return [...sim.store.apInvoices.values()].find((inv) => inv.poNumber === '062486')!.id;
}

test('a wrong API key is unauthorized, and the message names both causes Plex cannot tell apart', async (t) => {
  const { sim } = await setup(t);
  const client = createPlexClient({ baseUrl: sim.url, apiKey: 'wrong', timeoutMs: 2_000, retries: 3 });
  const err = await rejection(client.checkConnection(), 'unauthorized');
  assert.match(err.message, /REQUEST_NOT_AUTHENTICATED/);
  assert.match(err.message, /API product/);
  assert.equal(sim.store.calls['tenants.list'], 1, '401 is not retried');
});

test('checkConnection counts tenants and sends the tenant and customer headers', async (t) => {
  const seen: Headers[] = [];
  const { client } = await setup(
    t,
    {},
    {
      customerId: '79870',
      tenantId: 'a6a0c1b2-0000-4000-8000-000000000001',
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    },
  );
  assert.deepEqual(await client.checkConnection(), { ok: true, tenants: 1 });
  assert.equal(seen[0]?.get('x-plex-connect-api-key'), API_KEY);
  assert.equal(seen[0]?.get('x-plex-connect-customer-id'), '79870');
  assert.equal(seen[0]?.get('x-plex-connect-tenant-id'), 'a6a0c1b2-0000-4000-8000-000000000001');
});

test('findPurchaseOrders returns the PO with supplier name and code, looking each supplier up once', async (t) => {
  const { sim, client } = await setup(t);
  const [po, ...rest] = await client.findPurchaseOrders('062486');
  assert.equal(rest.length, 0);
  assert.equal(po?.poNumber, '062486');
  assert.equal(po?.supplierName, 'Acme Fasteners Inc.');
  assert.equal(po?.supplierCode, 'ACME01');
  assert.equal(po?.lineItemTotal, '1842.50');
  await client.findPurchaseOrders('062489'); // same supplier
  assert.equal(sim.store.calls['suppliers.list'], 1);
  assert.deepEqual(await client.findPurchaseOrders('999999'), []);
});

test('findPurchaseOrders keeps only the exact PO number when Plex ignores the filter', async (t) => {
  const { client } = await setup(t, { ignoreListFilters: true });
  const found = await client.findPurchaseOrders('062487');
  assert.deepEqual(
    found.map((po) => po.poNumber),
    ['062487'],
  );
  assert.equal(found[0]?.supplierName, 'Great Lakes Steel Supply');
});

test('listPlaceholders finds "Received" in any case and skips paid, closed and real invoices', async (t) => {
  const { sim, client } = await setup(t, { ignoreListFilters: true });
  const created = await fetch(`${sim.url}/__admin/purchase-orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Plex-Connect-Api-Key': API_KEY },
    body: JSON.stringify({
      supplier: { name: 'Acme Fasteners Inc.' },
      poNumber: '900001',
      lines: [{ description: 'Rivet', quantity: 100, unitPrice: '0.25' }],
      placeholders: [
        { invoiceNumber: 'Received', amount: '5.00' },
        { invoiceNumber: 'RECEIVED', amount: '6.00' },
        { invoiceNumber: ' received ', amount: '7.00', status: 'Open' },
        { invoiceNumber: 'Received', amount: '8.00', paid: true },
        { invoiceNumber: 'Received', amount: '9.00', status: 'Closed' },
      ],
      invoices: [{ invoiceNumber: 'INV-1', amount: '25.00' }],
    }),
  }).then((r) => r.json() as Promise<{ placeholderIds: string[] }>);
  const placeholders = await client.listPlaceholders('900001');
  assert.deepEqual(placeholders.map((p) => p.id).sort(), created.placeholderIds.slice(0, 3).sort());
  assert.deepEqual(placeholders.map((p) => p.amount).sort(), ['5.00', '6.00', '7.00']);
  assert.ok(placeholders.every((p) => p.poNumber === '900001'));
});

test('listPlaceholders finds an upper-case placeholder even when Plex filters invoiceNumber exactly', async (t) => {
  const { client } = await setup(t, { invoiceNumberFilter: 'exact' });
  const [placeholder, ...rest] = await client.listPlaceholders('062487');
  assert.equal(rest.length, 0);
  assert.equal(placeholder?.invoiceNumber, 'RECEIVED');
  assert.equal(placeholder?.amount, '12480.00');
  assert.equal((await client.listPlaceholders('062488')).length, 2, 'the ambiguous dev PO has two');
  assert.equal((await client.listPlaceholders('062489')).length, 0, 'the invoiced dev PO has none');
});

test('updateApInvoiceNumber PUTs once with the writable fields and returns the merged record', async (t) => {
  const { sim, client } = await setup(t);
  const id = devPlaceholderId(sim);
  const before = structuredClone(sim.store.apInvoices.get(id)!);
  const result = await client.updateApInvoiceNumber(id, 'INV-558120');
  assert.equal(result.invoice.invoiceNumber, 'INV-558120');
  assert.equal(result.invoice.amount, '1842.50');
  assert.equal(sim.store.writes.length, 1);
  const write = sim.store.writes[0]!;
  assert.equal(write.method, 'PUT');
  assert.equal(write.applied, true);
  assert.equal(write.responseStatus, 200);
  assert.deepEqual(write.body, result.requestBody);
  assert.equal(result.requestBody.invoiceNumber, 'INV-558120');
  assert.equal(result.requestBody.supplierCode, 'ACME01');
  assert.equal(result.requestBody.department, '200', 'department goes back as a string');
  for (const readOnly of ['id', 'createdDate', 'balance', 'amount', 'paid', 'lines']) {
    assert.ok(!(readOnly in result.requestBody), `${readOnly} must not be sent`);
  }
  const after = sim.store.apInvoices.get(id)!;
  assert.equal(after.invoiceNumber, 'INV-558120');
  assert.notEqual(after.modifiedDate, before.modifiedDate);
  assert.deepEqual(await client.findApInvoices({ poNumber: '062486', invoiceNumber: 'inv-558120' }), []);
  assert.equal((await client.findApInvoices({ poNumber: '062486', invoiceNumber: 'INV-558120' })).length, 1);
});

test("a rejected write is bad_request carrying Plex's validation message", async (t) => {
  const { sim, client } = await setup(t);
  const err = await rejection(client.updateApInvoiceNumber(devPlaceholderId(sim), '   '), 'bad_request');
  assert.match(err.message, /VALIDATION_ERROR/);
  assert.match(err.message, /invoiceNumber: The invoice number is empty/);
  assert.equal(err.details.status, 400);
  assert.equal(sim.store.writes[0]?.applied, false);
});

test('the simulator refuses invoice numbers Plex is not sent: markup, control and bidi characters, too long', async (t) => {
  const { sim, client } = await setup(t);
  const id = devPlaceholderId(sim);
  for (const [number, reason] of [
    ['<script>alert(1)</script>', /"<", ">"/],
    ['INV-1\r\nX', /control character/],
    ['INV-\u202e1', /text-direction/],
    ['A'.repeat(51), /51 characters long/],
  ] as const) {
    const err = await rejection(client.updateApInvoiceNumber(id, number), 'bad_request');
    assert.match(err.message, reason);
  }
  assert.ok(sim.store.writes.every((w) => !w.applied));
  assert.equal(sim.store.apInvoices.get(id)?.invoiceNumber, 'Received');
});

test('an unknown AP invoice is not_found; a record changed or removed just before the write is reported', async (t) => {
  const { sim, client } = await setup(t);
  await rejection(client.getApInvoice(randomUUID()), 'not_found');
  const id = devPlaceholderId(sim);
  sim.store.setFault('ap-invoices.put', { mutateBeforeWrite: 'change' });
  await rejection(client.updateApInvoiceNumber(id, 'INV-1'), 'conflict');
  assert.equal(sim.store.apInvoices.get(id)?.invoiceNumber, 'SOMEONE-ELSE');
  sim.store.setFault('ap-invoices.put', { mutateBeforeWrite: 'remove' });
  await rejection(client.updateApInvoiceNumber(id, 'INV-1'), 'not_found');
  assert.equal(sim.store.apInvoices.has(id), false);
});

test('a 503 on a read is retried in-process and then succeeds', async (t) => {
  const { sim, client, calls } = await setup(t);
  sim.store.setFault('ap-invoices.get', { failNext: 1 });
  const invoice = await client.getApInvoice(devPlaceholderId(sim));
  assert.equal(invoice.invoiceNumber, 'Received');
  assert.equal(sim.store.calls['ap-invoices.get'], 2);
  assert.deepEqual(
    calls.map((c) => [c.route, c.status, c.attempt]),
    [
      ['ap-invoices.get', 503, 0],
      ['ap-invoices.get', 200, 1],
    ],
  );
});

test('5xx on every try ends as a server error after retries + 1 calls', async (t) => {
  const { sim, client } = await setup(t, {}, { retries: 2 });
  sim.store.setFault('purchase-orders.list', { status5xx: 1 });
  const err = await rejection(client.findPurchaseOrders('062486'), 'server');
  assert.equal(err.details.status, 500);
  assert.equal(sim.store.calls['purchase-orders.list'], 3);
});

test('the PUT is never retried in-process, even after a 503', async (t) => {
  const { sim, client } = await setup(t, {}, { retries: 3 });
  sim.store.setFault('ap-invoices.put', { failNext: 1 });
  await rejection(client.updateApInvoiceNumber(devPlaceholderId(sim), 'INV-9'), 'server');
  assert.equal(sim.store.calls['ap-invoices.put'], 1);
  assert.deepEqual(
    sim.store.writes.map((w) => [w.applied, w.responseStatus]),
    [[false, 503]],
  );
});

test('429 is rate_limited with retryAfterMs from Retry-After when the wait is too long to sit out', async (t) => {
  const { client } = await setup(t, { rateLimitPerMinute: 1 }, { retries: 2 });
  await client.checkConnection();
  const err = await rejection(client.checkConnection(), 'rate_limited');
  assert.ok(
    err.details.retryAfterMs! > 50_000 && err.details.retryAfterMs! <= 60_000,
    String(err.details.retryAfterMs),
  );
});

test('a short enough Retry-After is waited out in-process and the read then succeeds', async (t) => {
  const sleeps: number[] = [];
  let now = 0;
  const { sim, client } = await setup(
    t,
    { rateLimitPerMinute: 1 },
    {
      retries: 1,
      maxRetryAfterMs: 120_000,
      clock: {
        now: () => now,
        sleep: async (ms) => {
          sleeps.push(ms);
          now += ms;
          sim.store.resetRateLimits(); // the simulator's minute passes too
        },
      },
    },
  );
  await client.checkConnection();
  assert.deepEqual(await client.checkConnection(), { ok: true, tenants: 1 });
  assert.equal(sleeps.length, 1);
  assert.ok(sleeps[0]! >= 59_000, `slept ${sleeps[0]} ms`);
  assert.equal(sim.store.calls['tenants.list'], 3);
});

test('a request that gets no answer ends as timeout (reads retried, each timing out)', async (t) => {
  const { sim, client } = await setup(t, {}, { timeoutMs: 150, retries: 1 });
  sim.store.setFault('ap-invoices.get', { hang: true });
  const err = await rejection(client.getApInvoice(devPlaceholderId(sim)), 'timeout');
  assert.match(err.message, /150 ms/);
  assert.equal(sim.store.calls['ap-invoices.get'], 2);
});

test('a write applied before the connection dropped: the client sees network, the write log shows applied', async (t) => {
  const { sim, client } = await setup(t, {}, { retries: 3 });
  const id = devPlaceholderId(sim);
  sim.store.setFault('ap-invoices.put', { applyThenDrop: true });
  const err = await rejection(client.updateApInvoiceNumber(id, 'INV-77'), 'network');
  assert.match(err.message, /may or may not have been applied/);
  assert.deepEqual(
    sim.store.writes.map((w) => [w.applied, w.responseStatus]),
    [[true, null]],
  );
  assert.equal(sim.store.calls['ap-invoices.put'], 1);
  const [applied] = await client.findApInvoices({ poNumber: '062486', invoiceNumber: 'INV-77' });
  assert.equal(applied?.id, id, 'a re-read finds the applied write');
});

test('a refused connection is a network error, retried for reads', async (t) => {
  const { sim, client, calls } = await setup(t, {}, { retries: 1 });
  await sim.close();
  await rejection(client.checkConnection(), 'network');
  assert.deepEqual(
    calls.map((c) => [c.status, c.errorKind]),
    [
      [0, 'network'],
      [0, 'network'],
    ],
  );
});

/** A fetch that hands the client each JSON answer after `edit` (Plex sending what the simulator never would). */
function editingAnswers(edit: (record: Record<string, unknown>) => void): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.ok) return response;
    const body = (await response.json()) as Record<string, unknown> | Record<string, unknown>[];
    for (const record of [body].flat()) edit(record);
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
}

test('a response that does not match the wire shape is invalid_response naming the field', async (t) => {
  // Plex sending an amount that is not a number (the simulator itself refuses to send one: a 500).
  const { sim, client } = await setup(
    t,
    {},
    {
      strictResponses: false,
      fetch: editingAnswers((record) => {
        if ('amount' in record) record.amount = 'eighteen hundred';
      }),
    },
  );
  const id = devPlaceholderId(sim);
  const single = await rejection(client.getApInvoice(id), 'invalid_response');
  assert.match(single.message, /\bamount\b/);
  const listed = await rejection(client.listPlaceholders('062486'), 'invalid_response');
  assert.match(listed.message, /\[0\]\.amount/);
});

test('the call budget makes extra calls wait their turn instead of failing', async (t) => {
  let now = 0;
  const sleeps: number[] = [];
  const startedAt: number[] = [];
  const { sim, client } = await setup(
    t,
    {},
    {
      maxCallsPerMinute: 3,
      clock: { now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) },
      fetch: (input, init) => {
        startedAt.push(now);
        return fetch(input, init);
      },
    },
  );
  const results = await Promise.all(Array.from({ length: 5 }, () => client.checkConnection()));
  assert.equal(results.length, 5);
  assert.deepEqual(startedAt, [0, 0, 0, 60_000, 60_000]);
  assert.deepEqual(sleeps, [60_000]);
  assert.equal(sim.store.calls['tenants.list'], 5);
});
