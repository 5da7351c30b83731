// The hash-chained audit log: append (idempotent by event key) and verify.
import { createHash } from 'node:crypto';
import type { Sql } from './client.js';

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK_ID = 4_242_002;

export interface AuditEvent {
  /** Natural key of the event (e.g. `inv-…:decision:<update id>`): appending it twice stores it once. */
  eventKey: string;
  invoiceId: string | null;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
}

export interface AuditRow extends AuditEvent {
  seq: string;
  createdAt: Date;
  prevHash: string;
  hash: string;
}

/** Stable JSON: object keys sorted, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(prevHash: string, e: AuditEvent & { createdAt: Date }): string {
  const body = canonicalJson({
    eventKey: e.eventKey,
    invoiceId: e.invoiceId,
    kind: e.kind,
    actor: e.actor,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/** Append an event to the chain; returns the stored row (the existing one if the key was seen before). */
export async function appendAudit(sql: Sql, event: AuditEvent, now = new Date()): Promise<AuditRow> {
  return sql.begin(async (tx) => {
    const existing = await selectByKey(tx as unknown as Sql, event.eventKey);
    if (existing) return existing;
    // Appends are serialised so every row links to the one before it.
    await tx`select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`;
    const again = await selectByKey(tx as unknown as Sql, event.eventKey);
    if (again) return again;
    const [last] = await tx<{ hash: string }[]>`select hash from audit_log order by seq desc limit 1`;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const createdAt = new Date(Math.floor(now.getTime()));
    const hash = auditHash(prevHash, { ...event, createdAt });
    const [row] = await tx<RawRow[]>`
      insert into audit_log (event_key, invoice_id, kind, actor, data, created_at, prev_hash, hash)
      values (${event.eventKey}, ${event.invoiceId}, ${event.kind}, ${event.actor},
              ${tx.json(event.data)}, ${createdAt}, ${prevHash}, ${hash})
      returning *`;
    return toRow(row!);
  });
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first row whose hash or link does not match, with why. */
  firstBad?: { seq: string; reason: string };
}

/** Walk the whole chain in order and recompute every hash. */
export async function verifyAuditChain(sql: Sql): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  const cursor = sql<RawRow[]>`select * from audit_log order by seq`.cursor(500);
  for await (const rows of cursor) {
    for (const raw of rows) {
      const row = toRow(raw);
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          checked,
          firstBad: {
            seq: row.seq,
            reason: 'link to the previous entry is broken (an entry was removed or reordered)',
          },
        };
      }
      if (auditHash(prevHash, row) !== row.hash) {
        return {
          ok: false,
          checked,
          firstBad: { seq: row.seq, reason: 'content does not match its hash (the entry was edited)' },
        };
      }
      prevHash = row.hash;
      checked++;
    }
  }
  return { ok: true, checked };
}

export async function auditForInvoice(sql: Sql, invoiceId: string): Promise<AuditRow[]> {
  const rows = await sql<RawRow[]>`select * from audit_log where invoice_id = ${invoiceId} order by seq`;
  return rows.map(toRow);
}

interface RawRow {
  seq: string;
  event_key: string;
  invoice_id: string | null;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
  created_at: Date;
  prev_hash: string;
  hash: string;
}

async function selectByKey(sql: Sql, eventKey: string): Promise<AuditRow | undefined> {
  const [row] = await sql<RawRow[]>`select * from audit_log where event_key = ${eventKey}`;
  return row ? toRow(row) : undefined;
}

function toRow(r: RawRow): AuditRow {
  return {
    seq: String(r.seq),
    eventKey: r.event_key,
    invoiceId: r.invoice_id,
    kind: r.kind,
    actor: r.actor,
    data: r.data,
    createdAt: r.created_at,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
