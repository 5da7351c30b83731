// HTTP transport for the Plex Connect client: headers, timeouts, mapping failures to PlexError kinds,
// quick in-process retries for idempotent reads, and the client-side call budget (PLEX_API.md §4).
import type { z } from 'zod';
import { PlexError, type PlexErrorKind } from './types.js';
import { formatIssuePath, PlexErrorBody } from './schemas.js';
import { resourceProblem } from './resources.js';

export interface PlexCall {
  method: string;
  /** Path without the query string, e.g. /accounting/v1/ap-invoices/6f1c…. */
  path: string;
  /** Stable label for metrics, e.g. 'ap-invoices.get' (same names as the simulator's call counts). */
  route: string;
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  status: number;
  durationMs: number;
  /** 0 for the first try, 1.. for in-process retries. */
  attempt: number;
  errorKind?: PlexErrorKind;
}

export interface PlexClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface PlexTransportOptions {
  /** Bare host, e.g. https://connect.plex.com (paths are added in code). */
  baseUrl: string;
  apiKey: string;
  /** PCN, sent as X-Plex-Connect-Customer-Id. */
  customerId?: string;
  tenantId?: string;
  timeoutMs: number;
  /**
   * How long past its timeout an unanswered PUT is assumed able to land in Plex (a request received but
   * finished late). Default: timeoutMs again. Retries of a write wait out timeoutMs + this margin.
   */
  writeLandingMarginMs?: number;
  /** In-process retries for reads after 429/5xx/network/timeout; writes are never retried here. */
  retries: number;
  fetch?: typeof fetch;
  onCall?: (call: PlexCall) => void;
  /** Client-side budget; Plex allows about 200/min per app, so stay under it. Default 180. */
  maxCallsPerMinute?: number;
  /** Length of the rolling budget window. Default 60 000 (tests shorten it). */
  budgetWindowMs?: number;
  /**
   * The budget shared by every process using this Plex key (db/plex-call-budget.ts), taken after the
   * per-process one before each call, so several workers together stay inside Plex's limit.
   */
  sharedBudget?: { acquire(): Promise<void> };
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Longest Retry-After honoured in-process; longer waits are thrown to the caller. Default 5 000. */
  maxRetryAfterMs?: number;
  clock?: PlexClock;
  random?: () => number;
  /**
   * Check each response body first against the full Plex resource schema of its route (plex/resources.ts),
   * strictly: an unknown or misspelt field, or a wrong type, is an invalid_response. For tests; production
   * leaves it off (default) and reads only the fields it needs, tolerating the rest.
   */
  strictResponses?: boolean;
}

export interface PlexRequest {
  method: 'GET' | 'PUT';
  path: string;
  route: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

const realClock: PlexClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** At most `max` calls start within any rolling window; extra callers wait their turn (FIFO). */
export class CallBudget {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly clock: PlexClock,
  ) {
    if (!(max >= 1) || !(windowMs > 0)) throw new RangeError('the Plex call budget needs max >= 1 and windowMs > 0');
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.max) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0]! + this.windowMs - now);
    }
  }
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const KIND_BY_STATUS: Record<number, PlexErrorKind> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'conflict',
  408: 'timeout',
  409: 'conflict',
  422: 'bad_request',
  429: 'rate_limited',
};

