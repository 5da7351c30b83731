// Notification activities: who hears about an event over which channel, and the sends themselves. Each
// recipient's message is its own notifications row keyed by (event key, channel, recipient), so a
// retried activity sends only what has not been sent (notify/deliver.ts).
import { ApplicationFailure } from '@temporalio/activity';
import type { NotifyConfig } from '../config/index.js';
import { activeUserEmails, getComment } from '../db/comments.js';
import { getInvoice } from '../db/invoices.js';
import {
  getEffectiveNotificationSettings,
  webhookOrigin,
  type EffectiveNotificationSettings,
} from '../db/notification-settings.js';
import { emailsForRoles, giveUpNotifications, invoicesWaitingForReview } from '../db/notifications.js';
import type {
  ChannelResult,
  DeliveryOutcome,
  NotificationChannel,
  NotificationPlan,
  NotifyRequest,
} from '../domain/notifications.js';
import { deliverOnce, idempotencyKeyFor, messageIdFor } from '../notify/deliver.js';
import { createSmtpSender, type MailSender } from '../notify/email.js';
import { DeliveryError } from '../notify/errors.js';
import type { NotificationMetrics } from '../notify/metrics.js';
import {
  renderDigest,
  renderInvoiceNotice,
  renderMention,
  type InvoiceFacts,
  type RenderedMessage,
} from '../notify/render.js';
import { postWebhook, type FetchLike } from '../notify/webhook.js';
import type { ActivityDeps } from './deps.js';

/** What the notification activities are built from (worker/create.ts; tests pass real local servers). */
export interface NotifyDeps {
  config: NotifyConfig;
  /** SMTP sender per delivery, from the settings in force (default: nodemailer). */
  mailer?: (smtp: NotifyConfig['smtp']) => MailSender;
  fetch?: FetchLike;
  /** The worker's notification counters (worker/main.ts registers them); nothing counted when absent. */
  metrics?: NotificationMetrics;
}

const DIGEST_LIMIT = 50;

