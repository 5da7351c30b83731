// Run-time settings (the one row of `settings`): auto-approve threshold, review SLA and match tolerances.
// Unset values fall back to config (the environment and its defaults); readers use getEffectiveSettings,
// the Settings page reads and writes the stored values.
import { z } from 'zod';
import type { Config } from '../config/index.js';
import type { MatchingSettings } from '../matching/settings.js';
import type { Sql } from './client.js';

import { DURATION, durationMs } from '../domain/duration.js';

export { durationMs };

const percentage = (label: string) =>
  z
    .number({ error: `${label} must be a number.` })
    .min(0, `${label} cannot be negative.`)
    .max(100, `${label} is a percentage: at most 100.`)
    .nullable();

const days = (label: string) =>
  z
    .number({ error: `${label} must be a number of days.` })
    .int(`${label} must be whole days.`)
    .min(0, `${label} cannot be negative.`)
    .max(3650, `${label} is at most 3650 days.`)
    .nullable();

/** What an admin may store; null = not set (use the default). */
export const StoredSettings = z.object({
  autoApproveThreshold: z
    .number({ error: 'Auto-approve threshold must be a number.' })
    .min(0, 'Auto-approve threshold must be between 0 and 1.01 (above 1 turns auto-approval off).')
    .max(1.01, 'Auto-approve threshold must be between 0 and 1.01 (above 1 turns auto-approval off).')
    .nullable(),
  escalateAfter: z
    .string()
    .regex(DURATION, 'Escalation SLA must be a duration like 30m, 24h or 2d.')
    .refine(
      (v) => durationMs(v) >= 60_000 && durationMs(v) <= 365 * 86_400_000,
      'Escalation SLA must be between 1 minute and 365 days.',
    )
    .nullable(),
  undoWindow: z
    .string()
    .regex(DURATION, 'Undo window must be a duration like 20s or 1m (0s turns it off).')
    .refine((v) => durationMs(v) <= 3_600_000, 'Undo window is at most 1 hour.')
    .nullable(),
  amountTolerancePct: percentage('Amount tolerance'),
  quantityTolerancePct: percentage('Quantity tolerance'),
  priceTolerancePct: percentage('Price tolerance'),
  dateWindowDaysBefore: days('Date window before the invoice date'),
  dateWindowDaysAfter: days('Date window after the invoice date'),
});
export type StoredSettings = z.infer<typeof StoredSettings>;
export type SettingKey = keyof StoredSettings;
export const SETTING_KEYS = Object.keys(StoredSettings.shape) as SettingKey[];

export interface EffectiveSettings {
  autoApproveThreshold: number;
  escalateAfter: string;
  undoWindow: string;
  /** In matching's own terms: tolerances as fractions (0.05 = ±5 %). */
  matching: MatchingSettings;
}

// Percent for people, fractions for matching/; rounded so 0.07 shows as 7, not 7.000000000000001.
const toPct = (fraction: number) => Math.round(fraction * 1e8) / 1e6;
const toFraction = (pct: number) => Math.round(pct * 1e6) / 1e8;

/** The values in force when nothing is stored, keyed like StoredSettings (for the page's hints). */
export function defaultSettings(config: Config): { [K in SettingKey]: NonNullable<StoredSettings[K]> } {
  return {
    autoApproveThreshold: config.review.autoApproveThreshold,
    escalateAfter: config.review.escalateAfter,
    undoWindow: config.review.undoWindow,
    amountTolerancePct: toPct(config.matching.amountTolerance),
    quantityTolerancePct: toPct(config.matching.quantityTolerance),
    priceTolerancePct: toPct(config.matching.priceTolerance),
    dateWindowDaysBefore: config.matching.dateWindowDaysBefore,
    dateWindowDaysAfter: config.matching.dateWindowDaysAfter,
  };
}

