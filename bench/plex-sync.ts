// Plex-bound throughput: N invoices (default 120) auto-approved end to end against the Plex simulator at
// Plex's 200 calls per minute, with the production rate settings (the client's call budget, the Plex
// activity rate and the client's retries at their config defaults). Prints the Plex calls per minute
// achieved while the invoices were in flight against the limit-bound 200/min (target ≥ 0.9), invoices
// per minute, and how many 429s the simulator sent.
// Usage: npm run bench:plex-sync -- [N=120]
import { EnvSchema } from '../config/index.js';
import { makeInvoicePdf } from '../testkit/invoice-pdf.js';
import { stopOwnedServices } from '../testkit/services.js';
import { startStack, type Stack } from '../testkit/stack.js';

const N = Number(process.argv[2] ?? 120);
const PLEX_LIMIT_PER_MINUTE = 200; // the simulator's default, as Plex is reported to allow per key
const production = {
  PLEX_MAX_CALLS_PER_MINUTE: String(EnvSchema.shape.PLEX_MAX_CALLS_PER_MINUTE.parse(undefined)),
  PLEX_ACTIVITIES_PER_SECOND: String(EnvSchema.shape.PLEX_ACTIVITIES_PER_SECOND.parse(undefined)),
  PLEX_CLIENT_RETRIES: String(EnvSchema.shape.PLEX_CLIENT_RETRIES.parse(undefined)),
  // Every approval, the automatic ones too, waits out the undo window before its sync.
  UNDO_WINDOW: String(EnvSchema.shape.UNDO_WINDOW.parse(undefined)),
};

/** Calls Plex accepted (everything but 429s) and 429s, as the simulator counted them. */
function simulatorCounts(stack: Stack) {
  const { responses } = stack.plex.store;
  const all = Object.values(responses).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const rejected = responses['429'] ?? 0;
  return { accepted: all - rejected, rejected };
}

async function run(stack: Stack) {
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (let i = 0; i < N; i++) {
    const spec = {
      invoiceNumber: `PB-${process.pid}-${i}`,
      poNumber: String(400_000 + i),
      vendorName: 'Acme Fasteners Inc.',
      invoiceDate: '2026-11-02',
      lines: [{ description: 'Hex bolt M8x40, zinc', quantity: 100 + i, unitPrice: '0.42' }],
    };
    stack.plex.store.createPurchaseOrder({
      supplier: { name: spec.vendorName },
      poNumber: spec.poNumber,
      lines: spec.lines,
    });
    files.push({ name: `${spec.invoiceNumber}.pdf`, bytes: await makeInvoicePdf(spec) });
  }

  // Sample the simulator's counters while the invoices are in flight.
  const samples: { atMs: number; accepted: number }[] = [];
  /** Invoices synced so far, sampled by the loop that waits for them. */
  const syncedAt: { atMs: number; synced: number }[] = [];
  const sampler = setInterval(() => samples.push({ atMs: performance.now(), ...simulatorCounts(stack) }), 250);
  try {
    for (let i = 0; i < files.length; i += 10) {
      const res = await stack.upload(files.slice(i, i + 10));
      if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    }
    for (;;) {
      const [counts] = await stack.sql<{ synced: number; other: number }[]>`
        select count(*) filter (where status = 'synced')::int as synced,
               count(*) filter (where status in ('awaiting_review', 'escalated', 'rejected', 'sync_failed'))::int as other
        from invoices`;
      if (counts!.other > 0)
        throw new Error(`${counts!.other} invoice(s) did not auto-approve and sync: the bench needs clean invoices`);
      syncedAt.push({ atMs: performance.now(), synced: counts!.synced });
      if (counts!.synced === N) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    clearInterval(sampler);
  }
  samples.push({ atMs: performance.now(), ...simulatorCounts(stack) });
  return { samples, syncedAt };
}

const stack = await startStack({ env: production });
try {
  const { samples, syncedAt } = await run(stack);
  // From just before the first Plex call (the last sample that saw none) to the last invoice synced.
  const first = samples.filter((s) => s.accepted === 0).at(-1) ?? samples[0]!;
  const last = samples.at(-1)!;
  const minutes = (last.atMs - first.atMs) / 60_000;
  const { accepted, rejected } = simulatorCounts(stack);
  const [sync] = await stack.sql<{ calls: number }[]>`
    select coalesce(sum(jsonb_array_length(response -> 'calls')), 0)::int as calls from sync_operations`;
  const callsPerInvoice = accepted / N;
  const achieved = accepted / minutes;
  const acceptedBy = (atMs: number) => samples.filter((s) => s.atMs <= atMs).at(-1)?.accepted ?? 0;
  const perMinute: number[] = [];
  for (let start = first.atMs; start < last.atMs; start += 60_000) {
    perMinute.push(acceptedBy(Math.min(start + 60_000, last.atMs)) - acceptedBy(start));
  }

  console.log(
    `Plex-bound sync: ${N} invoices; simulator limit ${PLEX_LIMIT_PER_MINUTE} calls/min; ` +
      `client budget ${production.PLEX_MAX_CALLS_PER_MINUTE}/min, ${production.PLEX_ACTIVITIES_PER_SECOND} Plex activities/s, ${production.PLEX_CLIENT_RETRIES} client retries`,
  );
  console.log(`run: ${(minutes * 60).toFixed(1)} s from the first Plex call to the last invoice synced`);
  console.log(
    `Plex calls accepted: ${accepted} (${callsPerInvoice.toFixed(2)} per invoice: sync ${(sync!.calls / N).toFixed(2)}, match ${((accepted - sync!.calls) / N).toFixed(2)}); answered 429: ${rejected}`,
  );
  console.log(`calls in each minute of the run (the last one partial): ${perMinute.join(', ')}`);
  console.log(
    `achieved: ${achieved.toFixed(1)} calls/min; limit-bound: ${PLEX_LIMIT_PER_MINUTE} calls/min; ratio ${(achieved / PLEX_LIMIT_PER_MINUTE).toFixed(2)} (target >= 0.90)`,
  );
  // A rolling-window limit lets a last partial minute run faster than the per-minute rate; whole minutes do not.
  const whole = perMinute.slice(0, Math.floor(minutes));
  if (whole.length > 0) {
    const steady = whole.reduce((a, b) => a + b, 0) / whole.length;
    console.log(
      `whole minutes only: ${steady.toFixed(1)} calls/min; ratio ${(steady / PLEX_LIMIT_PER_MINUTE).toFixed(2)}`,
    );
  }
  const syncedBy = (atMs: number) => syncedAt.filter((s) => s.atMs <= atMs).at(-1)?.synced ?? 0;
  const syncedPerMinute = whole.map(
    (_, i) => syncedBy(first.atMs + (i + 1) * 60_000) - syncedBy(first.atMs + i * 60_000),
  );
  // Uploaded together, the matches run ahead of the syncs, so invoices finish late in the run: the rate
  // that counts is over the whole run.
  console.log(
    `invoices synced by the end of each whole minute: ${syncedPerMinute.map((_, i) => syncedBy(first.atMs + (i + 1) * 60_000)).join(', ')}`,
  );
  console.log(
    `invoices: ${(N / minutes).toFixed(1)}/min over the whole run (target >= 45 at ${PLEX_LIMIT_PER_MINUTE} calls/min); limit-bound at ${callsPerInvoice.toFixed(2)} calls per invoice: ${(PLEX_LIMIT_PER_MINUTE / callsPerInvoice).toFixed(1)}/min`,
  );
} finally {
  await stack.stop();
  await stopOwnedServices();
}