export function createNotifyActivities({ sql, clock, logger, notify }: ActivityDeps) {
  const deliveryDeps = { sql, clock, logger, metrics: notify?.metrics };
  const settings = async (): Promise<EffectiveNotificationSettings> => {
    if (!notify)
      throw ApplicationFailure.create({
        type: 'NotificationsNotConfigured',
        nonRetryable: true,
        message: 'This worker was started without notification settings.',
      });
    return getEffectiveNotificationSettings(sql, notify.config);
  };
  const recipientsOf = async (s: EffectiveNotificationSettings, req: NotifyRequest) => {
    if (req.event === 'mention') {
      // The users the comment names who are still active, never its own author.
      const comment = await mentioned(req);
      const active = new Set(await activeUserEmails(sql));
      return comment.mentions.filter((email) => email !== comment.author && active.has(email)).sort();
    }
    const { roles, extra } = s.recipients[req.event];
    return [...new Set([...(await emailsForRoles(sql, roles)), ...extra])].sort();
  };
  const mentioned = async (req: NotifyRequest) => {
    const comment = req.invoiceId && req.commentId ? await getComment(sql, req.invoiceId, req.commentId) : undefined;
    if (!comment)
      throw ApplicationFailure.create({
        type: 'InvoiceNotFound',
        nonRetryable: true,
        message: `Comment ${req.commentId ?? '(none)'} of invoice ${req.invoiceId ?? '(none)'} is not in the database.`,
      });
    return comment;
  };

  // Only these facts leave the system (never who uploaded, document hashes or internal timestamps).
  const facts = (i: Omit<InvoiceFacts, 'url'>): InvoiceFacts => ({
    id: i.id,
    invoiceNumber: i.invoiceNumber,
    vendorName: i.vendorName,
    poNumber: i.poNumber,
    total: i.total,
    currency: i.currency,
    status: i.status,
    fileName: i.fileName,
    url: `${notify!.config.appUrl}/invoices/${encodeURIComponent(i.id)}`,
  });

  /** Subject, bodies and payload of the event, from the read model as it is now. */
  async function compose(req: NotifyRequest): Promise<RenderedMessage | undefined> {
    const appUrl = notify!.config.appUrl;
    const key = idempotencyKeyFor(req.key);
    if (req.event === 'digest') {
      const { invoices, total } = await invoicesWaitingForReview(sql, DIGEST_LIMIT);
      if (total === 0) return undefined;
      const day = new Intl.DateTimeFormat('en-CA', {
        timeZone: notify!.config.digest.timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(clock());
      return renderDigest(
        {
          day,
          totalWaiting: total,
          queueUrl: `${appUrl}/`,
          waiting: invoices.map((i) => ({
            ...facts(i),
            waitingSince: i.createdAt,
            escalated: i.status === 'escalated',
          })),
        },
        key,
      );
    }
    const invoice = req.invoiceId ? await getInvoice(sql, req.invoiceId) : undefined;
    if (!invoice)
      throw ApplicationFailure.create({
        type: 'InvoiceNotFound',
        nonRetryable: true,
        message: `Invoice ${req.invoiceId ?? '(none)'} is not in the database.`,
      });
    if (req.event === 'mention') {
      const comment = await mentioned(req);
      return renderMention(
        { invoice: facts(invoice), author: comment.author, body: comment.body, question: comment.kind === 'question' },
        key,
      );
    }
    return renderInvoiceNotice(
      {
        event: req.event,
        reasons: req.reasons ?? [],
        invoice: facts(invoice),
      },
      key,
    );
  }

  const retryIfNeeded = (channel: string, errors: DeliveryError[]) => {
    if (errors.length === 0) return;
    throw ApplicationFailure.create({
      type: 'NotificationDeliveryFailed',
      message: `${channel}: ${errors.length} message(s) not delivered yet: ${errors.map((e) => e.message).join(' | ')}`,
    });
  };

  return {
    async planNotification(req: NotifyRequest): Promise<NotificationPlan> {
      if (!notify)
        return {
          channels: [],
          skipped: ['notifications are not configured for this worker'],
          retry: { maxAttempts: 1, initialInterval: '1s', maximumInterval: '1s' },
        };
      const s = await settings();
      const channels: NotificationChannel[] = [];
      const skipped: string[] = [];
      if (!s.email.enabled) skipped.push('email: turned off');
      else if (!s.email.smtp.host) skipped.push('email: no SMTP server configured');
      else if ((await recipientsOf(s, req)).length === 0) skipped.push(`email: nobody receives ${req.event}`);
      else channels.push('email');
      if (!s.webhook.enabled) skipped.push('webhook: turned off');
      else if (!s.webhook.url) skipped.push('webhook: no URL configured');
      else channels.push('webhook');
      return { channels, skipped, retry: notify.config.retry };
    },

    async sendEmailNotifications(req: NotifyRequest): Promise<ChannelResult> {
      const s = await settings();
      const message = await compose(req);
      const outcomes: Record<string, DeliveryOutcome> = {};
      if (!message) return { outcomes };
      const recipients = await recipientsOf(s, req);
      const errors: DeliveryError[] = [];
      let sender: MailSender | undefined;
      try {
        for (const to of recipients) {
          const key = `${req.key}:email:${to}`;
          const messageId = messageIdFor(key);
          try {
            outcomes[to] = await deliverOnce(
              deliveryDeps,
              {
                key,
                invoiceId: req.invoiceId ?? null,
                event: req.event,
                channel: 'email',
                recipient: to,
                messageId,
                subject: message.subject,
              },
              () => {
                sender ??= (notify!.mailer ?? createSmtpSender)(s.email.smtp);
                return sender.send({
                  to,
                  subject: message.subject,
                  text: message.text,
                  html: message.html,
                  messageId,
                  headers: { 'X-PlexSync-Event': req.event },
                });
              },
            );
          } catch (err) {
            if (!(err instanceof DeliveryError)) throw err;
            errors.push(err);
          }
        }
      } finally {
        sender?.close();
      }
      retryIfNeeded('email', errors);
      return { outcomes };
    },

    async sendWebhookNotification(req: NotifyRequest): Promise<ChannelResult> {
      const s = await settings();
      const message = await compose(req);
      if (!message || !s.webhook.url) return { outcomes: {} };
      const url = s.webhook.url;
      const key = `${req.key}:webhook`;
      const recipient = webhookOrigin(url);
      const idempotencyKey = idempotencyKeyFor(key);
      try {
        const outcome = await deliverOnce(
          deliveryDeps,
          {
            key,
            invoiceId: req.invoiceId ?? null,
            event: req.event,
            channel: 'webhook',
            recipient,
            messageId: idempotencyKey,
            subject: message.subject,
          },
          () =>
            postWebhook(
              {
                url,
                payload: { ...message.webhookPayload, idempotencyKey },
                idempotencyKey,
                event: message.webhookPayload.event,
                timeoutMs: s.webhook.timeoutMs,
              },
              notify!.fetch,
            ),
        );
        return { outcomes: { [recipient]: outcome } };
      } catch (err) {
        if (!(err instanceof DeliveryError)) throw err;
        retryIfNeeded('webhook', [err]);
        throw err;
      }
    },

    /** Retries ran out: what is still pending or sending for this event and channel is failed for good. */
    async giveUpNotifications(input: { key: string; channel: NotificationChannel; error: string }): Promise<number> {
      const given = await giveUpNotifications(
        sql,
        `${input.key}:${input.channel}`,
        `Gave up after the last retry: ${input.error}`,
      );
      for (const { event } of given) notify?.metrics?.record(event, input.channel, 'failed');
      return given.length;
    },
  };
}