export interface SettingsRecord {
  values: StoredSettings;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** No setting stored: every value falls back to its default from the environment. */
export const NO_STORED_SETTINGS: StoredSettings = {
  autoApproveThreshold: null,
  escalateAfter: null,
  undoWindow: null,
  amountTolerancePct: null,
  quantityTolerancePct: null,
  priceTolerancePct: null,
  dateWindowDaysBefore: null,
  dateWindowDaysAfter: null,
};

interface RawSettings {
  auto_approve_threshold: number | null;
  escalate_after: string | null;
  undo_window: string | null;
  amount_tolerance_pct: number | null;
  quantity_tolerance_pct: number | null;
  price_tolerance_pct: number | null;
  date_window_days_before: number | null;
  date_window_days_after: number | null;
  updated_by: string;
  updated_at: Date;
}

const toValues = (row: RawSettings): StoredSettings => ({
  autoApproveThreshold: row.auto_approve_threshold,
  escalateAfter: row.escalate_after,
  undoWindow: row.undo_window,
  amountTolerancePct: row.amount_tolerance_pct,
  quantityTolerancePct: row.quantity_tolerance_pct,
  priceTolerancePct: row.price_tolerance_pct,
  dateWindowDaysBefore: row.date_window_days_before,
  dateWindowDaysAfter: row.date_window_days_after,
});

export async function getStoredSettings(sql: Sql): Promise<SettingsRecord> {
  const [row] = await sql<RawSettings[]>`select * from settings where singleton`;
  if (!row) return { values: { ...NO_STORED_SETTINGS }, updatedBy: null, updatedAt: null };
  return { values: toValues(row), updatedBy: row.updated_by, updatedAt: row.updated_at };
}

/** The settings in force now: stored values where set, defaults elsewhere. */
export async function getEffectiveSettings(sql: Sql, config: Config): Promise<EffectiveSettings> {
  const { values } = await getStoredSettings(sql);
  const defaults = defaultSettings(config);
  return {
    autoApproveThreshold: values.autoApproveThreshold ?? defaults.autoApproveThreshold,
    escalateAfter: values.escalateAfter ?? defaults.escalateAfter,
    undoWindow: values.undoWindow ?? defaults.undoWindow,
    matching: effectiveMatching(values, config.matching),
  };
}

/** The match tolerances in force (what the match activity uses for each invoice). */
export async function getEffectiveMatching(sql: Sql, defaults: MatchingSettings): Promise<MatchingSettings> {
  return effectiveMatching((await getStoredSettings(sql)).values, defaults);
}

function effectiveMatching(values: StoredSettings, defaults: MatchingSettings): MatchingSettings {
  return {
    ...defaults,
    amountTolerance:
      values.amountTolerancePct === null ? defaults.amountTolerance : toFraction(values.amountTolerancePct),
    quantityTolerance:
      values.quantityTolerancePct === null ? defaults.quantityTolerance : toFraction(values.quantityTolerancePct),
    priceTolerance: values.priceTolerancePct === null ? defaults.priceTolerance : toFraction(values.priceTolerancePct),
    dateWindowDaysBefore: values.dateWindowDaysBefore ?? defaults.dateWindowDaysBefore,
    dateWindowDaysAfter: values.dateWindowDaysAfter ?? defaults.dateWindowDaysAfter,
  };
}

export type SettingsChanges = Partial<
  Record<SettingKey, { from: StoredSettings[SettingKey]; to: StoredSettings[SettingKey] }>
>;

/** Store all values (null = back to the default); returns what changed, empty when nothing did. */
export async function saveSettings(sql: Sql, next: StoredSettings, actor: string): Promise<SettingsChanges> {
  return sql.begin(async (tx) => {
    // The row lock makes concurrent saves report their changes against what the other one stored.
    const [row] = await tx<RawSettings[]>`select * from settings where singleton for update`;
    const before = row ? toValues(row) : NO_STORED_SETTINGS;
    const changes: SettingsChanges = {};
    for (const key of SETTING_KEYS) {
      if (before[key] !== next[key]) changes[key] = { from: before[key], to: next[key] };
    }
    if (Object.keys(changes).length === 0) return changes;
    await tx`
      insert into settings (singleton, auto_approve_threshold, escalate_after, undo_window, amount_tolerance_pct,
                            quantity_tolerance_pct, price_tolerance_pct, date_window_days_before,
                            date_window_days_after, updated_by, updated_at)
      values (true, ${next.autoApproveThreshold}, ${next.escalateAfter}, ${next.undoWindow}, ${next.amountTolerancePct},
              ${next.quantityTolerancePct}, ${next.priceTolerancePct}, ${next.dateWindowDaysBefore},
              ${next.dateWindowDaysAfter}, ${actor}, now())
      on conflict (singleton) do update set
        auto_approve_threshold = excluded.auto_approve_threshold, escalate_after = excluded.escalate_after,
        undo_window = excluded.undo_window,
        amount_tolerance_pct = excluded.amount_tolerance_pct, quantity_tolerance_pct = excluded.quantity_tolerance_pct,
        price_tolerance_pct = excluded.price_tolerance_pct, date_window_days_before = excluded.date_window_days_before,
        date_window_days_after = excluded.date_window_days_after,
        updated_by = excluded.updated_by, updated_at = excluded.updated_at`;
    return changes;
  });
}
