// What the pages are given. views/ declares, beside each page, the model it renders (only what it shows)
// and never imports db/; the routes build those models here, one function per model, from db rows and
// query results. A query written for one page that already has its shape (the dashboard's figures, the
// user and token listings, the stored settings, an invoice's comments and source) is passed as it is: the
// compiler checks it against the page's type at the route. Where the page shows all of what the query
// returns, that type is declared once in domain/ and both sides name it.
import type { Context } from 'hono';
import type { AuditRow } from '../db/audit.js';
import type { FileRecord, LoggedMessage, MailboxRow } from '../db/ingestion.js';
import type { FailedSyncSummary, InvoiceRow, QueueRow } from '../db/invoices.js';
import type { EffectiveNotificationSettings, NotificationSettingsRecord } from '../db/notification-settings.js';
import type { NotificationRow } from '../db/notifications.js';
import type { DelegationRow } from '../db/policies.js';
import type { User } from '../db/users.js';
import type { ConnectionReport } from '../ingest/imap.js';
import type { DelegationItem } from '../views/delegations.js';
import type { FailedSyncItem } from '../views/failed.js';
import type { FileLogItem, MailboxFormValues, MailboxItem, MessageLogItem } from '../views/ingestion.js';
import type { AuditEntry, InvoiceHeader, SyncAttempt } from '../views/invoice.js';
import type { PageContext, PageUser } from '../views/layout.js';
import type { NotificationItem, NotificationsInForce, SavedNotificationSettings } from '../views/notifications.js';
import type { WaitingItem } from '../views/policies.js';
import type { BulkInvoice, QueueItem } from '../views/queue.js';
import type { AppEnv } from './context.js';

// ---- every page ---------------------------------------------------------------------------------

export const pageUser = (u: User): PageUser => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  keyboardShortcuts: u.keyboardShortcuts,
});

/** The signed-in user, the CSRF token and the page's message. */
export const pageContext = (c: Context<AppEnv>, flash?: PageContext['flash']): PageContext => ({
  user: c.var.user && pageUser(c.var.user),
  csrfToken: c.var.csrfToken,
  flash,
});

// ---- the invoice page ---------------------------------------------------------------------------

export const invoiceHeader = (r: InvoiceRow): InvoiceHeader => ({
  id: r.id,
  fileName: r.fileName,
  status: r.status,
  uploadedBy: r.uploadedBy,
  vendorName: r.vendorName,
  invoiceNumber: r.invoiceNumber,
  assignedTo: r.assignedTo,
  confidence: r.confidence,
});

/** The event's reason and the comment it concerns, when its data names them. */
export const auditEntry = (a: AuditRow): AuditEntry => ({
  kind: a.kind,
  actor: a.actor,
  createdAt: a.createdAt,
  reason: typeof a.data.reason === 'string' && a.data.reason ? a.data.reason : undefined,
  commentId: typeof a.data.commentId === 'string' ? a.data.commentId : undefined,
});

export const syncAttempt = (o: {
  round: number;
  attempt: number;
  outcome: string;
  error: string | null;
  started_at: Date;
}): SyncAttempt => ({
  round: o.round,
  attempt: o.attempt,
  outcome: o.outcome,
  error: o.error,
  startedAt: o.started_at,
});

export const notificationItem = (n: NotificationRow): NotificationItem => ({
  event: n.event,
  channel: n.channel,
  recipient: n.recipient,
  status: n.status,
  attempts: n.attempts,
  sentAt: n.sentAt,
  error: n.error,
  providerResponse: n.providerResponse,
  resentAfterUnknown: n.resentAfterUnknown,
});

// ---- invoice lists ------------------------------------------------------------------------------

export const queueItem = (r: QueueRow): QueueItem => ({
  id: r.id,
  createdAt: r.createdAt,
  status: r.status,
  fileName: r.fileName,
  vendorName: r.vendorName,
  invoiceNumber: r.invoiceNumber,
  poNumber: r.poNumber,
  total: r.total,
  currency: r.currency,
  dueDate: r.dueDate,
  confidence: r.confidence,
  assignedTo: r.assignedTo,
  escalatedAt: r.escalatedAt,
  reasons: r.reasons,
  waitingOn: r.approval?.step ? r.approval.path : null,
});

