// What the workflow code checks in everything it receives: the invoice workflow's input, the review and
// recall Updates, the replay and question signals, the mailbox and folder pollers' inputs and settings.
//
// Written with valibot, not zod, and imported by nothing in workflows/ that imports zod: the SDK evaluates
// the workflow code's modules anew for every workflow it runs or keeps cached, and zod with the domain's
// schemas cost each cached workflow ~1.5 MB of heap and ~13 ms of CPU, where valibot's module costs ~80 KB
// and under 1 ms (docs/benchmarks.md). test/workflows/bundle.test.ts keeps zod out of the workflow bundle.
//
// Where the web parses the same shape with zod (a review decision with its corrections and picked boxes, a
// policy: domain/invoice.ts, domain/extraction.ts, domain/policy.ts), the schemas here are its twins:
// test/domain/workflow-inputs.test.ts holds each pair to the same verdicts and the same output on generated
// values, and to the same TypeScript type. The shapes only the workflows receive are defined here alone.
import * as v from 'valibot';
import { isCatchAll, POLICY_ROLES } from './approval.js';
import { compareDecimals, parseDecimal } from './decimal.js';
import { validateInvoiceNumber } from './invoice-number.js';

// valibot's object() takes an array for an object (zod does not): an all-optional object would pass [].
const notArray = v.custom<Record<string, unknown>>(
  (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
  'expected an object',
);
const object = <E extends v.ObjectEntries>(entries: E) => v.pipe(notArray, v.object(entries));
const strictObject = <E extends v.ObjectEntries>(entries: E) => v.pipe(notArray, v.strictObject(entries));
const text = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.minLength(min), v.maxLength(max));
const Reason = v.pipe(v.string(), v.trim(), v.maxLength(2000));
const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(v.number(), v.safeInteger(), v.minValue(min), v.maxValue(max));
const Duration = v.pipe(v.string(), v.regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration like 30m, 24h or 2d'));

// ---- Policies (twin of domain/policy.ts; the admin's policy page parses them with zod and its messages) ----

const PolicyRole = v.picklist(POLICY_ROLES, 'Choose a role: clerk, ops or admin.');
/** The pattern zod's `email()` checks, so that the workflow takes every address the policy page saved. */
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const Email = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(EMAIL, 'Named approvers are given by email address.'),
);
const Amount = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{1,15}(\.\d{1,4})?$/, 'Amounts are plain numbers like 10000 or 2500.50.'),
);
const Names = v.pipe(v.array(text(1, 200)), v.minLength(1), v.maxLength(200));

const Approvers = v.variant('kind', [
  v.object({ kind: v.literal('role'), role: PolicyRole }),
  v.object({ kind: v.literal('users'), users: v.pipe(v.array(Email), v.minLength(1), v.maxLength(50)) }),
]);
const PolicyStep = v.pipe(
  object({ name: text(1, 80), approvers: Approvers, required: wholeNumber(1, 5), sla: Duration }),
  v.check(
    (s) => s.approvers.kind === 'role' || s.required <= s.approvers.users.length,
    'A step cannot require more approvals than it names approvers.',
  ),
);
const RuleConditions = object({
  suppliers: v.optional(Names),
  supplierGroup: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1))),
  amountOver: v.optional(Amount),
  amountUpTo: v.optional(Amount),
  currencies: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{3}$/))), v.minLength(1)),
  ),
  poPresent: v.optional(v.boolean()),
  matchWarnings: v.optional(v.boolean()),
  creditNote: v.optional(v.boolean()),
  departments: v.optional(Names),
  buildings: v.optional(Names),
});
const PolicyRule = object({
  name: text(1, 80),
  when: RuleConditions,
  autoApprove: object({ allowed: v.boolean(), threshold: v.pipe(v.number(), v.minValue(0), v.maxValue(1)) }),
  steps: v.pipe(v.array(PolicyStep), v.minLength(1), v.maxLength(5)),
});
const SupplierGroup = object({ name: text(1, 80), suppliers: Names });
const Policy = v.pipe(
  object({
    supplierGroups: v.optional(v.pipe(v.array(SupplierGroup), v.maxLength(100)), () => []),
    rules: v.pipe(v.array(PolicyRule), v.minLength(1), v.maxLength(50)),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const policy = dataset.value;
    const last = policy.rules.at(-1);
    if (last && !isCatchAll(last.when))
      addIssue({ message: `The last rule ("${last.name}") must match every invoice.` });
    const groups = new Set<string>();
    for (const g of policy.supplierGroups) {
      if (groups.has(g.name.toLowerCase())) addIssue({ message: `Two supplier groups are named "${g.name}".` });
      groups.add(g.name.toLowerCase());
    }
    for (const rule of policy.rules) {
      const { supplierGroup, amountOver, amountUpTo } = rule.when;
      if (supplierGroup && !groups.has(supplierGroup.toLowerCase()))
        addIssue({ message: `Rule "${rule.name}" names a supplier group "${supplierGroup}" that does not exist.` });
      const bounds = amountOver && amountUpTo && parseDecimal(amountOver) && parseDecimal(amountUpTo);
      if (bounds && compareDecimals(amountOver, amountUpTo) >= 0)
        addIssue({ message: `Rule "${rule.name}": "over" must be below "up to".` });
    }
  }),
);
export const PolicyVersion = object({ version: wholeNumber(1), policy: Policy });

