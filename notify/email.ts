// Email over SMTP (nodemailer): one message to one recipient, with the Message-ID we chose, so a resend
// of the same notification carries the same id. Failures become a DeliveryError saying whether the server
// definitely did not take the message (4xx, refused connection) or might have (timeout, lost connection).
import nodemailer from 'nodemailer';
import type { NotifyConfig } from '../config/index.js';
import { DeliveryError } from './errors.js';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** RFC 5322 Message-ID including the angle brackets. */
  messageId: string;
  /** Extra headers, e.g. X-PlexSync-Event. */
  headers?: Record<string, string>;
}

export interface MailSender {
  /** Resolves with the server's final response line ("250 OK: queued as …"). */
  send(message: EmailMessage): Promise<{ response: string }>;
  /** Connects, authenticates and says goodbye without sending (the settings page's "test connection"). */
  verify(): Promise<void>;
  close(): void;
}

/** Built per delivery from the settings in force, so a change on the settings page applies at once. */
export function createSmtpSender(smtp: NotifyConfig['smtp']): MailSender {
  if (!smtp.host)
    throw new DeliveryError('rejected', 'No SMTP server is configured (SMTP_HOST or the Notifications page).');
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: smtp.timeoutMs,
    greetingTimeout: smtp.timeoutMs,
    socketTimeout: smtp.timeoutMs,
  });
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          headers: message.headers,
        });
        if (info.rejected?.length) {
          throw new DeliveryError(
            'rejected',
            `The SMTP server refused the recipient ${message.to}.`,
            info.response ?? null,
          );
        }
        return { response: String(info.response ?? '') };
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    close: () => transport.close(),
  };
}

interface SmtpFailure extends Error {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
}

// Codes that mean the message was never handed over (no connection, no TLS, no login).
const NOT_HANDED_OVER = new Set(['EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'ECONFIG', 'EREQUIRETLS', 'EPROXY']);
const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as SmtpFailure;
  const message = e?.message ?? String(err);
  if (typeof e?.responseCode === 'number') {
    const kind = e.responseCode >= 500 ? 'rejected' : 'temporary';
    return new DeliveryError(kind, `SMTP server answered ${e.responseCode}: ${message}`, e.response ?? null);
  }
  if (
    (e?.code && NOT_HANDED_OVER.has(e.code)) ||
    (e?.originalCode && REFUSED.has(e.originalCode)) ||
    (e?.code && REFUSED.has(e.code))
  ) {
    return new DeliveryError('temporary', `SMTP server not reachable: ${message}`);
  }
  // Timeouts and dropped connections may happen after the server already took the message.
  return new DeliveryError('unknown', `SMTP delivery interrupted (${e?.code ?? 'error'}): ${message}`);
}
