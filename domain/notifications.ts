// Notification types shared by the workflows, the activities and the read model.
export type NotificationEvent = 'escalated' | 'sync_failed' | 'digest' | 'mention';
/** The events whose email recipients are chosen by role on the Notifications page (a mention names its own). */
export type RoleNotificationEvent = Exclude<NotificationEvent, 'mention'>;
export type NotificationChannel = 'email' | 'webhook';
export type DeliveryOutcome = 'sent' | 'already_sent' | 'already_failed' | 'failed';

export interface NotifyRequest {
  /** Natural key of the event: `<workflow id>:escalated`, `<workflow id>:sync-failed:<round>`, `digest:<workflow id>`,
   * `<invoice id>:mention:<comment id>`. */
  key: string;
  event: NotificationEvent;
  invoiceId?: string;
  reasons?: string[];
  /** A mention: the comment (its text and the users it names are read from the thread when sending). */
  commentId?: string;
}

export interface NotificationPlan {
  channels: NotificationChannel[];
  /** Why a channel is not used (kept in the workflow's result). */
  skipped: string[];
  retry: { maxAttempts: number; initialInterval: string; maximumInterval: string };
}

/** Per recipient (email address, or the webhook's origin): what happened. */
export interface ChannelResult {
  outcomes: Record<string, DeliveryOutcome>;
}
