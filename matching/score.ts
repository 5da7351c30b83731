// The match score and its explanation: each signal adds points (weights below, summing to 1), every
// evidence entry says why, and the score is exactly their sum. Candidates are ranked by it.
import type { MatchCandidate, MatchEvidence } from '../domain/match.js';
import type { PoNumberFit } from './po-numbers.js';
import { SAME_SUPPLIER_THRESHOLD } from '../domain/supplier-name.js';

export const WEIGHTS = {
  poNumber: { exact: 0.45, normalised: 0.4, ocr: 0.35 } satisfies Record<PoNumberFit, number>,
  supplier: 0.2,
  amount: 0.2,
  date: 0.05,
  placeholder: 0.1,
} as const;

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The sum of the points, rounded to thousandths and kept within 0..1. */
export function scoreOf(evidence: readonly MatchEvidence[]): number {
  const sum = evidence.reduce((total, e) => total + e.points, 0);
  return Math.min(1, Math.max(0, round3(sum)));
}

export function poNumberEvidence(fit: PoNumberFit, printed: string, plexPoNumber: string): MatchEvidence {
  const detail = {
    exact: `PO number ${printed} found in Plex`,
    normalised: `PO number ${printed} read as ${plexPoNumber} (spaces, dashes or prefix ignored)`,
    ocr: `PO number ${printed} read as ${plexPoNumber} (OCR confusion O/0, I/1, S/5, B/8)`,
  }[fit];
  return { signal: `po_number_${fit}`, points: WEIGHTS.poNumber[fit], detail };
}

export function supplierEvidence(similarity: number, detail: string): MatchEvidence {
  const passed = similarity >= SAME_SUPPLIER_THRESHOLD;
  return {
    signal: passed ? 'supplier' : 'supplier_mismatch',
    points: passed ? round3(WEIGHTS.supplier * similarity) : 0,
    detail,
  };
}

/** Full points for an exact amount, half to full within tolerance (closer is more), none outside. */
export function amountEvidence(
  fit: { within: boolean; exact: boolean; deviationPercent: string | null } | null,
  detail: string,
  tolerance: number,
): MatchEvidence {
  if (!fit) return { signal: 'amount_unknown', points: 0, detail };
  if (!fit.within) return { signal: 'amount_outside_tolerance', points: 0, detail };
  if (fit.exact || tolerance <= 0) return { signal: 'amount', points: WEIGHTS.amount, detail };
  const deviation = Math.abs(Number(fit.deviationPercent ?? '0')) / 100; // display value → 0..tolerance, not money
  const closeness = 1 - Math.min(1, deviation / tolerance) / 2;
  return { signal: 'amount', points: round3(WEIGHTS.amount * closeness), detail };
}

export function dateEvidence(within: boolean | null, detail: string): MatchEvidence {
  if (within === null) return { signal: 'date_unknown', points: 0, detail };
  return within
    ? { signal: 'date', points: WEIGHTS.date, detail }
    : { signal: 'date_outside_window', points: 0, detail };
}

export function placeholderEvidence(count: number, detail: string): MatchEvidence {
  return {
    signal: count === 1 ? 'single_placeholder' : count === 0 ? 'no_placeholder' : 'several_placeholders',
    points: count === 1 ? WEIGHTS.placeholder : 0,
    detail,
  };
}

/** Passing candidates first, then by score, then by PO number for a stable order. */
export function rankCandidates(candidates: readonly MatchCandidate[]): MatchCandidate[] {
  return [...candidates].sort(
    (a, b) =>
      Number(b.passed ?? false) - Number(a.passed ?? false) ||
      (b.score ?? 0) - (a.score ?? 0) ||
      a.purchaseOrder.poNumber.localeCompare(b.purchaseOrder.poNumber),
  );
}
