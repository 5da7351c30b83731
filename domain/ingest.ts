// Ingestion's shapes shared by the pollers (workflows/mailbox.ts, workflows/folder.ts), their activities
// (activities/ingest.ts), the worker and the admin pages.
import { z } from 'zod';

/** Pollers run on their own task queue: IDLE holds an activity slot for minutes, invoices must not wait for it. */
export const ingestTaskQueue = (mainTaskQueue: string) => `${mainTaskQueue}-ingest`;
export const mailboxWorkflowId = (mailboxId: string) => `ingest-mailbox-${mailboxId}`;
export const folderWorkflowId = (path: string) => `ingest-folder:${path}`;

export const MailboxId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'The id uses lower-case letters, digits and dashes (at most 40).');

/** What an admin (or the environment) sets for a mailbox; the poller state is kept apart. */
export interface MailboxSettings {
  id: string;
  name: string;
  host: string;
  port: number;
  tls: boolean;
  username: string;
  folder: string;
  processedFolder: string;
  allowedSenders: string[];
  enabled: boolean;
}

/** A mailbox poller's last round: whether the server offers IDLE, when it polled, whether that worked. */
export interface MailboxPollStatus {
  idleSupported: boolean | null;
  lastPollAt: Date | null;
  lastPollOk: boolean | null;
  lastError: string | null;
}

export const MailboxPollerInput = z.object({
  mailboxId: MailboxId,
  /** Without IDLE (or after a failed round): wait this long between polls. */
  pollInterval: z.string(),
  /** The longest single IDLE; the mailbox is listed again afterwards even if nothing was announced. */
  idleMaxMs: z.number().int().positive(),
});
export type MailboxPollerInput = z.infer<typeof MailboxPollerInput>;

/**
 * The `pollNow` signal's optional argument: the sender's current poll settings. The worker sends its own
 * when it starts (so a changed INGEST_POLL_INTERVAL / INGEST_IDLE_MAX reaches running pollers at once),
 * the admin page the web app's; a signal without it only wakes the poller.
 */
export const PollSettings = MailboxPollerInput.pick({ pollInterval: true, idleMaxMs: true }).partial();
export type PollSettings = z.infer<typeof PollSettings>;

export const FolderWatcherInput = z.object({ path: z.string().min(1), scanInterval: z.string() });
export type FolderWatcherInput = z.infer<typeof FolderWatcherInput>;

export type MailListing =
  | { disabled: true }
  | { disabled: false; uidValidity: string; uids: number[]; uidNext: number; idleSupported: boolean };

export interface MailRef {
  mailboxId: string;
  uidValidity: string;
  uid: number;
}

export interface MailOutcome {
  /** `stale`: the folder's UIDVALIDITY changed since the listing; `gone`: the message was deleted meanwhile. */
  status: 'ingested' | 'duplicate' | 'skipped' | 'failed' | 'gone' | 'stale';
  invoiceIds: string[];
}

export type IdleResult = 'new_mail' | 'timeout' | 'no_idle';

export interface WatchedFile {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface FileOutcome {
  /**
   * `changed`: still being written; `gone`: removed before it was taken; `waiting`: left for a later scan
   * because the e-invoice XML with its base name is still in the inbox; `companion`: kept with that XML's invoice.
   */
  status: 'ingested' | 'duplicate' | 'failed' | 'companion' | 'changed' | 'gone' | 'waiting';
  invoiceId?: string;
  movedTo?: string;
}

/** The activities the pollers call (implemented in activities/ingest.ts). */
export interface IngestActivities {
  listNewMail(input: { mailboxId: string }): Promise<MailListing>;
  ingestMailMessage(ref: MailRef): Promise<MailOutcome>;
  settleMailMessage(ref: MailRef): Promise<{ settled: 'moved' | 'flagged' | 'gone' | 'stale' }>;
  waitForMail(input: { mailboxId: string; uidNext: number; maxMs: number }): Promise<IdleResult>;
  scanWatchedFolder(input: { path: string }): Promise<WatchedFile[]>;
  ingestWatchedFile(input: { path: string; file: WatchedFile }): Promise<FileOutcome>;
}

/** Where an invoice that was not uploaded came from: an email's attachment or a watched-folder file. */
export type InvoiceSource =
  | {
      kind: 'email';
      mailboxName: string;
      sender: string | null;
      subject: string | null;
      sentAt: Date | null;
      messageId: string | null;
      fileName: string;
      receivedAt: Date;
    }
  | { kind: 'folder'; folder: string; fileName: string; receivedAt: Date };
