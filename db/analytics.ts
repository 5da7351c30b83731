// Dashboard figures over the invoices read model, for invoices uploaded in a range of UTC days:
// volume per day, touchless rate, cycle time upload → synced, failed syncs by reason, top vendors and
// synced amounts per currency.
import type { DashboardStats, DayRange } from '../domain/dashboard.js';
import type { Sql } from './client.js';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const WHITESPACE = '\\s+';
const TOP = 10;

export async function dashboardStats(sql: Sql, range: DayRange): Promise<DashboardStats> {
  // Half-open [from 00:00 UTC, the day after `to` 00:00 UTC): index-friendly on invoices.created_at.
  const inRange = sql`created_at >= (${range.from}::date)::timestamp at time zone 'UTC'
    and created_at < (${range.to}::date + 1)::timestamp at time zone 'UTC'`;

  const [perDay, [totals], failures, vendors, amounts] = await Promise.all([
    sql<{ day: string; n: number }[]>`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n
      from invoices where ${inRange} group by 1`,
    sql<{ invoices: number; auto_approved: number; synced: number; median: number | null; p90: number | null }[]>`
      select count(*)::int as invoices,
             count(*) filter (where auto_approved)::int as auto_approved,
             count(synced_at)::int as synced,
             percentile_cont(0.5) within group (order by extract(epoch from synced_at - created_at)::float8)
               filter (where synced_at is not null) as median,
             percentile_cont(0.9) within group (order by extract(epoch from synced_at - created_at)::float8)
               filter (where synced_at is not null) as p90
      from invoices where ${inRange}`,
    // Reasons are grouped after trimming: whitespace collapsed, record ids (UUIDs) masked, long text cut.
    sql<{ reason: string; n: number }[]>`
      select reason, count(*)::int as n from (
        select left(btrim(regexp_replace(regexp_replace(coalesce(last_error, ''), ${WHITESPACE}, ' ', 'g'), ${UUID}, '…', 'g')), 160) as reason
        from invoices where status = 'sync_failed' and ${inRange}) failed
      group by reason order by n desc, reason limit ${TOP}`,
    sql<{ vendor: string; n: number }[]>`
      select coalesce(nullif(btrim(vendor_name), ''), '(not read)') as vendor, count(*)::int as n
      from invoices where ${inRange} group by 1 order by n desc, vendor limit ${TOP}`,
    sql<{ currency: string; amount: string | null; n: number }[]>`
      select coalesce(nullif(btrim(currency), ''), '(unknown)') as currency, sum(total)::text as amount, count(*)::int as n
      from invoices where status = 'synced' and ${inRange} group by 1 order by 1`,
  ]);

  const counts = new Map(perDay.map((r) => [r.day, r.n]));
  return {
    perDay: daysOf(range).map((day) => ({ day, invoices: counts.get(day) ?? 0 })),
    invoices: totals!.invoices,
    autoApproved: totals!.auto_approved,
    cycle: { synced: totals!.synced, medianSeconds: totals!.median, p90Seconds: totals!.p90 },
    failures: failures.map((r) => ({ reason: r.reason || '(no reason recorded)', invoices: r.n })),
    vendors: vendors.map((r) => ({ vendor: r.vendor, invoices: r.n })),
    syncedAmounts: amounts.map((r) => ({ currency: r.currency, amount: r.amount ?? '0.00', invoices: r.n })),
  };
}

/** Every UTC day from `from` to `to`, inclusive. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  const end = Date.parse(`${range.to}T00:00:00Z`);
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= end; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
