// Invoice read model: the rows pages and the JSON API list, kept current by activities.
import { Extraction, SYNC_FIELDS } from '../domain/extraction.js';
import type { InvoiceStatus, QueueReason } from '../domain/invoice.js';
import type { MatchResult } from '../domain/match.js';
import type { WaitingStep } from './policies.js';
import type { Sql } from './client.js';
import type { SyncAttempt } from './sync-writes.js';

export interface InvoiceRow {
  id: string;
  documentSha256: string;
  fileName: string;
  status: InvoiceStatus;
  uploadedBy: string;
  vendorName: string | null;
  invoiceNumber: string | null;
  poNumber: string | null;
  currency: string | null;
  total: string | null;
  invoiceDate: string | null;
  confidence: number | null;
  autoApproved: boolean | null;
  escalatedAt: Date | null;
  syncedAt: Date | null;
  lastError: string | null;
  assignedTo: string | null;
  /** When its workflow was started; null until then (migration 014, worker/reconciler.ts). */
  workflowStartedAt: Date | null;
  /** The approval policy step it waits on (null when none). */
  approval: WaitingStep | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The summary columns a workflow transition may set; omitted keys stay as they are. */
export interface InvoiceSummaryPatch {
  status?: string;
  vendorName?: string | null;
  invoiceNumber?: string | null;
  poNumber?: string | null;
  currency?: string | null;
  total?: string | null;
  invoiceDate?: string | null;
  confidence?: number | null;
  autoApproved?: boolean | null;
  escalatedAt?: Date | null;
  syncedAt?: Date | null;
  lastError?: string | null;
}

const COLUMN: Record<keyof InvoiceSummaryPatch, string> = {
  status: 'status',
  vendorName: 'vendor_name',
  invoiceNumber: 'invoice_number',
  poNumber: 'po_number',
  currency: 'currency',
  total: 'total',
  invoiceDate: 'invoice_date',
  confidence: 'confidence',
  autoApproved: 'auto_approved',
  escalatedAt: 'escalated_at',
  syncedAt: 'synced_at',
  lastError: 'last_error',
};

/** Create the invoice row at upload; returns false when it already existed (same file again). */
export async function insertInvoice(
  sql: Sql,
  row: { id: string; documentSha256: string; fileName: string; uploadedBy: string },
): Promise<boolean> {
  const inserted = await sql`
    insert into invoices (id, document_sha256, file_name, status, uploaded_by)
    values (${row.id}, ${row.documentSha256}, ${row.fileName}, 'received', ${row.uploadedBy})
    on conflict do nothing
    returning id`;
  return inserted.length === 1;
}

/** The row is the outbox entry of its workflow start: stamped once Temporal has the workflow. */
export async function markWorkflowStarted(sql: Sql, id: string): Promise<void> {
  await sql`update invoices set workflow_started_at = now() where id = ${id} and workflow_started_at is null`;
}

/** Rows whose workflow start is still outstanding (oldest first), for the reconciler. */
export async function listWorkflowPending(
  sql: Sql,
  opts: { olderThanMs: number; limit: number },
): Promise<InvoiceRow[]> {
  const rows = await sql<RawInvoice[]>`
    select * from invoices
    where workflow_started_at is null
      and created_at < now() - make_interval(secs => ${opts.olderThanMs / 1000})
    order by created_at, id
    limit ${opts.limit}`;
  return rows.map(toInvoice);
}

export async function updateInvoiceSummary(sql: Sql, id: string, patch: InvoiceSummaryPatch): Promise<void> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) values[COLUMN[key as keyof InvoiceSummaryPatch]] = value;
  }
  if (Object.keys(values).length === 0) return;
  await sql`update invoices set ${sql(values as Record<string, never>)}, updated_at = now() where id = ${id}`;
}

export async function getInvoice(sql: Sql, id: string): Promise<InvoiceRow | undefined> {
  const [row] = await sql<RawInvoice[]>`select * from invoices where id = ${id}`;
  return row ? toInvoice(row) : undefined;
}

