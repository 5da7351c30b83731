// Pure rules of approval policies (no I/O; used by the workflow, the API and the pages): which rule of a
// policy an invoice falls under, who may approve a step, and segregation of duties ("four eyes"): whoever
// uploaded the invoice, corrected its fields or approved an earlier step never approves a later one.
import { compareDecimals, parseDecimal } from './decimal.js';
import { normaliseSupplierName } from './supplier-name.js';
import type { EffectiveFields, MatchResult } from './invoice.js';
import type { Policy, PolicyRole, PolicyRule, PolicyStep, RuleConditions } from './policy.js';

/** The roles an approval step can name (domain/policy.ts checks them), lowest first. */
export const POLICY_ROLES = ['clerk', 'ops', 'admin'] as const;
const RANK: Record<PolicyRole, number> = { clerk: 1, ops: 2, admin: 3 };
/** A role holds every step of its own role and of the roles below it (an admin may approve a clerk step). */
export const roleHolds = (held: PolicyRole, required: PolicyRole) => RANK[held] >= RANK[required];
/** A rule without conditions: it matches every invoice (a policy's last rule must be one). */
export const isCatchAll = (when: RuleConditions): boolean => Object.values(when).every((v) => v === undefined);

/** What a rule can look at, derived from the invoice's effective fields and its match. */
export interface PolicyFacts {
  /** The matched Plex supplier's name and code when a PO was matched, else the vendor printed on the invoice. */
  supplierNames: string[];
  supplierCode: string | null;
  /** Decimal string in the invoice currency, or null when unknown. */
  total: string | null;
  currency: string | null;
  poPresent: boolean;
  matchWarnings: boolean;
  creditNote: boolean;
  department: string | null;
  building: string | null;
}

export function policyFacts(fields: EffectiveFields, match: MatchResult | null): PolicyFacts {
  const po = match?.purchaseOrder ?? null;
  const plexNames = [po?.supplierName].filter((n): n is string => Boolean(n?.trim()));
  const total = fields.total && parseDecimal(fields.total) ? fields.total.trim() : null;
  return {
    supplierNames:
      plexNames.length || po?.supplierCode
        ? plexNames
        : [fields.vendorName].filter((n): n is string => Boolean(n?.trim())),
    supplierCode: po?.supplierCode ?? null,
    total,
    currency: fields.currency?.trim().toUpperCase() || null,
    poPresent: Boolean(fields.poNumber?.trim()) || po !== null,
    matchWarnings: (match?.warnings.length ?? 0) > 0,
    creditNote: total !== null && compareDecimals(total, '0') < 0,
    department: po?.department ?? null,
    building: po?.building ?? null,
  };
}

const sameSupplier = (entry: string, facts: PolicyFacts) =>
  (facts.supplierCode !== null && entry.trim().toLowerCase() === facts.supplierCode.trim().toLowerCase()) ||
  facts.supplierNames.some((name) => normaliseSupplierName(name) === normaliseSupplierName(entry));
const inList = (list: string[], value: string | null) =>
  value !== null && list.some((v) => v.trim().toLowerCase() === value.trim().toLowerCase());
const absolute = (amount: string) => amount.replace(/^-/, '');

/** Does one rule's every condition hold? An unknown value (no total, no supplier) never satisfies a condition. */
export function ruleMatches(when: RuleConditions, facts: PolicyFacts, groups: Policy['supplierGroups']): boolean {
  if (when.suppliers && !when.suppliers.some((s) => sameSupplier(s, facts))) return false;
  if (when.supplierGroup) {
    const group = groups.find((g) => g.name.toLowerCase() === when.supplierGroup!.toLowerCase());
    if (!group || !group.suppliers.some((s) => sameSupplier(s, facts))) return false;
  }
  if (when.amountOver !== undefined || when.amountUpTo !== undefined) {
    if (facts.total === null) return false;
    const amount = absolute(facts.total);
    if (when.amountOver !== undefined && compareDecimals(amount, when.amountOver) <= 0) return false;
    if (when.amountUpTo !== undefined && compareDecimals(amount, when.amountUpTo) > 0) return false;
  }
  if (when.currencies && !inList(when.currencies, facts.currency)) return false;
  if (when.poPresent !== undefined && when.poPresent !== facts.poPresent) return false;
  if (when.matchWarnings !== undefined && when.matchWarnings !== facts.matchWarnings) return false;
  if (when.creditNote !== undefined && when.creditNote !== facts.creditNote) return false;
  if (when.departments && !inList(when.departments, facts.department)) return false;
  if (when.buildings && !inList(when.buildings, facts.building)) return false;
  return true;
}

