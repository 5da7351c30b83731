// Temporal goes down while the web app runs (a real dev server of this test's own, stopped and started
// again on the same port and SQLite file): an upload fails fast with 503 + Retry-After and leaves no
// orphan, because the worker's reconciler starts its workflow once Temporal is back; reading an invoice
// answers from Postgres with the workflow state marked unavailable.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { createInvoiceService, type InvoiceService } from '../../services/invoices.js';
import { createInvoiceProcesses } from '../../services/temporal.js';
import { loadConfig } from '../../config/index.js';
import { createSql, type Sql } from '../../db/client.js';
import { putDocument } from '../../db/documents.js';
import { getInvoice, insertInvoice } from '../../db/invoices.js';
import { migrate } from '../../db/migrate.js';
import { createApiToken, upsertUser } from '../../db/users.js';
import { ALL_SCOPES } from '../../domain/permissions.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { freePort } from '../../scripts/lib/ports.js';
import { createDatabase, databaseUrl, dropDatabase } from '../../scripts/lib/postgres.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/lib/temporal.js';
import { startReconciler } from '../../worker/reconciler.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { getTestServices } from '../../testkit/services.js';
import { uniqueInvoice } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

const tmp = mkdtempSync(join(tmpdir(), 'plexsync-outage-'));
const dbName = `plexsync_t_${randomBytes(5).toString('hex')}`;
const logger = createLogger({ level: 'silent', name: 'test' });
let adminUrl: string;
let temporal: TemporalDevServer;
let startTemporal: () => Promise<TemporalDevServer>;
let sql: Sql;
let connection: Connection;
let client: Client;
let invoices: InvoiceService;
let server: ServerType;
let url: string;
let token: string;
let taskQueue: string;

