// The fence around Plex writes (migration 013): a PUT is recorded before it goes out, with its body and
// the time until which it could still land if its answer is lost; a later attempt reads both back.
import type { Sql } from './client.js';

/** One attempt of an invoice's sync: what its sync_operations row is keyed and started with. */
export interface SyncAttempt {
  id: string;
  invoiceId: string;
  round: number;
  attempt: number;
  placeholderId: string;
  invoiceNumber: string;
  startedAt: Date;
}

export interface WriteIntent extends SyncAttempt {
  body: Record<string, unknown>;
  sentAt: Date;
  mayLandUntil: Date;
  /** The attempt's calls so far (the PUT included), as the sync_operations request column stores them. */
  request: unknown;
}

/** Saved before the PUT is sent: a worker that dies mid-write still leaves the fence behind. */
export async function recordWriteIntent(sql: Sql, w: WriteIntent): Promise<void> {
  await sql`
    insert into sync_operations (id, invoice_id, round, attempt, placeholder_id, invoice_number, outcome, request,
                                 started_at, write_body, write_sent_at, write_may_land_until)
    values (${w.id}, ${w.invoiceId}, ${w.round}, ${w.attempt}, ${w.placeholderId}, ${w.invoiceNumber}, 'writing',
            ${sql.json(w.request as never)}, ${w.startedAt}, ${sql.json(w.body)}, ${w.sentAt}, ${w.mayLandUntil})
    on conflict (id) do update set outcome = 'writing', request = excluded.request, write_body = excluded.write_body,
      write_sent_at = excluded.write_sent_at, write_may_land_until = excluded.write_may_land_until`;
}

/** Plex answered the PUT (2xx or 4xx): it cannot land later any more. */
export async function settleWrite(sql: Sql, id: string): Promise<void> {
  await sql`update sync_operations set write_may_land_until = null where id = ${id}`;
}

export interface EarlierWrites {
  /** The latest time an earlier unanswered PUT to this placeholder could still land; null when none. */
  mayLandUntil: Date | null;
  /**
   * The body of the latest earlier PUT to this placeholder in the same round (what that attempt's read saw,
   * plus our number). A replay is a new round a person asked for after seeing why the last one stopped, so
   * it compares with nothing older; the time fence above still spans every round.
   */
  lastBody: Record<string, unknown> | null;
}

export async function earlierWrites(
  sql: Sql,
  invoiceId: string,
  placeholderId: string,
  exceptId: string,
  round: number,
): Promise<EarlierWrites> {
  const [row] = await sql<{ may_land_until: Date | null; last_body: Record<string, unknown> | null }[]>`
    select max(write_may_land_until) as may_land_until,
           (array_agg(write_body order by write_sent_at desc) filter (where write_body is not null and round = ${round}))[1] as last_body
    from sync_operations
    where invoice_id = ${invoiceId} and placeholder_id = ${placeholderId} and id <> ${exceptId}`;
  return { mayLandUntil: row?.may_land_until ?? null, lastBody: row?.last_body ?? null };
}
