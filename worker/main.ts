// Worker process: connects to Temporal, builds the clients, runs the invoice workflows and activities.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { loadConfig, requireDatabase, requirePlex } from '../config/index.js';
import { createSql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { getEffectiveNotificationSettings } from '../db/notification-settings.js';
import { createKnowledgeStore } from '../db/vendor-knowledge.js';
import { createExtractor, visualStageOptions } from '../extract/index.js';
import { resolveOcrEngine } from '../extract/ocr/engines.js';
import { createVendorKnowledge } from '../extract/learned.js';
import { modelStageFromConfig } from '../extract/model/index.js';
import { syncDigestSchedule } from '../notify/digest-schedule.js';
import { createNotificationMetrics } from '../notify/metrics.js';
import { createLogger } from '../observability/logger.js';
import { Registry } from 'prom-client';
import { createModelMetrics, createWorkerMetrics } from '../observability/metrics.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { createPlexCallRecorder } from '../plex/call-recorder.js';
import { createPlexClient } from '../plex/client.js';
import { createSharedCallBudget } from '../db/plex-call-budget.js';
import { createHash } from 'node:crypto';
import { createInvoiceWorkers } from './create.js';
import { workflowCodeForWorkers } from './workflow-code.js';
import { createDocumentSandbox, createInvoiceService } from '../services/invoices.js';
import { createInvoiceProcesses } from '../services/temporal.js';
import { startConfiguredPollers } from '../ingest/pollers.js';
import { createSecretBox } from '../ingest/secret.js';
import { createIngestWorker } from './ingest.js';
import { startReconciler } from './reconciler.js';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'worker' });
// The SDK's own logs (worker state, activity failures) go through pino as structured JSON too.
const SDK_LEVEL: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' };
Runtime.install({
  logger: new DefaultLogger(SDK_LEVEL[config.logLevel] ?? 'ERROR', (entry) => {
    const level = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
    logger[level]({ sdk: true, ...entry.meta }, entry.message);
  }),
});

// One workflow bundle for both workers (the invoice and the ingestion worker): the build's, or bundled once
// now when running from the sources (bundling per worker ran webpack twice at start-up and kept both).
const workflowBundle = await workflowCodeForWorkers(
  new DefaultLogger('WARN', (entry) => logger.warn({ sdk: true, ...entry.meta }, entry.message)),
);
logger.info(
  { workflowCode: 'codePath' in workflowBundle ? workflowBundle.codePath : 'bundled from the sources' },
  'workflow code',
);

const sql = createSql(requireDatabase(config));
await migrate(sql);
const connection = await NativeConnection.connect({ address: config.temporal.address });
const plexConfig = requirePlex(config);
const plexCalls = createPlexCallRecorder();
const knowledgeStore = createKnowledgeStore(sql);
// The worker's own Prometheus endpoint: documents read and time taken, AI model tokens, notifications,
// process metrics.
const registry = new Registry();
const workerMetrics = createWorkerMetrics(registry);
const metricsServer = config.worker.metrics && (await startMetricsServer(registry, config.worker.metrics));
if (metricsServer) logger.info({ url: metricsServer.url }, 'worker metrics');
// The OCR engine this machine runs (OCR_ENGINE): said once at start-up, and a required program that is
// missing stops the worker here rather than on the first scan.
if (config.extraction.ocr) logger.info({ engine: await resolveOcrEngine(config.extraction.ocr.engine) }, 'OCR engine');
// Stages 2–3 (text layer, OCR) in worker threads with the EXTRACT_* and OCR_* settings; stage 4 (what
// clerks' corrections taught) always; stage 5 (the AI model) only when OPENAI_API_KEY is set.
const extractor = createExtractor({
  ...visualStageOptions(config.extraction),
  knowledge: createVendorKnowledge(knowledgeStore),
  model: modelStageFromConfig(config.model, { onUsage: createModelMetrics(registry).record }),
});
// Invoices start here exactly as uploads do: mailed and dropped files (ingestion, its own task queue)
// and the parts of a file that held several invoices.
const ingestClient = new Client({ connection, namespace: config.temporal.namespace });
const ingestDocuments = createDocumentSandbox(config);
const ingestInvoices = createInvoiceService({
  sql,
  processes: createInvoiceProcesses(ingestClient, config.temporal.taskQueue),
  config,
  documents: ingestDocuments,
});
const workers = await createInvoiceWorkers({
  connection,
  workflowBundle,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  maxConcurrentActivityTaskExecutions: config.worker.maxActivities,
  maxCachedWorkflows: config.worker.maxCachedWorkflows,
  plexActivitiesPerSecond: config.worker.plexActivitiesPerSecond,
  deps: {
    sql,
    plex: createPlexClient({
      ...plexConfig,
      retries: plexConfig.clientRetries,
      fetch: plexCalls.fetch,
      // One budget for every worker on this Plex key (named by a hash: the key itself is not stored).
      sharedBudget: createSharedCallBudget(sql, {
        name: createHash('sha256').update(plexConfig.apiKey).digest('hex').slice(0, 16),
        max: plexConfig.maxCallsPerMinute,
        windowMs: plexConfig.budgetWindowMs,
      }),
    }),
    plexCalls,
    extractor,
    learning: { store: knowledgeStore, readPages: (doc) => extractor.readPages(doc) },
    metrics: workerMetrics,
    clock: () => new Date(),
    logger,
    matching: config.matching,
    notify: { config: config.notify, metrics: createNotificationMetrics(registry) },
    invoices: ingestInvoices,
  },
});
// The daily digest's Schedule follows the time saved on the Notifications page, else NOTIFY_DIGEST_AT /
// NOTIFY_DIGEST_TIMEZONE (removed when neither sets one).
const scheduleConnection = await Connection.connect({ address: config.temporal.address });
try {
  const { digest: wanted } = await getEffectiveNotificationSettings(sql, config.notify);
  const digest = await syncDigestSchedule(
    new Client({ connection: scheduleConnection, namespace: config.temporal.namespace }),
    { taskQueue: config.temporal.taskQueue, at: wanted.at, timeZone: wanted.timeZone },
  );
  logger.info({ digest, at: wanted.at, timeZone: wanted.timeZone, setOnPage: wanted.setHere }, 'daily digest schedule');
} finally {
  await scheduleConnection.close();
}
const ingestWorker = await createIngestWorker({
  connection,
  workflowBundle,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  deps: {
    sql,
    // Its own bounded thread opens mailed and dropped PDFs for their page count (services/invoices.ts).
    invoices: ingestInvoices,
    config: config.ingest,
    secrets: createSecretBox(config.ingest.secretKey),
    logger,
  },
});
const pollers = await startConfiguredPollers(ingestClient, sql, config.temporal.taskQueue, config.ingest);
logger.info({ pollers }, 'ingestion pollers running');
// Uploads whose workflow start Temporal did not take (it was down) are started once it answers again.
const reconciler = startReconciler({ invoices: ingestInvoices, logger });
logger.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker started');
try {
  await Promise.all([workers.run(), ingestWorker.run()]);
} finally {
  await reconciler.stop();
  await extractor.close?.();
  await ingestDocuments.close();
  if (metricsServer) await metricsServer.close();
  await connection.close();
  await sql.end({ timeout: 5 });
  logger.info('worker stopped');
}
