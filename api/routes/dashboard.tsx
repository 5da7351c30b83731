// The dashboard page (clerk and up): a validated date range (default: the last 30 UTC days) → db/analytics.
import { Hono } from 'hono';
import { z } from 'zod';
import { dashboardStats } from '../../db/analytics.js';
import type { DayRange } from '../../domain/dashboard.js';
import { DashboardPage } from '../../views/dashboard.js';
import { requirePermission } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { pageContext } from '../view-models.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

const Day = z.iso.date({ error: 'Dates must look like 2026-03-31.' });
const RangeQuery = z
  .object({ from: Day.optional(), to: Day.optional() })
  .transform(({ from, to }): DayRange => {
    const end = to ?? isoDay(from ? Math.min(Date.parse(from) + 29 * DAY_MS, Date.now()) : Date.now());
    return { from: from ?? isoDay(Date.parse(end) - 29 * DAY_MS), to: end };
  })
  .refine((r) => r.from <= r.to, 'The start date is after the end date.')
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / DAY_MS < MAX_DAYS, `Choose at most ${MAX_DAYS} days.`);

export function dashboardRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/dashboard', requirePermission('invoices:read'), async (c) => {
    const query = { from: c.req.query('from') || undefined, to: c.req.query('to') || undefined };
    const parsed = RangeQuery.safeParse(query);
    const range = parsed.success ? parsed.data : RangeQuery.parse({});
    const flash = parsed.success
      ? undefined
      : {
          kind: 'error' as const,
          text: `${parsed.error.issues.map((i) => i.message).join(' ')} Showing the last 30 days.`,
        };
    const stats = await dashboardStats(c.var.deps.sql, range);
    return c.html(
      <DashboardPage ctx={pageContext(c, flash)} range={range} stats={stats} />,
      parsed.success ? 200 : 400,
    );
  });

  return app;
}
