// One postgres.js instance per process, created here and passed down.
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;

export function createSql(url: string, opts: { max?: number; onnotice?: (n: unknown) => void } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 15,
    onnotice: opts.onnotice ?? (() => {}),
    // Parameters typed by their JavaScript type (a Date as timestamptz, a Buffer as bytea), as the queries
    // were written for; postgres.js 4 otherwise leaves the type to the server.
    infer: true,
    // numeric stays a string (postgres.js default): money is parsed deliberately, never via Number().
  });
}