// ---- A clerk's corrections and where they were picked (twins of domain/extraction.ts) ----

const IsoDate = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'));
const DecimalString = v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?$/, 'expected a decimal like 1234.56'));
export const FieldCorrections = strictObject({
  // What is written to Plex: the same rule as a Plex write (domain/invoice-number.ts).
  invoiceNumber: v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const checked = validateInvoiceNumber(dataset.value);
        if (checked.ok) return checked.value;
        addIssue({ message: checked.reason });
        return NEVER;
      }),
    ),
  ),
  invoiceDate: v.optional(IsoDate),
  dueDate: v.optional(IsoDate),
  vendorName: v.optional(text(1, 200)),
  total: v.optional(DecimalString),
  tax: v.optional(DecimalString),
  subtotal: v.optional(DecimalString),
  amountDue: v.optional(DecimalString),
  currency: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like USD'))),
  poNumber: v.optional(text(1, 64)),
});
const finite = v.pipe(v.number(), v.finite());
const PickedBox = object({
  page: wholeNumber(1),
  box: object({
    x: finite,
    y: finite,
    width: v.pipe(finite, v.gtValue(0, 'the box must have a width')),
    height: v.pipe(finite, v.gtValue(0, 'the box must have a height')),
  }),
});
export const CorrectionProvenance = strictObject({
  invoiceNumber: v.optional(PickedBox),
  invoiceDate: v.optional(PickedBox),
  dueDate: v.optional(PickedBox),
  vendorName: v.optional(PickedBox),
  total: v.optional(PickedBox),
  tax: v.optional(PickedBox),
  subtotal: v.optional(PickedBox),
  amountDue: v.optional(PickedBox),
  currency: v.optional(PickedBox),
  poNumber: v.optional(PickedBox),
});

// ---- The invoice workflow's input and messages ----

export const InvoiceWorkflowInput = object({
  invoiceId: v.pipe(v.string(), v.minLength(1)),
  documentSha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  fileName: v.string(),
  uploadedBy: v.string(),
  settings: object({
    autoApproveThreshold: v.pipe(v.number(), v.minValue(0), v.maxValue(1.01)),
    escalateAfter: Duration,
    sync: object({ maxAttempts: wholeNumber(1), initialInterval: Duration, maximumInterval: Duration }),
    /** How long a clerk's approval waits before the sync starts, so it can be taken back; 0s = no wait. */
    undoWindow: v.optional(Duration),
    /** Held for goods receipt: the first re-check after `recheck` (doubling, at most daily), for at most `max`. */
    hold: v.optional(object({ recheck: Duration, max: Duration })),
    /** An open question on the invoice stops its escalation clock until answered (QUESTIONS_PAUSE_ESCALATION). */
    questionsPauseEscalation: v.optional(v.boolean()),
  }),
  /** The approval policy in force when the invoice arrived; absent = no policy saved (one reviewer). */
  policy: v.optional(PolicyVersion),
  /** A part of a file that held several invoices (pages, 1-based): it is read as one invoice, never split again. */
  partOf: v.optional(
    object({ sourceInvoiceId: v.pipe(v.string(), v.minLength(1)), fromPage: wholeNumber(1), toPage: wholeNumber(1) }),
  ),
});
export type InvoiceWorkflowInput = v.InferOutput<typeof InvoiceWorkflowInput>;

