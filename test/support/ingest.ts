// Ingestion on top of a test stack: the ingestion worker (same code as worker/main.ts), mailboxes saved
// as the admin page saves them (password encrypted), a watched folder, and waits on the ingestion records.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { NativeConnection } from '@temporalio/worker';
import { createInvoiceService } from '../../services/invoices.js';
import { createInvoiceProcesses } from '../../services/temporal.js';
import type { IngestConfig } from '../../config/index.js';
import { insertMailbox, type MailboxSettings } from '../../db/ingestion.js';
import { folderWorkflowId, mailboxWorkflowId, type IngestActivities } from '../../domain/ingest.js';
import type { FolderFs } from '../../ingest/folder.js';
import type { ImapAccount } from '../../ingest/imap.js';
import { createIngestPollers, startConfiguredPollers } from '../../ingest/pollers.js';
import { createSecretBox } from '../../ingest/secret.js';
import { createLogger } from '../../observability/logger.js';
import { createIngestWorker } from '../../worker/ingest.js';
import { startStack, workflowBundle, type Stack } from '../../testkit/stack.js';

export const TEST_SECRET_KEY = 'test-only-secret-key-with-32-characters!';

export interface Ingestion {
  config: IngestConfig;
  /** Save a mailbox for the account and start its poller; returns the mailbox id. */
  addMailbox(account: ImapAccount, overrides?: Partial<MailboxSettings> & { pollInterval?: string }): Promise<string>;
  /** Start watching the folder (scanned every 300 ms); what the tests read of it. */
  startFolder(path: string): Promise<WatchedFolder>;
  /** Poll until `read` returns a value (not undefined), or fail after the deadline with the last value. */
  waitUntil<T>(what: string, read: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** The latest ingestion record of a file dropped into the watched folder. */
export interface FolderFileRow {
  id: string;
  status: string;
  invoice_id: string | null;
  reason: string | null;
  moved_to: string | null;
  companion_of: string | null;
}

export interface WatchedFolder {
  /** The names in a subfolder (processed, failed, duplicates), sorted; none while it does not exist. */
  filesIn(sub: string): string[];
  /** Wait until `name` is in `sub` and its move is recorded: the file is renamed a moment before that. */
  waitForFile(sub: string, name: string): Promise<true>;
  /** The latest record of a file of this name in the folder, if any. */
  fileRow(name: string): Promise<FolderFileRow | undefined>;
}

export async function startIngestion(
  stack: Stack,
  opts: {
    config?: Partial<IngestConfig>;
    wrapActivities?: (a: IngestActivities) => IngestActivities;
    folderFs?: FolderFs;
  } = {},
): Promise<Ingestion> {
  const config: IngestConfig = { ...stack.config.ingest, secretKey: TEST_SECRET_KEY, ...opts.config };
  const secrets = createSecretBox(config.secretKey)!;
  const taskQueue = stack.config.temporal.taskQueue;
  const connection = await NativeConnection.connect({ address: stack.config.temporal.address });
  const invoices = createInvoiceService({
    sql: stack.sql,
    processes: createInvoiceProcesses(stack.client, taskQueue),
    config: stack.config,
  });
  const worker = await createIngestWorker({
    connection,
    namespace: stack.config.temporal.namespace,
    taskQueue,
    deps: {
      sql: stack.sql,
      invoices,
      config,
      secrets,
      logger: createLogger({ level: 'silent', name: 'ingest-test' }),
      folderFs: opts.folderFs,
    },
    workflowBundle: await workflowBundle(),
    wrapActivities: opts.wrapActivities,
  });
  const running = worker.run();
  const started: string[] = [];

  async function waitUntil<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await read();
        if (value !== undefined) return value;
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`Timed out waiting for ${what}${last ? `: ${JSON.stringify(last)}` : ''}`);
  }

  function watchedFolder(dir: string): WatchedFolder {
    const filesIn = (sub: string) => (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).sort() : []);
    return {
      filesIn,
      waitForFile: (sub, name) =>
        waitUntil(`${sub}/${name}`, async () =>
          filesIn(sub).includes(name) &&
          (await stack.sql`select 1 from ingest_files where folder = ${dir} and moved_to = ${`${sub}/${name}`}`)
            .length > 0
            ? true
            : undefined,
        ),
      fileRow: async (name) => {
        const [row] = await stack.sql<FolderFileRow[]>`
          select id, status, invoice_id, reason, moved_to, companion_of from ingest_files
          where folder = ${dir} and file_name = ${name} order by id desc limit 1`;
        return row;
      },
    };
  }

  return {
    config,
    async addMailbox(account, overrides = {}) {
      const { pollInterval, ...settings } = overrides;
      const id = settings.id ?? `mb-${randomBytes(4).toString('hex')}`;
      await insertMailbox(
        stack.sql,
        {
          id,
          name: account.username,
          host: account.host,
          port: account.port,
          tls: account.tls,
          username: account.username,
          folder: 'INBOX',
          processedFolder: 'Processed',
          allowedSenders: [],
          enabled: true,
          ...settings,
        },
        secrets.seal(account.password),
      );
      await createIngestPollers(stack.client, taskQueue, {
        ...config,
        pollInterval: pollInterval ?? config.pollInterval,
      }).startMailbox(id);
      started.push(mailboxWorkflowId(id));
      return id;
    },
    async startFolder(path) {
      await startConfiguredPollers(stack.client, stack.sql, taskQueue, {
        ...config,
        envMailbox: undefined,
        folder: { path, scanInterval: '300ms' },
      });
      started.push(folderWorkflowId(path));
      return watchedFolder(path);
    },
    waitUntil,
    async stop() {
      for (const id of started)
        await stack.client.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => {});
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** What the tests of a watched folder work with. */
export interface FolderTestbed {
  stack: Stack;
  ingestion: Ingestion;
  /** The watched folder's path, a new temporary folder named `<prefix>…`. */
  dir: string;
  folder: WatchedFolder;
}

/**
 * For the tests of one file: a stack, its ingestion worker and a new temporary folder it watches, handed to
 * `started` before the tests; the worker and the stack stopped and the folder removed after them.
 */
export function withWatchedFolder(
  prefix: string,
  opts: Parameters<typeof startIngestion>[1],
  started: (testbed: FolderTestbed) => void,
): void {
  let stack: Stack | undefined;
  let ingestion: Ingestion | undefined;
  let dir: string | undefined;
  before(async () => {
    stack = await startStack();
    ingestion = await startIngestion(stack, opts);
    dir = mkdtempSync(join(tmpdir(), prefix));
    started({ stack, ingestion, dir, folder: await ingestion.startFolder(dir) });
  });
  after(async () => {
    await ingestion?.stop();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}
