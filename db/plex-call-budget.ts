// One Plex call budget across worker processes: a rolling window of call starts in PostgreSQL, taken
// under an advisory lock, so N workers sharing a Plex key together start at most `max` calls per window
// (a per-process limiter would let each of them spend the whole budget).
import type { Sql } from './client.js';

export interface SharedCallBudget {
  /** Resolves when this process may start one Plex call (the start is recorded). */
  acquire(): Promise<void>;
}

export function createSharedCallBudget(
  sql: Sql,
  opts: {
    /** Budget name: one per Plex key. */
    name: string;
    max: number;
    windowMs: number;
    /**
     * Added to the window: a call is recorded before its request reaches Plex, which counts it from
     * arrival, so a slot is given back a little later than Plex gives it back. Default 1 000.
     */
    marginMs?: number;
    sleep?: (ms: number) => Promise<void>;
  },
): SharedCallBudget {
  if (!(opts.max >= 1) || !(opts.windowMs > 0))
    throw new RangeError('the shared Plex call budget needs max >= 1 and windowMs > 0');
  const windowMs = opts.windowMs + (opts.marginMs ?? 1_000);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const lockKey = `plex-call-budget:${opts.name}`;

  /** 0 when a start was recorded, else how long until the oldest start leaves the window. */
  async function tryStart(): Promise<number> {
    return sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${lockKey}))`;
      await tx`delete from plex_call_starts where budget = ${opts.name} and started_at <= clock_timestamp() - ${windowMs} * interval '1 millisecond'`;
      const [row] = await tx<{ count: number; waitMs: number | null }[]>`
        select count(*)::int as count,
               (extract(epoch from (min(started_at) + ${windowMs} * interval '1 millisecond' - clock_timestamp())) * 1000)::float8 as "waitMs"
        from plex_call_starts where budget = ${opts.name}`;
      if ((row?.count ?? 0) < opts.max) {
        await tx`insert into plex_call_starts (budget) values (${opts.name})`;
        return 0;
      }
      return Math.max(1, Math.ceil(row?.waitMs ?? 1));
    });
  }

  return {
    async acquire() {
      for (;;) {
        const waitMs = await tryStart();
        if (waitMs === 0) return;
        await sleep(Math.min(waitMs, 1_000));
      }
    },
  };
}