/** A clerk's decision, delivered to the workflow as an Update (twin of domain/invoice.ts's). */
export const ReviewDecisionInput = v.pipe(
  object({
    action: v.picklist(['approve', 'reject', 'send_back', 'hold']),
    actor: v.pipe(v.string(), v.minLength(1, 'the decision needs its author')),
    reason: v.optional(Reason),
    corrections: v.optional(FieldCorrections, () => ({})),
    provenance: v.optional(CorrectionProvenance),
    placeholderId: v.optional(text(1, 100)),
    approver: v.optional(
      object({
        role: v.nullable(PolicyRole),
        delegators: v.optional(v.array(object({ email: v.string(), role: PolicyRole })), () => []),
      }),
    ),
    override: v.optional(v.boolean()),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const d = dataset.value;
    if (d.action === 'reject' && !d.reason) addIssue({ message: 'a rejection needs a reason' });
    if (d.override && !d.reason) addIssue({ message: 'a four-eyes override needs a reason' });
  }),
);

/** Taking back an approval while its undo window is open (before the sync starts). */
export const RecallInput = object({
  actor: v.pipe(v.string(), v.minLength(1, 'the recall needs its author')),
  /** The approval being taken back, when the caller knows it: a later approval is never recalled by mistake. */
  decisionId: v.optional(v.pipe(v.string(), v.minLength(1))),
  reason: v.optional(Reason),
});
export type RecallInput = v.InferOutput<typeof RecallInput>;

/** A question on the invoice opened or answered (the comment thread, db/comments.ts), by its comment id. */
export const QuestionInput = object({
  questionId: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  actor: v.pipe(v.string(), v.minLength(1)),
});
export type QuestionInput = v.InferOutput<typeof QuestionInput>;

export const RetrySyncInput = object({ actor: v.pipe(v.string(), v.minLength(1)) });
export type RetrySyncInput = v.InferOutput<typeof RetrySyncInput>;

// ---- Ingestion pollers (domain/ingest.ts has the rest of their shapes) ----

/** A mailbox's id (the admin page checks it with the same pattern and words, domain/ingest.ts). */
export const MAILBOX_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MAILBOX_ID_RULE = 'The id uses lower-case letters, digits and dashes (at most 40).';
const pollSettings = {
  /** Without IDLE (or after a failed round): wait this long between polls. */
  pollInterval: v.string(),
  /** The longest single IDLE; the mailbox is listed again afterwards even if nothing was announced. */
  idleMaxMs: v.pipe(v.number(), v.safeInteger(), v.gtValue(0)),
};
export const MailboxPollerInput = object({
  mailboxId: v.pipe(v.string(), v.regex(MAILBOX_ID, MAILBOX_ID_RULE)),
  ...pollSettings,
});
export type MailboxPollerInput = v.InferOutput<typeof MailboxPollerInput>;

/**
 * The `pollNow` signal's optional argument: the sender's current poll settings. The worker sends its own
 * when it starts (so a changed INGEST_POLL_INTERVAL / INGEST_IDLE_MAX reaches running pollers at once),
 * the admin page the web app's; a signal without it only wakes the poller.
 */
export const PollSettings = v.pipe(notArray, v.partial(v.object(pollSettings)));
export type PollSettings = v.InferOutput<typeof PollSettings>;

export const FolderWatcherInput = object({ path: v.pipe(v.string(), v.minLength(1)), scanInterval: v.string() });
export type FolderWatcherInput = v.InferOutput<typeof FolderWatcherInput>;

/** The issues of a failed check in one line: "path: message; …", `what` naming the value itself. */
const describeIssues = (issues: readonly v.BaseIssue<unknown>[], what: string): string =>
  issues.map((i) => `${v.getDotPath(i) ?? what}: ${i.message}`).join('; ');

/** `raw` checked against `schema`, or an Error naming every issue (so the workflow task fails visibly). */
export function checked<S extends v.GenericSchema>(schema: S, raw: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, raw);
  if (!result.success) throw new Error(describeIssues(result.issues, what));
  return result.output;
}