/** The first rule that matches. A valid policy ends with a catch-all, so there always is one. */
export function evaluatePolicy(policy: Policy, facts: PolicyFacts): { index: number; rule: PolicyRule } {
  const index = policy.rules.findIndex((rule) => ruleMatches(rule.when, facts, policy.supplierGroups));
  if (index < 0) throw new Error('The policy has no catch-all rule.'); // Policy's schema refuses such a policy
  return { index, rule: policy.rules[index]! };
}

/** Who did what on this invoice so far, as four eyes needs it. */
export interface ApprovalHistory {
  uploadedBy: string;
  correctedBy: string[];
  approvals: { step: number; actor: string; onBehalfOf: string | null }[];
}

/** Why `person` may not approve step `stepIndex`, or null. Compares emails without case. */
export function fourEyesConflict(person: string, stepIndex: number, history: ApprovalHistory): string | null {
  const same = (a: string | null) => a !== null && a.toLowerCase() === person.toLowerCase();
  if (same(history.uploadedBy)) return `${person} uploaded this invoice`;
  if (history.correctedBy.some(same)) return `${person} corrected its fields`;
  if (history.approvals.some((a) => a.step < stepIndex && (same(a.actor) || same(a.onBehalfOf))))
    return `${person} approved an earlier step`;
  if (history.approvals.some((a) => a.step === stepIndex && (same(a.actor) || same(a.onBehalfOf))))
    return `${person} has already approved this step`;
  return null;
}

/** Whether someone holds a step by role or by name (before four eyes). */
export const holdsStep = (step: PolicyStep, email: string, role: PolicyRole | null) =>
  step.approvers.kind === 'role'
    ? role !== null && roleHolds(role, step.approvers.role)
    : step.approvers.users.includes(email.toLowerCase());

/** The approver as the web app vouches for them: their role, and whoever delegated to them right now. */
export interface ApproverClaim {
  actor: string;
  role: PolicyRole | null;
  delegators: { email: string; role: PolicyRole }[];
}

export type ApprovalCheck =
  { ok: true; onBehalfOf: string | null; override: boolean } | { ok: false; reason: string; fourEyes: boolean };

/**
 * May this person approve step `stepIndex` now? Four eyes applies to the person acting and to whoever
 * they act for. An admin may override a four-eyes refusal only by asking to (`override`, with a reason
 * the caller records): never silently.
 */
export function approvalCheck(
  step: PolicyStep,
  stepIndex: number,
  history: ApprovalHistory,
  claim: ApproverClaim,
  override = false,
): ApprovalCheck {
  const conflict = fourEyesConflict(claim.actor, stepIndex, history);
  const canOverride = override && claim.role === 'admin';
  if (conflict && !canOverride) {
    return {
      ok: false,
      fourEyes: true,
      reason: `Four eyes: ${conflict}, so cannot approve the step "${step.name}".${claim.role === 'admin' ? ' An admin may override this with a reason.' : ''}`,
    };
  }
  if (holdsStep(step, claim.actor, claim.role)) return { ok: true, onBehalfOf: null, override: conflict !== null };
  for (const d of claim.delegators) {
    if (holdsStep(step, d.email, d.role) && !fourEyesConflict(d.email, stepIndex, history))
      return { ok: true, onBehalfOf: d.email, override: conflict !== null };
  }
  return {
    ok: false,
    fourEyes: false,
    reason: `${claim.actor} is not an approver of the step "${step.name}" (${describeApprovers(step)}).`,
  };
}

