-- Run-time settings admins change on the Settings page (db/settings.ts). One row at most. A null column
-- means "not set here": the value then comes from the environment (config/index.ts) or the built-in
-- default, so an untouched setting follows the deployment's configuration.
create table settings (
  singleton               boolean primary key default true check (singleton),
  -- 0..1; above 1 turns auto-approval off
  auto_approve_threshold  double precision check (auto_approve_threshold between 0 and 1.01),
  -- review SLA before an invoice is escalated, e.g. 30m, 24h, 2d
  escalate_after          text check (escalate_after ~ '^\d+(ms|s|m|h|d)$'),
  -- match tolerances in percent (matching/settings.ts takes them as fractions)
  amount_tolerance_pct    double precision check (amount_tolerance_pct between 0 and 100),
  quantity_tolerance_pct  double precision check (quantity_tolerance_pct between 0 and 100),
  price_tolerance_pct     double precision check (price_tolerance_pct between 0 and 100),
  -- a PO found without a PO number must be dated within this window around the invoice date
  date_window_days_before integer check (date_window_days_before between 0 and 3650),
  date_window_days_after  integer check (date_window_days_after between 0 and 3650),
  updated_by              text not null,
  updated_at              timestamptz not null default now()
);

-- The dashboard (db/analytics.ts) needs no new index: it filters invoices by upload time
-- (invoices_created_idx) and, for synced amounts and failed syncs, by status within that time range
-- (invoices_status_created_idx).
