// Counters behind login throttling (api/auth/login-throttle.ts): failures per key within a window, and
// until when a key is held back. Times come from the caller's clock, so throttling is testable.
import type { Sql } from './client.js';

/** The latest moment any of `keys` is held back until, if one is held back at `now`. */
export async function blockedUntil(sql: Sql, keys: string[], now: Date): Promise<Date | undefined> {
  const [row] = await sql<{ until: Date | null }[]>`
    select max(blocked_until) as until from login_throttle where key = any(${keys}) and blocked_until > ${now}`;
  return row?.until ?? undefined;
}

/** Count one failure on `key` (restarting the count when the last one is older than `windowMs`); returns
 * the count, for the caller to work out the delay. */
export async function countFailure(sql: Sql, key: string, now: Date, windowMs: number): Promise<number> {
  const windowStart = new Date(now.getTime() - windowMs);
  const [row] = await sql<{ failures: number }[]>`
    insert into login_throttle (key, failures, last_failure_at) values (${key}, 1, ${now})
    on conflict (key) do update set
      failures = case when login_throttle.last_failure_at < ${windowStart} then 1 else login_throttle.failures + 1 end,
      last_failure_at = ${now}
    returning failures`;
  return row!.failures;
}

export async function holdBack(sql: Sql, key: string, until: Date): Promise<void> {
  await sql`update login_throttle set blocked_until = greatest(blocked_until, ${until}) where key = ${key}`;
}

export async function forget(sql: Sql, key: string): Promise<void> {
  await sql`delete from login_throttle where key = ${key}`;
}

/** Drop counters nobody has failed on for `windowMs` and that hold nobody back. */
export async function pruneThrottle(sql: Sql, now: Date, windowMs: number): Promise<void> {
  await sql`
    delete from login_throttle
    where last_failure_at < ${new Date(now.getTime() - windowMs)} and (blocked_until is null or blocked_until < ${now})`;
}
