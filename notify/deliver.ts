// Exactly-once-as-far-as-possible delivery of one message to one recipient over one channel:
// record before send (pending → sending), send, record after (sent). A retry finds the row: `sent` or
// `failed` → nothing is sent again; `sending` → the earlier attempt's outcome is unknown, so it is sent
// again with the same Message-ID / Idempotency-Key and the row is flagged (the one window where a
// duplicate can reach a recipient; see README "Notifications").
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Sql } from '../db/client.js';
import {
  claimNotification,
  markAttemptFailed,
  markFailed,
  markSent,
  type NewNotification,
} from '../db/notifications.js';
import type { DeliveryOutcome } from '../domain/notifications.js';
import { DeliveryError } from './errors.js';
import type { NotificationMetrics } from './metrics.js';

export type { DeliveryOutcome } from '../domain/notifications.js';

export interface DeliveryDeps {
  sql: Sql;
  clock: () => Date;
  logger: Logger;
  /** Counts each message's outcome (notify/metrics.ts); nothing counted when absent. */
  metrics?: NotificationMetrics;
}

/** Deterministic per notification key: a resend carries the same id, so receivers can drop the copy. */
export const idempotencyKeyFor = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 40);
export const messageIdFor = (key: string) => `<${idempotencyKeyFor(key)}@plexsync.notifications>`;

/**
 * Deliver one notification. Resolves with the outcome; throws a DeliveryError (kind temporary or
 * unknown) when the attempt should be retried — the row then says so.
 */
export async function deliverOnce(
  deps: DeliveryDeps,
  notification: NewNotification,
  send: () => Promise<{ response: string }>,
): Promise<DeliveryOutcome> {
  const { sql, clock, logger } = deps;
  const count = (outcome: Parameters<NotificationMetrics['record']>[2]) =>
    deps.metrics?.record(notification.event, notification.channel, outcome);
  const claim = await claimNotification(sql, notification);
  const log = logger.child({
    notification: notification.key,
    channel: notification.channel,
    recipient: notification.recipient,
  });
  if (!claim.send) return claim.row.status === 'sent' ? 'already_sent' : 'already_failed';
  if (claim.unknownBefore) {
    log.warn(
      { messageId: notification.messageId },
      'an earlier attempt may have delivered this notification; sending again with the same id',
    );
    count('duplicate_risk');
  }
  let response: string;
  try {
    ({ response } = await send());
  } catch (err) {
    const failure =
      err instanceof DeliveryError ? err : new DeliveryError('unknown', (err as Error)?.message ?? String(err));
    if (failure.kind === 'rejected') {
      await markFailed(sql, notification.key, failure.message, failure.providerResponse);
      log.warn({ err: failure.message }, 'notification refused');
      count('failed');
      return 'failed';
    }
    await markAttemptFailed(sql, notification.key, failure.message, failure.kind === 'temporary' ? 'no' : 'unknown');
    log.warn({ err: failure.message, kind: failure.kind }, 'notification attempt failed; will retry');
    count('retrying');
    throw failure;
  }
  // The message is out: recording it is what keeps the retry from sending it again, so try hard (a short
  // database outage must not turn into a duplicate). Only a crash here leaves the row in `sending`.
  await withRetries(() => markSent(sql, notification.key, response, clock()), 5);
  log.info({ messageId: notification.messageId }, 'notification sent');
  count('sent');
  return 'sent';
}

async function withRetries(op: () => Promise<void>, attempts: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}
