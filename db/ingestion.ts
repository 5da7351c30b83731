// Ingestion records: configured mailboxes and their poller state, every message and attachment seen,
// the watched folder's status and every file taken from it.
import type { InvoiceSource, MailboxPollStatus, MailboxSettings } from '../domain/ingest.js';
import type { Sql } from './client.js';

export type { MailboxSettings } from '../domain/ingest.js';

/** A mailbox as stored: its settings, the encrypted password and the poller's state. */
export interface MailboxRow extends MailboxSettings, MailboxPollStatus {
  passwordEncrypted: string | null;
  fromEnv: boolean;
  uidValidity: string | null;
  lastSeenUid: number;
  updatedAt: Date;
}

type MailboxDbRow = {
  id: string;
  name: string;
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password_encrypted: string | null;
  from_env: boolean;
  folder: string;
  processed_folder: string;
  allowed_senders: string[];
  enabled: boolean;
  uid_validity: string | null;
  last_seen_uid: string;
  idle_supported: boolean | null;
  last_poll_at: Date | null;
  last_poll_ok: boolean | null;
  last_error: string | null;
  updated_at: Date;
};

const toMailbox = (r: MailboxDbRow): MailboxRow => ({
  id: r.id,
  name: r.name,
  host: r.host,
  port: r.port,
  tls: r.tls,
  username: r.username,
  passwordEncrypted: r.password_encrypted,
  fromEnv: r.from_env,
  folder: r.folder,
  processedFolder: r.processed_folder,
  allowedSenders: r.allowed_senders,
  enabled: r.enabled,
  uidValidity: r.uid_validity,
  lastSeenUid: Number(r.last_seen_uid),
  idleSupported: r.idle_supported,
  lastPollAt: r.last_poll_at,
  lastPollOk: r.last_poll_ok,
  lastError: r.last_error,
  updatedAt: r.updated_at,
});

export async function listMailboxes(sql: Sql): Promise<MailboxRow[]> {
  return (await sql<MailboxDbRow[]>`select * from ingest_mailboxes order by from_env desc, name, id`).map(toMailbox);
}

export async function getMailbox(sql: Sql, id: string): Promise<MailboxRow | undefined> {
  const [row] = await sql<MailboxDbRow[]>`select * from ingest_mailboxes where id = ${id}`;
  return row && toMailbox(row);
}

const settingsColumns = (m: MailboxSettings) => ({
  name: m.name,
  host: m.host,
  port: m.port,
  tls: m.tls,
  username: m.username,
  folder: m.folder,
  processed_folder: m.processedFolder,
  allowed_senders: m.allowedSenders,
  enabled: m.enabled,
});

/** The environment's mailbox, refreshed at every worker start; its poller state is kept. */
export async function upsertEnvMailbox(sql: Sql, m: MailboxSettings): Promise<void> {
  const cols = { id: m.id, ...settingsColumns(m), from_env: true, password_encrypted: null };
  await sql`
    insert into ingest_mailboxes ${sql(cols)}
    on conflict (id) do update set ${sql(settingsColumns(m))}, from_env = true, password_encrypted = null, updated_at = now()`;
}

/** Returns false when the id is taken. */
export async function insertMailbox(sql: Sql, m: MailboxSettings, passwordEncrypted: string): Promise<boolean> {
  const rows = await sql`
    insert into ingest_mailboxes ${sql({ id: m.id, ...settingsColumns(m), password_encrypted: passwordEncrypted })}
    on conflict (id) do nothing returning id`;
  return rows.length === 1;
}

/** An admin's edit; the password stays unless a new (encrypted) one is given. Environment mailboxes are not editable. */
export async function updateMailbox(
  sql: Sql,
  m: MailboxSettings,
  passwordEncrypted?: string,
): Promise<MailboxRow | undefined> {
  const cols = passwordEncrypted
    ? { ...settingsColumns(m), password_encrypted: passwordEncrypted }
    : settingsColumns(m);
  const [row] = await sql<MailboxDbRow[]>`
    update ingest_mailboxes set ${sql(cols)}, updated_at = now()
    where id = ${m.id} and not from_env returning *`;
  return row && toMailbox(row);
}

