// All configuration, parsed once at start-up from the environment into a typed object and passed down.
// Nothing else in the code reads process.env.
import { z } from 'zod';
import { DEFAULT_LIMITS, defaultExtractThreads, type ExtractionLimits } from '../extract/limits.js';
import { OCR_ENGINES } from '../extract/ocr/engines.js';
import { OCR_LANGUAGES } from '../extract/ocr/languages.js';
import type { OcrSettings, ThreadRecycling } from '../extract/sandbox.js';
import type { MatchingSettings } from '../matching/settings.js';
import type { ModelConfig } from '../extract/model/index.js';
import type { Role } from '../domain/permissions.js';

const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration like 500ms, 30s, 15m, 24h or 2d');

export const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z.string().url('DATABASE_URL must be a postgres:// URL').optional(),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('plexsync'),
  /** Base URL of the Temporal Web UI, for links from the failed-syncs page. */
  TEMPORAL_UI_URL: z.string().url().default('http://127.0.0.1:8233'),

  PLEX_BASE_URL: z
    .string()
    .url('PLEX_BASE_URL must be the bare Plex Connect host, e.g. https://connect.plex.com')
    .optional(),
  PLEX_API_KEY: z.string().min(1).optional(),
  PLEX_CUSTOMER_ID: z.string().optional(),
  PLEX_TENANT_ID: z.string().optional(),
  PLEX_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Quick in-process retries for 5xx/network errors before the activity attempt fails. */
  PLEX_CLIENT_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /**
   * Plex calls per window for all worker processes on one Plex key together (a shared budget in
   * PostgreSQL, db/plex-call-budget.ts); Plex allows about 200 calls per minute per key. 190 keeps 10
   * calls of headroom (what the team that measured the limit paused at). Not to be divided by hand.
   */
  PLEX_MAX_CALLS_PER_MINUTE: z.coerce.number().int().positive().default(190),
  /**
   * How long a worker keeps a supplier's lists read from Plex (its open POs and recent receipts, and its
   * AP invoices for the duplicate check of an automatic approval's write) for the next invoices of the
   * same supplier. 0 reads everything afresh (about twice the calls per invoice in a burst).
   */
  PLEX_READ_CACHE_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  /** The budget's rolling window (tests shorten it to match a simulator's). */
  PLEX_BUDGET_WINDOW_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * Check every Plex response against the full resource schema (plex/resources.ts), strictly: an unknown or
   * misspelt field fails the call (invalid_response). For tests against the simulator; off in production,
   * where a field Plex adds must not stop the sync.
   */
  PLEX_STRICT_RESPONSES: bool.default(false),
  /**
   * Plex activities per second across all workers. A match makes 2–7 calls, a sync 2–3, so 1.6/s keeps
   * even a run of the cheapest activities at the call budget (1.6 × 2 × 60 ≈ 190/min) instead of idling
   * below it (bench/plex-sync.ts: 1.2/s left the first minute at ~155 calls).
   */
  PLEX_ACTIVITIES_PER_SECOND: z.coerce.number().positive().default(1.6),

  WEB_HOST: z.string().default('127.0.0.1'),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Set when served over https so cookies get the Secure flag. */
  PUBLIC_URL: z.string().url().optional(),
  ADMIN_EMAIL: z.string().email().default('admin@plexsync.local'),
  ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must have at least 12 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(60),
  /** Addresses of reverse proxies whose X-Forwarded-For names the client (login throttling by address). */
  TRUSTED_PROXIES: z.string().optional(),
  /** Local email + password login; off when everyone signs in through OpenID Connect. */
  PASSWORD_LOGIN: bool.default(true),
  /** Single sign-on (OpenID Connect, authorization code + PKCE): the provider's issuer URL and this client. */
  OIDC_ISSUER_URL: z.string().url("OIDC_ISSUER_URL must be the provider's issuer URL").optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().default('openid email profile'),
  /** The ID token / userinfo claim that carries the user's groups or roles (a string or a list). */
  OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  /** Claim values to PlexSync roles, e.g. "ap-admins=admin,ap-ops=ops,ap-clerks=clerk" (the highest wins). */
  OIDC_ROLE_MAP: z.string().optional(),
  /** The login page's button label. */
  OIDC_PROVIDER_NAME: z.string().min(1).default('single sign-on'),
  /** Time limit for opening an uploaded PDF in the document sandbox (page count, embedded e-invoice XML). */
  WEB_DOCUMENT_TIMEOUT: duration.default('20s'),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),

  AUTO_APPROVE_THRESHOLD: z.coerce.number().min(0).max(1.01).default(0.95),
  ESCALATE_AFTER: duration.default('24h'),
  /** How long a clerk's approval can be taken back (Undo) before the sync to Plex starts; 0s = no undo. */
  UNDO_WINDOW: duration.default('20s'),
  /** An invoice held for goods receipt: first re-check after this (then doubling, at most daily), held at most HOLD_MAX. */
  /** A question on an invoice's comment thread stops its escalation clock until it is answered. */
  QUESTIONS_PAUSE_ESCALATION: bool.default(true),
  HOLD_RECHECK: duration.default('1h'),
  HOLD_MAX: duration.default('30d'),
  SYNC_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  SYNC_INITIAL_RETRY: duration.default('2s'),
  SYNC_MAX_RETRY: duration.default('2m'),
  /** Matching (matching/): invoice total vs placeholder/PO amount, relative (0.05 = ±5 %). */
  MATCH_AMOUNT_TOLERANCE: z.coerce.number().min(0).max(1).default(0.05),
  /** Invoiced vs received quantity per line, relative; 0 = exact. */
  MATCH_QTY_TOLERANCE: z.coerce.number().min(0).max(1).default(0),
  /** Invoiced vs PO unit price per line, relative (0.01 = ±1 %). */
  MATCH_PRICE_TOLERANCE: z.coerce.number().min(0).max(1).default(0.01),
  /** Without a PO number, a PO must be dated from this many days before the invoice date… */
  MATCH_DATE_WINDOW_DAYS_BEFORE: z.coerce.number().int().min(0).max(3650).default(90),
  /** …to this many days after it. */
  MATCH_DATE_WINDOW_DAYS_AFTER: z.coerce.number().int().min(0).max(3650).default(30),
  /** Workers in this process may run this many activities at once. */
  WORKER_MAX_ACTIVITIES: z.coerce.number().int().positive().default(20),
  /**
   * Workflows kept in the worker's memory between their tasks (Temporal's sticky cache). An invoice waiting
   * for a clerk sits there idle; one evicted is replayed from its history when something happens to it.
   * The SDK's default sizes the cache from the heap limit (thousands here), which costs ~3 MB per open invoice.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
  METRICS_ENABLED: bool.default(true),
  /** The worker's own Prometheus endpoint (GET /metrics); 0 turns it off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),

  /** OCR (extract/ocr): pages without a usable text layer, and PNG/JPEG/TIFF files, are read by tesseract.js. */
  OCR_ENABLED: bool.default(true),
  /** Tesseract languages, from the installed @tesseract.js-data packages; each one adds time per page. */
  OCR_LANGUAGES: z
    .string()
    .default('eng,deu,fra,nld,spa')
    .transform((v) =>
      v
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(OCR_LANGUAGES, { message: `OCR_LANGUAGES: each one of ${OCR_LANGUAGES.join(', ')}` })).min(1)),
  /**
   * The OCR engine: `auto` runs the native `tesseract` program when it is installed (about a third less CPU per
   * page) and tesseract.js otherwise; `tesseract` requires the program; `tesseract.js` never uses it.
   */
  OCR_ENGINE: z.enum(OCR_ENGINES).default('auto'),
  /** Straighten scans tilted by up to 6° before OCR. */
  OCR_DESKEW: bool.default(true),
  /** Isolation (extract/sandbox): documents are read in worker threads with these limits. */
  EXTRACT_ISOLATE: bool.default(true),
  /** Documents read at the same time (one thread each; OCR keeps a core busy); default one per core, at least 2. */
  EXTRACT_THREADS: z.coerce.number().int().min(1).max(16).optional(),
  EXTRACT_MAX_PAGES: z.coerce.number().int().positive().default(DEFAULT_LIMITS.maxPages),
  EXTRACT_MAX_PIXELS_PER_PAGE: z.coerce.number().int().positive().default(DEFAULT_LIMITS.maxPixelsPerPage),
  EXTRACT_MAX_PIXELS_TOTAL: z.coerce.number().int().positive().default(DEFAULT_LIMITS.maxPixelsTotal),
  EXTRACT_TIMEOUT: duration.default('120s'),
  EXTRACT_MAX_MEMORY_MB: z.coerce.number().int().min(64).default(DEFAULT_LIMITS.maxMemoryMb),
  // A reader process idle this long is stopped (its heap and OCR data given back); 0s keeps readers.
  EXTRACT_READER_IDLE: duration.default('30s'),
  // A reader process is replaced after this many documents.
  EXTRACT_READER_MAX_DOCUMENTS: z.coerce.number().int().min(1).default(200),

  /** The optional AI model (extract/model): on when OPENAI_API_KEY is set, off otherwise. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** An OpenAI-compatible endpoint ("http://127.0.0.1:11434/v1"); OpenAI's own when unset. */
  OPENAI_BASE_URL: z.string().url('OPENAI_BASE_URL must be a URL like https://api.openai.com/v1').optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** Per request attempt; the invoice is read without the model when it does not answer in time. */
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** Retries of 429/5xx/connection errors (the SDK's backoff, honouring Retry-After). */
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Page images sent for scanned pages at most. */
  OPENAI_MAX_IMAGES: z.coerce.number().int().min(0).max(20).default(3),

  /** Ingestion (ingest/): key for the mailbox passwords saved on the admin page (AES-256-GCM at rest). */
  INGEST_SECRET_KEY: z
    .string()
    .min(32, 'INGEST_SECRET_KEY must have at least 32 characters (e.g. openssl rand -base64 32)')
    .optional(),
  /** One mailbox from the environment (more can be added on the admin page); host, user and password go together. */
  INGEST_IMAP_HOST: z.string().min(1).optional(),
  INGEST_IMAP_PORT: z.coerce.number().int().min(1).max(65535).default(993),
  /** true = TLS from the first byte (993); false = STARTTLS when the server offers it, else plain (loopback only). */
  INGEST_IMAP_TLS: bool.default(true),
  INGEST_IMAP_USER: z.string().min(1).optional(),
  INGEST_IMAP_PASSWORD: z.string().min(1).optional(),
  INGEST_IMAP_FOLDER: z.string().min(1).default('INBOX'),
  INGEST_IMAP_PROCESSED_FOLDER: z.string().min(1).default('Processed'),
  /** Comma-separated sender addresses or @domains; unset = every sender. */
  INGEST_ALLOWED_SENDERS: z.string().optional(),
  /** Attachments and dropped files above this are refused with a reason (default MAX_UPLOAD_BYTES). */
  INGEST_MAX_ATTACHMENT_BYTES: z.coerce.number().int().positive().optional(),
  /** Poll interval for servers without IDLE, and the wait after a failed poll. */
  INGEST_POLL_INTERVAL: duration.default('60s'),
  /** Longest single IDLE before the mailbox is polled again anyway. */
  INGEST_IDLE_MAX: duration.default('5m'),
  /** A folder on the worker's machine where dropped files become invoices; unset = off. */
  INGEST_FOLDER: z.string().min(1).optional(),
  INGEST_FOLDER_SCAN_INTERVAL: duration.default('5s'),

  /** Notifications (notify/): SMTP server; host/port/user/from may be overridden on the Notifications page. */
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** true = TLS from the first byte (port 465); false = STARTTLS when the server offers it. */
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).default('PlexSync <plexsync@localhost>'),
  SMTP_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Generic JSON webhook (Slack/Teams-compatible payload); may be set on the Notifications page instead. */
  NOTIFY_WEBHOOK_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'NOTIFY_WEBHOOK_URL must be http(s)')
    .optional(),
  NOTIFY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Delivery retries per notification activity before it is given up (recorded as failed). */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  NOTIFY_INITIAL_RETRY: duration.default('10s'),
  NOTIFY_MAX_RETRY: duration.default('10m'),
  /** Daily digest of what waits for review at this local time (HH:MM); unset = no digest. */
  NOTIFY_DIGEST_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'NOTIFY_DIGEST_AT must be a time like 08:30')
    .optional(),
  NOTIFY_DIGEST_TIMEZONE: z
    .string()
    .refine(isTimeZone, 'NOTIFY_DIGEST_TIMEZONE must be an IANA time zone like Europe/Berlin')
    .default('UTC'),
});
export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  /** Absent only for commands that need no database (`plexsync extract`, `plexsync plex check`). */
  databaseUrl?: string;
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string };
  /** Absent when PLEX_BASE_URL/PLEX_API_KEY are not set (the CLI's database commands do not need them). */
  plex?: {
    baseUrl: string;
    apiKey: string;
    customerId?: string;
    tenantId?: string;
    timeoutMs: number;
    clientRetries: number;
    maxCallsPerMinute: number;
    budgetWindowMs: number;
    readCacheMs: number;
    /** PLEX_STRICT_RESPONSES: every response checked strictly against Plex's resource schemas. */
    strictResponses: boolean;
  };
  web: {
    host: string;
    port: number;
    publicUrl?: string;
    adminEmail: string;
    adminPassword?: string;
    sessionIdleMinutes: number;
    /** Opening an uploaded PDF (page count at upload, "open the XML") in the document sandbox, in ms. */
    documentTimeoutMs: number;
    maxUploadBytes: number;
    trustedProxies: string[];
    passwordLogin: boolean;
    oidc?: OidcConfig;
  };
  review: {
    autoApproveThreshold: number;
    escalateAfter: string;
    undoWindow: string;
    hold: { recheck: string; max: string };
    questionsPauseEscalation: boolean;
  };
  sync: { maxAttempts: number; initialRetry: string; maxRetry: string };
  matching: MatchingSettings;
  worker: {
    maxActivities: number;
    maxCachedWorkflows: number;
    plexActivitiesPerSecond: number;
    metrics: { host: string; port: number } | null;
  };
  /** How documents are read: OCR settings (null = off), limits, isolation. */
  extraction: {
    ocr: OcrSettings | null;
    limits: ExtractionLimits;
    isolate: boolean;
    threads: number;
    recycle: ThreadRecycling;
  };
  /** The optional AI model; absent when OPENAI_API_KEY is not set. */
  model?: ModelConfig;
  ingest: IngestConfig;
  notify: NotifyConfig;
}