export const bulkInvoice = (r: InvoiceRow): BulkInvoice => ({
  id: r.id,
  label: r.invoiceNumber ?? r.fileName,
  vendorName: r.vendorName,
});

export const waitingItem = (r: InvoiceRow, onBehalfOf: string | null): WaitingItem => ({
  id: r.id,
  createdAt: r.createdAt,
  fileName: r.fileName,
  vendorName: r.vendorName,
  invoiceNumber: r.invoiceNumber,
  total: r.total,
  currency: r.currency,
  waitingOn: r.approval?.path ?? null,
  onBehalfOf,
});

export const failedSyncItem = (r: InvoiceRow, s: FailedSyncSummary | undefined): FailedSyncItem => ({
  id: r.id,
  fileName: r.fileName,
  invoiceNumber: r.invoiceNumber,
  vendorName: r.vendorName,
  poNumber: r.poNumber,
  lastError: r.lastError,
  sync: s && { attempts: s.attempts, lastResponse: s.lastResponse, lastErrorType: s.lastErrorType },
});

// ---- account and admin pages --------------------------------------------------------------------

export const delegationItem = (d: DelegationRow): DelegationItem => ({
  id: d.id,
  user: d.user,
  delegate: d.delegate,
  from: d.from,
  to: d.to,
  cancelledAt: d.cancelledAt,
  cancelledBy: d.cancelledBy,
});

/** The saved notification settings; the webhook URL is a secret, so the page only learns whether one is set. */
export const savedNotificationSettings = (record: NotificationSettingsRecord): SavedNotificationSettings => {
  const { webhookUrl, ...values } = record.values;
  return {
    values: { ...values, webhookSetHere: Boolean(webhookUrl) },
    updatedBy: record.updatedBy,
    updatedAt: record.updatedAt,
  };
};

export const notificationsInForce = (effective: EffectiveNotificationSettings): NotificationsInForce => {
  const { host, port, secure, from } = effective.email.smtp;
  return { smtp: { host, port, secure, from }, digest: effective.digest };
};

// ---- ingestion ----------------------------------------------------------------------------------

export const mailboxItem = (m: MailboxRow): MailboxItem => ({
  id: m.id,
  name: m.name,
  host: m.host,
  port: m.port,
  tls: m.tls,
  username: m.username,
  folder: m.folder,
  processedFolder: m.processedFolder,
  enabled: m.enabled,
  fromEnv: m.fromEnv,
  idleSupported: m.idleSupported,
  lastPollAt: m.lastPollAt,
  lastPollOk: m.lastPollOk,
  lastError: m.lastError,
});

/** A saved mailbox in the edit form (the password is never shown). */
export const mailboxFormValues = (m: MailboxRow): MailboxFormValues => ({
  id: m.id,
  name: m.name,
  host: m.host,
  port: String(m.port),
  tls: m.tls,
  username: m.username,
  folder: m.folder,
  processedFolder: m.processedFolder,
  allowedSenders: m.allowedSenders.join(', '),
  enabled: m.enabled,
});

export const messageLogItem = (m: LoggedMessage): MessageLogItem => ({
  createdAt: m.createdAt,
  mailboxName: m.mailboxName,
  sender: m.sender,
  subject: m.subject,
  messageId: m.messageId,
  status: m.status,
  reason: m.reason,
  settled: m.settled,
  settleNote: m.settleNote,
  attachments: m.attachments.map((a) => ({
    fileName: a.fileName,
    outcome: a.outcome,
    invoiceId: a.invoiceId,
    reason: a.reason,
  })),
});

export const fileLogItem = (f: FileRecord): FileLogItem => ({
  createdAt: f.createdAt,
  fileName: f.fileName,
  status: f.status,
  invoiceId: f.invoiceId,
  reason: f.reason,
  movedTo: f.movedTo,
});

/** "Test connection"'s report in words. */
export const connectionText = (r: ConnectionReport) =>
  !r.ok
    ? `Connection failed: ${r.problem}`
    : `Connected: ${r.messages} message${r.messages === 1 ? '' : 's'} in the folder; IDLE ${r.idle ? 'supported' : 'not supported (polling)'}; ` +
      `MOVE ${r.move ? 'supported' : 'not supported (copy and delete)'}; processed folder ${r.processedFolderExists ? 'exists' : 'will be created on the first move'}.`;

export const connectionResult = (r: ConnectionReport) => ({ ok: r.ok, text: connectionText(r) });