before(async () => {
  const services = await getTestServices();
  adminUrl = services.databaseAdminUrl;
  const port = await freePort();
  const dbFile = join(tmp, 'temporal.db');
  startTemporal = () =>
    startTemporalDevServer({
      cliPath: services.temporalCliPath,
      port,
      headless: true,
      dbFile,
      unref: true,
      logFile: join(tmp, 'temporal.log'),
    });
  temporal = await startTemporal();
  await createDatabase(adminUrl, dbName);
  const dbUrl = databaseUrl(adminUrl, dbName);
  taskQueue = `plexsync-outage-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
  });
  sql = createSql(dbUrl, { max: 5 });
  await migrate(sql);
  await upsertUser(sql, {
    email: 'admin@test.local',
    displayName: 'Admin',
    role: 'admin',
    passwordHash: await hashPassword('correct horse battery'),
  });
  ({ token } = await createApiToken(sql, { name: 'tests', userId: null, scopes: ALL_SCOPES }));
  connection = await Connection.connect({ address: temporal.address });
  client = new Client({ connection, namespace: config.temporal.namespace });
  // Short deadlines keep the test quick; production uses DEFAULT_DEADLINES.
  invoices = createInvoiceService({
    sql,
    config,
    processes: createInvoiceProcesses(client, taskQueue, undefined, { callMs: 2_000, updateMs: 2_000 }),
  });
  const app = createApp({ config, sql, logger, metrics: createMetrics(sql), invoices });
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await invoices?.close();
  await connection?.close();
  await sql?.end({ timeout: 5 });
  await temporal?.stop();
  await dropDatabase(adminUrl, dbName).catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
async function upload(name: string, bytes: Uint8Array): Promise<Response> {
  const form = new FormData();
  form.append('files', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return api('/api/invoices', { method: 'POST', body: form });
}
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000) =>
  eventually(what, probe, { timeoutMs, intervalMs: 200 });
const workflowStatus = async (id: string) => (await client.workflow.getHandle(id).describe()).status.name;

describe('Temporal down during uploads', () => {
  test('an upload fails fast with 503 + Retry-After, the invoice reads from Postgres, and its workflow starts once Temporal is back', async () => {
    const before = await upload('before.pdf', await makeInvoicePdf(uniqueInvoice()));
    assert.equal(before.status, 201, await before.clone().text());
    const [{ id: earlierId }] = ((await before.json()) as { invoices: [{ id: string }] }).invoices;

    await temporal.stop();

    const res = await upload('during.pdf', await makeInvoicePdf(uniqueInvoice()));
    const body = (await res.json()) as { error: { message: string } };
    assert.equal(res.status, 503, JSON.stringify(body));
    assert.equal(res.headers.get('Retry-After'), '30');
    assert.match(body.error.message, /during\.pdf is saved.*Temporal.*starts by itself/);
    const [pending] = await sql<
      { id: string; workflow_started_at: Date | null; status: string }[]
    >`select id, workflow_started_at, status from invoices where file_name = 'during.pdf'`;
    assert.ok(pending, 'the row is kept as the outbox entry of its workflow start');
    assert.equal(pending.workflow_started_at, null);

    const earlier = await api(`/api/invoices/${earlierId}`);
    assert.equal(earlier.status, 200);
    const earlierBody = (await earlier.json()) as { invoice: { id: string }; state: unknown; workflow: string };
    assert.equal(earlierBody.invoice.id, earlierId);
    assert.equal(earlierBody.workflow, 'unavailable');
    assert.equal(earlierBody.state, null);
    const waiting = (await (await api(`/api/invoices/${pending.id}`)).json()) as { workflow: string };
    assert.equal(waiting.workflow, 'not_started');

    // A reconciler round while Temporal is still down fails and changes nothing.
    const reconciler = startReconciler({ invoices, logger, intervalMs: 200, graceMs: 0 });
    try {
      await assert.rejects(reconciler.runOnce(), { name: 'TemporalUnavailableError' });
      temporal = await startTemporal();
      await until('the reconciler to start the pending invoice', async () =>
        (await getInvoice(sql, pending.id))?.workflowStartedAt ? true : undefined,
      );
    } finally {
      await reconciler.stop();
    }
    assert.equal(await until('the workflow to be visible', () => workflowStatus(pending.id)), 'RUNNING');
    const again = await upload(
      'during.pdf',
      (
        await sql<
          { bytes: Uint8Array }[]
        >`select d.bytes from documents d join invoices i on i.document_sha256 = d.sha256 where i.id = ${pending.id}`
      )[0]!.bytes,
    );
    assert.equal(again.status, 201, 'sending the file again is safe: the same invoice');
    assert.equal(
      ((await again.json()) as { invoices: [{ id: string; duplicate: boolean }] }).invoices[0].duplicate,
      true,
    );
  });

  test('a row whose workflow ended before it read the document is closed with the reason', async () => {
    const bytes = await makeInvoicePdf(uniqueInvoice());
    const sha256 = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    const id = `inv-${sha256.slice(0, 24)}`;
    await putDocument(sql, {
      sha256,
      bytes,
      sizeBytes: bytes.byteLength,
      mimeType: 'application/pdf',
      pageCount: 1,
      fileName: 'ended.pdf',
    });
    await insertInvoice(sql, { id, documentSha256: sha256, fileName: 'ended.pdf', uploadedBy: 'test' });
    // No worker polls this task queue, so the workflow never runs a step before it is terminated.
    const handle = await until('Temporal to take a start', () =>
      client.workflow.start('invoiceWorkflow', { taskQueue, workflowId: id, args: [{}] }),
    );
    await handle.terminate('test: ended before reading');
    const result = await invoices.startPending({ olderThanMs: 0, limit: 10 });
    assert.deepEqual(result.closed, [id]);
    const row = await getInvoice(sql, id);
    assert.equal(row?.status, 'rejected');
    assert.match(row?.lastError ?? '', /ended in Temporal before the document was read/);
    assert.ok(row?.workflowStartedAt);
  });
});
