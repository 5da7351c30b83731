// What happens to one fetched email: record it, decide per attachment (embedded image, re-send,
// oversize, not an invoice file, invoice), start the invoices, and close the record with the outcome.
// Re-running it for the same message (a retried or restarted activity) finishes what is missing and
// never starts anything twice: attachments are recorded `pending` before their invoice is started.
//
// E-invoice XML and its companions: a message carrying an e-invoice XML (XRechnung, Peppol, CII) often
// carries a PDF rendering of the same invoice too. The XML is the invoice (exact data), so it is ingested
// first; when it becomes (or already is) an invoice, every other attachment of the message is recorded as
// its `companion`, linked to that invoice and not read as an invoice of its own (a second invoice from the
// rendering would only show up as a duplicate). A sender of structured invoices sends each invoice as its
// own XML, so the rest of such a message is supporting material (rendering, delivery note, timesheet:
// EN 16931 BG-24). Deciding this from the attachments' types alone means a PDF is never opened outside
// the extraction sandbox. When the XML is refused (malformed, hostile), the other files are ingested as usual.
import type { Logger } from 'pino';
import type { InvoiceService } from '../services/invoices.js';
import type { Sql } from '../db/client.js';
import {
  attachmentsOf,
  earlierAttachment,
  earlierMessageWithKey,
  finishMessage,
  recordAttachment,
  recordMessage,
  type AttachmentRecord,
  type MailboxRow,
  type MessageRecord,
} from '../db/ingestion.js';
import { getInvoice } from '../db/invoices.js';
import type { MailOutcome, MailRef } from '../domain/ingest.js';
import { isEInvoiceXml } from '../extract/einvoice/index.js';
import { ingestDocument, invoiceIdFor, sha256Of, type DocumentOutcome } from './documents.js';
import { parseMessage, senderAllowed, type MailAttachment } from './mime.js';

export interface MailProcessingDeps {
  sql: Sql;
  invoices: InvoiceService;
  maxAttachmentBytes: number;
  /** Used when the mailbox has no allow-list of its own. */
  allowedSenders: string[];
  logger: Logger;
}

export const outcomeOf = (record: MessageRecord, attachments: AttachmentRecord[]): MailOutcome => ({
  status: record.status === 'received' ? 'failed' : record.status,
  invoiceIds: attachments.filter((a) => a.outcome === 'invoice').map((a) => a.invoiceId!),
});

