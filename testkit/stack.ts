// A whole PlexSync stack for one test file, on real servers: its own Postgres database, the shared
// Temporal dev server (own task queue), a Plex simulator, a worker and the web app on free ports.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../api/app.js';
import { syncDigestSchedule } from '../notify/digest-schedule.js';
import { createIngestPollers } from '../ingest/pollers.js';
import { hashPassword } from '../api/auth/passwords.js';
import { createInvoiceService } from '../services/invoices.js';
import { createInvoiceProcesses } from '../services/temporal.js';
import { loadConfig, type Config } from '../config/index.js';
import { createSql, type Sql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { createApiToken, upsertUser } from '../db/users.js';
import { ALL_SCOPES } from '../domain/permissions.js';
import type { InvoiceState } from '../domain/invoice.js';
import { createKnowledgeStore } from '../db/vendor-knowledge.js';
import { createExtractor, visualStageOptions, type Extractor } from '../extract/index.js';
import { createVendorKnowledge } from '../extract/learned.js';
import { modelStageFromConfig } from '../extract/model/index.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { createPlexCallRecorder } from '../plex/call-recorder.js';
import { createPlexClient } from '../plex/client.js';
import { startPlexSimulator, type PlexSimulator } from '../plex-simulator/server.js';
import { createDatabase, databaseUrl, dropDatabase } from '../scripts/lib/postgres.js';
import { createInvoiceWorkers, type InvoiceWorkers } from '../worker/create.js';
import { WORKFLOW_CODE } from '../worker/workflow-code.js';
import type { invoiceWorkflow } from '../workflows/invoice.js';
import { invoiceStateQuery } from '../workflows/messages.js';
import { getTestServices } from './services.js';

export const ADMIN = { email: 'admin@test.local', password: 'correct horse battery staple' };
let bundle: Promise<{ code: string }> | undefined;
/** The workflow bundle is built once per test process (webpack takes seconds). */
export const workflowBundle = () => {
  quietRuntime();
  return (bundle ??= bundleWorkflowCode({ ...WORKFLOW_CODE, logger: quietLogger }));
};

let runtimeInstalled = false;
/** Expected activity failures (Plex faults) and worker state changes would otherwise flood test output. */
function quietRuntime() {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
}

export interface Stack {
  url: string;
  config: Config;
  env: Record<string, string>;
  sql: Sql;
  client: Client;
  plex: PlexSimulator;
  token: string;
  /** Start (again) the in-process worker. */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  api(path: string, init?: RequestInit): Promise<Response>;
  upload(files: { name: string; bytes: Uint8Array }[]): Promise<Response>;
  /** Uploads one file, asserts it was taken (201) and returns its invoice id. */
  uploadOne(name: string, bytes: Uint8Array): Promise<string>;
  /** The invoice number a Plex AP invoice (placeholder) carries now, read through the Plex API. */
  placeholderNumber(placeholderId: string): Promise<string>;
  state(invoiceId: string): Promise<InvoiceState>;
  /** The invoice workflow's final state, once it has ended. */
  result(invoiceId: string): Promise<InvoiceState>;
  /** Poll the workflow query until `predicate` holds (deadline 60 s by default). */
  waitFor(invoiceId: string, predicate: (s: InvoiceState) => boolean, timeoutMs?: number): Promise<InvoiceState>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Overrides of the app's environment (e.g. SYNC_MAX_ATTEMPTS). */
  env?: Record<string, string>;
  /** Start the worker in this process (default true); false for tests that run worker/main.ts as a child. */
  worker?: boolean;
  /** Plex calls per minute allowed by the simulator and the client (default: Plex's 200 / our 190). */
  plexRateLimit?: number;
  /** The simulator's rate window (default a minute); with plexRateLimit, also PlexSync's budget window. */
  plexRateWindowMs?: number;
  /** Give the web app the mailbox pollers' Temporal client, as api/main.ts does (admin page: start, poll now). */
  ingestPollers?: boolean;
  /** Another Temporal frontend than the shared dev server (the cluster test's server on PostgreSQL). */
  temporalAddress?: string;
}

/** A stack for the tests of one file: started before them (handed to `started`), stopped after them. */
export function withStack(opts: StackOptions, started: (stack: Stack) => void): void {
  let stack: Stack | undefined;
  before(async () => {
    stack = await startStack(opts);
    started(stack);
  });
  after(async () => {
    await stack?.stop();
  });
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  quietRuntime();
  const services = await getTestServices();
  const temporalAddress = opts.temporalAddress ?? services.temporalAddress;
  const dbName = `plexsync_t_${randomBytes(5).toString('hex')}`;
  await createDatabase(services.databaseAdminUrl, dbName);
  const dbUrl = databaseUrl(services.databaseAdminUrl, dbName);
  const plexKey = `test-key-${randomBytes(4).toString('hex')}`;
  const plex = await startPlexSimulator({
    apiKey: plexKey,
    seed: 'none',
    rateLimitPerMinute: opts.plexRateLimit,
    ...(opts.plexRateWindowMs ? { rateWindowMs: opts.plexRateWindowMs } : {}),
  });
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `plexsync-test-${randomBytes(4).toString('hex')}`,
    PLEX_BASE_URL: plex.url,
    PLEX_API_KEY: plexKey,
    PLEX_CLIENT_RETRIES: '0',
    // Every Plex answer checked strictly against Plex's resource schemas: a field the simulator should not
    // send fails the call instead of passing unnoticed.
    PLEX_STRICT_RESPONSES: 'true',
    PLEX_ACTIVITIES_PER_SECOND: '20',
    ...(opts.plexRateLimit
      ? {
          PLEX_MAX_CALLS_PER_MINUTE: String(opts.plexRateLimit),
          PLEX_ACTIVITIES_PER_SECOND: String(opts.plexRateLimit / 60),
        }
      : {}),
    ...(opts.plexRateWindowMs ? { PLEX_BUDGET_WINDOW_MS: String(opts.plexRateWindowMs) } : {}),
    SYNC_MAX_ATTEMPTS: '3',
    SYNC_INITIAL_RETRY: '200ms',
    SYNC_MAX_RETRY: '1s',
    // Approvals sync at once unless a test sets a window (test/web/review-safety.test.ts, test/lifecycle/undo.test.ts).
    UNDO_WINDOW: '0s',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...opts.env,
  };
  const config = loadConfig(env);
  const sql = createSql(dbUrl, { max: 5 });
  await migrate(sql);
  await upsertUser(sql, {
    email: ADMIN.email,
    displayName: 'Test Admin',
    role: 'admin',
    passwordHash: await hashPassword(ADMIN.password),
  });
  const { token } = await createApiToken(sql, { name: 'tests', userId: null, scopes: ALL_SCOPES });

  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const logger = createLogger({ level: 'silent', name: 'test' });
  const processes = createInvoiceProcesses(client, config.temporal.taskQueue);
  const appPlex = createPlexClient({ ...config.plex!, retries: config.plex!.clientRetries });
  const invoices = createInvoiceService({ sql, processes, config });
  const ingest = opts.ingestPollers ? createIngestPollers(client, config.temporal.taskQueue, config.ingest) : undefined;
  const digestSchedule = (digest: { at?: string; timeZone: string }) =>
    syncDigestSchedule(client, { taskQueue: config.temporal.taskQueue, ...digest });
  const app = createApp({
    config,
    sql,
    logger,
    metrics: createMetrics(sql),
    invoices,
    plex: appPlex,
    ingest,
    digestSchedule,
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let worker:
    { workers: InvoiceWorkers; running: Promise<void>; connection: NativeConnection; extractor: Extractor } | undefined;
  const startWorker = async () => {
    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    const plexCalls = createPlexCallRecorder();
    const knowledgeStore = createKnowledgeStore(sql);
    // Learned vendor patterns always; the AI model when the test's env sets OPENAI_API_KEY (a fake server).
    const extractor = createExtractor({
      ...visualStageOptions(config.extraction),
      knowledge: createVendorKnowledge(knowledgeStore),
      model: modelStageFromConfig(config.model),
    });
    const w = await createInvoiceWorkers({
      connection: nativeConnection,
      plexActivitiesPerSecond: config.worker.plexActivitiesPerSecond,
      maxCachedWorkflows: config.worker.maxCachedWorkflows,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowBundle: await workflowBundle(),
      deps: {
        sql,
        plex: createPlexClient({ ...config.plex!, retries: config.plex!.clientRetries, fetch: plexCalls.fetch }),
        plexCalls,
        extractor,
        learning: { store: knowledgeStore, readPages: (doc) => extractor.readPages(doc) },
        clock: () => new Date(),
        logger,
        matching: config.matching,
        notify: { config: config.notify },
        invoices,
      },
    });
    worker = { workers: w, running: w.run(), connection: nativeConnection, extractor };
  };
  const stopWorker = async () => {
    if (!worker) return;
    const w = worker;
    worker = undefined;
    w.workers.shutdown();
    await w.running;
    await w.connection.close();
    await w.extractor.close?.();
  };
  if (opts.worker !== false) await startWorker();

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const upload = (files: { name: string; bytes: Uint8Array }[]) => {
    const form = new FormData();
    for (const f of files) form.append('files', new Blob([f.bytes as Uint8Array<ArrayBuffer>]), f.name);
    return api('/api/invoices', { method: 'POST', body: form });
  };

  const stack: Stack = {
    url,
    config,
    env,
    sql,
    client,
    plex,
    token,
    startWorker,
    stopWorker,
    api,
    upload,
    async uploadOne(name, bytes) {
      const res = await upload([{ name, bytes }]);
      const body = (await res.json()) as { invoices?: { id: string }[] };
      assert.equal(res.status, 201, `${name}: ${JSON.stringify(body)}`);
      return body.invoices![0]!.id;
    },
    async placeholderNumber(placeholderId) {
      const res = await fetch(`${plex.url}/accounting/v1/ap-invoices/${placeholderId}`, {
        headers: { 'X-Plex-Connect-Api-Key': plexKey },
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as { invoiceNumber: string }).invoiceNumber;
    },
    state: (invoiceId) => client.workflow.getHandle(invoiceId).query(invoiceStateQuery),
    result: (invoiceId) => client.workflow.getHandle<typeof invoiceWorkflow>(invoiceId).result(),
    async waitFor(invoiceId, predicate, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: InvoiceState | undefined;
      let lastError: unknown;
      while (Date.now() < deadline) {
        try {
          last = await stack.state(invoiceId);
          // The query shows a transition as soon as the workflow makes it; the read model follows when
          // its activity has run. Wait for both, so tests may read the database next.
          if (predicate(last)) {
            const [row] = await sql<{ status: string }[]>`select status from invoices where id = ${invoiceId}`;
            if (row?.status === last.status) return last;
          }
        } catch (err) {
          lastError = err; // the workflow may not have had its first task yet
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(
        `Timed out waiting on ${invoiceId}; last status ${last?.status ?? 'none'}; ${last ? JSON.stringify({ errors: last.errors, sync: last.sync, match: last.match?.reason }) : String(lastError)}`,
      );
    },
    async stop() {
      await stopWorker();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await invoices.close();
      await connection.close();
      await sql.end({ timeout: 5 });
      await plex.close();
      await dropDatabase(services.databaseAdminUrl, dbName).catch(() => {});
      // An answer the simulator refused to send (it broke Plex's resource schemas) is a simulator bug,
      // whatever the test itself concluded.
      const violations = plex.store.contractViolations;
      if (violations.length > 0)
        throw new Error(`the Plex simulator refused ${violations.length} answer(s):\n${violations.join('\n')}`);
    },
  };
  return stack;
}

/** Create a PO with one "Received" placeholder in the simulator; returns the placeholder id. */
export async function seedPurchaseOrder(
  plex: PlexSimulator,
  po: {
    poNumber: string;
    supplier: string;
    lines: { description: string; quantity: number; unitPrice: string }[];
    placeholders?: number;
  },
): Promise<{ placeholderIds: string[]; purchaseOrderId: string }> {
  const res = await fetch(`${plex.url}/__admin/purchase-orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Plex-Connect-Api-Key': plex.apiKey },
    body: JSON.stringify({
      supplier: { name: po.supplier },
      poNumber: po.poNumber,
      lines: po.lines,
      placeholders: po.placeholders ?? 1,
    }),
  });
  if (res.status !== 201) throw new Error(`simulator refused the PO: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as { placeholderIds: string[]; purchaseOrderId: string };
  return created;
}

/**
 * Unique, realistic invoice data per test. Workflow ids derive from the file, and matching flags two
 * invoices of one vendor with the same total and date as possible duplicates, so number, quantities,
 * price and date all vary (about two million combinations).
 */
export function uniqueInvoice(
  overrides: Partial<{ invoiceNumber: string; poNumber: string; vendorName: string }> = {},
) {
  const n = (randomBytes(3).readUIntBE(0, 3) % 900_000) + 100_000;
  const r = randomBytes(3);
  const quantity = 100 + (r[0]! % 200) * 2;
  return {
    invoiceNumber: overrides.invoiceNumber ?? `INV-${n}`,
    poNumber: overrides.poNumber ?? String(n % 1_000_000).padStart(6, '0'),
    vendorName: overrides.vendorName ?? 'Acme Fasteners Inc.',
    invoiceDate: `2026-10-${String(1 + (r[1]! % 28)).padStart(2, '0')}`,
    lines: [
      { description: 'Hex bolt M8x40, zinc', quantity, unitPrice: `0.${String(10 + (r[2]! % 90)).padStart(2, '0')}` },
      { description: 'Lock washer M8', quantity, unitPrice: '0.05' },
    ],
  };
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error(message: string, meta?: Record<string, unknown>) {
    console.error(message, meta);
  },
};