export interface NotifyConfig {
  smtp: {
    host?: string;
    port: number;
    secure: boolean;
    user?: string;
    password?: string;
    from: string;
    timeoutMs: number;
  };
  webhook: { url?: string; timeoutMs: number };
  retry: { maxAttempts: number; initialInterval: string; maximumInterval: string };
  digest: { at?: string; timeZone: string };
  /** Base of the links to invoice pages in messages (PUBLIC_URL, else the web server's address). */
  appUrl: string;
}

export interface IngestConfig {
  secretKey?: string;
  /** The mailbox configured in the environment (id `env`), if any. */
  envMailbox?: {
    host: string;
    port: number;
    tls: boolean;
    username: string;
    password: string;
    folder: string;
    processedFolder: string;
  };
  allowedSenders: string[];
  maxAttachmentBytes: number;
  pollInterval: string;
  idleMax: string;
  folder?: { path: string; scanInterval: string };
}

export interface OidcConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  roleClaim: string;
  /** Claim value → role. */
  roleMap: Record<string, Role>;
  providerName: string;
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
function durationMs(value: string): number {
  const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(value)!;
  return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function oidcConfig(e: z.infer<typeof EnvSchema>): OidcConfig | undefined {
  const parts = [e.OIDC_ISSUER_URL, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET];
  const set = parts.filter(Boolean).length;
  if (set === 0) {
    if (!e.PASSWORD_LOGIN)
      throw new ConfigError(
        'Invalid configuration:\n  PASSWORD_LOGIN=false needs single sign-on (OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): nobody could log in.',
      );
    return undefined;
  }
  if (set !== 3)
    throw new ConfigError(
      'Invalid configuration:\n  OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: set all three or none.',
    );
  const roleMap: Record<string, Role> = {};
  for (const entry of (e.OIDC_ROLE_MAP ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const role = entry.slice(at + 1).trim();
    if (at < 1 || !['clerk', 'ops', 'admin'].includes(role)) {
      throw new ConfigError(
        `Invalid configuration:\n  OIDC_ROLE_MAP: "${entry}" is not "claim value=clerk|ops|admin".`,
      );
    }
    roleMap[entry.slice(0, at).trim()] = role as Role;
  }
  if (Object.keys(roleMap).length === 0) {
    throw new ConfigError(
      'Invalid configuration:\n  OIDC_ROLE_MAP is needed with single sign-on, e.g. "ap-admins=admin,ap-ops=ops,ap-clerks=clerk".',
    );
  }
  return {
    issuerUrl: e.OIDC_ISSUER_URL!,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    scopes: e.OIDC_SCOPES,
    roleClaim: e.OIDC_ROLE_CLAIM,
    roleMap,
    providerName: e.OIDC_PROVIDER_NAME,
  };
}

/** Parse the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.OPENAI_BASE_URL && !e.OPENAI_API_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  OPENAI_BASE_URL is set but OPENAI_API_KEY is not: the AI model is on only with a key (any value for endpoints that need none).',
    );
  }
  if (Boolean(e.PLEX_BASE_URL) !== Boolean(e.PLEX_API_KEY)) {
    throw new ConfigError('Invalid configuration:\n  PLEX_BASE_URL and PLEX_API_KEY go together: set both or neither.');
  }
  const imapParts = [e.INGEST_IMAP_HOST, e.INGEST_IMAP_USER, e.INGEST_IMAP_PASSWORD].filter(Boolean).length;
  if (imapParts !== 0 && imapParts !== 3) {
    throw new ConfigError(
      'Invalid configuration:\n  INGEST_IMAP_HOST, INGEST_IMAP_USER and INGEST_IMAP_PASSWORD go together: set all three or none.',
    );
  }
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: e.TEMPORAL_UI_URL.replace(/\/$/, ''),
    },
    plex:
      e.PLEX_BASE_URL && e.PLEX_API_KEY
        ? {
            baseUrl: e.PLEX_BASE_URL.replace(/\/$/, ''),
            apiKey: e.PLEX_API_KEY,
            customerId: e.PLEX_CUSTOMER_ID,
            tenantId: e.PLEX_TENANT_ID,
            timeoutMs: e.PLEX_TIMEOUT_MS,
            clientRetries: e.PLEX_CLIENT_RETRIES,
            maxCallsPerMinute: e.PLEX_MAX_CALLS_PER_MINUTE,
            budgetWindowMs: e.PLEX_BUDGET_WINDOW_MS,
            readCacheMs: e.PLEX_READ_CACHE_SECONDS * 1000,
            strictResponses: e.PLEX_STRICT_RESPONSES,
          }
        : undefined,
    web: {
      host: e.WEB_HOST,
      port: e.WEB_PORT,
      publicUrl: e.PUBLIC_URL,
      adminEmail: e.ADMIN_EMAIL,
      adminPassword: e.ADMIN_PASSWORD,
      sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
      documentTimeoutMs: durationMs(e.WEB_DOCUMENT_TIMEOUT),
      maxUploadBytes: e.MAX_UPLOAD_BYTES,
      trustedProxies: (e.TRUSTED_PROXIES ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
      passwordLogin: e.PASSWORD_LOGIN,
      oidc: oidcConfig(e),
    },
    review: {
      autoApproveThreshold: e.AUTO_APPROVE_THRESHOLD,
      escalateAfter: e.ESCALATE_AFTER,
      undoWindow: e.UNDO_WINDOW,
      hold: { recheck: e.HOLD_RECHECK, max: e.HOLD_MAX },
      questionsPauseEscalation: e.QUESTIONS_PAUSE_ESCALATION,
    },
    sync: { maxAttempts: e.SYNC_MAX_ATTEMPTS, initialRetry: e.SYNC_INITIAL_RETRY, maxRetry: e.SYNC_MAX_RETRY },
    matching: {
      amountTolerance: e.MATCH_AMOUNT_TOLERANCE,
      quantityTolerance: e.MATCH_QTY_TOLERANCE,
      priceTolerance: e.MATCH_PRICE_TOLERANCE,
      dateWindowDaysBefore: e.MATCH_DATE_WINDOW_DAYS_BEFORE,
      dateWindowDaysAfter: e.MATCH_DATE_WINDOW_DAYS_AFTER,
    },
    worker: {
      maxActivities: e.WORKER_MAX_ACTIVITIES,
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      plexActivitiesPerSecond: e.PLEX_ACTIVITIES_PER_SECOND,
      metrics:
        e.METRICS_ENABLED && e.WORKER_METRICS_PORT > 0
          ? { host: e.WORKER_METRICS_HOST, port: e.WORKER_METRICS_PORT }
          : null,
    },
    extraction: {
      ocr: e.OCR_ENABLED ? { languages: e.OCR_LANGUAGES, deskew: e.OCR_DESKEW, engine: e.OCR_ENGINE } : null,
      limits: {
        maxBytes: e.MAX_UPLOAD_BYTES,
        maxPages: e.EXTRACT_MAX_PAGES,
        maxPixelsPerPage: e.EXTRACT_MAX_PIXELS_PER_PAGE,
        maxPixelsTotal: e.EXTRACT_MAX_PIXELS_TOTAL,
        timeoutMs: durationMs(e.EXTRACT_TIMEOUT),
        maxMemoryMb: e.EXTRACT_MAX_MEMORY_MB,
      },
      isolate: e.EXTRACT_ISOLATE,
      threads: e.EXTRACT_THREADS ?? defaultExtractThreads(),
      recycle: { idleMs: durationMs(e.EXTRACT_READER_IDLE), maxJobsPerThread: e.EXTRACT_READER_MAX_DOCUMENTS },
    },
    model: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          baseUrl: e.OPENAI_BASE_URL,
          model: e.OPENAI_MODEL,
          timeoutMs: e.OPENAI_TIMEOUT_MS,
          maxRetries: e.OPENAI_MAX_RETRIES,
          maxImages: e.OPENAI_MAX_IMAGES,
        }
      : undefined,
    ingest: {
      secretKey: e.INGEST_SECRET_KEY,
      envMailbox:
        e.INGEST_IMAP_HOST && e.INGEST_IMAP_USER && e.INGEST_IMAP_PASSWORD
          ? {
              host: e.INGEST_IMAP_HOST,
              port: e.INGEST_IMAP_PORT,
              tls: e.INGEST_IMAP_TLS,
              username: e.INGEST_IMAP_USER,
              password: e.INGEST_IMAP_PASSWORD,
              folder: e.INGEST_IMAP_FOLDER,
              processedFolder: e.INGEST_IMAP_PROCESSED_FOLDER,
            }
          : undefined,
      allowedSenders: (e.INGEST_ALLOWED_SENDERS ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
      maxAttachmentBytes: e.INGEST_MAX_ATTACHMENT_BYTES ?? e.MAX_UPLOAD_BYTES,
      pollInterval: e.INGEST_POLL_INTERVAL,
      idleMax: e.INGEST_IDLE_MAX,
      folder: e.INGEST_FOLDER ? { path: e.INGEST_FOLDER, scanInterval: e.INGEST_FOLDER_SCAN_INTERVAL } : undefined,
    },
    notify: {
      smtp: {
        host: e.SMTP_HOST,
        port: e.SMTP_PORT,
        secure: e.SMTP_SECURE,
        user: e.SMTP_USER,
        password: e.SMTP_PASSWORD,
        from: e.SMTP_FROM,
        timeoutMs: e.SMTP_TIMEOUT_MS,
      },
      webhook: { url: e.NOTIFY_WEBHOOK_URL, timeoutMs: e.NOTIFY_WEBHOOK_TIMEOUT_MS },
      retry: {
        maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
        initialInterval: e.NOTIFY_INITIAL_RETRY,
        maximumInterval: e.NOTIFY_MAX_RETRY,
      },
      digest: { at: e.NOTIFY_DIGEST_AT, timeZone: e.NOTIFY_DIGEST_TIMEZONE },
      appUrl: (e.PUBLIC_URL ?? `http://${e.WEB_HOST}:${e.WEB_PORT}`).replace(/\/$/, ''),
    },
  };
}

/** The Plex settings, for processes that cannot run without them (the worker). */
export function requirePlex(config: Config): NonNullable<Config['plex']> {
  if (!config.plex)
    throw new ConfigError('Invalid configuration:\n  PLEX_BASE_URL and PLEX_API_KEY are required for the worker.');
  return config.plex;
}

/** The database URL, for processes that cannot run without one. */
export function requireDatabase(config: Config): string {
  if (!config.databaseUrl)
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required (a postgres:// URL)');
  return config.databaseUrl;
}