export async function processMessage(
  deps: MailProcessingDeps,
  mailbox: MailboxRow,
  ref: MailRef,
  raw: Buffer,
): Promise<MailOutcome> {
  const { sql } = deps;
  const parsed = await parseMessage(raw);
  const record = await recordMessage(sql, {
    ...ref,
    messageKey: parsed.messageKey,
    messageId: parsed.messageId,
    sender: parsed.sender,
    subject: parsed.subject,
    sentAt: parsed.sentAt,
    sizeBytes: raw.byteLength,
  });
  if (record.status !== 'received') return outcomeOf(record, await attachmentsOf(sql, record.id));
  const finish = async (status: 'ingested' | 'duplicate' | 'skipped' | 'failed', reason: string | null) => {
    await finishMessage(sql, record.id, status, reason);
    const attachments = await attachmentsOf(sql, record.id);
    deps.logger.info(
      { mailbox: mailbox.id, uid: ref.uid, messageId: parsed.messageId, status, reason },
      'email ingested',
    );
    return outcomeOf({ ...record, status }, attachments);
  };

  if (parsed.malformed) return finish('failed', parsed.malformed);
  const allowList = mailbox.allowedSenders.length > 0 ? mailbox.allowedSenders : deps.allowedSenders;
  if (!senderAllowed(parsed.sender, allowList)) {
    return finish('skipped', `The sender ${parsed.sender ?? '(none)'} is not on the allow-list.`);
  }
  const candidates = parsed.attachments.filter((a) => !a.embedded);
  const embedded = parsed.attachments.length - candidates.length;
  if (candidates.length === 0) {
    return finish(
      'skipped',
      embedded > 0
        ? `No attachment: only ${embedded} image${embedded === 1 ? '' : 's'} shown inside the message body (logos, signatures), which are not invoices.`
        : 'No attachment.',
    );
  }

  const earlier = await earlierMessageWithKey(sql, mailbox.id, parsed.messageKey, record.id);
  const uploadedBy = `email from ${parsed.sender ?? 'unknown sender'}`;
  const done = new Map((await attachmentsOf(sql, record.id)).map((a) => [a.sha256, a]));
  const hashes = new Map(candidates.map((a) => [a, sha256Of(a.bytes)]));
  const xml = candidates.filter((a) => isEInvoiceXml(a.bytes));
  const others = candidates.filter((a) => !xml.includes(a));
  const xmlHashes = new Set(xml.map((a) => hashes.get(a)!));

  const ingestOne = async (attachment: MailAttachment, companionOf: AttachmentRecord[]) => {
    const sha256 = hashes.get(attachment)!;
    const base = {
      sha256,
      fileName: attachment.fileName,
      mimeType: attachment.contentType,
      sizeBytes: attachment.bytes.byteLength,
    };
    const previous = done.get(sha256);
    if (previous && previous.outcome !== 'pending') return;
    if (companionOf.length > 0) {
      // Nothing is started for a companion, so it needs no `pending` record first.
      await recordAttachment(sql, record.id, {
        ...base,
        outcome: 'companion',
        invoiceId: companionOf[0]!.invoiceId,
        reason: companionReason(companionOf),
      });
      return;
    }
    const resent = earlier && (await earlierAttachment(sql, mailbox.id, parsed.messageKey, sha256, record.id));
    if (resent) {
      await recordAttachment(sql, record.id, {
        ...base,
        outcome: 'resent',
        invoiceId: resent.invoiceId,
        reason: `Re-sent: this message (${parsed.messageKey}) already brought this file on ${earlier.createdAt.toISOString().slice(0, 10)}.`,
      });
      return;
    }
    // Recorded before the invoice is started: a retry sees `pending` and completes it.
    await recordAttachment(sql, record.id, {
      ...base,
      outcome: 'pending',
      invoiceId: invoiceIdFor(sha256),
      reason: null,
    });
    const outcome = await ingestDocument(deps.invoices, {
      bytes: attachment.bytes,
      fileName: attachment.fileName,
      uploadedBy,
      maxBytes: deps.maxAttachmentBytes,
    });
    await recordAttachment(sql, record.id, { ...base, ...(await settleResumed(sql, outcome, previous)) });
  };

  for (const attachment of xml) await ingestOne(attachment, []);
  // The e-invoices of this message: its XML attachments that are (now or already) an invoice.
  const eInvoices = (await attachmentsOf(sql, record.id)).filter(
    (a) => xmlHashes.has(a.sha256) && a.invoiceId && INVOICE_OUTCOMES.has(a.outcome),
  );
  for (const attachment of others) await ingestOne(attachment, eInvoices);

  const attachments = await attachmentsOf(sql, record.id);
  const invoices = attachments.filter((a) => a.outcome === 'invoice');
  const repeats = attachments.filter((a) => a.outcome === 'already_received' || a.outcome === 'resent');
  const refused = attachments.filter((a) => a.outcome === 'rejected');
  const companions = attachments.filter((a) => a.outcome === 'companion');
  const notUsed = refused.length > 0 ? `Not used: ${refused.map((a) => `${a.fileName}: ${a.reason}`).join(' ')}` : null;
  const kept =
    companions.length > 0
      ? `Kept with the e-invoice, not read separately: ${companions.map((a) => a.fileName).join(', ')}.`
      : null;
  if (invoices.length > 0) {
    return finish('ingested', [notUsed, kept].filter(Boolean).join(' ') || null);
  }
  if (repeats.length > 0) {
    return finish(
      'duplicate',
      earlier
        ? `Re-sent: message ${parsed.messageKey} was already received on ${earlier.createdAt.toISOString().slice(0, 10)}; nothing new in it.`
        : `Every usable attachment is already an invoice (${repeats.map((a) => a.invoiceId).join(', ')}).`,
    );
  }
  return finish('skipped', `No usable attachment. ${refused.map((a) => `${a.fileName}: ${a.reason}`).join(' ')}`);
}

/** What an attachment can be recorded as when it is an invoice: the ones a companion can belong to. */
const INVOICE_OUTCOMES = new Set<AttachmentRecord['outcome']>(['invoice', 'already_received', 'resent']);

export function companionReason(eInvoices: Pick<AttachmentRecord, 'fileName' | 'invoiceId'>[]): string {
  const names = eInvoices.map((a) => `${a.fileName} (${a.invoiceId})`).join(', ');
  return `Companion of the e-invoice ${names}: the XML is the invoice, so this file (usually its PDF rendering) is kept with it and not read as a separate invoice.`;
}

/**
 * A `pending` attachment whose invoice the service now calls a duplicate was started by the earlier,
 * interrupted attempt when the invoice is younger than the pending record: it is ours, not a repeat.
 */
async function settleResumed(
  sql: Sql,
  outcome: DocumentOutcome,
  previous: AttachmentRecord | undefined,
): Promise<Pick<AttachmentRecord, 'outcome' | 'invoiceId' | 'reason'>> {
  if (outcome.kind === 'rejected') return { outcome: 'rejected', invoiceId: null, reason: outcome.reason };
  if (outcome.kind === 'invoice') return { outcome: 'invoice', invoiceId: outcome.invoiceId, reason: null };
  if (previous?.outcome === 'pending' && previous.createdAt) {
    const invoice = await getInvoice(sql, outcome.invoiceId);
    // The invoice's created_at is cut to milliseconds; allow for that.
    if (invoice && invoice.createdAt.getTime() >= previous.createdAt.getTime() - 1)
      return { outcome: 'invoice', invoiceId: outcome.invoiceId, reason: null };
  }
  return { outcome: 'already_received', invoiceId: outcome.invoiceId, reason: outcome.reason };
}
