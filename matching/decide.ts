// Turns what was found in Plex into a MatchResult: status, reason a clerk can act on, evidence and score,
// warnings and ranked candidates. One function per way the search can end.
import type { MatchCandidate, MatchEvidence, MatchResult, ThreeWayCheck } from '../domain/match.js';
import type { PlaceholderSummary, PurchaseOrderSummary, ReceiptSummary } from '../domain/plex.js';
import { assessPurchaseOrder } from './checks.js';
import type { InvoiceFacts } from './facts.js';
import type { PoNumberFit } from './po-numbers.js';
import { poNumberEvidence, rankCandidates, scoreOf } from './score.js';
import type { MatchingSettings } from './settings.js';
import { tolerancePercent } from '../domain/decimal.js';
import { threeWayWarnings } from './three-way.js';

/** Candidates shown to the clerk: enough to choose from, not a supplier's whole order book. */
export const MAX_CANDIDATES_SHOWN = 10;

const NONE = {
  purchaseOrder: null,
  placeholder: null,
  candidates: [],
  evidence: [],
  warnings: [],
  duplicateOf: null,
  threeWay: null,
};
const listOf = (items: readonly string[]) => items.join(', ');

export interface Found {
  purchaseOrder: PurchaseOrderSummary;
  placeholders: PlaceholderSummary[];
}

/** One PO: its open placeholders decide between matched, ambiguous and no_placeholder. */
export function decideForPurchaseOrder(input: {
  facts: InvoiceFacts;
  found: Found;
  settings: MatchingSettings;
  /** How the PO was found: its PO-number evidence, or the fallback candidate's evidence. */
  evidence: MatchEvidence[];
  warnings?: string[];
}): MatchResult {
  const { facts, settings } = input;
  const { purchaseOrder: po, placeholders } = input.found;
  const assessment = assessPurchaseOrder(facts, po, placeholders, settings);
  const byPoNumber = input.evidence.some((e) => e.signal.startsWith('po_number_'));
  const evidence = byPoNumber ? [...input.evidence, ...assessment.evidence] : input.evidence;
  const score = scoreOf(evidence);
  const candidate: MatchCandidate = {
    purchaseOrder: po,
    placeholders,
    score,
    evidence,
    passed: placeholders.length === 1,
    notes: [],
  };
  const base = { ...NONE, purchaseOrder: po, evidence, score, candidates: [candidate] };
  if (placeholders.length === 0) {
    return {
      ...base,
      status: 'no_placeholder',
      reason: `PO ${po.poNumber} has no open AP invoice with the invoice number "Received" (goods not received yet, or already invoiced).`,
    };
  }
  if (placeholders.length > 1) {
    return {
      ...base,
      status: 'ambiguous',
      reason: `PO ${po.poNumber} has ${placeholders.length} open "Received" placeholders; a clerk must choose.`,
    };
  }
  const how = byPoNumber ? '' : ' (found by supplier, amount and date)';
  return {
    ...base,
    status: 'matched',
    placeholder: placeholders[0]!,
    reason: `PO ${po.poNumber}${how} with one open "Received" placeholder.`,
    warnings: [...(input.warnings ?? []), ...assessment.warnings],
  };
}

/**
 * Why a found PO has no placeholder, from its receipts in Plex: none yet means the goods have not been
 * received (the placeholder appears at receipt); receipts but no open placeholder mean it has most likely
 * been invoiced already (or its placeholder was closed). `receipts` null: they could not be read.
 */
export function explainNoPlaceholder(result: MatchResult, receipts: readonly ReceiptSummary[] | null): MatchResult {
  const po = result.purchaseOrder;
  if (result.status !== 'no_placeholder' || !po || receipts === null) return result;
  const reason =
    receipts.length === 0
      ? `PO ${po.poNumber} has no receipt in Plex yet: the goods have not been received, so there is no "Received" placeholder to write to. Send it back once they have arrived, or reject it.`
      : `PO ${po.poNumber} has ${receipts.length === 1 ? 'a receipt' : `${receipts.length} receipts`} in Plex but no open "Received" placeholder: it has most likely been invoiced already (or its placeholder was closed). Check for a duplicate before anything else.`;
  return { ...result, reason };
}

