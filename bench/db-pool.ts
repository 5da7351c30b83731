// The database pool under sustained load, in one run: 50 callers share the project's pool (db/client.ts,
// 10 connections), one in ten of them in short transactions, for several rounds on the same pool. Prints
// the queries per second of each round against the first (a pool whose bookkeeping grows with the queries
// it has served falls behind round after round: with postgres.js 3.4.9 this bench printed 29,274, 18,175,
// 14,636 and 11,937), and one caller's query time before and after the load.
// Usage: npm run bench:db-pool -- [rounds=4] [seconds=3]
import { createSql } from '../db/client.js';
import { getTestServices, stopOwnedServices } from '../testkit/services.js';

const ROUNDS = Number(process.argv[2] ?? 4);
const SECONDS = Number(process.argv[3] ?? 3);
const CALLERS = 50;

const sql = createSql((await getTestServices()).databaseAdminUrl);
try {
  await sql`select 1`;
  const oneCaller = async () => {
    const startedAt = performance.now();
    for (let i = 0; i < 500; i++) await sql`select ${i}::int as n`;
    return (performance.now() - startedAt) / 500;
  };
  const before = await oneCaller();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let queries = 0;
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CALLERS }, async (_, caller) => {
        while (performance.now() < end) {
          if (caller % 10 === 0) await sql.begin(async (tx) => tx`select ${caller}::int as n`);
          else await sql`select ${caller}::int as n`;
          queries++;
        }
      }),
    );
    rates.push(queries / SECONDS);
  }
  const after = await oneCaller();
  console.log(`${CALLERS} callers on one pool of 10 connections, ${ROUNDS} rounds of ${SECONDS} s\n`);
  console.log(`${'round'.padEnd(8)} ${'queries/s'.padStart(10)} ${'vs round 1'.padStart(11)}`);
  rates.forEach((rate, i) =>
    console.log(
      `${String(i + 1).padEnd(8)} ${rate.toFixed(0).padStart(10)} ${(rate / rates[0]!).toFixed(2).padStart(11)}`,
    ),
  );
  console.log(
    `\none caller, one query at a time: ${before.toFixed(3)} ms before the load, ${after.toFixed(3)} ms after (ratio ${(after / before).toFixed(2)})`,
  );
} finally {
  await sql.end({ timeout: 5 });
  await stopOwnedServices();
}
