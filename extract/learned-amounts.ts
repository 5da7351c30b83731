// Learned amounts that disagree, settled by arithmetic. A vendor's first invoice with one line and one VAT
// rate prints its subtotal twice (the line's amount and the totals block) and its tax twice (the VAT table
// and the totals block), so learning keeps both places; on an invoice with more lines they differ. Of the
// values read at the learned places, the one set where subtotal + tax = total is the right one.
import type { HeaderFieldName, HeaderFields } from '../domain/extraction.js';
import type { AppliedReading } from './learned.js';
import { toCents } from './normalize.js';

export type AmountField = 'subtotal' | 'tax' | 'total';
const AMOUNTS: readonly AmountField[] = ['subtotal', 'tax', 'total'];

/** Confidence of amounts chosen because they add up: consistent, but chosen, so still for a clerk to see. */
const SETTLED_CONFIDENCE = 0.9;

export const isAmountField = (field: HeaderFieldName): field is AmountField =>
  (AMOUNTS as readonly string[]).includes(field);

/**
 * The one choice among each field's candidate values that adds up, or null when none or several do.
 * `candidates` holds, per amount field, the values that could be right (one when it is not in doubt).
 */
function settleAmounts(candidates: Record<AmountField, readonly string[]>): Record<AmountField, string> | null {
  const cents = (v: string) => {
    try {
      return toCents(v);
    } catch {
      return null;
    }
  };
  const fits = new Map<string, Record<AmountField, string>>();
  for (const subtotal of candidates.subtotal) {
    for (const tax of candidates.tax) {
      for (const total of candidates.total) {
        const [s, t, g] = [cents(subtotal), cents(tax), cents(total)];
        if (s !== null && t !== null && g !== null && s + t === g) fits.set(`${s}|${t}|${g}`, { subtotal, tax, total });
      }
    }
  }
  return fits.size === 1 ? [...fits.values()][0]! : null;
}

/** The auto-approval confidence: a field this sure is not changed by arithmetic on learned guesses. */
const SURE = 0.95;

/** Amounts whose learned places disagreed, chosen so that subtotal + tax = total when exactly one choice does. */
export function settleLearnedAmounts(
  fields: HeaderFields,
  inDoubt: Map<AmountField, NonNullable<AppliedReading['disagreeing']>>,
): void {
  // The field's own value is a candidate too: a text reading no learned place agreed with may still be right.
  const own = (name: AmountField) => (fields[name].value === null ? [] : [fields[name].value]);
  const valuesOf = (name: AmountField) => [
    ...new Set([...own(name), ...(inDoubt.get(name)?.map((c) => c.value) ?? [])]),
  ];
  const settled = settleAmounts({ subtotal: valuesOf('subtotal'), tax: valuesOf('tax'), total: valuesOf('total') });
  // A sure reading (the text rules' own, checked) that the sum contradicts is not overruled by it.
  if (
    !settled ||
    [...inDoubt.keys()].some((name) => fields[name].confidence >= SURE && fields[name].value !== settled[name])
  )
    return;
  for (const [name, candidates] of inDoubt) {
    const field = fields[name];
    const chosen = candidates.find((c) => c.value === settled[name]);
    if (!chosen) continue; // the field's own value it is
    if (field.value !== chosen.value) {
      field.alternatives = [
        ...(field.alternatives ?? []).filter((a) => a.value !== chosen.value),
        ...(field.value === null
          ? []
          : [
              {
                value: field.value,
                source: field.provenance?.source ?? 'learned',
                confidence: field.confidence,
                ...(field.provenance ? { provenance: field.provenance } : {}),
              },
            ]),
      ];
    }
    field.confidence =
      field.value === chosen.value ? Math.max(field.confidence, SETTLED_CONFIDENCE) : SETTLED_CONFIDENCE;
    field.value = chosen.value;
    field.provenance = chosen.provenance;
    field.notes.push(
      `Of the values at the places learned for it (${candidates.map((c) => c.value).join(', ')}), ${chosen.value} is the one with which subtotal + tax = total.`,
    );
  }
}
