// Matching without a usable PO number: the vendor's open POs in Plex, each judged on supplier, amount
// (against its open placeholders) and date window. Accepted only when exactly one PO passes; the rest are
// kept, ranked, with why they did not pass.
import type { MatchCandidate } from '../domain/match.js';
import type { PlaceholderSummary, PurchaseOrderSummary } from '../domain/plex.js';
import { amountFit, dateFit, type AmountFit } from './amounts.js';
import { absoluteDifference, compareDecimals, withinTolerance } from '../domain/decimal.js';
import type { InvoiceFacts } from './facts.js';
import { amountEvidence, dateEvidence, placeholderEvidence, scoreOf, supplierEvidence } from './score.js';
import type { MatchingSettings } from './settings.js';
import type { SupplierFit } from './supplier.js';
import { isClosedPurchaseOrder } from './checks.js';

/** Placeholder lookups cost one Plex call each: at most this many POs per invoice get one. */
export const MAX_FALLBACK_PURCHASE_ORDERS = 10;

const windowOf = (s: MatchingSettings) => ({ before: s.dateWindowDaysBefore, after: s.dateWindowDaysAfter });

/**
 * Which of the vendor's open POs are worth a placeholder lookup: dated inside the window and not smaller
 * than the invoice beyond tolerance; closest total first, at most `max`. The others come back as
 * rejected candidates with the reason.
 */
export function preselectPurchaseOrders(
  facts: InvoiceFacts,
  purchaseOrders: readonly PurchaseOrderSummary[],
  settings: MatchingSettings,
  max = MAX_FALLBACK_PURCHASE_ORDERS,
): { selected: PurchaseOrderSummary[]; rejected: { purchaseOrder: PurchaseOrderSummary; note: string }[] } {
  const rejected: { purchaseOrder: PurchaseOrderSummary; note: string }[] = [];
  const plausible = purchaseOrders.filter((po) => {
    const date = dateFit(facts.invoiceDate, po.orderedDate, windowOf(settings));
    if (date && !date.within)
      return void rejected.push({ purchaseOrder: po, note: `outside the date window: ${date.detail}` });
    const vsTotal = withinTolerance(facts.total, po.lineItemTotal, settings.amountTolerance);
    if (vsTotal && !vsTotal.within && compareDecimals(facts.total!, po.lineItemTotal!) > 0) {
      return void rejected.push({
        purchaseOrder: po,
        note: `invoice total ${facts.total} is more than the PO total ${po.lineItemTotal}`,
      });
    }
    return true;
  });
  const closer = (a: PurchaseOrderSummary, b: PurchaseOrderSummary) => {
    const [x, y] = [absoluteDifference(facts.total, a.lineItemTotal), absoluteDifference(facts.total, b.lineItemTotal)];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return compareDecimals(x, y);
  };
  const ordered = [...plausible].sort((a, b) => closer(a, b) || a.poNumber.localeCompare(b.poNumber));
  for (const po of ordered.slice(max))
    rejected.push({ purchaseOrder: po, note: `not checked: only the ${max} open POs closest in total are compared` });
  return { selected: ordered.slice(0, max), rejected };
}

/** One PO of the vendor judged against the invoice; `passed` when every rule holds. */
export function assessCandidate(
  facts: InvoiceFacts,
  supplier: SupplierFit,
  po: PurchaseOrderSummary,
  placeholders: readonly PlaceholderSummary[],
  settings: MatchingSettings,
): MatchCandidate {
  const notes: string[] = [];
  const fits = placeholders
    .map((p) =>
      amountFit(
        facts,
        p.amount ?? po.lineItemTotal,
        p.amount ? `placeholder amount` : 'PO total',
        settings.amountTolerance,
      ),
    )
    .filter((f): f is AmountFit => f !== null);
  const amount =
    fits.find((f) => f.check.exact) ??
    fits.find((f) => f.check.within) ??
    fits[0] ??
    amountFit(facts, po.lineItemTotal, 'PO total', settings.amountTolerance);
  const date = dateFit(facts.invoiceDate, po.orderedDate, windowOf(settings));
  const evidence = [
    supplierEvidence(supplier.similarity, supplier.detail),
    amountEvidence(amount?.check ?? null, amount?.detail ?? 'no amount to compare', settings.amountTolerance),
    dateEvidence(date?.within ?? null, date?.detail ?? 'no invoice date or PO date to compare'),
    placeholderEvidence(
      placeholders.length,
      placeholders.length
        ? `${placeholders.length} open "Received" placeholder(s)`
        : 'no open "Received" placeholder (not received yet, or already invoiced)',
    ),
  ];
  if (placeholders.length === 0) notes.push('no open "Received" placeholder');
  if (!amount?.check.within) notes.push(amount ? `amount: ${amount.detail}` : 'no amount to compare');
  if (date && !date.within) notes.push(`date: ${date.detail}`);
  if (isClosedPurchaseOrder(po)) notes.push(`PO status ${po.status ?? 'inactive'}`);
  return {
    purchaseOrder: po,
    placeholders: [...placeholders],
    score: scoreOf(evidence),
    evidence,
    passed: notes.length === 0,
    notes,
  };
}

/** A PO left out before its placeholders were read, as a candidate the clerk can still see. */
export function rejectedCandidate(po: PurchaseOrderSummary, note: string): MatchCandidate {
  return { purchaseOrder: po, placeholders: [], score: 0, evidence: [], passed: false, notes: [note] };
}
