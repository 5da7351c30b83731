// The review stage under an approval policy: the matched rule's steps in order, each waiting on the review
// Update with its own escalation timer. The policy version is the one in the workflow input (in force when
// the invoice arrived); a send-back, or a correction of amount, currency, supplier or PO, evaluates that
// same version again and starts its steps afresh. Each step's approval honours the clerk's placeholder
// choice and waits out the undo window like a single clerk's approval does. Deterministic: I/O only through
// the callbacks.
import {
  approvalCheck,
  approvalHistory,
  newApprovalPath,
  policyFacts,
  type ApprovalCheck,
  type ApprovalPath,
} from '../domain/approval.js';
import type { DecisionRecord, InvoiceState, InvoiceStatus, ReviewDecision } from '../domain/invoice.js';
import { isUnambiguous } from '../domain/placeholder-choice.js';
import type { PolicyStep, PolicyVersion } from '../domain/policy.js';
import { reviewReasons } from './rules.js';

export type PendingDecision = ReviewDecision & { id: string; check?: ApprovalCheck };
type Audit = { key: string; kind: string; actor: string; data?: Record<string, unknown> };
/** A placeholder a clerk chose among several, as Plex confirmed it open: the audit's evidence. */
export interface PlaceholderChoice {
  placeholderId: string;
  poNumber: string;
  amount: string | null;
  fit: string;
  confirmedOpenInPlex: true;
}

export interface PolicyReviewDeps {
  policy: PolicyVersion;
  state: InvoiceState;
  /** A clerk decided before (a failed sync re-matched): no auto-approval then. */
  humanTouched: boolean;
  transition(status: InvoiceStatus, audit?: Audit): Promise<void>;
  recordDecision(record: DecisionRecord): Promise<void>;
  /** Merge corrections into the effective fields. */
  correct(corrections: Record<string, string>): void;
  rematch(): Promise<void>;
  announceEscalation(key: string, reasons: string[]): Promise<void>;
  /** The next decision, or undefined when `timeout` passes first. */
  nextDecision(timeout?: string): Promise<PendingDecision | undefined>;
  /** Confirms a chosen placeholder against Plex and makes it the match; undefined when it cannot stand. */
  choosePlaceholder(placeholderId: string, actor: string): Promise<PlaceholderChoice | undefined>;
  /** Waits out the undo window after an approval; true when it was recalled (`undone` runs first). */
  recalledInUndoWindow(decisionId: string, actor: string, undone?: () => void, patchId?: string): Promise<boolean>;
  /** Holds the invoice for goods receipt until a placeholder appears, a clerk decides, or the hold expires. */
  holdForReceipt(decisionId: string, actor: string): Promise<'arrived' | 'decided' | 'expired'>;
}

/** Fields whose change can change which rule applies. */
const POLICY_FIELDS = ['total', 'currency', 'vendorName', 'poNumber'];

/** The step definition the invoice waits on, or undefined. */
export function currentStep(policy: PolicyVersion, path: ApprovalPath | undefined): PolicyStep | undefined {
  return path && path.current !== null ? policy.policy.rules[path.ruleIndex]?.steps[path.current] : undefined;
}

/** May this decision's author approve the step waiting now? (The Update's validator and handler ask.) */
export function checkPolicyApproval(
  policy: PolicyVersion,
  state: InvoiceState,
  decision: ReviewDecision,
): ApprovalCheck {
  const step = currentStep(policy, state.approval);
  if (!step || !state.approval) return { ok: false, fourEyes: false, reason: 'No approval step is waiting.' };
  const claim = {
    actor: decision.actor,
    role: decision.approver?.role ?? null,
    delegators: decision.approver?.delegators ?? [],
  };
  return approvalCheck(
    step,
    state.approval.current!,
    approvalHistory(state.approval, state.uploadedBy),
    claim,
    decision.override === true && Boolean(decision.reason),
  );
}

export async function policyReview(deps: PolicyReviewDeps): Promise<'approved' | 'rejected'> {
  const { state, policy } = deps;
  let humanTouched = deps.humanTouched;
  for (;;) {
    state.approval = newApprovalPath(
      policy.version,
      policy.policy,
      policyFacts(state.fields, state.match),
      state.approval,
    );
    const path = state.approval;
    const reasons = reviewReasons(state, path.autoApprove.threshold, humanTouched);
    if (!path.autoApprove.allowed)
      reasons.unshift(`Approval policy v${path.policyVersion}, rule "${path.rule}": no auto-approval.`);
    state.reviewReasons = reasons;
    if (reasons.length === 0) {
      state.decisions.push({
        id: 'auto',
        action: 'auto_approve',
        actor: 'system',
        corrections: {},
        at: new Date().toISOString(),
      });
      await deps.transition('approved', {
        key: 'decision:auto',
        kind: 'review.auto_approved',
        actor: 'system',
        data: {
          confidence: state.extraction?.confidence,
          matchScore: state.match?.score,
          policyVersion: path.policyVersion,
          rule: path.rule,
          threshold: path.autoApprove.threshold,
        },
      });
      // Recalled in its undo window: the policy is evaluated again, with a person's hand on the invoice.
      if (await deps.recalledInUndoWindow('auto', 'system', undefined, 'auto-approval-undo-window')) {
        humanTouched = true;
        continue;
      }
      return 'approved';
    }
    const outcome = await runSteps(deps, path);
    if (outcome !== 'reevaluate') return outcome;
    humanTouched = true;
  }
}