export async function recordPoll(
  sql: Sql,
  id: string,
  outcome: { ok: boolean; error?: string; idleSupported?: boolean },
): Promise<void> {
  await sql`
    update ingest_mailboxes set last_poll_at = now(), last_poll_ok = ${outcome.ok}, last_error = ${outcome.error ?? null},
      idle_supported = coalesce(${outcome.idleSupported ?? null}, idle_supported)
    where id = ${id}`;
}

/** A new UIDVALIDITY means the server renumbered the folder: start again from UID 0 (records dedupe). */
export async function adoptUidValidity(sql: Sql, id: string, uidValidity: string): Promise<number> {
  const [row] = await sql<{ last_seen_uid: string }[]>`
    update ingest_mailboxes
    set last_seen_uid = case when uid_validity = ${uidValidity} then last_seen_uid else 0 end, uid_validity = ${uidValidity}
    where id = ${id} returning last_seen_uid`;
  return Number(row?.last_seen_uid ?? 0);
}

export async function advanceLastSeenUid(sql: Sql, id: string, uidValidity: string, uid: number): Promise<void> {
  await sql`
    update ingest_mailboxes set last_seen_uid = greatest(last_seen_uid, ${uid})
    where id = ${id} and uid_validity = ${uidValidity}`;
}

// ---- messages and attachments -------------------------------------------------------------------

export type MessageStatus = 'received' | 'ingested' | 'duplicate' | 'skipped' | 'failed';
/** `companion`: a file sent with an e-invoice XML that became (or already is) the invoice; linked, not read. */
export type AttachmentOutcome = 'pending' | 'invoice' | 'already_received' | 'resent' | 'rejected' | 'companion';

export interface MessageRecord {
  id: string;
  mailboxId: string;
  uidValidity: string;
  uid: number;
  messageKey: string;
  messageId: string | null;
  sender: string | null;
  subject: string | null;
  sentAt: Date | null;
  status: MessageStatus;
  reason: string | null;
  settled: 'moved' | 'flagged' | 'gone' | null;
  settleNote: string | null;
  createdAt: Date;
}

export interface AttachmentRecord {
  sha256: string;
  fileName: string;
  mimeType: string | null;
  sizeBytes: number;
  outcome: AttachmentOutcome;
  invoiceId: string | null;
  reason: string | null;
  createdAt?: Date;
}

type MessageDbRow = {
  id: string;
  mailbox_id: string;
  uid_validity: string;
  uid: string;
  message_key: string;
  message_id: string | null;
  sender: string | null;
  subject: string | null;
  sent_at: Date | null;
  status: MessageStatus;
  reason: string | null;
  settled: MessageRecord['settled'];
  settle_note: string | null;
  created_at: Date;
};
const toMessage = (r: MessageDbRow): MessageRecord => ({
  id: r.id,
  mailboxId: r.mailbox_id,
  uidValidity: r.uid_validity,
  uid: Number(r.uid),
  messageKey: r.message_key,
  messageId: r.message_id,
  sender: r.sender,
  subject: r.subject,
  sentAt: r.sent_at,
  status: r.status,
  reason: r.reason,
  settled: r.settled,
  settleNote: r.settle_note,
  createdAt: r.created_at,
});

export async function findMessage(
  sql: Sql,
  mailboxId: string,
  uidValidity: string,
  uid: number,
): Promise<MessageRecord | undefined> {
  const [row] = await sql<MessageDbRow[]>`
    select * from ingest_messages where mailbox_id = ${mailboxId} and uid_validity = ${uidValidity} and uid = ${uid}`;
  return row && toMessage(row);
}

/** A fetched message as first recorded: where it was seen, its headers and its size. */
type FetchedMessage = Pick<
  MessageRecord,
  'mailboxId' | 'uidValidity' | 'uid' | 'messageKey' | 'messageId' | 'sender' | 'subject' | 'sentAt'
> & { sizeBytes: number };