/** Several POs fit the printed PO number(s) equally well. */
export function decideAmbiguousPoNumbers(
  facts: InvoiceFacts,
  options: (Found & { printed: string; fit: PoNumberFit })[],
  settings: MatchingSettings,
): MatchResult {
  const candidates = rankCandidates(
    options.map(({ purchaseOrder, placeholders, printed, fit }) => {
      const evidence = [
        poNumberEvidence(fit, printed, purchaseOrder.poNumber),
        ...assessPurchaseOrder(facts, purchaseOrder, placeholders, settings).evidence,
      ];
      return { purchaseOrder, placeholders, evidence, score: scoreOf(evidence), passed: true, notes: [] };
    }),
  );
  const printed = [...new Set(options.map((o) => o.printed))];
  return {
    ...NONE,
    candidates,
    status: 'ambiguous',
    score: 0,
    reason: `${options.length} Plex purchase orders fit the PO number${printed.length > 1 ? 's' : ''} ${listOf(printed)} (${listOf(options.map((o) => o.purchaseOrder.poNumber))}); a clerk must choose.`,
  };
}

/** The end of the supplier + amount + date search, given every candidate judged (candidates.ts). */
export function decideBySupplier(input: {
  facts: InvoiceFacts;
  candidates: MatchCandidate[];
  settings: MatchingSettings;
  /** PO numbers printed (or typed) that Plex does not know. */
  unknownPoNumbers: string[];
  /** Why the search could not even start (no vendor, no total, no such supplier), if so. */
  blocked: string | null;
}): MatchResult {
  const { facts, settings, unknownPoNumbers } = input;
  const ranked = rankCandidates(input.candidates).slice(0, MAX_CANDIDATES_SHOWN);
  const passed = ranked.filter((c) => c.passed);
  const printedText = unknownPoNumbers.length
    ? `PO number ${listOf(unknownPoNumbers)} on the invoice is not in Plex`
    : 'No PO number on the invoice';
  if (passed.length === 1) {
    const only = passed[0]!;
    const warning = `${printedText}: matched to PO ${only.purchaseOrder.poNumber} by supplier, amount and date instead; confirm it is the right order.`;
    const result = decideForPurchaseOrder({
      facts,
      settings,
      found: only,
      evidence: only.evidence ?? [],
      warnings: [warning],
    });
    return { ...result, candidates: ranked };
  }
  const supplier = ranked[0]?.purchaseOrder.supplierName ?? facts.vendorName ?? 'the vendor';
  if (passed.length > 1) {
    return {
      ...NONE,
      candidates: ranked,
      status: 'ambiguous',
      score: 0,
      reason: `${printedText}, and ${passed.length} open POs of ${supplier} fit the supplier, amount and date (${listOf(passed.map((c) => c.purchaseOrder.poNumber))}); a clerk must choose.`,
    };
  }
  const why =
    input.blocked ??
    `no open PO of ${supplier} with an open "Received" placeholder fits the amount (±${tolerancePercent(settings.amountTolerance)}) and date window`;
  return unknownPoNumbers.length
    ? {
        ...NONE,
        candidates: ranked,
        status: 'po_not_found',
        score: 0,
        reason: `Plex has no purchase order ${listOf(unknownPoNumbers)}, and ${why}.`,
      }
    : {
        ...NONE,
        candidates: ranked,
        status: 'no_po_number',
        score: 0,
        reason: `The invoice shows no PO number, and ${why}.`,
      };
}

/** The three-way result joins the match; a mismatch becomes warnings (never a blocker by itself). */
export function withThreeWay(match: MatchResult, check: ThreeWayCheck): MatchResult {
  return { ...match, threeWay: check, warnings: [...match.warnings, ...threeWayWarnings(check)] };
}
