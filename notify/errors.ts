// What a failed delivery means for the next attempt. Typed so the activity never matches on messages.
//   rejected  the server refused for good (SMTP 5xx, webhook 4xx): recorded as failed, not retried
//   temporary the server definitely did not take it (SMTP 4xx, connection refused, webhook 5xx/429): retried
//   unknown   the message may have been handed over (timeout or lost connection after sending): retried,
//             and the retry knows a duplicate is possible
export type DeliveryFailureKind = 'rejected' | 'temporary' | 'unknown';

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly kind: DeliveryFailureKind,
    message: string,
    /** The server's own words (SMTP response line, webhook status and body), when it answered. */
    readonly providerResponse: string | null = null,
  ) {
    super(message);
  }
}
