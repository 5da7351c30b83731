// Page speed at scale: the queue (first page, a filtered page, a deep keyset page) and the review page
// with 1k and then 100k invoices in the database, under 50 concurrent connections, beside a bare Hono
// hello-world and, per page, a bare Hono handler running the page's own queries (the honest ceiling), all
// measured in the same run. Prints p50/p99 latency, requests/s and the ratios to both baselines.
// Usage: npm run bench:web -- [rows=100000] [seconds=10]
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { auditForInvoice } from '../db/audit.js';
import { listComments } from '../db/comments.js';
import { documentMimeType } from '../db/documents.js';
import { cachedStatusCounts, getInvoice, listQueue, listSyncOperations, reviewNeighbours } from '../db/invoices.js';
import { listNotificationsForInvoice } from '../db/notifications.js';
import { currentParts, partOf } from '../db/parts.js';
import { getEffectiveSettings } from '../db/settings.js';
import { createSession, touchSession } from '../db/users.js';
import { createQueueActions } from '../services/queue-actions.js';
import { stopOwnedServices } from '../testkit/services.js';
import { startStack, type Stack } from '../testkit/stack.js';

const ROWS = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 10);

interface Result {
  name: string;
  p50: number;
  p99: number;
  rps: number;
  /** Response bytes per request (headers and body). */
  bytes: number;
  errors: number;
}

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Result> {
  const r = await autocannon({ url, connections: 50, duration: SECONDS, headers });
  const errors = r.errors + r.timeouts + r.non2xx;
  return {
    name,
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    bytes: r.throughput.total / Math.max(1, r.requests.total),
    errors,
  };
}

async function fill(stack: Awaited<ReturnType<typeof startStack>>, upTo: number) {
  const [{ n }] = (await stack.sql<{ n: number }[]>`select count(*)::int as n from invoices`) as unknown as [
    { n: number },
  ];
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

/**
 * The honest ceiling for each page: a bare Hono handler that runs the page's own queries (the same db/
 * functions, so the same SQL, on the same connection pool) and answers them as JSON: no session, no
 * permissions, no templates. A page at ≥ 0.5× its baseline spends at most half its time outside the database.
 */
function sameSqlBaseline(stack: Stack) {
  const { sql, config } = stack;
  const counts = cachedStatusCounts(sql);
  const queueActions = createQueueActions({ sql, config, invoices: undefined as never });
  return new Hono()
    .get('/invoices', async (c) => {
      const session = await touchSession(sql, c.req.header('x-session') ?? '', 60);
      const { autoApproveThreshold } = await getEffectiveSettings(sql, config);
      const page = await listQueue(sql, {
        status: c.req.query('status') ? ['awaiting_review'] : undefined,
        vendor: c.req.query('vendor'),
        cursor: c.req.query('cursor'),
        lowConfidenceBelow: autoApproveThreshold,
        limit: 50,
      });
      return c.json({
        session: session?.user,
        page,
        counts: await counts(),
        assignable: await queueActions.assignableUsers(),
      });
    })
    .get('/invoices/:id', async (c) => {
      const id = c.req.param('id');
      const session = await touchSession(sql, c.req.header('x-session') ?? '', 60);
      const row = await getInvoice(sql, id);
      const [audit, syncOps, mimeType, neighbours, comments, notifications, assignable, parts, part] =
        await Promise.all([
          auditForInvoice(sql, id),
          listSyncOperations(sql, id),
          documentMimeType(sql, row!.documentSha256),
          reviewNeighbours(sql, id),
          listComments(sql, id),
          listNotificationsForInvoice(sql, id),
          queueActions.assignableUsers(),
          currentParts(sql, id),
          partOf(sql, id),
        ]);
      return c.json({
        session: session?.user,
        row,
        audit,
        syncOps,
        mimeType,
        neighbours,
        comments,
        notifications,
        assignable,
        parts,
        part,
      });
    });
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
  const baselineServer = serve({ fetch: sameSqlBaseline(stack).fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => baselineServer.once('listening', () => r()));
  const baseUrl = `http://127.0.0.1:${(baselineServer.address() as AddressInfo).port}`;
  const baseHeaders = { 'x-session': session.id };
  const results: Array<Result & { same?: Result }> = [await load('hello-world (bare Hono)', helloUrl)];
  try {
    for (const size of [1_000, ROWS]) {
      await fill(stack, size);
      const deep = `inv-bench${Math.floor(size / 2)}`;
      const [row] = await stack.sql<{ created_at: Date }[]>`select created_at from invoices where id = ${deep}`;
      const cursor = Buffer.from(JSON.stringify([row!.created_at.toISOString(), deep])).toString('base64url');
      const pages: Array<[string, string]> = [
        [`queue, first page (${size} rows)`, '/invoices'],
        [`queue, awaiting review + vendor (${size} rows)`, '/invoices?status=awaiting_review&vendor=midwest'],
        [`queue, deep keyset page (${size} rows)`, `/invoices?cursor=${cursor}`],
        [`review page (${size} rows)`, `/invoices/inv-bench${Math.floor(size / 3)}`],
      ];
      for (const [name, path] of pages) {
        const same = await load(`${name}, same SQL as JSON`, `${baseUrl}${path}`, baseHeaders);
        results.push({ ...(await load(name, `${stack.url}${path}`, headers)), same });
      }
    }
  } finally {
    baselineServer.close();
  }
  const hello = results[0]!;
  console.log(
    `50 connections, ${SECONDS}s each; "vs same SQL": the page's req/s over a bare Hono handler running the page's queries and answering JSON (target >= 0.5)\n`,
  );
  console.log(
    `${'page'.padEnd(46)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(8)} ${'vs hello'.padStart(9)} ${'same SQL req/s'.padStart(15)} ${'vs same SQL'.padStart(12)} ${'KB/resp'.padStart(8)} errors`,
  );
  for (const r of results) {
    const same = r.same
      ? `${r.same.rps.toFixed(0).padStart(15)} ${(r.rps / r.same.rps).toFixed(3).padStart(12)}`
      : `${''.padStart(15)} ${''.padStart(12)}`;
    console.log(
      `${r.name.padEnd(46)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${r.rps.toFixed(0).padStart(8)} ${(r.rps / hello.rps).toFixed(3).padStart(9)} ${same} ${(r.bytes / 1024).toFixed(1).padStart(8)} ${r.errors + (r.same?.errors ?? 0)}`,
    );
  }
} finally {
  await stack.stop();
  await stopOwnedServices();
  helloServer.close();
}
