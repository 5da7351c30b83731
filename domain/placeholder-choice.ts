// A clerk's choice of placeholder when the match found several (one PO with several open "Received"
// placeholders, or several POs): which placeholders may be chosen, how each fits the invoice, and the match
// once a choice is confirmed against a fresh Plex read. Pure: used by the workflow and the review page.
import { absoluteDifference, compareDecimals } from './decimal.js';
import type { MatchCandidate, MatchResult } from './match.js';
import type { PlaceholderSummary, PurchaseOrderSummary } from './plex.js';

/** A match a sync can act on: one PO and its one open placeholder. */
export type UnambiguousMatch = MatchResult & {
  status: 'matched';
  purchaseOrder: PurchaseOrderSummary;
  placeholder: PlaceholderSummary;
};

export const isUnambiguous = (match: MatchResult): match is UnambiguousMatch =>
  match.status === 'matched' && match.purchaseOrder !== null && match.placeholder !== null;

export interface PlaceholderOption {
  purchaseOrder: PurchaseOrderSummary;
  placeholder: PlaceholderSummary;
  /** In words: how the placeholder's amount compares with the invoice total. */
  fit: string;
  /** True when the amount equals the invoice total (listed first). */
  exact: boolean;
}

/** A candidate PO a clerk may choose from: nothing in the search spoke against it and it is not closed. */
const choosable = (c: MatchCandidate) => (c.notes ?? []).length === 0 && c.purchaseOrder.active !== false;

/** The placeholders a clerk may choose, best fitting first; empty when there is nothing to choose. */
export function placeholderOptions(match: MatchResult | null, invoiceTotal: string | null): PlaceholderOption[] {
  if (!match || match.status !== 'ambiguous') return [];
  const options = match.candidates.filter(choosable).flatMap((c) =>
    c.placeholders.map((placeholder) => ({
      purchaseOrder: c.purchaseOrder,
      placeholder,
      ...amountFit(invoiceTotal, placeholder.amount),
    })),
  );
  return options.sort((a, b) => Number(b.exact) - Number(a.exact));
}

function amountFit(total: string | null, amount: string | null): { fit: string; exact: boolean } {
  if (!total || !amount)
    return { fit: amount ? 'the invoice shows no total to compare' : 'Plex shows no amount', exact: false };
  const difference = absoluteDifference(total, amount);
  if (difference === null) return { fit: 'amounts cannot be compared', exact: false };
  if (compareDecimals(difference, '0') === 0) return { fit: 'amount equals the invoice total', exact: true };
  return {
    fit: `amount ${compareDecimals(amount, total) > 0 ? 'above' : 'below'} the invoice total by ${difference}`,
    exact: false,
  };
}

/** The option with this placeholder id, if the clerk may choose it. */
export function findOption(
  match: MatchResult | null,
  placeholderId: string,
  invoiceTotal: string | null = null,
): PlaceholderOption | undefined {
  return placeholderOptions(match, invoiceTotal).find((o) => o.placeholder.id === placeholderId);
}

/** The match after a clerk's choice was confirmed open in Plex: one PO, one placeholder, the choice as evidence. */
export function chosenMatch(
  match: MatchResult,
  option: { purchaseOrder: PurchaseOrderSummary; placeholder: PlaceholderSummary },
  actor: string,
): MatchResult {
  const { purchaseOrder, placeholder } = option;
  const detail = `${actor} chose the placeholder of amount ${placeholder.amount ?? '?'} on PO ${purchaseOrder.poNumber}; Plex confirmed it open before approval`;
  return {
    ...match,
    status: 'matched',
    purchaseOrder,
    placeholder,
    reason: `PO ${purchaseOrder.poNumber}, placeholder chosen by ${actor} (amount ${placeholder.amount ?? '?'}).`,
    evidence: [...match.evidence, { signal: 'clerk_choice', points: 0, detail }],
  };
}
