// The dashboard's figures for invoices uploaded in a range of UTC days: what db/analytics.ts computes and
// views/dashboard.tsx shows.

/** Inclusive range of UTC calendar days, as YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

export interface DashboardStats {
  /** Every day of the range, zero-filled. */
  perDay: { day: string; invoices: number }[];
  invoices: number;
  autoApproved: number;
  cycle: { synced: number; medianSeconds: number | null; p90Seconds: number | null };
  failures: { reason: string; invoices: number }[];
  vendors: { vendor: string; invoices: number }[];
  /** Sums stay decimal strings (numeric), one row per currency: amounts in different currencies are not added. */
  syncedAmounts: { currency: string; amount: string; invoices: number }[];
}
