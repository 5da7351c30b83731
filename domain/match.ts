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

export const MatchResult = z.object({
  status: MatchStatus,
  reason: z.string(),
  /** 0..1; 1 = exact PO number with a single placeholder. */
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
  candidates: z
    .array(z.object({ purchaseOrder: PurchaseOrderSummary, placeholders: z.array(PlaceholderSummary) }))
    .default([]),
});
export type MatchResult = z.infer<typeof MatchResult>;

export const isUnambiguous = (match: MatchResult): boolean =>
  match.status === 'matched' && match.purchaseOrder !== null && match.placeholder !== null;
