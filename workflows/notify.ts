// One notification event (an escalation, a failed sync, a digest): decide the channels, then send by
// email and by webhook side by side, each an activity with its own retries. Started by the invoice
// workflow as an abandoned child, so a slow mail server never holds up the invoice.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import type { ChannelResult, NotificationChannel, NotifyRequest } from '../domain/notifications.js';

type Activities = ReturnType<typeof createActivities>;

// Settings reads and the final bookkeeping: cheap database work, retried while the database is away.
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

export type NotificationResult = Partial<Record<NotificationChannel, ChannelResult | { gaveUp: string }>> & {
  skipped: string[];
};

export async function notificationWorkflow(req: NotifyRequest): Promise<NotificationResult> {
  const plan = await bookkeeping.planNotification(req);
  // Delivery: the deployment decides how long to keep trying (NOTIFY_MAX_ATTEMPTS, NOTIFY_*_RETRY).
  // A refused message (SMTP 5xx, webhook 4xx) is recorded as failed by the activity and not retried.
  const delivery = proxyActivities<Activities>({
    startToCloseTimeout: '5m',
    retry: {
      initialInterval: plan.retry.initialInterval,
      backoffCoefficient: 2,
      maximumInterval: plan.retry.maximumInterval,
      maximumAttempts: plan.retry.maxAttempts,
      nonRetryableErrorTypes: ['NotificationsNotConfigured', 'InvoiceNotFound'],
    },
  });
  const result: NotificationResult = { skipped: plan.skipped };
  await Promise.all(
    plan.channels.map(async (channel) => {
      try {
        result[channel] =
          channel === 'email'
            ? await delivery.sendEmailNotifications(req)
            : await delivery.sendWebhookNotification(req);
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const reason =
          err.cause instanceof ApplicationFailure || err.cause instanceof Error ? err.cause.message : err.message;
        await bookkeeping.giveUpNotifications({ key: req.key, channel, error: reason });
        result[channel] = { gaveUp: reason };
      }
    }),
  );
  return result;
}
