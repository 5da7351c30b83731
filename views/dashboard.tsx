// The dashboard: headline figures and charts for invoices uploaded in a date range (UTC days).
import type { DashboardStats, DayRange } from '../domain/dashboard.js';
import { BarChart, ColumnChart } from './charts.js';
import { Layout, type PageContext } from './layout.js';

/** 95 s → "2 min", 11 000 s → "3 h 3 min", 200 000 s → "2 d 7 h" (two units at most). */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  const parts = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor((minutes % 1440) / 60), 'h'],
    [minutes % 60, 'min'],
  ] as const;
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

/** "12345.60" → "12,345.60", on the decimal string (sums are never turned into floats). */
const groupThousands = (amount: string) =>
  amount.replace(/^(-?\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ','));
const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function DashboardPage(props: { ctx: PageContext; range: DayRange; stats: DashboardStats }) {
  const { ctx, range, stats } = props;
  const busiest = stats.perDay.reduce(
    (a, b) => (b.invoices > a.invoices ? b : a),
    stats.perDay[0] ?? { day: range.from, invoices: 0 },
  );
  return (
    <Layout title="Dashboard" ctx={ctx}>
      <h1>Dashboard</h1>
      <form method="get" action="/dashboard" class="range" aria-label="Date range">
        <label>
          From <input type="date" name="from" value={range.from} required />
        </label>
        <label>
          To <input type="date" name="to" value={range.to} required />
        </label>
        <button type="submit">Show</button>
      </form>
      <p class="meta">
        Invoices uploaded from {range.from} to {range.to} (UTC days, both included).
      </p>

      <dl class="stats">
        <div>
          <dt>Invoices uploaded</dt>
          <dd id="stat-invoices">{stats.invoices}</dd>
        </div>
        <div>
          <dt>Touchless (auto-approved)</dt>
          <dd id="stat-touchless">{percent(stats.autoApproved, stats.invoices)}</dd>
          <dd class="meta">
            {stats.autoApproved} of {stats.invoices}
          </dd>
        </div>
        <div>
          <dt>Synced to Plex</dt>
          <dd id="stat-synced">{stats.cycle.synced}</dd>
        </div>
        <div>
          <dt>Median upload → synced</dt>
          <dd id="stat-median">{formatDuration(stats.cycle.medianSeconds)}</dd>
        </div>
        <div>
          <dt>90th percentile upload → synced</dt>
          <dd id="stat-p90">{formatDuration(stats.cycle.p90Seconds)}</dd>
        </div>
      </dl>

      <ColumnChart
        id="chart-per-day"
        title="Invoices uploaded per day"
        description={`${plural(stats.invoices, 'invoice')} over ${plural(stats.perDay.length, 'day')}; the busiest day was ${busiest.day} with ${busiest.invoices}.`}
        data={stats.perDay.map((d) => ({ label: d.day, value: d.invoices }))}
        columns={['Day', 'Invoices']}
      />

      <div class="columns">
        <section aria-labelledby="failures-h">
          <h2 id="failures-h">Failed syncs by reason</h2>
          {stats.failures.length === 0 ? (
            <p id="no-failures">No failed syncs among these invoices.</p>
          ) : (
            <BarChart
              id="chart-failures"
              title="Invoices parked in sync failed, by last Plex error"
              description={stats.failures.map((f) => `${f.reason}: ${f.invoices}`).join('; ')}
              data={stats.failures.map((f) => ({ label: f.reason, value: f.invoices }))}
              columns={['Reason', 'Invoices']}
            />
          )}
        </section>
        <section aria-labelledby="vendors-h">
          <h2 id="vendors-h">Top vendors</h2>
          {stats.vendors.length === 0 ? (
            <p>No invoices in this range.</p>
          ) : (
            <BarChart
              id="chart-vendors"
              title="Invoices per vendor (top 10)"
              description={stats.vendors.map((v) => `${v.vendor}: ${v.invoices}`).join('; ')}
              data={stats.vendors.map((v) => ({ label: v.vendor, value: v.invoices }))}
              columns={['Vendor', 'Invoices']}
            />
          )}
        </section>
      </div>

      <section aria-labelledby="amounts-h">
        <h2 id="amounts-h">Amounts synced per currency</h2>
        <p class="meta">One row per currency: amounts in different currencies are never added up.</p>
        <table id="synced-amounts">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col" class="num">
                Invoices
              </th>
              <th scope="col" class="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.syncedAmounts.length === 0 && (
              <tr>
                <td colspan={3}>Nothing synced in this range.</td>
              </tr>
            )}
            {stats.syncedAmounts.map((a) => (
              <tr>
                <th scope="row">{a.currency}</th>
                <td class="num">{a.invoices}</td>
                <td class="num">{groupThousands(a.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}