export function describeApprovers(step: PolicyStep): string {
  const who = step.approvers.kind === 'role' ? `role ${step.approvers.role}` : step.approvers.users.join(', ');
  return step.required > 1 ? `${step.required} of ${who}` : who;
}

export interface DirectoryUser {
  email: string;
  role: PolicyRole;
  disabled: boolean;
}
export interface ActiveDelegation {
  user: string;
  delegate: string;
  from: Date;
  to: Date;
}

/** Everyone who may approve the step now (each once; `onBehalfOf` when only as someone's delegate). */
export function eligibleApprovers(
  step: PolicyStep,
  stepIndex: number,
  history: ApprovalHistory,
  users: DirectoryUser[],
  delegations: ActiveDelegation[],
  now: Date,
): { email: string; onBehalfOf: string | null }[] {
  const active = users.filter((u) => !u.disabled);
  const roleOf = new Map(active.map((u) => [u.email.toLowerCase(), u.role]));
  const current = delegations.filter((d) => d.from <= now && now < d.to);
  const out: { email: string; onBehalfOf: string | null }[] = [];
  for (const user of active) {
    const delegators = current
      .filter((d) => d.delegate.toLowerCase() === user.email.toLowerCase() && roleOf.has(d.user.toLowerCase()))
      .map((d) => ({ email: d.user.toLowerCase(), role: roleOf.get(d.user.toLowerCase())! }));
    const check = approvalCheck(step, stepIndex, history, {
      actor: user.email.toLowerCase(),
      role: user.role,
      delegators,
    });
    if (check.ok) out.push({ email: user.email.toLowerCase(), onBehalfOf: check.onBehalfOf });
  }
  return out;
}

/** One step of an invoice's approval path, as the workflow state and the pages show it. */
export interface ApprovalPathStep {
  name: string;
  /** "2 of role clerk", "ann@x.test": who may approve, in words. */
  who: string;
  required: number;
  sla: string;
  approvals: { actor: string; onBehalfOf: string | null; at: string; override: boolean }[];
  startedAt: string | null;
  escalatedAt: string | null;
  doneAt: string | null;
}

/** The rule an invoice fell under and how far its steps have come. */
export interface ApprovalPath {
  policyVersion: number;
  ruleIndex: number;
  rule: string;
  autoApprove: { allowed: boolean; threshold: number };
  steps: ApprovalPathStep[];
  /** The step waiting for approval, or null (not yet reviewing, or all done). */
  current: number | null;
  /** Everyone who changed a field: four eyes keeps them off every step from then on. */
  correctedBy: string[];
  /** 1 for the first evaluation, +1 each time a send-back or a correction re-evaluated the policy. */
  evaluation: number;
}

export function newApprovalPath(
  policyVersion: number,
  policy: Policy,
  facts: PolicyFacts,
  previous?: ApprovalPath,
): ApprovalPath {
  const { index, rule } = evaluatePolicy(policy, facts);
  return {
    policyVersion,
    ruleIndex: index,
    rule: rule.name,
    autoApprove: rule.autoApprove,
    steps: rule.steps.map((s) => ({
      name: s.name,
      who: describeApprovers(s),
      required: s.required,
      sla: s.sla,
      approvals: [],
      startedAt: null,
      escalatedAt: null,
      doneAt: null,
    })),
    current: null,
    correctedBy: previous?.correctedBy ?? [],
    evaluation: (previous?.evaluation ?? 0) + 1,
  };
}

export const approvalHistory = (path: ApprovalPath, uploadedBy: string): ApprovalHistory => ({
  uploadedBy,
  correctedBy: path.correctedBy,
  approvals: path.steps.flatMap((s, step) =>
    s.approvals.map((a) => ({ step, actor: a.actor, onBehalfOf: a.onBehalfOf })),
  ),
});