/** Record a fetched message before anything is started from it; a second call returns the first record. */
export async function recordMessage(sql: Sql, m: FetchedMessage): Promise<MessageRecord> {
  await sql`
    insert into ingest_messages ${sql({
      mailbox_id: m.mailboxId,
      uid_validity: m.uidValidity,
      uid: m.uid,
      message_key: m.messageKey,
      message_id: m.messageId,
      sender: m.sender,
      subject: m.subject,
      sent_at: m.sentAt,
      size_bytes: m.sizeBytes,
      status: 'received',
    })}
    on conflict (mailbox_id, uid_validity, uid) do nothing`;
  return (await findMessage(sql, m.mailboxId, m.uidValidity, m.uid))!;
}

/** An earlier message of this mailbox with the same Message-ID (a re-send), if any. */
export async function earlierMessageWithKey(
  sql: Sql,
  mailboxId: string,
  messageKey: string,
  beforeRow: string,
): Promise<MessageRecord | undefined> {
  const [row] = await sql<MessageDbRow[]>`
    select * from ingest_messages
    where mailbox_id = ${mailboxId} and message_key = ${messageKey} and id < ${beforeRow} and status <> 'received'
    order by id limit 1`;
  return row && toMessage(row);
}

export async function finishMessage(
  sql: Sql,
  rowId: string,
  status: Exclude<MessageStatus, 'received'>,
  reason: string | null,
): Promise<void> {
  await sql`update ingest_messages set status = ${status}, reason = ${reason}, updated_at = now() where id = ${rowId}`;
}

export async function settleMessageRecord(
  sql: Sql,
  rowId: string,
  settled: 'moved' | 'flagged' | 'gone',
  note: string | null,
): Promise<void> {
  await sql`
    update ingest_messages set settled = ${settled}, settle_note = ${note}, settled_at = now(), updated_at = now()
    where id = ${rowId} and settled is null`;
}

type AttachmentDbRow = {
  sha256: string;
  file_name: string;
  mime_type: string | null;
  size_bytes: number;
  outcome: AttachmentOutcome;
  invoice_id: string | null;
  reason: string | null;
  created_at: Date | string;
};
const toAttachment = (r: AttachmentDbRow): AttachmentRecord => ({
  sha256: r.sha256,
  fileName: r.file_name,
  mimeType: r.mime_type,
  sizeBytes: r.size_bytes,
  outcome: r.outcome,
  invoiceId: r.invoice_id,
  reason: r.reason,
  createdAt: new Date(r.created_at),
});

export async function attachmentsOf(sql: Sql, rowId: string): Promise<AttachmentRecord[]> {
  return (
    await sql<
      AttachmentDbRow[]
    >`select * from ingest_attachments where message_row = ${rowId} order by created_at, file_name`
  ).map(toAttachment);
}

/** Record an attachment's outcome; `pending` is written before its invoice is started, then replaced. */
export async function recordAttachment(sql: Sql, rowId: string, a: AttachmentRecord): Promise<void> {
  await sql`
    insert into ingest_attachments ${sql({
      message_row: rowId,
      sha256: a.sha256,
      file_name: a.fileName,
      mime_type: a.mimeType,
      size_bytes: a.sizeBytes,
      outcome: a.outcome,
      invoice_id: a.invoiceId,
      reason: a.reason,
    })}
    on conflict (message_row, sha256) do update set outcome = excluded.outcome, invoice_id = excluded.invoice_id, reason = excluded.reason
    where ingest_attachments.outcome = 'pending'`;
}

/** The same attachment in an earlier message with the same Message-ID (what a re-send is linked to). */
export async function earlierAttachment(
  sql: Sql,
  mailboxId: string,
  messageKey: string,
  sha256: string,
  beforeRow: string,
): Promise<AttachmentRecord | undefined> {
  const [row] = await sql<AttachmentDbRow[]>`
    select a.* from ingest_attachments a join ingest_messages m on m.id = a.message_row
    where m.mailbox_id = ${mailboxId} and m.message_key = ${messageKey} and a.sha256 = ${sha256} and m.id < ${beforeRow}
      and a.outcome in ('invoice', 'already_received')
    order by m.id limit 1`;
  return row && toAttachment(row);
}

