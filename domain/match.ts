// The match contract: which Plex PO and "Received" placeholder an invoice belongs to, and why.
import { z } from 'zod';
import { PlaceholderSummary, PurchaseOrderSummary } from './plex.js';

export const MatchStatus = z.enum([
  'matched', // exactly one PO and exactly one open placeholder: safe to sync
  'no_po_number', // extraction found no PO number to look up
  'po_not_found', // Plex has no PO with that number
  'no_placeholder', // PO found but no open "Received" AP invoice (goods not received yet, or already invoiced)
  'ambiguous', // more than one PO or placeholder fits
  'lookup_failed', // Plex could not be asked (credentials, outage past the retries); send back to retry
  'duplicate', // the same supplier's invoice number is already synced or in flight: never written twice
]);
export type MatchStatus = z.infer<typeof MatchStatus>;

export const MatchEvidence = z.object({ signal: z.string(), points: z.number(), detail: z.string() });
export type MatchEvidence = z.infer<typeof MatchEvidence>;

/** One invoice line checked against its PO line and what was received (three-way match). */
export const ThreeWayLine = z.object({
  /** 1-based position of the line on the invoice. */
  invoiceLine: z.number().int().min(1),
  description: z.string().nullable(),
  /** The PO line it was paired with (lineItemNumber), or null when none fits. */
  poLine: z.number().int().nullable(),
  /** How the pair was found: supplier part number, description similarity, or none. */
  pairedBy: z.enum(['part_number', 'description', 'none']),
  invoicedQuantity: z.string().nullable(),
  orderedQuantity: z.string().nullable(),
  receivedQuantity: z.string().nullable(),
  invoicePrice: z.string().nullable(),
  poPrice: z.string().nullable(),
  status: z.enum(['ok', 'mismatch']),
  /** Why the line is a mismatch, in words a clerk can act on. Empty when ok. */
  issues: z.array(z.string()),
});
export type ThreeWayLine = z.infer<typeof ThreeWayLine>;

export const ThreeWayCheck = z.object({
  status: z.enum(['ok', 'mismatch', 'not_checked']),
  /** One sentence: what was compared, or why it was not checked. */
  summary: z.string(),
  lines: z.array(ThreeWayLine),
});
export type ThreeWayCheck = z.infer<typeof ThreeWayCheck>;

/** A PO considered for the invoice, with its open placeholders and how well it fits. */
export const MatchCandidate = z.object({
  purchaseOrder: PurchaseOrderSummary,
  placeholders: z.array(PlaceholderSummary),
  /** 0..1, the sum of `evidence` points; candidates are listed best first. */
  score: z.number().min(0).max(1).optional(),
  evidence: z.array(MatchEvidence).optional(),
  /** Whether it passed every rule of the search that found it (supplier, amount, date, open). */
  passed: z.boolean().optional(),
  /** Why it did not pass (amount outside tolerance, outside the date window, closed…). */
  notes: z.array(z.string()).optional(),
});
export type MatchCandidate = z.infer<typeof MatchCandidate>;

export const MatchResult = z.object({
  status: MatchStatus,
  reason: z.string(),
  /**
   * 0..1, the sum of the `evidence` points (matching/score.ts): 1 = exact PO number, one placeholder,
   * same supplier, amount and date in range. Explains the match; auto-approval depends on status and warnings.
   */
  score: z.number().min(0).max(1),
  evidence: z.array(MatchEvidence).default([]),
  purchaseOrder: PurchaseOrderSummary.nullable(),
  placeholder: PlaceholderSummary.nullable(),
  /**
   * Things a clerk must look at even though one placeholder was found (amount outside tolerance,
   * three-way mismatch, near-duplicate, closed PO…). Any warning prevents auto-approval; a clerk may
   * still approve.
   */
  warnings: z.array(z.string()).default([]),
  /** The earlier invoice this one duplicates or nearly duplicates. */
  duplicateOf: z.object({ invoiceId: z.string(), reason: z.string() }).nullable().default(null),
  /** Other candidates considered (ranked), for the clerk to see. */
  candidates: z.array(MatchCandidate).default([]),
  /**
   * Invoice lines vs PO lines vs received quantities and prices. Absent or null when no single PO was
   * matched; a mismatch also appears in `warnings`.
   */
  threeWay: ThreeWayCheck.nullable().optional(),
});
export type MatchResult = z.infer<typeof MatchResult>;