export interface InvoicePage {
  rows: InvoiceRow[];
  /** Opaque cursor for the next page, when there is one. */
  next?: string;
}

export type ConfidenceBand = 'low' | 'medium' | 'high';
export interface InvoiceFilter {
  status?: string[];
  /** Case-insensitive prefix of the vendor name. */
  vendor?: string;
  poNumber?: string;
  assignedTo?: string;
  /** Only invoices waiting on an approval policy step. */
  waitingOnStep?: boolean;
  band?: ConfidenceBand;
  /** Only invoices received at least this many hours ago. */
  olderThanHours?: number;
  order?: 'newest' | 'oldest';
  limit?: number;
  cursor?: string;
}

const BANDS: Record<ConfidenceBand, [number, number]> = { low: [0, 0.7], medium: [0.7, 0.95], high: [0.95, 2] };

/** The where-clause of a filtered list (shared by the JSON list and the queue page). */
function filterClause(sql: Sql, opts: InvoiceFilter, prefix: 'i.' | '' = '') {
  const col = (name: string) => sql(`${prefix}${name}`);
  const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
  const asc = opts.order === 'oldest';
  const band = opts.band ? BANDS[opts.band] : undefined;
  const vendorPrefix = opts.vendor
    ?.trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (m) => `\\${m}`);
  return sql`
      ${opts.status?.length ? sql`and ${col('status')} in ${sql(opts.status)}` : sql``}
      ${vendorPrefix ? sql`and lower(${col('vendor_name')}) like ${`${vendorPrefix}%`}` : sql``}
      ${opts.poNumber ? sql`and ${col('po_number')} = ${opts.poNumber.trim()}` : sql``}
      ${opts.assignedTo ? sql`and ${col('assigned_to')} = ${opts.assignedTo}` : sql``}
      ${opts.waitingOnStep ? sql`and ${col('approval')} is not null` : sql``}
      ${band ? sql`and ${col('confidence')} >= ${band[0]} and ${col('confidence')} < ${band[1]}` : sql``}
      ${opts.olderThanHours ? sql`and ${col('created_at')} < now() - make_interval(hours => ${opts.olderThanHours})` : sql``}
      ${after ? (asc ? sql`and (${col('created_at')}, ${col('id')}) > (${after.createdAt}, ${after.id})` : sql`and (${col('created_at')}, ${col('id')}) < (${after.createdAt}, ${after.id})`) : sql``}`;
}

const pageOf = <R extends InvoiceRow>(rows: R[], limit: number): { rows: R[]; next?: string } => {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? encodeCursor(last) : undefined };
};

/** Keyset-paginated on (created_at, id) in either direction, so deep pages cost the same as the first. */
export async function listInvoices(sql: Sql, opts: InvoiceFilter = {}): Promise<InvoicePage> {
  const limit = Math.min(Math.max(opts.limit ?? 25, 1), 200);
  const asc = opts.order === 'oldest';
  const rows = await sql<RawInvoice[]>`
    select * from invoices
    where true ${filterClause(sql, opts)}
    order by ${asc ? sql`created_at asc, id asc` : sql`created_at desc, id desc`}
    limit ${limit + 1}`;
  return pageOf(rows.map(toInvoice), limit);
}

export interface QueueRow extends InvoiceRow {
  reasons: QueueReason[];
  /** The due date as extracted (YYYY-MM-DD), or null. */
  dueDate: string | null;
}

// A missing PO number has a chip of its own ("no PO") and makes the overall confidence 0: "low confidence"
// is then said only when a field that was read is weak too.
const READ_WITHOUT_PO = SYNC_FIELDS.filter((field) => field !== 'poNumbers');

/**
 * The queue page's rows: the filtered list plus, per invoice, why it waits and its due date. The reasons
 * mirror the workflow's review reasons (workflows/rules.ts) from what the read model stores: the match
 * (status, duplicate, placeholder amount, three-way check) and the extraction (confidence, due date).
 */
