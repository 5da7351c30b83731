// The knobs of matching: amount, quantity and price tolerances and the PO date window, with the defaults
// the README documents. Parsed from the environment in config/index.ts and handed to the match activity.

export interface MatchingSettings {
  /** Invoice total vs the placeholder amount or PO total, relative: 0.05 = ±5 %. */
  amountTolerance: number;
  /** Invoiced vs received (and ordered) quantity per line, relative: 0 = exact. */
  quantityTolerance: number;
  /** Invoiced vs PO unit price per line, relative: 0.01 = ±1 %. */
  priceTolerance: number;
  /** A PO found without a PO number must be dated from this many days before the invoice date… */
  dateWindowDaysBefore: number;
  /** …to this many days after it. */
  dateWindowDaysAfter: number;
}

export const DEFAULT_MATCHING_SETTINGS: MatchingSettings = {
  amountTolerance: 0.05,
  quantityTolerance: 0,
  priceTolerance: 0.01,
  dateWindowDaysBefore: 90,
  dateWindowDaysAfter: 30,
};
