// Reading an email: headers that link an invoice to its message, the attachments worth looking at, and
// the structural problems that make a message malformed (mailparser is lenient by design and would
// silently read a truncated message, so those are checked on the raw bytes first).
import { createHash } from 'node:crypto';
import { simpleParser, type Attachment } from 'mailparser';

export interface MailAttachment {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  /** An image shown inside the HTML body (cid: reference), e.g. a logo or a signature. */
  embedded: boolean;
}

export interface ParsedMessage {
  /** The Message-ID, or `sha256:<hash of the raw message>` when it has none. */
  messageKey: string;
  messageId: string | null;
  sender: string | null;
  subject: string | null;
  sentAt: Date | null;
  /** Why the message cannot be trusted, when it is malformed; attachments are then not used. */
  malformed?: string;
  attachments: MailAttachment[];
}

const MULTIPART_HEADER = /^content-type:[ \t]*multipart\/[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/gim;
const BOUNDARY = /boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i;

/** A reason when the raw message is not well-formed MIME; undefined when it is. */
export function mimeProblem(raw: Uint8Array): string | undefined {
  const text = Buffer.from(raw).toString('latin1');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd === -1 ? text : text.slice(0, headerEnd);
  if (!/^[\x21-\x39\x3b-\x7e]+:/m.test(head) || !/^from:/im.test(head)) {
    return 'Not an email message: the header has no From line.';
  }
  for (const match of text.matchAll(MULTIPART_HEADER)) {
    const boundary = BOUNDARY.exec(match[0]);
    const value = boundary?.[1] ?? boundary?.[2];
    if (!value) return 'Malformed MIME: a multipart part declares no boundary, so its attachments cannot be separated.';
    if (!text.includes(`--${value}--`)) {
      return `Malformed MIME: the closing boundary "--${value}--" is missing (the message is truncated or broken).`;
    }
  }
  return undefined;
}

export async function parseMessage(raw: Uint8Array): Promise<ParsedMessage> {
  const rawHash = createHash('sha256').update(raw).digest('hex');
  const malformed = mimeProblem(raw);
  const mail = await simpleParser(Buffer.from(raw), { skipTextToHtml: true, skipImageLinks: true });
  const messageId = mail.messageId?.trim() || null;
  const html = typeof mail.html === 'string' ? mail.html : '';
  return {
    messageKey: messageId ?? `sha256:${rawHash}`,
    messageId,
    sender: mail.from?.value[0]?.address?.toLowerCase() ?? null,
    subject: mail.subject ?? null,
    sentAt: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    malformed,
    attachments: malformed ? [] : mail.attachments.map((a, i) => toAttachment(a, i, html)),
  };
}

function toAttachment(a: Attachment, index: number, html: string): MailAttachment {
  const cid = a.cid ?? a.contentId?.replace(/^<|>$/g, '');
  const embedded = a.contentType.startsWith('image/') && Boolean(cid) && html.includes(`cid:${cid}`);
  const extension = a.contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
  return {
    fileName: a.filename?.trim() || `attachment-${index + 1}.${extension}`,
    contentType: a.contentType,
    bytes: new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    embedded,
  };
}

/** True when the list is empty, or names the sender's address or its @domain. */
export function senderAllowed(sender: string | null, allowList: string[]): boolean {
  if (allowList.length === 0) return true;
  if (!sender) return false;
  const address = sender.toLowerCase();
  const domain = address.slice(address.lastIndexOf('@'));
  return allowList.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e === address || e === domain || `@${e}` === domain;
  });
}
