// Prometheus counters for notifications, registered in the worker's registry (worker/main.ts): one count
// per message and outcome, so an alert can watch failures and the crash-window resends without a query.
import { Counter, type Registry } from 'prom-client';
import type { NotificationChannel, NotificationEvent } from '../domain/notifications.js';

/**
 * - `sent`: the channel accepted the message;
 * - `failed`: refused for good (SMTP 5xx, webhook 4xx) or given up after the last retry;
 * - `retrying`: an attempt failed and will be retried (nothing or maybe something reached the recipient);
 * - `duplicate_risk`: resent after an attempt whose outcome is unknown (the recipient may get two copies,
 *   both with the same Message-ID / Idempotency-Key).
 */
export type NotificationMetricOutcome = 'sent' | 'failed' | 'retrying' | 'duplicate_risk';

export function createNotificationMetrics(registry: Registry) {
  const notifications = new Counter({
    name: 'plexsync_notifications_total',
    help: 'Notification messages by event (escalated, sync_failed, digest, …), channel (email, webhook) and outcome (sent, failed, retrying, duplicate_risk)',
    labelNames: ['event', 'channel', 'outcome'] as const,
    registers: [registry],
  });
  return {
    record(event: NotificationEvent, channel: NotificationChannel, outcome: NotificationMetricOutcome, count = 1) {
      if (count > 0) notifications.inc({ event, channel, outcome }, count);
    },
  };
}
export type NotificationMetrics = ReturnType<typeof createNotificationMetrics>;
