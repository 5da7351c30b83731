// Starting and waking the pollers: one mailboxPoller workflow per enabled mailbox, one folderWatcher for
// the watched folder. Starting is idempotent (fixed workflow ids, USE_EXISTING), so the worker does it at
// every start and the admin page after every change.
import type { Client } from '@temporalio/client';
import type { IngestConfig } from '../config/index.js';
import type { Sql } from '../db/client.js';
import { durationMs } from '../db/settings.js';
import { listMailboxes, upsertEnvMailbox } from '../db/ingestion.js';
import { folderWorkflowId, ingestTaskQueue, mailboxWorkflowId, type PollSettings } from '../domain/ingest.js';
import { folderWatcher } from '../workflows/folder.js';
import { mailboxPoller, pollNowSignal } from '../workflows/mailbox.js';

export const ENV_MAILBOX_ID = 'env';

export interface IngestPollers {
  /** Start the mailbox's poller (no-op when it runs), or wake it so it sees a change at once. */
  startMailbox(mailboxId: string): Promise<void>;
}

export function createIngestPollers(client: Client, taskQueue: string, config: IngestConfig): IngestPollers {
  const queue = ingestTaskQueue(taskQueue);
  // Sent with every wake-up, so a running poller adopts changed settings at once (not only at its next run).
  const settings: Required<PollSettings> = { pollInterval: config.pollInterval, idleMaxMs: durationMs(config.idleMax) };
  return {
    async startMailbox(mailboxId) {
      await client.workflow.signalWithStart(mailboxPoller, {
        taskQueue: queue,
        workflowId: mailboxWorkflowId(mailboxId),
        args: [{ mailboxId, ...settings }],
        signal: pollNowSignal,
        signalArgs: [settings],
        staticSummary: `Mailbox poller ${mailboxId}`,
      });
    },
  };
}

/** At worker start: the environment's mailbox recorded, every enabled mailbox's poller and the folder watcher running. */
export async function startConfiguredPollers(
  client: Client,
  sql: Sql,
  taskQueue: string,
  config: IngestConfig,
): Promise<string[]> {
  const pollers = createIngestPollers(client, taskQueue, config);
  const env = config.envMailbox;
  if (env) {
    await upsertEnvMailbox(sql, {
      id: ENV_MAILBOX_ID,
      name: `${env.username}@${env.host}`,
      host: env.host,
      port: env.port,
      tls: env.tls,
      username: env.username,
      folder: env.folder,
      processedFolder: env.processedFolder,
      allowedSenders: [],
      enabled: true,
    });
  }
  const started: string[] = [];
  for (const mailbox of await listMailboxes(sql)) {
    if (!mailbox.enabled || (mailbox.fromEnv && !env)) continue;
    await pollers.startMailbox(mailbox.id);
    started.push(mailboxWorkflowId(mailbox.id));
  }
  if (config.folder) {
    await client.workflow.start(folderWatcher, {
      taskQueue: ingestTaskQueue(taskQueue),
      workflowId: folderWorkflowId(config.folder.path),
      args: [{ path: config.folder.path, scanInterval: config.folder.scanInterval }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `Watched folder ${config.folder.path}`,
    });
    started.push(folderWorkflowId(config.folder.path));
  }
  return started;
}
