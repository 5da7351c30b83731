// Notification rows (one per message, recipient and channel) and their state machine:
// pending → sending → sent | failed; sending → pending when the server definitely refused "for now".
// Claiming a row is what makes a retried activity safe: a row already `sent` is never sent again.
import type { NotificationChannel, NotificationEvent } from '../domain/notifications.js';
import type { Sql } from './client.js';

export type { NotificationChannel, NotificationEvent } from '../domain/notifications.js';
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface NotificationRow {
  id: string;
  key: string;
  invoiceId: string | null;
  event: NotificationEvent;
  channel: NotificationChannel;
  recipient: string;
  status: NotificationStatus;
  attempts: number;
  messageId: string;
  subject: string;
  providerResponse: string | null;
  error: string | null;
  resentAfterUnknown: boolean;
  createdAt: Date;
  sentAt: Date | null;
}

interface RawRow {
  id: string;
  key: string;
  invoice_id: string | null;
  event: NotificationEvent;
  channel: NotificationChannel;
  recipient: string;
  status: NotificationStatus;
  attempts: number;
  message_id: string;
  subject: string;
  provider_response: string | null;
  error: string | null;
  resent_after_unknown: boolean;
  created_at: Date;
  sent_at: Date | null;
}

const toRow = (r: RawRow): NotificationRow => ({
  id: String(r.id),
  key: r.key,
  invoiceId: r.invoice_id,
  event: r.event,
  channel: r.channel,
  recipient: r.recipient,
  status: r.status,
  attempts: r.attempts,
  messageId: r.message_id,
  subject: r.subject,
  providerResponse: r.provider_response,
  error: r.error,
  resentAfterUnknown: r.resent_after_unknown,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

export interface NewNotification {
  key: string;
  invoiceId: string | null;
  event: NotificationEvent;
  channel: NotificationChannel;
  recipient: string;
  messageId: string;
  subject: string;
}

export type Claim =
  /** Send now. `unknownBefore`: an earlier attempt reached `sending` and never recorded its outcome. */
  | { send: true; row: NotificationRow; unknownBefore: boolean }
  /** Already sent or given up: do nothing. */
  | { send: false; row: NotificationRow };

/** Create the row if needed and move it to `sending` (counting the attempt), unless it is final. */
export async function claimNotification(sql: Sql, n: NewNotification): Promise<Claim> {
  return sql.begin(async (tx) => {
    await tx`
      insert into notifications (key, invoice_id, event, channel, recipient, message_id, subject)
      values (${n.key}, ${n.invoiceId}, ${n.event}, ${n.channel}, ${n.recipient}, ${n.messageId}, ${n.subject})
      on conflict (key) do nothing`;
    const [current] = await tx<RawRow[]>`select * from notifications where key = ${n.key} for update`;
    if (!current) throw new Error(`notification ${n.key} vanished while being claimed`);
    if (current.status === 'sent' || current.status === 'failed') return { send: false, row: toRow(current) };
    const unknownBefore = current.status === 'sending';
    const [claimed] = await tx<RawRow[]>`
      update notifications set status = 'sending', attempts = attempts + 1, updated_at = now(),
        resent_after_unknown = resent_after_unknown or ${unknownBefore}
      where key = ${n.key} returning *`;
    return { send: true, row: toRow(claimed!), unknownBefore };
  });
}

export async function markSent(sql: Sql, key: string, providerResponse: string, sentAt: Date): Promise<void> {
  await sql`update notifications set status = 'sent', provider_response = ${providerResponse}, error = null,
    sent_at = ${sentAt}, updated_at = now() where key = ${key}`;
}

/** Refused for good (e.g. SMTP 5xx, webhook 4xx): not retried. */
export async function markFailed(sql: Sql, key: string, error: string, providerResponse: string | null): Promise<void> {
  await sql`update notifications set status = 'failed', error = ${error}, provider_response = ${providerResponse},
    updated_at = now() where key = ${key}`;
}

/**
 * A failed attempt that will be retried. `delivered: 'no'` (the server answered "not now") goes back to
 * pending; `'unknown'` (timeout, connection lost after the message was handed over) stays in `sending`,
 * so the next attempt knows a duplicate is possible.
 */
export async function markAttemptFailed(
  sql: Sql,
  key: string,
  error: string,
  delivered: 'no' | 'unknown',
): Promise<void> {
  await sql`update notifications set status = ${delivered === 'no' ? 'pending' : 'sending'}, error = ${error},
    updated_at = now() where key = ${key}`;
}

/** When retries ran out on a row still pending or sending (the workflow gave up on the activity). */
/** The rows given up, with their event (for the failure counter). */
export async function giveUpNotifications(
  sql: Sql,
  keyPrefix: string,
  error: string,
): Promise<{ id: string; event: NotificationEvent }[]> {
  return sql<
    { id: string; event: NotificationEvent }[]
  >`update notifications set status = 'failed', error = ${error}, updated_at = now()
    where key like ${keyPrefix.replace(/[\\%_]/g, '\\$&') + '%'} and status in ('pending', 'sending') returning id, event`;
}

export async function listNotificationsForInvoice(sql: Sql, invoiceId: string): Promise<NotificationRow[]> {
  const rows = await sql<RawRow[]>`select * from notifications where invoice_id = ${invoiceId} order by created_at, id`;
  return rows.map(toRow);
}

export async function listNotificationsByKeyPrefix(sql: Sql, keyPrefix: string): Promise<NotificationRow[]> {
  const rows = await sql<RawRow[]>`select * from notifications
    where key like ${keyPrefix.replace(/[\\%_]/g, '\\$&') + '%'} order by created_at, id`;
  return rows.map(toRow);
}

/** Active users' addresses for the given roles (disabled users hear nothing). */
export async function emailsForRoles(sql: Sql, roles: readonly string[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await sql<
    { email: string }[]
  >`select email from users where role = any(${roles as string[]}) and not disabled order by email`;
  return rows.map((r) => r.email);
}

export interface WaitingInvoice {
  id: string;
  status: string;
  fileName: string;
  vendorName: string | null;
  invoiceNumber: string | null;
  poNumber: string | null;
  total: string | null;
  currency: string | null;
  createdAt: Date;
}

/** What waits for a clerk (awaiting review or escalated), oldest first, for the daily digest. */
export async function invoicesWaitingForReview(
  sql: Sql,
  limit: number,
): Promise<{ invoices: WaitingInvoice[]; total: number }> {
  const [rows, [count]] = await Promise.all([
    sql<
      {
        id: string;
        status: string;
        file_name: string;
        vendor_name: string | null;
        invoice_number: string | null;
        po_number: string | null;
        total: string | null;
        currency: string | null;
        created_at: Date;
      }[]
    >`
      select id, status, file_name, vendor_name, invoice_number, po_number, total, currency, created_at from invoices
      where status in ('awaiting_review', 'escalated') order by created_at, id limit ${limit}`,
    sql<{ n: number }[]>`select count(*)::int as n from invoices where status in ('awaiting_review', 'escalated')`,
  ]);
  return {
    invoices: rows.map((r) => ({
      id: r.id,
      status: r.status,
      fileName: r.file_name,
      vendorName: r.vendor_name,
      invoiceNumber: r.invoice_number,
      poNumber: r.po_number,
      total: r.total,
      currency: r.currency,
      createdAt: r.created_at,
    })),
    total: count?.n ?? 0,
  };
}
