// Web process: config, database (migrated), Temporal client, bootstrap admin, HTTP server.
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, requireDatabase } from '../config/index.js';
import { createSql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { upsertUser } from '../db/users.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { createPlexClient } from '../plex/client.js';
import { createIngestPollers } from '../ingest/pollers.js';
import { syncDigestSchedule } from '../notify/digest-schedule.js';
import { createApp } from './app.js';
import { hashPassword } from './auth/passwords.js';
import { createDocumentSandbox, createInvoiceService } from '../services/invoices.js';
import { connectInvoiceProcesses } from '../services/temporal.js';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'web' });
const sql = createSql(requireDatabase(config));
await migrate(sql);
if (config.web.adminPassword) {
  await upsertUser(sql, {
    email: config.web.adminEmail,
    displayName: 'Administrator',
    role: 'admin',
    passwordHash: await hashPassword(config.web.adminPassword),
  });
}
const processes = await connectInvoiceProcesses(config.temporal);
const plex = config.plex ? createPlexClient({ ...config.plex, retries: config.plex.clientRetries }) : undefined;
// The Ingestion page starts or wakes a mailbox's poller right after an admin adds or changes it.
const ingestConnection = await Connection.connect({ address: config.temporal.address });
const schedulesClient = new Client({ connection: ingestConnection, namespace: config.temporal.namespace });
const ingest = createIngestPollers(schedulesClient, config.temporal.taskQueue, config.ingest);
// The Notifications page moves the daily digest's Schedule as soon as its time is saved.
const digestSchedule = (digest: { at?: string; timeZone: string }) =>
  syncDigestSchedule(schedulesClient, { taskQueue: config.temporal.taskQueue, ...digest });
// Uploaded PDFs are opened (page count, embedded e-invoice XML) only in a bounded thread: WEB_DOCUMENT_TIMEOUT
// and EXTRACT_MAX_MEMORY_MB, so a hostile PDF cannot stall the server.
const documents = createDocumentSandbox(config);
const app = createApp({
  config,
  sql,
  logger,
  metrics: createMetrics(sql),
  invoices: createInvoiceService({ sql, processes, config, documents }),
  plex,
  ingest,
  digestSchedule,
});
const server = serve({ fetch: app.fetch, hostname: config.web.host, port: config.web.port }, (info) => {
  logger.info({ url: `http://${info.address}:${info.port}` }, `listening on http://${config.web.host}:${info.port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void Promise.all([processes.close(), ingestConnection.close(), documents.close(), sql.end({ timeout: 5 })]).finally(
      () => process.exit(0),
    );
  });
}
