// Ingestion's shapes shared by the pollers (workflows/mailbox.ts, workflows/folder.ts), their activities
// (activities/ingest.ts), the worker and the admin pages.
import { z } from 'zod';
import { MAILBOX_ID, MAILBOX_ID_RULE } from './workflow-inputs.js';

/** Pollers run on their own task queue: IDLE holds an activity slot for minutes, invoices must not wait for it. */
export const ingestTaskQueue = (mainTaskQueue: string) => `${mainTaskQueue}-ingest`;
export const mailboxWorkflowId = (mailboxId: string) => `ingest-mailbox-${mailboxId}`;
export const folderWorkflowId = (path: string) => `ingest-folder:${path}`;

export const MailboxId = z.string().regex(MAILBOX_ID, MAILBOX_ID_RULE);

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

export type { FolderWatcherInput, MailboxPollerInput, PollSettings } from './workflow-inputs.js';

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
