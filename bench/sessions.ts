// A session looked up by many requests at once, on a PostgreSQL that syncs its WAL as production does (the
// tests' servers do not): touchSession, which writes the session's row at most once in
// TOUCH_SECONDS, against the baseline of a write on every request (what it did before), in the
// same run, alternating. 50 concurrent callers share one session, as one user's page, its live refreshes
// and its htmx requests do. Prints lookups/s, p50 and p99 and the ratio.
// Usage: npm run bench:sessions -- [seconds=5] [callers=50]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { createSession, sha256Hex, touchSession } from '../db/users.js';
import { startPostgres } from '../scripts/lib/postgres.js';

const SECONDS = Number(process.argv[2] ?? 5);
const CALLERS = Number(process.argv[3] ?? 50);

const dir = mkdtempSync(join(tmpdir(), 'plexsync-bench-sessions-'));
const pg = await startPostgres({ dataDir: dir });
const sql = createSql(pg.url, { max: 10 });
try {
  await migrate(sql);
  const [user] = await sql<{ id: string }[]>`
    insert into users (email, display_name, password_hash, role) values ('bench@acme.test', 'Bench', 'x', 'clerk')
    returning id::text`;
  const session = await createSession(sql, user!.id, 60);
  /** The baseline: the lookup as one statement that slides the expiry on every request. */
  const writeEveryTime = async (id: string) =>
    (
      await sql`
        update sessions s set last_seen_at = now(), expires_at = now() + make_interval(mins => 60)
        from users u
        where s.id_hash = ${sha256Hex(id)} and s.expires_at > now() and u.id = s.user_id and not u.disabled
        returning u.*, s.csrf_token`
    )[0];
  const touch = (id: string) => touchSession(sql, id, 60);

  async function run(lookup: (id: string) => Promise<unknown>) {
    const latencies: number[] = [];
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        while (Date.now() < end) {
          const t = performance.now();
          if (!(await lookup(session.id))) throw new Error('the session was not found');
          latencies.push(performance.now() - t);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!;
    return { perSecond: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99) };
  }

  console.log(`${CALLERS} callers, one session, ${SECONDS} s each, PostgreSQL with fsync on\n`);
  console.log(
    `${'lookup'.padEnd(40)} ${'per s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'vs baseline'.padStart(12)}`,
  );
  for (let round = 0; round < 2; round++) {
    const base = await run(writeEveryTime);
    const now = await run(touch);
    const line = (name: string, r: typeof base) =>
      console.log(
        `${name.padEnd(40)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${(r.perSecond / base.perSecond).toFixed(2).padStart(12)}`,
      );
    line('baseline: a write on every request', base);
    line('touchSession: a write once in 30 s', now);
  }
} finally {
  await sql.end();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
