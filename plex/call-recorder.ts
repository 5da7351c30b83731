// Records the Plex HTTP exchanges made inside one scope (one sync attempt) for the sync log: method, path
// with query, status, request and response bodies. Headers are never recorded: the API key travels in one.
// Plugged in as the PlexClient's `fetch`; calls made outside a recording scope pass straight through.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RecordedPlexCall {
  method: string;
  /** Path and query string, e.g. /accounting/v1/ap-invoices?poNumber=062486. */
  path: string;
  /** HTTP status; 0 when no response arrived (dropped connection, timeout). */
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
  error?: string;
}

export interface PlexCallRecorder {
  /** Give this to createPlexClient as `fetch`. */
  fetch: typeof fetch;
  /** Run `fn`; every Plex call it makes is appended to `into`, also when `fn` throws. */
  record<T>(into: RecordedPlexCall[], fn: () => Promise<T>): Promise<T>;
}

/** Bodies longer than this are stored cut short (a list answer can be large; the log must stay small). */
const MAX_BODY_CHARS = 32_000;

export function createPlexCallRecorder(inner: typeof fetch = globalThis.fetch): PlexCallRecorder {
  const scope = new AsyncLocalStorage<RecordedPlexCall[]>();

  const recordingFetch: typeof fetch = async (input, init) => {
    const calls = scope.getStore();
    if (!calls) return inner(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const call: RecordedPlexCall = { method: init?.method ?? 'GET', path: `${url.pathname}${url.search}`, status: 0 };
    if (typeof init?.body === 'string') call.requestBody = bodyOf(init.body);
    calls.push(call);
    try {
      const response = await inner(input, init);
      call.status = response.status;
      // A clone, so the client reads the body as usual.
      call.responseBody = bodyOf(await response.clone().text());
      return response;
    } catch (err) {
      call.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw err;
    }
  };

  return { fetch: recordingFetch, record: (into, fn) => scope.run(into, fn) };
}

function bodyOf(text: string): unknown {
  if (text === '') return undefined;
  if (text.length > MAX_BODY_CHARS) return { truncated: true, chars: text.length, head: text.slice(0, MAX_BODY_CHARS) };
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
