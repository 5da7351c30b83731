// Ingestion activities: list, ingest and settle (move) emails of a mailbox, wait with IDLE for new mail,
// scan the watched folder and take its files. Built from injected clients; the pollers in
// workflows/mailbox.ts and workflows/folder.ts decide the order (record first, start idempotently, move last).
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import type { IngestConfig } from '../config/index.js';
import type { InvoiceService } from '../services/invoices.js';
import type { Sql } from '../db/client.js';
import {
  adoptUidValidity,
  advanceLastSeenUid,
  attachmentsOf,
  findMessage,
  getMailbox,
  recordFolderScan,
  recordPoll,
  settleMessageRecord,
  type MailboxRow,
} from '../db/ingestion.js';
import type { IngestActivities } from '../domain/ingest.js';
import { recoverUnrecordedMoves, scanFolder, takeFile, type FolderDeps, type FolderFs } from '../ingest/folder.js';
import {
  fetchSource,
  idleUntilNewMail,
  ImapProblem,
  moveOrFlag,
  openFolder,
  supportsIdle,
  uidsAfter,
  withImap,
  type ImapAccount,
} from '../ingest/imap.js';
import { outcomeOf, processMessage } from '../ingest/mail.js';
import { SecretKeyError, type SecretBox } from '../ingest/secret.js';

export interface IngestActivityDeps {
  sql: Sql;
  /** Starts invoices exactly as an upload does. */
  invoices: InvoiceService;
  config: IngestConfig;
  /** Decrypts passwords saved on the admin page; absent without INGEST_SECRET_KEY. */
  secrets?: SecretBox;
  logger: Logger;
  /** How files leave the watched folder's inbox (default node:fs); tests inject a failing one. */
  folderFs?: FolderFs;
}

/** Messages handled per poll round, so one round's history stays small; the rest come next round. */
const BATCH = 25;