export async function listQueue(
  sql: Sql,
  opts: InvoiceFilter & { reason?: QueueReason; lowConfidenceBelow: number },
): Promise<{ rows: QueueRow[]; next?: string }> {
  const limit = Math.min(Math.max(opts.limit ?? 25, 1), 200);
  const asc = opts.order === 'oldest';
  const rows = await sql<(RawInvoice & { reasons: QueueReason[]; due_date: string | null })[]>`
    select * from (
      select i.*,
        e.extraction #>> '{fields,dueDate,value}' as due_date,
        array_remove(array[
          case when m.status = 'duplicate' or jsonb_typeof(m.result -> 'duplicateOf') = 'object' then 'duplicate' end,
          case when m.status in ('no_po_number', 'po_not_found') then 'no_po' end,
          case when m.status = 'no_placeholder' then 'no_placeholder' end,
          case when m.status = 'ambiguous' then 'ambiguous' end,
          case when i.total is not null and (m.result #>> '{placeholder,amount}') ~ '^-?[0-9]+([.][0-9]+)?$'
                 and abs(i.total::numeric - (m.result #>> '{placeholder,amount}')::numeric) >= 0.01 then 'amount_off' end,
          case when m.result #>> '{threeWay,status}' = 'mismatch' then 'lines_off' end,
          case when i.invoice_number is null and e.invoice_id is not null then 'no_invoice_number' end,
          case when i.confidence is not null and i.confidence < ${opts.lowConfidenceBelow}
                 and (e.extraction is null
                      or jsonb_typeof(e.extraction #> '{fields,poNumbers,value}') = 'array'
                      or (select min(coalesce((e.extraction #>> array['fields', f, 'confidence'])::real, 0))
                            from unnest(${READ_WITHOUT_PO}::text[]) f) < ${opts.lowConfidenceBelow})
               then 'low_confidence' end,
          case when m.status = 'lookup_failed' then 'plex_unreachable' end
        ]::text[], null) as reasons
      from invoices i
      left join matches m on m.invoice_id = i.id
      left join extractions e on e.invoice_id = i.id
      where true ${filterClause(sql, opts, 'i.')}
    ) q
    where ${opts.reason ? sql`${opts.reason} = any(reasons)` : sql`true`}
    order by ${asc ? sql`created_at asc, id asc` : sql`created_at desc, id desc`}
    limit ${limit + 1}`;
  return pageOf(
    rows.map((r) => ({ ...toInvoice(r), reasons: r.reasons, dueDate: r.due_date })),
    limit,
  );
}

