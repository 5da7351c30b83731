// The ingestion worker: mailbox pollers, the folder watcher and their activities on `<queue>-ingest`,
// apart from the invoice workers so that minutes-long IDLE activities never hold an invoice's slot.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createIngestActivities, type IngestActivityDeps } from '../activities/ingest.js';
import { ingestTaskQueue, type IngestActivities } from '../domain/ingest.js';
import { WORKFLOW_CODE } from './workflow-code.js';

export async function createIngestWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  /** The main task queue; the ingestion queue is derived from it. */
  taskQueue: string;
  deps: IngestActivityDeps;
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Tests wrap activities to inject failures (a worker dying between fetch and move). */
  wrapActivities?: (activities: IngestActivities) => IngestActivities;
}): Promise<Worker> {
  const activities = createIngestActivities(opts.deps);
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: ingestTaskQueue(opts.taskQueue),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : WORKFLOW_CODE),
    activities: { ...(opts.wrapActivities ? opts.wrapActivities(activities) : activities) },
    // Each mailbox holds one IDLE activity most of the time; leave room for the ingest steps.
    maxConcurrentActivityTaskExecutions: 20,
    shutdownGraceTime: '10s',
    shutdownForceTime: '30s',
  });
}
