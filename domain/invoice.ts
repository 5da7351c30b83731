// The invoice process as the workflow sees it: its input, its state (returned by the query),
// and the messages clerks and ops send it. Shared by workflows/, api/ and cli/.
import { z } from 'zod';
import { CorrectionProvenance, Extraction, FieldCorrections, type PickedBox } from './extraction.js';
import { MatchResult } from './match.js';
import { PolicyRole } from './policy.js';
import type { ApprovalPath } from './approval.js';
import { INVOICE_STATUSES, REVIEWABLE } from './invoice-status.js';

export const InvoiceStatus = z.enum(INVOICE_STATUSES);
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;
export { REVIEWABLE };

/** Why an invoice waits, as the queue's chips name it (db/invoices.ts derives them from the stored match and extraction). */
export const QUEUE_REASONS = [
  'duplicate',
  'no_po',
  'no_placeholder',
  'ambiguous',
  'amount_off',
  'lines_off',
  'no_invoice_number',
  'low_confidence',
  'plex_unreachable',
] as const;
export type QueueReason = (typeof QUEUE_REASONS)[number];

// What the workflow receives is checked by the workflow code with domain/workflow-inputs.ts (it says why);
// the shapes only the workflow receives are defined there alone.
export type { InvoiceWorkflowInput, QuestionInput, RecallInput, RetrySyncInput } from './workflow-inputs.js';

/** `hold`: wait for goods receipt (only while the PO has no "Received" placeholder). */
export const ReviewAction = z.enum(['approve', 'reject', 'send_back', 'hold']);
export type ReviewAction = z.infer<typeof ReviewAction>;

/** A clerk's decision, delivered to the workflow as an Update (checked there by its twin in domain/workflow-inputs.ts). */
export const ReviewDecisionInput = z
  .object({
    action: ReviewAction,
    actor: z.string().min(1, 'the decision needs its author'),
    reason: z.string().trim().max(2000).optional(),
    corrections: FieldCorrections.default({}),
    /** Where on the document the clerk picked corrected values (the review page's viewer); absent = typed. */
    provenance: CorrectionProvenance.optional(),
    /**
     * The open "Received" placeholder the clerk chose among the match's candidates (several placeholders
     * or several POs). The sync re-reads it from Plex before writing.
     */
    placeholderId: z.string().trim().min(1).max(100).optional(),
    /** Under an approval policy: the approver's role and who delegated to them now, as the web app vouches. */
    approver: z
      .object({
        role: PolicyRole.nullable(),
        delegators: z.array(z.object({ email: z.string(), role: PolicyRole })).default([]),
      })
      .optional(),
    /** An admin's explicit override of four eyes (needs a reason; audited as its own action). */
    override: z.boolean().optional(),
  })
  .superRefine((d, ctx) => {
    if (d.action === 'reject' && !d.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection needs a reason' });
    }
    if (d.override && !d.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a four-eyes override needs a reason' });
    }
  });
export type ReviewDecisionInput = z.input<typeof ReviewDecisionInput>;
export type ReviewDecision = z.output<typeof ReviewDecisionInput>;

/** The values the sync uses: extraction overlaid with the clerk's corrections. */
export interface EffectiveFields {
  invoiceNumber: string | null;
  poNumber: string | null;
  vendorName: string | null;
  total: string | null;
  currency: string | null;
  invoiceDate: string | null;
}

export interface DecisionRecord {
  id: string;
  action: ReviewAction | 'auto_approve';
  actor: string;
  reason?: string;
  corrections: Record<string, string>;
  /** Where the clerk picked corrected values on the document, by correction key (absent in older decisions). */
  provenance?: Partial<Record<string, PickedBox>>;
  at: string;
  /** Under an approval policy: the step decided, and whom a delegate acted for. */
  step?: string;
  onBehalfOf?: string | null;
  override?: boolean;
}
/** A decision in the state: a recall of an approval lives there and in the audit trail, not in review_decisions. */
export type StateDecision = DecisionRecord | (Omit<DecisionRecord, 'action'> & { action: 'recall' });

export interface InvoiceState {
  invoiceId: string;
  fileName: string;
  documentSha256: string;
  uploadedBy: string;
  status: InvoiceStatus;
  escalated: boolean;
  extraction: Extraction | null;
  fields: EffectiveFields;
  match: MatchResult | null;
  /** Why the invoice waits for a person (empty when auto-approved). */
  reviewReasons: string[];
  decisions: StateDecision[];
  /** An approval waiting out its undo window: the sync starts at `until` unless it is recalled. */
  undo?: { decisionId: string; actor: string; until: string } | null;
  /** Held for goods receipt: by whom and since when, when the match runs again, and until when at most. */
  hold?: { actor: string; since: string; nextCheckAt: string; checks: number; until: string } | null;
  /** Questions asked and not answered yet (comment ids); while any is open the escalation clock stands still. */
  openQuestions?: string[];
  /** The decision the workflow is still acting on (recording it, matching again, opening its undo window); null once it waits again. */
  settling?: string | null;
  sync: {
    rounds: number;
    lastError: string | null;
    lastErrorType: string | null;
    placeholderId: string | null;
    writtenInvoiceNumber: string | null;
    syncedAt: string | null;
  };
  errors: string[];
  updatedAt: string;
  /** The approval policy path (absent when the invoice runs without a policy). */
  approval?: ApprovalPath;
  /** The file held several invoices and was split into these (status `split`); each is an invoice of its own. */
  split?: { parts: SplitPart[] } | null;
}

/** One invoice cut out of a file that held several: its pages (1-based, inclusive) and why it starts there. */
export const SplitPart = z.object({
  invoiceId: z.string().min(1),
  fromPage: z.number().int().min(1),
  toPage: z.number().int().min(1),
  evidence: z.array(z.string()),
});
export type SplitPart = z.infer<typeof SplitPart>;

export { Extraction, MatchResult };

const InvoiceIds = z
  .array(z.string().trim().min(1).max(100))
  .min(1, 'select at least one invoice')
  .max(50, 'at most 50 invoices at a time');
/** An assignee: a user's e-mail, or null to release. */
export const Assignee = z.string().trim().toLowerCase().max(320).email('not an e-mail address').nullable();

/** One decision for several invoices from the queue (each still goes through its workflow's checks). */
export const BulkRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), ids: InvoiceIds }),
  z.object({
    action: z.literal('reject'),
    ids: InvoiceIds,
    reason: z.string().trim().min(1, 'a rejection needs a reason').max(2000),
  }),
  z.object({ action: z.literal('assign'), ids: InvoiceIds, assignee: Assignee }),
]);
export type BulkRequest = z.infer<typeof BulkRequest>;

/** What became of one invoice of a bulk request. */
export interface BulkOutcome {
  invoiceId: string;
  outcome: 'approved' | 'rejected' | 'assigned' | 'released' | 'skipped';
  /** Why it was skipped (or a note on what happened). */
  reason?: string;
}
