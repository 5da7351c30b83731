// Chaos: 200 invoices through the real pipeline while Plex answers 5xx, 429, loses write responses, lets
// some writes land seconds after their answer was lost, and another writer edits placeholders between
// PlexSync's read and its write; the worker process is killed once mid-run and restarted. Every invoice
// ends synced or parked in sync_failed with a reason; Plex never gets a second applied write to a
// placeholder, a write meant for another invoice's placeholder, or a write that undoes another writer's
// change; replaying the parked ones (Plex healthy again) syncs them all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { SimRoute } from '../../plex-simulator/server.js';
import { makeInvoicePdf, type InvoiceSpec } from '../../testkit/invoice-pdf.js';
import { workerProcesses } from '../../testkit/worker-process.js';
import { startStack, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

const N = 200;
const VENDORS = ['Acme Fasteners Inc.', 'Midwest Bearings Co.'];
let stack: Stack;

const workers = workerProcesses(() => stack.env);
const startWorkerProcess = () => workers.start();

before(async () => {
  stack = await startStack({
    worker: false,
    // Plex's budget is not under test here: the faults below are.
    plexRateLimit: 1_000_000,
    // A short timeout: a write whose answer is lost may land up to 2 × 1.5 s after it was sent.
    env: {
      PLEX_CLIENT_RETRIES: '2',
      PLEX_TIMEOUT_MS: '1500',
      SYNC_MAX_ATTEMPTS: '3',
      SYNC_INITIAL_RETRY: '200ms',
      SYNC_MAX_RETRY: '1s',
    },
  });
});
after(async () => {
  workers.killAll();
  await stack?.stop();
});

async function statusCounts(): Promise<Record<string, number>> {
  const rows = await stack.sql<
    { status: string; n: number }[]
  >`select status, count(*)::int as n from invoices group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function until(what: string, predicate: (counts: Record<string, number>) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts();
    if (predicate(counts)) return counts;
    if (Date.now() >= deadline) {
      assert.fail(
        `timed out waiting until ${what}; statuses ${JSON.stringify(counts)}${await whyInReview()}\nthe worker's last output:\n${workers.output()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Why a few invoices wait for a clerk (their review reasons and errors), so a timeout explains itself. */
async function whyInReview(): Promise<string> {
  const rows = await stack.sql<
    { id: string }[]
  >`select id from invoices where status = 'awaiting_review' order by id limit 3`;
  const reasons = await Promise.all(
    rows.map(async ({ id }) => {
      const s = await stack
        .state(id)
        .catch((err: unknown) => ({ reviewReasons: [`query failed: ${String(err)}`], errors: [] as string[] }));
      return `${id}: ${JSON.stringify({ reviewReasons: s.reviewReasons, errors: s.errors })}`;
    }),
  );
  const failed = await stack.sql<
    { id: string; last_error: string | null }[]
  >`select id, last_error from invoices where status = 'sync_failed' order by id limit 5`;
  return (
    (reasons.length ? `\nin review, for example:\n${reasons.join('\n')}` : '') +
    (failed.length ? `\nparked, for example:\n${failed.map((f) => `${f.id}: ${f.last_error}`).join('\n')}` : '')
  );
}

const ended = (c: Record<string, number>) => (c.synced ?? 0) + (c.sync_failed ?? 0);
const PAST_MATCHING = ['approved', 'syncing', 'synced', 'sync_failed'];

/** Every write the simulator received was meant for its placeholder; none was applied twice or undid an edit. */
async function assertWritesSafe(expected: Map<string, string>) {
  await eventually('late writes landed', () => stack.plex.store.pendingLandings === 0, { timeoutMs: 30_000 });
  const applied = new Map<string, number>();
  for (const write of stack.plex.store.writes) {
    assert.deepEqual(
      write.overwrote ?? [],
      [],
      `write #${write.seq} to ${write.apInvoiceId} undid another writer's change`,
    );
    const meantFor = expected.get(write.apInvoiceId);
    assert.ok(meantFor, `a write went to ${write.apInvoiceId}, which is no invoice's placeholder`);
    assert.equal(
      (write.body as { invoiceNumber?: string }).invoiceNumber,
      meantFor,
      `write #${write.seq} to ${write.apInvoiceId} carries another invoice's number`,
    );
    if (write.applied) applied.set(write.apInvoiceId, (applied.get(write.apInvoiceId) ?? 0) + 1);
  }
  const doubles = [...applied].filter(([, n]) => n > 1);
  assert.deepEqual(doubles, [], 'placeholders written more than once');
  return applied;
}

test(
  `${N} invoices under Plex faults and a worker crash: each ends synced or parked with a reason, no double or misdirected write`,
  { timeout: 540_000 },
  async () => {
    const store = stack.plex.store;
    const run = randomBytes(2).toString('hex').toUpperCase();
    // One PO with one placeholder per invoice; amounts differ so no two invoices look alike.
    const expected = new Map<string, string>(); // placeholder id → the invoice number meant for it
    const files: { name: string; bytes: Uint8Array }[] = [];
    for (let i = 0; i < N; i++) {
      const spec: InvoiceSpec = {
        invoiceNumber: `CH${run}-${String(i).padStart(3, '0')}`,
        poNumber: String(700_000 + i),
        vendorName: VENDORS[i % VENDORS.length]!,
        invoiceDate: '2026-11-02',
        lines: [
          { description: 'Hex bolt M8x40, zinc', quantity: 100 + i, unitPrice: '0.42' },
          { description: 'Lock washer M8', quantity: 50, unitPrice: '0.05' },
        ],
      };
      const { placeholderIds } = store.createPurchaseOrder({
        supplier: { name: spec.vendorName },
        poNumber: spec.poNumber!,
        lines: spec.lines,
      });
      expected.set(placeholderIds[0]!, spec.invoiceNumber);
      files.push({ name: `chaos-${i}.pdf`, bytes: await makeInvoicePdf(spec) });
    }

    // 20 % 5xx on the sync's reads and write and on the PO and placeholder lists, ~10 % 429 everywhere,
    // some writes applied with their response lost, some landing 2.2 s after it was lost (past the 1.5 s
    // timeout and the retry that follows), and another writer editing some placeholders right after a read.
    const flaky: SimRoute[] = ['ap-invoices.list', 'purchase-orders.list'];
    for (const route of flaky) store.setFault(route, { status5xx: 0.2 });
    // Another writer edits placeholders right after PlexSync listed them, i.e. between the list a sync's
    // duplicate check uses and the read its PUT is built from.
    store.setFault('ap-invoices.list', { status5xx: 0.2, concurrentEdit: 0.05 });
    store.setFault('ap-invoices.get', { status5xx: 0.2 });
    store.setFault('ap-invoices.put', { status5xx: 0.2, dropRate: 0.1, lateLandingMs: 2_200, lateLandingRate: 0.15 });
    store.setFault('*', { status429: 0.1 });

    // Everything is uploaded before the worker starts, so the matches run ahead of the syncs.
    const ids: string[] = [];
    const batches = Array.from({ length: N / 10 }, (_, b) => files.slice(b * 10, b * 10 + 10));
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let b = lane; b < batches.length; b += 4) {
          const res = await stack.upload(batches[b]!);
          assert.equal(res.status, 201, await res.clone().text());
          ids.push(...((await res.json()) as { invoices: { id: string }[] }).invoices.map((i) => i.id));
        }
      }),
    );
    assert.equal(new Set(ids).size, N);
    const first = startWorkerProcess();

    // Kill the worker while invoices are syncing: preferably once every match is done (a match in flight
    // only times out after its 2-minute start-to-close), at the latest when half have ended.
    const atKill = await until(
      'invoices are syncing',
      (c) => {
        const pastMatching = PAST_MATCHING.reduce((sum, s) => sum + (c[s] ?? 0), 0);
        return (pastMatching === N && ended(c) >= N / 20) || ended(c) >= N / 2;
      },
      240_000,
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    assert.ok(ended(atKill) < N, `the kill came mid-run (${JSON.stringify(atKill)})`);
    const writesBeforeRestart = store.writes.length;
    startWorkerProcess();

    const final = await until('every invoice has ended', (c) => ended(c) === N, 360_000);
    assert.ok(store.writes.length > writesBeforeRestart, 'the restarted worker carried on writing');

    // Chaos really happened.
    assert.ok(
      (store.responses['500'] ?? 0) > 0 && (store.responses['429'] ?? 0) > 0 && (store.responses.dropped ?? 0) > 0,
      JSON.stringify(store.responses),
    );
    const parked = await stack.sql<
      { id: string; last_error: string | null }[]
    >`select id, last_error from invoices where status = 'sync_failed'`;
    assert.equal(parked.length, final.sync_failed ?? 0);
    for (const p of parked) assert.ok(p.last_error && p.last_error.trim() !== '', `${p.id} is parked without a reason`);
    await assertWritesSafe(expected);
    assert.ok(store.concurrentEdits.size > 0, 'another writer edited placeholders');
    assert.ok(
      store.writes.some(
        (w) =>
          w.responseStatus === null && w.applied && w.appliedAt && Date.parse(w.appliedAt) - Date.parse(w.at) >= 2_000,
      ),
      'writes landed late',
    );
    const synced = await stack.sql<
      { invoice_number: string; po_number: string }[]
    >`select invoice_number, po_number from invoices where status = 'synced'`;
    const numberOnPlaceholder = new Map([...store.apInvoices.values()].map((r) => [r.poNumber, r.invoiceNumber]));
    for (const s of synced) assert.equal(numberOnPlaceholder.get(s.po_number), s.invoice_number, `PO ${s.po_number}`);

    // Plex healthy again: replaying the parked invoices syncs every one, still without a second write.
    store.clearFaults();
    for (const p of parked)
      assert.equal((await stack.api(`/api/invoices/${p.id}/retry-sync`, { method: 'POST' })).status, 202);
    await until('every invoice is synced', (c) => c.synced === N, 120_000);
    const applied = await assertWritesSafe(expected);
    assert.equal(applied.size, N, 'every placeholder written exactly once');
    console.log(
      `chaos: statuses at kill ${JSON.stringify(atKill)}, before replay ${JSON.stringify(final)}; ` +
        `simulator answers ${JSON.stringify(store.responses)}; ${store.writes.length} writes sent for ${N} placeholders; calls ${JSON.stringify(store.calls)}`,
    );
  },
);
