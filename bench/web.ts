// Page speed at scale: the queue (first page, a filtered page, a deep keyset page) and the review page
// with 1k and then 100k invoices in the database, under 50 concurrent connections, beside a bare Hono
// hello-world measured in the same run. Prints p50/p99 latency, requests/s and the ratio to the baseline.
// Usage: npm run bench:web -- [rows=100000] [seconds=10]
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { createSession } from '../db/users.js';
import { stopOwnedServices } from '../test/support/services.js';
import { startStack } from '../test/support/stack.js';

const ROWS = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 10);

interface Result { name: string; p50: number; p99: number; rps: number; errors: number }

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  const r = await autocannon({ url, connections: 50, duration: SECONDS, headers });
  const errors = r.errors + r.timeouts + r.non2xx;
  return { name, p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, errors };
}

async function fill(stack: Awaited<ReturnType<typeof startStack>>, upTo: number) {
  const [{ n }] = (await stack.sql<{ n: number }[]>`select count(*)::int as n from invoices`) as unknown as [{ n: number }];
  if (n >= upTo) return;
  // Synthetic rows spread over a year: documents are tiny; statuses, vendors and confidences vary.
  await stack.sql`
    insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name)
    select md5(i::text) || md5((i + 1)::text), '\\x25504446'::bytea, 4, 'application/pdf', 1, 'bench.pdf'
    from generate_series(${n + 1}::int, ${upTo}::int) i`;
  await stack.sql`
    insert into invoices (id, document_sha256, file_name, status, uploaded_by, vendor_name, invoice_number, po_number, total, currency, confidence, created_at)
    select 'inv-bench' || i, md5(i::text) || md5((i + 1)::text), 'bench.pdf',
           (array['awaiting_review','synced','synced','synced','rejected','sync_failed','escalated'])[1 + i % 7],
           'bench', (array['Acme Fasteners Inc.','Great Lakes Steel Supply','Midwest Bearings Co.','Northern Tooling'])[1 + i % 4],
           'B-' || i, lpad((i % 900000)::text, 6, '0'), (i % 5000) + 0.5, 'USD', (i % 100) / 100.0,
           now() - make_interval(secs => i * 300)
    from generate_series(${n + 1}::int, ${upTo}::int) i`;
  await stack.sql`analyze invoices`;
}

const hello = new Hono().get('/', (c) => c.text('hello'));
const helloServer = serve({ fetch: hello.fetch, hostname: '127.0.0.1', port: 0 });
await new Promise<void>((r) => helloServer.once('listening', () => r()));
const helloUrl = `http://127.0.0.1:${(helloServer.address() as AddressInfo).port}/`;

const stack = await startStack({ worker: false, env: { LOG_LEVEL: 'silent' } });
try {
  const [admin] = await stack.sql<{ id: string }[]>`select id::text from users limit 1`;
  const session = await createSession(stack.sql, admin!.id, 600);
  const headers = { Cookie: `plexsync_session=${session.id}` };
  const results: Result[] = [await load('hello-world (bare Hono)', helloUrl)];
  for (const size of [1_000, ROWS]) {
    await fill(stack, size);
    const deep = `inv-bench${Math.floor(size / 2)}`;
    const [row] = await stack.sql<{ created_at: Date }[]>`select created_at from invoices where id = ${deep}`;
    const cursor = Buffer.from(JSON.stringify([row!.created_at.toISOString(), deep])).toString('base64url');
    results.push(await load(`queue, first page (${size} rows)`, `${stack.url}/invoices`, headers));
    results.push(await load(`queue, awaiting review + vendor (${size} rows)`, `${stack.url}/invoices?status=awaiting_review&vendor=midwest`, headers));
    results.push(await load(`queue, deep keyset page (${size} rows)`, `${stack.url}/invoices?cursor=${cursor}`, headers));
    results.push(await load(`review page (${size} rows)`, `${stack.url}/invoices/inv-bench${Math.floor(size / 3)}`, headers));
  }
  const base = results[0]!;
  console.log(`50 connections, ${SECONDS}s each\n`);
  console.log(`${'page'.padEnd(46)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(8)} ${'vs hello'.padStart(9)} errors`);
  for (const r of results) {
    console.log(`${r.name.padEnd(46)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${r.rps.toFixed(0).padStart(8)} ${(r.rps / base.rps).toFixed(3).padStart(9)} ${r.errors}`);
  }
} finally {
  await stack.stop();
  await stopOwnedServices();
  helloServer.close();
}
