// Amount and date fit of an invoice against a PO or placeholder: the invoice total (or, failing that, its
// subtotal, since placeholders often carry the goods value before tax) within the amount tolerance, and the
// PO dated inside the window around the invoice date.
import { tolerancePercent, withinTolerance, type ToleranceCheck } from '../domain/decimal.js';
import type { InvoiceFacts } from './facts.js';

export interface AmountFit {
  check: ToleranceCheck;
  compared: 'total' | 'subtotal';
  invoiceAmount: string;
  reference: string;
  detail: string;
}

/** How the invoice amount compares with `reference` (a placeholder amount or PO total); null if unknown. */
export function amountFit(
  facts: Pick<InvoiceFacts, 'total' | 'subtotal'>,
  reference: string | null,
  referenceLabel: string,
  tolerance: number,
): AmountFit | null {
  if (!reference) return null;
  const options = (['total', 'subtotal'] as const)
    .map((compared) => ({
      compared,
      invoiceAmount: facts[compared],
      check: withinTolerance(facts[compared], reference, tolerance),
    }))
    .filter(
      (o): o is { compared: 'total' | 'subtotal'; invoiceAmount: string; check: ToleranceCheck } => o.check !== null,
    );
  const best = options.find((o) => o.check.exact) ?? options.find((o) => o.check.within) ?? options[0];
  if (!best) return null;
  const { check, compared, invoiceAmount } = best;
  const deviation = check.deviationPercent ?? '?';
  const side = deviation.startsWith('-') ? 'below' : 'above';
  const detail = check.exact
    ? `invoice ${compared} ${invoiceAmount} equals the ${referenceLabel} ${reference}`
    : `invoice ${compared} ${invoiceAmount} is ${deviation.replace('-', '')} % ${side} the ${referenceLabel} ${reference} (tolerance ${tolerancePercent(tolerance)})`;
  return { check, compared, invoiceAmount, reference, detail };
}

export interface DateFit {
  within: boolean;
  /** PO date minus invoice date, in days. */
  days: number;
  detail: string;
}

const dayNumber = (isoDay: string) =>
  Date.UTC(+isoDay.slice(0, 4), +isoDay.slice(5, 7) - 1, +isoDay.slice(8, 10)) / 86_400_000;

/** Whether the PO date lies from `before` days before to `after` days after the invoice date. */
export function dateFit(
  invoiceDate: string | null,
  poDate: string | null | undefined,
  window: { before: number; after: number },
): DateFit | null {
  if (!invoiceDate || !poDate) return null;
  const days = dayNumber(poDate) - dayNumber(invoiceDate);
  if (!Number.isInteger(days)) return null;
  const within = days >= -window.before && days <= window.after;
  const relation =
    days === 0 ? 'on the invoice date' : `${Math.abs(days)} days ${days < 0 ? 'before' : 'after'} the invoice date`;
  return {
    within,
    days,
    detail: `PO dated ${poDate}, ${relation} (window ${window.before} days before to ${window.after} after)`,
  };
}
