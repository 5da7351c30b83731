// One Plex key, two worker processes: the call budget is shared through PostgreSQL, so together the two
// workers stay under Plex's limit and never get a 429, while every invoice still goes through match and
// sync. (The per-process limiter alone would let each process spend the whole budget.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { makeInvoicePdf, type InvoiceSpec } from '../../testkit/invoice-pdf.js';
import { workerProcesses } from '../../testkit/worker-process.js';
import { withStack, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

const N = 10;
// Plex allows 12 calls per 2-second window here (a minute's budget, compressed so the test is quick).
const LIMIT = 12;
const WINDOW_MS = 2_000;
let stack: Stack;
withStack(
  {
    worker: false,
    plexRateLimit: LIMIT,
    plexRateWindowMs: WINDOW_MS,
    env: { PLEX_ACTIVITIES_PER_SECOND: '20', PLEX_CLIENT_RETRIES: '0' },
  },
  (started) => (stack = started),
);
const workers = workerProcesses(() => stack.env);

test(
  `${N} invoices through two worker processes on one Plex key: no 429 from Plex, every invoice synced`,
  { timeout: 240_000 },
  async (t) => {
    t.after(() => workers.killAll());
    const run = randomBytes(2).toString('hex').toUpperCase();
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const spec: InvoiceSpec = {
        invoiceNumber: `BP${run}-${i}`,
        poNumber: String(810_000 + i),
        vendorName: 'Acme Fasteners Inc.',
        invoiceDate: '2026-11-02',
        lines: [{ description: 'Hex bolt M8x40, zinc', quantity: 100 + i, unitPrice: '0.42' }],
      };
      stack.plex.store.createPurchaseOrder({
        supplier: { name: spec.vendorName },
        poNumber: spec.poNumber!,
        lines: spec.lines,
      });
      ids.push(await stack.uploadOne(`budget-${i}.pdf`, await makeInvoicePdf(spec)));
    }
    workers.start();
    workers.start();
    let rows: { status: string }[] = [];
    await eventually(
      () => `statuses ${JSON.stringify(rows.map((r) => r.status))}\n${workers.output()}`,
      async () => {
        rows = await stack.sql<{ status: string }[]>`select status from invoices where id = any(${ids})`;
        return rows.length === N && rows.every((r) => r.status === 'synced');
      },
      { timeoutMs: 200_000, intervalMs: 250, rethrow: true },
    );
    const calls = Object.values(stack.plex.store.calls).reduce((a, b) => a + b, 0);
    assert.ok(calls > 2 * LIMIT, `enough calls to hit the limit without a shared budget (${calls})`);
    assert.equal(
      stack.plex.store.responses['429'] ?? 0,
      0,
      `Plex answered 429: ${JSON.stringify(stack.plex.store.responses)}`,
    );
  },
);