export interface LoggedMessage extends MessageRecord {
  mailboxName: string;
  attachments: AttachmentRecord[];
}

/** The ingestion log: newest messages first, each with its attachments. */
export async function recentMessages(sql: Sql, limit = 50): Promise<LoggedMessage[]> {
  const rows = await sql<(MessageDbRow & { mailbox_name: string; attachments: AttachmentDbRow[] })[]>`
    select m.*, b.name as mailbox_name,
      coalesce((select json_agg(a order by a.created_at, a.file_name) from ingest_attachments a where a.message_row = m.id), '[]') as attachments
    from ingest_messages m join ingest_mailboxes b on b.id = m.mailbox_id
    order by m.created_at desc, m.id desc limit ${limit}`;
  return rows.map((r) => ({
    ...toMessage(r),
    mailboxName: r.mailbox_name,
    attachments: r.attachments.map(toAttachment),
  }));
}

/** Where an invoice came from, when it was ingested (not uploaded). */
export async function invoiceSource(sql: Sql, invoiceId: string): Promise<InvoiceSource | undefined> {
  const [mail] = await sql<
    {
      name: string;
      sender: string | null;
      subject: string | null;
      sent_at: Date | null;
      message_id: string | null;
      file_name: string;
      created_at: Date;
    }[]
  >`
    select b.name, m.sender, m.subject, m.sent_at, m.message_id, a.file_name, m.created_at
    from ingest_attachments a join ingest_messages m on m.id = a.message_row join ingest_mailboxes b on b.id = m.mailbox_id
    where a.invoice_id = ${invoiceId} and a.outcome = 'invoice' order by m.id limit 1`;
  if (mail) {
    return {
      kind: 'email',
      mailboxName: mail.name,
      sender: mail.sender,
      subject: mail.subject,
      sentAt: mail.sent_at,
      messageId: mail.message_id,
      fileName: mail.file_name,
      receivedAt: mail.created_at,
    };
  }
  const [file] = await sql<{ folder: string; file_name: string; created_at: Date }[]>`
    select folder, file_name, created_at from ingest_files where invoice_id = ${invoiceId} and status = 'ingested' order by id limit 1`;
  return file && { kind: 'folder', folder: file.folder, fileName: file.file_name, receivedAt: file.created_at };
}

// ---- watched folder -----------------------------------------------------------------------------

export interface FolderStatus {
  path: string;
  lastScanAt: Date | null;
  lastError: string | null;
  waitingFiles: number;
}

export async function recordFolderScan(
  sql: Sql,
  path: string,
  outcome: { error?: string; waitingFiles: number },
): Promise<void> {
  await sql`
    insert into ingest_folders (path, last_scan_at, last_error, waiting_files) values (${path}, now(), ${outcome.error ?? null}, ${outcome.waitingFiles})
    on conflict (path) do update set last_scan_at = now(), last_error = excluded.last_error, waiting_files = excluded.waiting_files, updated_at = now()`;
}

export async function folderStatus(sql: Sql, path: string): Promise<FolderStatus | undefined> {
  const [row] = await sql<
    { path: string; last_scan_at: Date | null; last_error: string | null; waiting_files: number }[]
  >`
    select path, last_scan_at, last_error, waiting_files from ingest_folders where path = ${path}`;
  return (
    row && { path: row.path, lastScanAt: row.last_scan_at, lastError: row.last_error, waitingFiles: row.waiting_files }
  );
}