async function runSteps(deps: PolicyReviewDeps, path: ApprovalPath): Promise<'approved' | 'rejected' | 'reevaluate'> {
  const { state } = deps;
  const policyData = { policyVersion: path.policyVersion, rule: path.rule };
  for (const [i, step] of path.steps.entries()) {
    const key = `${path.evaluation}:${i}`;
    path.current = i;
    step.startedAt = new Date().toISOString();
    state.escalated = false;
    await deps.transition('awaiting_review', {
      key: `review-required:${key}`,
      kind: 'review.required',
      actor: 'system',
      data: { reasons: state.reviewReasons, ...policyData, step: step.name, who: step.who },
    });
    while (step.approvals.length < step.required) {
      const decision = await deps.nextDecision(step.escalatedAt ? undefined : step.sla);
      if (!decision) {
        step.escalatedAt = new Date().toISOString();
        state.escalated = true;
        await deps.transition('escalated', {
          key: `escalated:${key}`,
          kind: 'review.escalated',
          actor: 'system',
          data: { after: step.sla, ...policyData, step: step.name },
        });
        await deps.announceEscalation(`escalated:${key}`, [
          `Approval step "${step.name}" (${step.who}) has waited longer than ${step.sla}.`,
          ...state.reviewReasons,
        ]);
        continue;
      }
      const outcome = await decide(deps, path, i, step, decision);
      if (outcome !== 'counted' && outcome !== 'waiting') return outcome;
    }
    step.doneAt = new Date().toISOString();
  }
  return 'approved'; // not reached: the last approval returns from decide()
}

/**
 * The boxes a clerk picked for the corrections, carried into the decision record when there are any (a
 * record without them is the one earlier versions made: no command depends on it, so histories replay).
 */
export function pickedBoxes(decision: Pick<PendingDecision, 'provenance'>): Pick<DecisionRecord, 'provenance'> {
  return decision.provenance && Object.keys(decision.provenance).length > 0 ? { provenance: decision.provenance } : {};
}

async function decide(
  deps: PolicyReviewDeps,
  path: ApprovalPath,
  i: number,
  step: ApprovalPath['steps'][number],
  decision: PendingDecision,
): Promise<'approved' | 'rejected' | 'reevaluate' | 'counted' | 'waiting'> {
  const { state } = deps;
  const check = decision.check?.ok ? decision.check : undefined;
  const corrections = decision.corrections as Record<string, string>;
  const changed = Object.keys(corrections).filter(
    (k) => (state.fields as unknown as Record<string, string | null>)[k] !== corrections[k],
  );
  const record: DecisionRecord = {
    id: decision.id,
    action: decision.action,
    actor: decision.actor,
    reason: decision.reason,
    corrections,
    ...pickedBoxes(decision),
    at: new Date().toISOString(),
    step: step.name,
    onBehalfOf: check?.onBehalfOf ?? null,
    override: check?.override ?? false,
  };
  state.decisions.push(record);
  const poBefore = state.fields.poNumber;
  if (changed.length > 0) {
    deps.correct(corrections);
    if (!path.correctedBy.includes(decision.actor)) path.correctedBy.push(decision.actor);
  }
  await deps.recordDecision(record);
  const audit = {
    key: `decision:${decision.id}`,
    actor: decision.actor,
    data: {
      reason: decision.reason,
      corrections,
      policyVersion: path.policyVersion,
      rule: path.rule,
      step: step.name,
      onBehalfOf: record.onBehalfOf,
    },
  };
  if (decision.action === 'reject') {
    await deps.transition('rejected', { ...audit, kind: 'review.rejected' });
    return 'rejected';
  }
  if (decision.action === 'hold') {
    // The policy decides afresh once the receipt is in (or the hold ends).
    await deps.holdForReceipt(decision.id, decision.actor);
    return 'reevaluate';
  }
  if (decision.action === 'send_back' || state.fields.poNumber !== poBefore) {
    await deps.transition('matching', {
      ...audit,
      kind: decision.action === 'send_back' ? 'review.sent_back' : 'review.corrected',
    });
    await deps.rematch();
    return 'reevaluate';
  }
  if (changed.some((k) => POLICY_FIELDS.includes(k))) {
    // The approval was given for other facts: the policy decides again who must approve these.
    await deps.transition(state.status, {
      ...audit,
      kind: 'review.corrected',
      data: { ...audit.data, reevaluated: true },
    });
    return 'reevaluate';
  }
  let choice: PlaceholderChoice | undefined;
  if (decision.placeholderId !== undefined) {
    choice = await deps.choosePlaceholder(decision.placeholderId, decision.actor);
    if (!choice) return 'waiting';
  }
  if (!state.match || !isUnambiguous(state.match)) {
    state.errors.push(`Approval by ${decision.actor} could not be applied: ${state.match?.reason ?? 'no match'}.`);
    return 'waiting';
  }
  const approvedAudit = choice ? { ...audit, data: { ...audit.data, placeholderChoice: choice } } : audit;
  step.approvals.push({
    actor: decision.actor,
    onBehalfOf: record.onBehalfOf ?? null,
    at: record.at,
    override: record.override ?? false,
  });
  if (record.override)
    await deps.transition(state.status, {
      ...audit,
      key: `override:${decision.id}`,
      kind: 'review.four_eyes_override',
    });
  const last = i === path.steps.length - 1 && step.approvals.length >= step.required;
  if (last) {
    step.doneAt = record.at;
    path.current = null;
    await deps.transition('approved', { ...approvedAudit, kind: 'review.approved' });
  } else {
    await deps.transition(state.status, {
      ...approvedAudit,
      kind: 'review.step_approved',
      data: { ...approvedAudit.data, approvals: step.approvals.length, required: step.required },
    });
  }
  // A recalled approval no longer counts: the step waits for an approver again.
  const recalled = await deps.recalledInUndoWindow(decision.id, decision.actor, () => {
    step.approvals.pop();
    step.doneAt = null;
    path.current = i;
  });
  if (recalled) return 'waiting';
  return last ? 'approved' : 'counted';
}