export function createTransport(opts: PlexTransportOptions) {
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const clock = opts.clock ?? realClock;
  const random = opts.random ?? Math.random;
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const budget = new CallBudget(opts.maxCallsPerMinute ?? 180, opts.budgetWindowMs ?? 60_000, clock);
  const backoffBaseMs = opts.backoffBaseMs ?? 200;
  const backoffCapMs = opts.backoffCapMs ?? 2_000;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 5_000;

  const headers: Record<string, string> = { Accept: 'application/json', 'X-Plex-Connect-Api-Key': opts.apiKey };
  if (opts.customerId) headers['X-Plex-Connect-Customer-Id'] = opts.customerId;
  if (opts.tenantId) headers['X-Plex-Connect-Tenant-Id'] = opts.tenantId;

  async function attemptOnce(req: PlexRequest, attempt: number): Promise<unknown> {
    await budget.acquire();
    if (opts.sharedBudget) await opts.sharedBudget.acquire();
    const query = req.query ? `?${new URLSearchParams(req.query).toString()}` : '';
    const started = performance.now();
    let status = 0;
    const report = (errorKind?: PlexErrorKind) =>
      opts.onCall?.({
        method: req.method,
        path: req.path,
        route: req.route,
        status,
        attempt,
        durationMs: performance.now() - started,
        ...(errorKind ? { errorKind } : {}),
      });
    try {
      const response = await fetchImpl(`${baseUrl}${req.path}${query}`, {
        method: req.method,
        headers: req.body ? { ...headers, 'Content-Type': 'application/json' } : headers,
        body: req.body ? JSON.stringify(req.body) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      status = response.status;
      const text = await response.text();
      if (status >= 300) throw errorForStatus(req, response, text);
      const body = parseJson(text, req, status);
      report();
      return body;
    } catch (err) {
      const error = toPlexError(err, req, opts.timeoutMs);
      report(error.kind);
      throw error;
    }
  }

  /** Send one request; reads are retried in-process, the PUT never is (it may have been applied). */
  async function request(req: PlexRequest): Promise<unknown> {
    const retries = req.method === 'GET' ? opts.retries : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await attemptOnce(req, attempt);
      } catch (err) {
        if (!(err instanceof PlexError) || !err.retryable || attempt >= retries) throw err;
        const retryAfterMs = err.details.retryAfterMs;
        if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) throw err;
        const jitterMs = random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt);
        await clock.sleep(retryAfterMs !== undefined ? retryAfterMs + random() * backoffBaseMs : jitterMs);
      }
    }
  }

  /** Request and validate; a shape mismatch becomes invalid_response naming the field path. */
  async function requestParsed<S extends z.ZodType>(req: PlexRequest, schema: S): Promise<z.output<S>> {
    const body = await request(req);
    const problem = opts.strictResponses ? resourceProblem(req.route, body) : null;
    if (problem) {
      throw new PlexError('invalid_response', `${req.method} ${req.path}: the response ${problem} (strict responses)`, {
        method: req.method,
        path: req.path,
        responseBody: body,
      });
    }
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${formatIssuePath(i.path)}: ${i.message}`);
    throw new PlexError(
      'invalid_response',
      `${req.method} ${req.path}: unexpected response shape (${issues.join('; ')})`,
      {
        method: req.method,
        path: req.path,
        responseBody: body,
      },
    );
  }

  return { request, requestParsed };
}

function parseJson(text: string, req: PlexRequest, status: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PlexError('invalid_response', `${req.method} ${req.path}: ${status} response is not JSON`, {
      status,
      method: req.method,
      path: req.path,
      responseBody: text.slice(0, 500),
    });
  }
}

function errorForStatus(req: PlexRequest, response: Response, text: string): PlexError {
  const status = response.status;
  let responseBody: unknown = text.slice(0, 2_000);
  try {
    responseBody = JSON.parse(text);
  } catch {
    /* keep the text */
  }
  const details = { status, method: req.method, path: req.path, responseBody };
  const label = `${req.method} ${req.path}`;
  const plexText = describePlexBody(responseBody);
  if (status < 400) {
    const target = response.headers.get('location') ?? 'elsewhere';
    return new PlexError(
      'invalid_response',
      `${label}: unexpected redirect ${status} to ${target} (is PLEX_BASE_URL the bare host?)`,
      details,
    );
  }
  if (status === 401) {
    const collection = req.path.split('/')[1] ?? '';
    return new PlexError(
      'unauthorized',
      `${label}: 401 from Plex${plexText}. Either the API key is wrong or expired, or the key's App is not ` +
        `subscribed to the '${collection}' API product (Plex answers both the same way).`,
      details,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return new PlexError('rate_limited', `${label}: 429 rate limited by Plex${plexText}`, { ...details, retryAfterMs });
  }
  const kind = KIND_BY_STATUS[status] ?? (status >= 500 ? 'server' : 'bad_request');
  return new PlexError(kind, `${label}: ${status} from Plex${plexText}`, details);
}

/** " (CODE: message; field errors…)" from Plex's {code, message, errors[]} body, or "" when absent. */
function describePlexBody(body: unknown): string {
  const parsed = PlexErrorBody.safeParse(body);
  if (!parsed.success) return '';
  const { code, message, errors = [] } = parsed.data;
  const head = [code, message].filter(Boolean).join(': ');
  const fieldErrors = errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).filter(Boolean);
  const all = [head, ...fieldErrors].filter(Boolean).join('; ');
  return all === '' ? '' : ` (${all})`;
}

function toPlexError(err: unknown, req: PlexRequest, timeoutMs: number): PlexError {
  if (err instanceof PlexError) return err;
  const label = `${req.method} ${req.path}`;
  const details = { method: req.method, path: req.path };
  const unsure = req.method === 'GET' ? '' : '; the write may or may not have been applied, re-read before retrying';
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new PlexError('timeout', `${label}: no response within ${timeoutMs} ms${unsure}`, details);
  }
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
  const code = (cause as { code?: string } | undefined)?.code;
  const reason = [code, cause?.message ?? (err instanceof Error ? err.message : String(err))].filter(Boolean).join(' ');
  return new PlexError('network', `${label}: network error (${reason})${unsure}`, details);
}