export type FileStatus = 'received' | 'ingested' | 'duplicate' | 'failed' | 'companion';
export interface FileRecord {
  id: string;
  folder: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  status: FileStatus;
  invoiceId: string | null;
  reason: string | null;
  movedTo: string | null;
  createdAt: Date;
}
type FileDbRow = {
  id: string;
  folder: string;
  file_name: string;
  sha256: string;
  size_bytes: string;
  status: FileStatus;
  invoice_id: string | null;
  reason: string | null;
  moved_to: string | null;
  created_at: Date;
};
const toFile = (r: FileDbRow): FileRecord => ({
  id: r.id,
  folder: r.folder,
  fileName: r.file_name,
  sha256: r.sha256,
  sizeBytes: Number(r.size_bytes),
  status: r.status,
  invoiceId: r.invoice_id,
  reason: r.reason,
  movedTo: r.moved_to,
  createdAt: r.created_at,
});

/** The unfinished record of this file (same name and bytes, not moved yet), created when there is none. */
export async function recordFile(
  sql: Sql,
  f: { folder: string; fileName: string; sha256: string; sizeBytes: number },
): Promise<FileRecord> {
  const [row] = await sql<FileDbRow[]>`
    insert into ingest_files (folder, file_name, sha256, size_bytes, status)
    values (${f.folder}, ${f.fileName}, ${f.sha256}, ${f.sizeBytes}, 'received')
    on conflict (folder, file_name, sha256) where moved_at is null do update set size_bytes = excluded.size_bytes
    returning *`;
  return toFile(row!);
}

export async function finishFile(
  sql: Sql,
  id: string,
  outcome: {
    status: Exclude<FileStatus, 'received'>;
    invoiceId: string | null;
    reason: string | null;
    /** An e-invoice XML: the names of the files with its base name in the inbox when it was taken. */
    companionNames?: string[];
    /** A companion: the record of the e-invoice it belongs to. */
    companionOf?: string;
  },
): Promise<void> {
  await sql`
    update ingest_files set status = ${outcome.status}, invoice_id = ${outcome.invoiceId}, reason = ${outcome.reason},
      companion_names = ${outcome.companionNames ?? []}, companion_of = ${outcome.companionOf ?? null}
    where id = ${id}`;
}

/**
 * The e-invoice XML of this folder that listed `fileName` as its companion when it was taken, is an
 * invoice, and has no companion of that name yet (besides `except`, the record being decided).
 */
export async function eInvoiceListingCompanion(
  sql: Sql,
  folder: string,
  fileName: string,
  except: string,
): Promise<Pick<FileRecord, 'id' | 'fileName' | 'invoiceId'> | undefined> {
  const [row] = await sql<{ id: string; file_name: string; invoice_id: string }[]>`
    select x.id, x.file_name, x.invoice_id from ingest_files x
    where x.folder = ${folder} and x.companion_names @> array[${fileName}]::text[] and cardinality(x.companion_names) > 0
      and x.status in ('ingested', 'duplicate') and x.invoice_id is not null
      and not exists (select 1 from ingest_files c where c.companion_of = x.id and c.file_name = ${fileName} and c.id <> ${except})
    order by x.id desc limit 1`;
  return row && { id: row.id, fileName: row.file_name, invoiceId: row.invoice_id };
}

export async function markFileMoved(sql: Sql, id: string, movedTo: string): Promise<void> {
  await sql`update ingest_files set moved_to = ${movedTo}, moved_at = now() where id = ${id} and moved_at is null`;
}

/** Finished records whose move was never recorded (a worker died between the move and the record). */
export async function unmovedFiles(sql: Sql, folder: string): Promise<FileRecord[]> {
  return (
    await sql<
      FileDbRow[]
    >`select * from ingest_files where folder = ${folder} and moved_at is null and status <> 'received' order by id`
  ).map(toFile);
}

/** Which of these `moved_to` paths already belong to a record of the folder. */
export async function claimedMoves(sql: Sql, folder: string, movedTo: string[]): Promise<string[]> {
  if (movedTo.length === 0) return [];
  return (
    await sql<
      { moved_to: string }[]
    >`select moved_to from ingest_files where folder = ${folder} and moved_to = any(${movedTo})`
  ).map((r) => r.moved_to);
}

export async function recentFiles(sql: Sql, limit = 50): Promise<FileRecord[]> {
  return (await sql<FileDbRow[]>`select * from ingest_files order by created_at desc, id desc limit ${limit}`).map(
    toFile,
  );
}