export function createIngestActivities(deps: IngestActivityDeps): IngestActivities {
  const { sql, config, logger } = deps;
  const folderDeps: FolderDeps = {
    sql,
    invoices: deps.invoices,
    maxBytes: config.maxAttachmentBytes,
    logger,
    fs: deps.folderFs,
  };

  async function mailboxOf(mailboxId: string): Promise<MailboxRow | undefined> {
    return getMailbox(sql, mailboxId);
  }

  function accountOf(mailbox: MailboxRow): ImapAccount {
    let password: string | undefined;
    if (mailbox.fromEnv) password = config.envMailbox?.password;
    else if (mailbox.passwordEncrypted) {
      if (!deps.secrets)
        throw new SecretKeyError('INGEST_SECRET_KEY is not set in the worker, so the saved password cannot be read.');
      password = deps.secrets.open(mailbox.passwordEncrypted);
    }
    if (!password) throw new SecretKeyError(`No password for mailbox ${mailbox.name}.`);
    return { host: mailbox.host, port: mailbox.port, tls: mailbox.tls, username: mailbox.username, password };
  }

  /** Run IMAP work for a mailbox; problems are recorded on it (for the admin page) and typed for Temporal. */
  async function onMailbox<T>(mailbox: MailboxRow, work: (account: ImapAccount) => Promise<T>): Promise<T> {
    try {
      return await work(accountOf(mailbox));
    } catch (err) {
      if (err instanceof SecretKeyError) {
        await recordPoll(sql, mailbox.id, { ok: false, error: err.message });
        throw ApplicationFailure.create({ type: 'MailboxConfig', message: err.message, nonRetryable: true });
      }
      if (err instanceof ImapProblem) {
        await recordPoll(sql, mailbox.id, { ok: false, error: err.message });
        logger.warn({ mailbox: mailbox.id, kind: err.kind, err: err.message }, 'mailbox problem');
        throw ApplicationFailure.create({
          type: err.kind === 'auth' ? 'ImapAuthFailed' : 'ImapUnavailable',
          message: err.message,
          nonRetryable: err.kind === 'auth',
        });
      }
      throw err;
    }
  }

  return {
    async listNewMail({ mailboxId }) {
      const mailbox = await mailboxOf(mailboxId);
      if (!mailbox || !mailbox.enabled) return { disabled: true };
      return onMailbox(mailbox, (account) =>
        withImap(account, async (client) => {
          const opened = await openFolder(client, mailbox.folder);
          const lastSeen = await adoptUidValidity(sql, mailbox.id, opened.uidValidity);
          const uids = (await uidsAfter(client, lastSeen)).slice(0, BATCH);
          // Nothing above the last UID: every UID below UIDNEXT was seen (or deleted unseen), so the
          // next IDLE does not wake for a gap left by a message someone else removed.
          if (uids.length === 0 && opened.uidNext - 1 > lastSeen)
            await advanceLastSeenUid(sql, mailbox.id, opened.uidValidity, opened.uidNext - 1);
          const idleSupported = supportsIdle(client);
          await recordPoll(sql, mailbox.id, { ok: true, idleSupported });
          return {
            disabled: false as const,
            uidValidity: opened.uidValidity,
            uids,
            uidNext: opened.uidNext,
            idleSupported,
          };
        }),
      );
    },

    async ingestMailMessage(ref) {
      const known = await findMessage(sql, ref.mailboxId, ref.uidValidity, ref.uid);
      if (known && known.status !== 'received') return outcomeOf(known, await attachmentsOf(sql, known.id));
      const mailbox = await mailboxOf(ref.mailboxId);
      if (!mailbox) return { status: 'gone', invoiceIds: [] };
      return onMailbox(mailbox, (account) =>
        withImap(account, async (client) => {
          const opened = await openFolder(client, mailbox.folder);
          if (opened.uidValidity !== ref.uidValidity) return { status: 'stale' as const, invoiceIds: [] };
          const raw = await fetchSource(client, ref.uid);
          if (!raw) return { status: 'gone' as const, invoiceIds: [] };
          return processMessage(
            {
              sql,
              invoices: deps.invoices,
              maxAttachmentBytes: config.maxAttachmentBytes,
              allowedSenders: config.allowedSenders,
              logger,
            },
            mailbox,
            ref,
            raw,
          );
        }),
      );
    },

    async settleMailMessage(ref) {
      const mailbox = await mailboxOf(ref.mailboxId);
      if (!mailbox) return { settled: 'gone' };
      const record = await findMessage(sql, ref.mailboxId, ref.uidValidity, ref.uid);
      if (record?.settled) {
        await advanceLastSeenUid(sql, mailbox.id, ref.uidValidity, ref.uid);
        return { settled: record.settled };
      }
      if (record && record.status === 'received') {
        throw ApplicationFailure.create({
          type: 'MessageNotIngested',
          message: `Message UID ${ref.uid} is recorded but not ingested yet; it is not moved.`,
          nonRetryable: true,
        });
      }
      return onMailbox(mailbox, (account) =>
        withImap(account, async (client) => {
          const opened = await openFolder(client, mailbox.folder);
          if (opened.uidValidity !== ref.uidValidity) return { settled: 'stale' as const };
          const flag = record?.status === 'skipped' || record?.status === 'failed';
          const result = await moveOrFlag(client, ref.uid, mailbox.processedFolder, flag);
          if (record) await settleMessageRecord(sql, record.id, result.settled, result.note ?? null);
          await advanceLastSeenUid(sql, mailbox.id, ref.uidValidity, ref.uid);
          return { settled: result.settled };
        }),
      );
    },

    async waitForMail({ mailboxId, uidNext, maxMs }) {
      const mailbox = await mailboxOf(mailboxId);
      if (!mailbox || !mailbox.enabled) return 'timeout';
      const context = Context.current();
      return onMailbox(mailbox, (account) =>
        withImap(account, async (client) => {
          if (!supportsIdle(client)) return 'no_idle' as const;
          await openFolder(client, mailbox.folder);
          const result = await idleUntilNewMail(client, {
            uidNext,
            maxMs,
            beat: () => context.heartbeat(),
            signal: context.cancellationSignal,
          });
          return result === 'cancelled' ? ('timeout' as const) : result;
        }),
      );
    },

    async scanWatchedFolder({ path }) {
      // First catch up moves a dead worker did not record; a problem there must not stop the inbox scan.
      await recoverUnrecordedMoves(folderDeps, path).catch((err: unknown) =>
        logger.warn(
          { folder: path, err: (err as Error).message },
          'could not check for unrecorded moves; trying again next scan',
        ),
      );
      try {
        const files = await scanFolder(path);
        await recordFolderScan(sql, path, { waitingFiles: files.length });
        return files;
      } catch (err) {
        const message = `Cannot read the watched folder: ${(err as Error).message}`;
        await recordFolderScan(sql, path, { error: message, waitingFiles: 0 });
        throw ApplicationFailure.create({ type: 'FolderUnreadable', message });
      }
    },

    async ingestWatchedFile({ path, file }) {
      return takeFile(folderDeps, path, file);
    },
  };
}
