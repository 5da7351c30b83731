// Builds the workers for the invoice workflows from injected clients (used by worker/main.ts and tests).
// Two task queues: the main one runs the workflows and the local side effects (parse, read model,
// audit); `<queue>-plex` runs the activities that call Plex, with a task-queue-wide rate so that all
// workers together stay inside Plex's per-key call budget (the client adds its own per-process limiter).
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { plexTaskQueue } from '../domain/task-queues.js';
import { WORKFLOW_CODE } from './workflow-code.js';

/** The activities that call Plex: they run on the rate-limited Plex task queue (workflows use the same split). */
const PLEX_ACTIVITIES: ReadonlySet<string> = new Set<keyof ReturnType<typeof createActivities>>([
  'matchInvoice',
  'confirmPlaceholderChoice',
  'syncToPlex',
]);

export interface InvoiceWorkers {
  workers: Worker[];
  /** Runs until shutdown() (or a signal); resolves when every worker has stopped. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createInvoiceWorkers(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  maxConcurrentActivityTaskExecutions?: number;
  /** Workflows kept in memory between tasks (WORKER_MAX_CACHED_WORKFLOWS); the SDK's default when absent. */
  maxCachedWorkflows?: number;
  /** Plex activities per second across all workers of this task queue. */
  plexActivitiesPerSecond: number;
  workflowBundle?: WorkerOptions['workflowBundle'];
}): Promise<InvoiceWorkers> {
  // Plex's activities run on their own, rate-limited queue; the rest on the main one.
  const activities = Object.entries(createActivities(opts.deps));
  const local = Object.fromEntries(activities.filter(([name]) => !PLEX_ACTIVITIES.has(name)));
  const onPlexQueue = Object.fromEntries(activities.filter(([name]) => PLEX_ACTIVITIES.has(name)));
  const common = {
    connection: opts.connection,
    namespace: opts.namespace,
    // Finish in-flight activities on shutdown, but never hang forever on one that does not return.
    shutdownGraceTime: '10s',
    shutdownForceTime: '30s',
  } as const;
  const main = await Worker.create({
    ...common,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : WORKFLOW_CODE),
    activities: local,
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 20,
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
  });
  const plex = await Worker.create({
    ...common,
    taskQueue: plexTaskQueue(opts.taskQueue),
    activities: onPlexQueue,
    maxConcurrentActivityTaskExecutions: 10,
    maxTaskQueueActivitiesPerSecond: opts.plexActivitiesPerSecond,
  });
  const workers = [main, plex];
  return {
    workers,
    run: async () => {
      const results = await Promise.allSettled(workers.map((w) => w.run()));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    shutdown: () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
}
