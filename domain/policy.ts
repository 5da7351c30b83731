// Approval policies: who must approve which invoice. A policy is an ordered list of rules (first match
// wins, the last one matches everything); a rule says whether the invoice may be approved automatically
// and which approval steps it must pass. Stored versioned (db/policies.ts), carried in the workflow
// input, evaluated by pure code (domain/approval.ts).
import { z } from 'zod';
import { isCatchAll, POLICY_ROLES } from './approval.js';
import { compareDecimals, parseDecimal } from './decimal.js';

export const PolicyRole = z.enum(POLICY_ROLES, { error: 'Choose a role: clerk, ops or admin.' });
export type PolicyRole = z.infer<typeof PolicyRole>;

/** An SLA as the workflow's timer takes it (a Temporal duration string): 30m, 24h, 2d. */
const DURATION = /^(\d+)(ms|s|m|h|d)$/;

const Email = z.string().trim().toLowerCase().pipe(z.email('Named approvers are given by email address.'));
/** Amounts as typed decimals in the invoice's own currency; compared exactly (domain/decimal.ts). */
const Amount = z
  .string()
  .trim()
  .regex(/^\d{1,15}(\.\d{1,4})?$/, 'Amounts are plain numbers like 10000 or 2500.50.');
const Names = z.array(z.string().trim().min(1).max(200)).min(1).max(200);

export const Approvers = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('role'), role: PolicyRole }),
  z.object({ kind: z.literal('users'), users: z.array(Email).min(1, 'Name at least one approver.').max(50) }),
]);
export type Approvers = z.infer<typeof Approvers>;

export const PolicyStep = z
  .object({
    name: z.string().trim().min(1, 'Every step needs a name.').max(80),
    approvers: Approvers,
    /** How many different people must approve this step. */
    required: z
      .number()
      .int()
      .min(1, 'A step needs at least one approval.')
      .max(5, 'A step takes at most 5 approvals.'),
    /** How long the step may wait before it escalates, e.g. 4h, 2d. */
    sla: z.string().regex(DURATION, 'An SLA is a duration like 30m, 24h or 2d.'),
  })
  .refine((s) => s.approvers.kind === 'role' || s.required <= s.approvers.users.length, {
    message: 'A step cannot require more approvals than it names approvers.',
    path: ['required'],
  });
export type PolicyStep = z.infer<typeof PolicyStep>;

/** What a rule looks at. An absent condition matches anything; a rule with none is the catch-all. */
export const RuleConditions = z.object({
  /** Supplier names (compared without case, punctuation or legal form) or Plex supplier codes. */
  suppliers: Names.optional(),
  /** The name of one of the policy's supplier groups. */
  supplierGroup: z.string().trim().min(1).optional(),
  /** The total is above this (exclusive)… */
  amountOver: Amount.optional(),
  /** …and at most this (inclusive). A credit note is compared by its absolute amount. */
  amountUpTo: Amount.optional(),
  currencies: z
    .array(
      z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, 'Currencies are ISO codes like USD.'),
    )
    .min(1)
    .optional(),
  /** The invoice names or was matched to a PO. */
  poPresent: z.boolean().optional(),
  /** Matching left warnings (amount outside tolerance, three-way mismatch, near-duplicate…). */
  matchWarnings: z.boolean().optional(),
  creditNote: z.boolean().optional(),
  /** Plex department / building code of the matched PO. */
  departments: Names.optional(),
  buildings: Names.optional(),
});
export type RuleConditions = z.infer<typeof RuleConditions>;

export const PolicyRule = z.object({
  name: z.string().trim().min(1, 'Every rule needs a name.').max(80),
  when: RuleConditions,
  autoApprove: z.object({
    allowed: z.boolean(),
    /** Extraction confidence at or above which a cleanly matched invoice needs no person. */
    threshold: z
      .number()
      .min(0, 'A confidence threshold is between 0 and 1.')
      .max(1, 'A confidence threshold is between 0 and 1.'),
  }),
  steps: z
    .array(PolicyStep)
    .min(1, 'A rule needs at least one approval step (used whenever it is not auto-approved).')
    .max(5),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

export const SupplierGroup = z.object({ name: z.string().trim().min(1).max(80), suppliers: Names });
export type SupplierGroup = z.infer<typeof SupplierGroup>;

export const Policy = z
  .object({
    supplierGroups: z.array(SupplierGroup).max(100).default([]),
    rules: z.array(PolicyRule).min(1, 'A policy needs at least its catch-all rule.').max(50),
  })
  .superRefine((policy, ctx) => {
    const last = policy.rules.at(-1);
    if (last && !isCatchAll(last.when)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rules', policy.rules.length - 1],
        message: `The last rule ("${last.name}") must match every invoice: leave its conditions empty.`,
      });
    }
    const groups = new Set<string>();
    for (const g of policy.supplierGroups) {
      if (groups.has(g.name.toLowerCase()))
        ctx.addIssue({
          code: 'custom',
          path: ['supplierGroups'],
          message: `Two supplier groups are named "${g.name}".`,
        });
      groups.add(g.name.toLowerCase());
    }
    policy.rules.forEach((rule, i) => {
      const { supplierGroup, amountOver, amountUpTo } = rule.when;
      if (supplierGroup && !groups.has(supplierGroup.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'when', 'supplierGroup'],
          message: `Rule "${rule.name}" names a supplier group "${supplierGroup}" that does not exist.`,
        });
      }
      // Checks run on in spite of a malformed amount (its own message says so): compare only real numbers.
      const bounds = amountOver && amountUpTo && parseDecimal(amountOver) && parseDecimal(amountUpTo);
      if (bounds && compareDecimals(amountOver, amountUpTo) >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'when'],
          message: `Rule "${rule.name}": "over" must be below "up to".`,
        });
      }
    });
  });
export type Policy = z.infer<typeof Policy>;
export type PolicyInput = z.input<typeof Policy>;

/** A stored policy as a workflow carries it: the version in force when the invoice arrived. */
export const PolicyVersion = z.object({ version: z.number().int().min(1), policy: Policy });
export type PolicyVersion = z.infer<typeof PolicyVersion>;
