// Generic JSON webhook: POST the payload with an Idempotency-Key header (the same on every resend of one
// notification), a timeout, and a DeliveryError that says whether the receiver got it.
import { DeliveryError } from './errors.js';

export interface WebhookRequest {
  url: string;
  payload: unknown;
  idempotencyKey: string;
  event: string;
  timeoutMs: number;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export async function postWebhook(req: WebhookRequest, fetchImpl: FetchLike = fetch): Promise<{ response: string }> {
  let res: Response;
  try {
    res = await fetchImpl(req.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': req.idempotencyKey,
        'X-PlexSync-Event': req.event,
        'User-Agent': 'PlexSync-Notifications',
      },
      body: JSON.stringify(req.payload),
      redirect: 'error',
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') {
      throw new DeliveryError(
        'unknown',
        `The webhook did not answer within ${req.timeoutMs} ms (it may have received the message).`,
      );
    }
    const code = e.cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
      throw new DeliveryError('temporary', `The webhook could not be reached (${code}).`);
    }
    throw new DeliveryError('unknown', `The webhook call was interrupted: ${code ?? e.message}.`);
  }
  const body = (await res.text().catch(() => '')).slice(0, 500);
  const response = `${res.status}${body ? ` ${body}` : ''}`;
  if (res.ok) return { response };
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    throw new DeliveryError('temporary', `The webhook answered ${res.status}; will retry.`, response);
  }
  throw new DeliveryError('rejected', `The webhook refused the message (${res.status}).`, response);
}
