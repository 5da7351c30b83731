// Read-model transitions and the audit trail: one transaction updates the invoice row and appends the
// audit entry, both keyed so a retried activity changes nothing the second time.
import { appendAudit } from '../db/audit.js';
import { saveReviewDecision, updateInvoiceSummary } from '../db/invoices.js';
import { saveWaitingStep, type WaitingStep } from '../db/policies.js';
import type { DecisionRecord, EffectiveFields, InvoiceStatus } from '../domain/invoice.js';
import type { ActivityDeps } from './deps.js';
import { learnFromDecision } from './learn.js';

export interface TransitionInput {
  invoiceId: string;
  status: InvoiceStatus;
  fields?: EffectiveFields;
  confidence?: number | null;
  escalated?: boolean;
  autoApproved?: boolean | null;
  lastError?: string | null;
  syncedAt?: string | null;
  audit?: { eventKey: string; kind: string; actor: string; data: Record<string, unknown> };
  /** Under an approval policy: the path so far and the step waiting (null when none), for the pages. */
  approval?: WaitingStep;
}

export function createAuditActivities({ sql, clock, learning, logger }: ActivityDeps) {
  return {
    async recordTransition(input: TransitionInput): Promise<void> {
      const f = input.fields;
      // The audit entry first: a status the read model shows always has its entry (a retry after a failure
      // between the two writes finds the entry by its key and writes the status).
      if (input.audit) {
        await appendAudit(sql, { ...input.audit, invoiceId: input.invoiceId }, clock());
      }
      await updateInvoiceSummary(sql, input.invoiceId, {
        status: input.status,
        vendorName: f?.vendorName,
        invoiceNumber: f?.invoiceNumber,
        poNumber: f?.poNumber,
        currency: f?.currency,
        total: f && (isStorableAmount(f.total) ? f.total : null),
        invoiceDate: f && (isRealDate(f.invoiceDate) ? f.invoiceDate : null),
        confidence: input.confidence,
        autoApproved: input.autoApproved,
        lastError: input.lastError,
        syncedAt: input.syncedAt ? new Date(input.syncedAt) : undefined,
        ...(input.escalated && input.status === 'escalated' ? { escalatedAt: clock() } : {}),
      });
      if (input.approval) await saveWaitingStep(sql, input.invoiceId, input.approval);
    },

    async recordDecision(input: { invoiceId: string; decision: DecisionRecord }): Promise<void> {
      const d = input.decision;
      await saveReviewDecision(sql, {
        id: d.id,
        invoiceId: input.invoiceId,
        action: d.action,
        actor: d.actor,
        reason: d.reason ?? null,
        corrections: d.corrections,
        provenance:
          (d.provenance as
            | Record<string, { page: number; box: { x: number; y: number; width: number; height: number } }>
            | undefined) ?? null,
      });
      // After the decision is stored: learning is best effort and never fails the decision.
      if (learning) await learnFromDecision({ sql, learning, logger }, input);
    },
  };
}

/** Extracted or typed values that the read model's columns can hold (the workflow keeps the raw value). */
function isStorableAmount(value: string | null): boolean {
  return value !== null && /^-?\d{1,15}(\.\d+)?$/.test(value);
}

function isRealDate(value: string | null): boolean {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}