export async function countByStatus(sql: Sql): Promise<Record<string, number>> {
  const rows = await sql<
    { status: string; n: string }[]
  >`select status, count(*)::text as n from invoices group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function saveExtraction(sql: Sql, invoiceId: string, extraction: Extraction): Promise<void> {
  await sql`
    insert into extractions (invoice_id, extractor, confidence, extraction)
    values (${invoiceId}, ${extraction.extractor}, ${extraction.confidence}, ${sql.json(extraction)})
    on conflict (invoice_id) do update set
      extractor = excluded.extractor, confidence = excluded.confidence,
      extraction = excluded.extraction, updated_at = now()`;
}

/** The stored extraction of an invoice, or null when parsing has not stored one (or it no longer parses). */
export async function getExtraction(sql: Sql, invoiceId: string): Promise<Extraction | null> {
  const [row] = await sql<
    { extraction: unknown }[]
  >`select extraction from extractions where invoice_id = ${invoiceId}`;
  const parsed = row ? Extraction.safeParse(row.extraction) : null;
  return parsed?.success ? parsed.data : null;
}

export async function saveMatch(sql: Sql, invoiceId: string, match: MatchResult): Promise<void> {
  await sql`
    insert into matches (invoice_id, status, score, po_id, placeholder_id, result)
    values (${invoiceId}, ${match.status}, ${match.score}, ${match.purchaseOrder?.id ?? null},
            ${match.placeholder?.id ?? null}, ${sql.json(match)})
    on conflict (invoice_id) do update set
      status = excluded.status, score = excluded.score, po_id = excluded.po_id,
      placeholder_id = excluded.placeholder_id, result = excluded.result, updated_at = now()`;
}

export interface ReviewDecisionRow {
  id: string;
  invoiceId: string;
  action: 'approve' | 'reject' | 'send_back' | 'auto_approve' | 'hold';
  actor: string;
  reason: string | null;
  corrections: Record<string, string>;
  /** Where the clerk picked corrected values on the document (domain/extraction.ts PickedBox), by correction key. */
  provenance?: Record<string, { page: number; box: { x: number; y: number; width: number; height: number } }> | null;
}

export async function saveReviewDecision(sql: Sql, d: ReviewDecisionRow): Promise<void> {
  await sql`
    insert into review_decisions (id, invoice_id, action, actor, reason, corrections, provenance)
    values (${d.id}, ${d.invoiceId}, ${d.action}, ${d.actor}, ${d.reason}, ${sql.json(d.corrections)}, ${d.provenance ? sql.json(d.provenance) : null})
    on conflict (id) do nothing`;
}

export interface SyncOperationRow extends SyncAttempt {
  outcome: 'written' | 'already_applied' | 'failed';
  request: unknown;
  response: unknown;
  error: string | null;
  errorType: string | null;
}

export async function saveSyncOperation(sql: Sql, op: SyncOperationRow): Promise<void> {
  await sql`
    insert into sync_operations (id, invoice_id, round, attempt, placeholder_id, invoice_number, outcome,
                                 request, response, error, error_type, started_at)
    values (${op.id}, ${op.invoiceId}, ${op.round}, ${op.attempt}, ${op.placeholderId}, ${op.invoiceNumber},
            ${op.outcome}, ${sql.json(op.request ?? null)}, ${sql.json(op.response ?? null)},
            ${op.error}, ${op.errorType}, ${op.startedAt})
    on conflict (id) do update set outcome = excluded.outcome, response = excluded.response,
      error = excluded.error, error_type = excluded.error_type, finished_at = now()`;
}

export async function listSyncOperations(sql: Sql, invoiceId: string) {
  return sql<
    {
      id: string;
      round: number;
      attempt: number;
      outcome: string;
      error: string | null;
      error_type: string | null;
      request: unknown;
      response: unknown;
      started_at: Date;
      finished_at: Date;
    }[]
  >`select id, round, attempt, outcome, error, error_type, request, response, started_at, finished_at
    from sync_operations where invoice_id = ${invoiceId} order by started_at, attempt`;
}

interface RawInvoice {
  id: string;
  document_sha256: string;
  file_name: string;
  status: InvoiceStatus;
  uploaded_by: string;
  vendor_name: string | null;
  invoice_number: string | null;
  po_number: string | null;
  currency: string | null;
  total: string | null;
  invoice_date: Date | null;
  confidence: number | null;
  auto_approved: boolean | null;
  escalated_at: Date | null;
  synced_at: Date | null;
  last_error: string | null;
  assigned_to: string | null;
  workflow_started_at: Date | null;
  approval?: WaitingStep | null;
  created_at: Date;
  updated_at: Date;
}

function toInvoice(r: RawInvoice): InvoiceRow {
  return {
    id: r.id,
    documentSha256: r.document_sha256,
    fileName: r.file_name,
    status: r.status,
    uploadedBy: r.uploaded_by,
    vendorName: r.vendor_name,
    invoiceNumber: r.invoice_number,
    poNumber: r.po_number,
    currency: r.currency,
    total: r.total,
    invoiceDate: r.invoice_date ? r.invoice_date.toISOString().slice(0, 10) : null,
    confidence: r.confidence,
    autoApproved: r.auto_approved,
    escalatedAt: r.escalated_at,
    syncedAt: r.synced_at,
    lastError: r.last_error,
    assignedTo: r.assigned_to,
    workflowStartedAt: r.workflow_started_at,
    approval: r.approval ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function encodeCursor(row: InvoiceRow): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } | undefined {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) return undefined;
    return { createdAt: date, id };
  } catch {
    return undefined;
  }
}

const REVIEW_STATUSES = ['awaiting_review', 'escalated'] as const;
const oldestFirst = (a: { id: string; created_at: Date }, b: { id: string; created_at: Date }) =>
  a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1);

/**
 * The invoices waiting for review just before and after this one (oldest first), for keyboard review.
 * One index range per status, merged here: `status in (…) order by created_at` would sort every waiting row.
 */
export async function reviewNeighbours(sql: Sql, id: string): Promise<{ prev?: string; next?: string }> {
  const [me] = await sql<{ created_at: Date }[]>`select created_at from invoices where id = ${id}`;
  if (!me) return {};
  const side = async (dir: 'prev' | 'next') => {
    const rows = await Promise.all(
      REVIEW_STATUSES.map((status) =>
        dir === 'prev'
          ? sql<{ id: string; created_at: Date }[]>`select id, created_at from invoices where status = ${status}
          and (created_at, id) < (${me.created_at}, ${id}) order by created_at desc, id desc limit 1`
          : sql<{ id: string; created_at: Date }[]>`select id, created_at from invoices where status = ${status}
          and (created_at, id) > (${me.created_at}, ${id}) order by created_at asc, id asc limit 1`,
      ),
    );
    const found = rows.flat().sort(oldestFirst);
    return dir === 'prev' ? found.at(-1)?.id : found[0]?.id;
  };
  const [prev, next] = await Promise.all([side('prev'), side('next')]);
  return { prev, next };
}

/** The oldest invoice waiting for review other than `exceptId`. */
export async function nextForReview(sql: Sql, exceptId?: string): Promise<string | undefined> {
  const rows = await Promise.all(
    REVIEW_STATUSES.map(
      (status) => sql<{ id: string; created_at: Date }[]>`
    select id, created_at from invoices where status = ${status} and id <> ${exceptId ?? ''}
    order by created_at asc, id asc limit 1`,
    ),
  );
  return rows.flat().sort(oldestFirst)[0]?.id;
}

/**
 * Counts per status for the queue tabs, computed at most once per `ttlMs` (a full count of 100k rows
 * costs tens of milliseconds; the tabs do not need to be exact to the second).
 */
export function cachedStatusCounts(sql: Sql, ttlMs = 5_000): () => Promise<Record<string, number>> {
  let cached: { at: number; counts: Promise<Record<string, number>> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > ttlMs) {
      const counts = countByStatus(sql);
      cached = { at: now, counts };
      counts.catch(() => {
        cached = undefined;
      });
    }
    return cached.counts;
  };
}

export interface FailedSyncSummary {
  invoiceId: string;
  attempts: number;
  lastResponse: unknown;
  lastErrorType: string | null;
}

/** Attempts and the last Plex response per failed invoice, for the failed-syncs page. */
export async function failedSyncSummaries(sql: Sql, invoiceIds: string[]): Promise<Map<string, FailedSyncSummary>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await sql<{ invoice_id: string; attempts: number; response: unknown; error_type: string | null }[]>`
    select distinct on (invoice_id) invoice_id, count(*) over (partition by invoice_id)::int as attempts, response, error_type
    from sync_operations where invoice_id in ${sql(invoiceIds)}
    order by invoice_id, started_at desc, attempt desc`;
  return new Map(
    rows.map((r) => [
      r.invoice_id,
      { invoiceId: r.invoice_id, attempts: r.attempts, lastResponse: r.response, lastErrorType: r.error_type },
    ]),
  );
}

/**
 * Assign an invoice to a user (or release it with null). Returns who had it before (null: nobody), or
 * undefined when there is no such invoice.
 */
export async function assignInvoice(
  sql: Sql,
  id: string,
  assignee: string | null,
): Promise<{ previous: string | null } | undefined> {
  const [row] = await sql<{ previous: string | null }[]>`
    update invoices i set assigned_to = ${assignee}, updated_at = now()
    from (select id, assigned_to as previous from invoices where id = ${id} for update) p
    where i.id = p.id
    returning p.previous`;
  return row ? { previous: row.previous } : undefined;
}
