// How Plex errors cross into Temporal: the failure type is set explicitly, retryability follows the
// error kind, and a server-given Retry-After becomes the next retry delay.
import { ApplicationFailure } from '@temporalio/common';
import { PlexError } from '../plex/types.js';

const TYPE: Record<PlexError['kind'], string> = {
  unauthorized: 'PlexUnauthorized',
  forbidden: 'PlexForbidden',
  not_found: 'PlexNotFound',
  bad_request: 'PlexBadRequest',
  conflict: 'PlexConflict',
  rate_limited: 'PlexRateLimited',
  server: 'PlexServerError',
  network: 'PlexNetworkError',
  timeout: 'PlexTimeout',
  invalid_response: 'PlexInvalidResponse',
};

export function plexFailure(err: unknown): unknown {
  if (!(err instanceof PlexError)) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: TYPE[err.kind],
    nonRetryable: !err.retryable,
    nextRetryDelay: err.kind === 'rate_limited' && err.details.retryAfterMs ? err.details.retryAfterMs : undefined,
    details: [{ kind: err.kind, status: err.details.status ?? null, body: err.details.responseBody ?? null }],
    cause: err,
  });
}

/** Run a Plex call, translating PlexError into an ApplicationFailure. */
export async function withPlex<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw plexFailure(err);
  }
}
