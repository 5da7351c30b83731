// Worker process: connects to Temporal, builds the clients, runs the invoice workflows and activities.
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/index.js';
import { createSql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { createTextLayerExtractor } from '../extract/index.js';
import { createLogger } from '../observability/logger.js';
import { createPlexClient } from '../plex/client.js';
import { createInvoiceWorker } from './create.js';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'worker' });

const sql = createSql(config.databaseUrl);
await migrate(sql);
const connection = await NativeConnection.connect({ address: config.temporal.address });
const worker = await createInvoiceWorker({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  maxConcurrentActivityTaskExecutions: config.worker.maxActivities,
  deps: {
    sql,
    plex: createPlexClient({ ...config.plex, retries: config.plex.clientRetries }),
    extractor: createTextLayerExtractor(),
    clock: () => new Date(),
    logger,
  },
});
logger.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'worker started');
try {
  await worker.run();
} finally {
  await connection.close();
  await sql.end({ timeout: 5 });
  logger.info('worker stopped');
}
