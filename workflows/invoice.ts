// One invoice's lifecycle: parse → match → review (auto or clerk, with escalation) → Plex sync → audit.
// Deterministic: all I/O happens in activities; the state object is what the query returns.
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  condition,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createActivities } from '../activities/index.js';
import {
  InvoiceWorkflowInput,
  REVIEWABLE,
  RetrySyncInput,
  ReviewDecisionInput,
  type DecisionRecord,
  type InvoiceState,
  type InvoiceStatus,
} from '../domain/invoice.js';
import { isUnambiguous } from '../domain/match.js';
import { effectiveFields, reviewReasons } from './rules.js';
import { checkPolicyApproval, currentStep, policyReview, type PendingDecision } from './approval.js';
import {
  ApprovalStepKey,
  InvoiceNumberKey,
  InvoiceStatusKey,
  InvoiceTotalKey,
  PoNumberKey,
  VendorNameKey,
} from '../domain/search-attributes.js';
import { plexTaskQueue } from '../domain/task-queues.js';
import { invoiceStateQuery, retrySyncSignal, reviewUpdate } from './messages.js';
import { notificationWorkflow } from './notify.js';

type Activities = ReturnType<typeof createActivities>;

// Read-model and audit writes: cheap and idempotent, so retry them for as long as the database is away.
const quick = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});
// Parsing is CPU-bound and deterministic: a few attempts cover a crashed worker; a bad file will not
// get better, so DocumentError fails at once.
const parsing = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '2s', maximumAttempts: 3, nonRetryableErrorTypes: ['DocumentError'] },
});
export async function invoiceWorkflow(rawInput: InvoiceWorkflowInput): Promise<InvoiceState> {
  const input = InvoiceWorkflowInput.parse(rawInput);
  // Plex activities run on their own, rate-limited task queue (worker/create.ts).
  const plexQueue = plexTaskQueue(workflowInfo().taskQueue);
  // Plex reads: ride out short outages (~10 minutes) before handing the invoice to a clerk.
  const plexRead = proxyActivities<Activities>({
    taskQueue: plexQueue,
    startToCloseTimeout: '2m',
    heartbeatTimeout: '15s', // the match heartbeats: a dead worker's match is retried within seconds
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 12 },
  });
  // Plex writes: bounded retries (configured per deployment), then the invoice parks in sync_failed.
  const plexWrite = proxyActivities<Activities>({
    taskQueue: plexQueue,
    // A re-read (with the client's quick retries) plus the write, each bounded by the Plex timeout.
    startToCloseTimeout: '5m',
    heartbeatTimeout: '10s', // a worker that dies mid-write is noticed in seconds; the retry re-reads first
    retry: {
      initialInterval: input.settings.sync.initialInterval,
      backoffCoefficient: 2,
      maximumInterval: input.settings.sync.maximumInterval,
      maximumAttempts: input.settings.sync.maxAttempts,
    },
  });

  const state: InvoiceState = {
    invoiceId: input.invoiceId,
    fileName: input.fileName,
    documentSha256: input.documentSha256,
    uploadedBy: input.uploadedBy,
    status: 'received',
    escalated: false,
    extraction: null,
    fields: effectiveFields(null, {}),
    match: null,
    reviewReasons: [],
    decisions: [],
    sync: { rounds: 0, lastError: null, lastErrorType: null, placeholderId: null, writtenInvoiceNumber: null, syncedAt: null },
    errors: [],
    updatedAt: new Date().toISOString(),
  };
  let corrections: Record<string, string> = {};
  let pending: PendingDecision | undefined;
  // True from the moment a decision is taken until the invoice waits for review again, so a second
  // clerk's update arriving while the first decision is being recorded is refused.
  let deciding = false;
  // Histories recorded before this rule existed must replay as they ran (see test/fixtures/histories).
  const refuseWhileDeciding = patched('refuse-second-decision-while-recording');
  let replay: RetrySyncInput | undefined;

  setHandler(invoiceStateQuery, () => state);
  setHandler(
    reviewUpdate,
    (raw) => {
      // Two updates delivered in one activation both pass their validators before either handler runs:
      // the second one fails here, so only one decision is ever taken.
      if (pending || (refuseWhileDeciding && deciding) || !REVIEWABLE.includes(state.status)) {
        throw ApplicationFailure.create({ type: 'AlreadyDecided', nonRetryable: true, message: 'This invoice is being decided by someone else; reload to see their decision.' });
      }
      const decision = ReviewDecisionInput.parse(raw);
      // Under an approval policy the step's approvers and four eyes decide (checked again here: the state
      // may have moved since the validator ran).
      const check = input.policy && decision.action === 'approve' ? checkPolicyApproval(input.policy, state, decision) : undefined;
      if (check && !check.ok) throw ApplicationFailure.create({ type: 'ApprovalRefused', nonRetryable: true, message: check.reason });
      pending = { ...decision, id: currentUpdateInfo()?.id ?? uuid4(), check };
      return { accepted: true, decisionId: pending.id };
    },
    {
      validator: (raw) => {
        if (!REVIEWABLE.includes(state.status) || pending || (refuseWhileDeciding && deciding)) {
          throw new Error(`This invoice is not awaiting review (it is ${pending || deciding ? 'being decided by someone else' : state.status.replace('_', ' ')}).`);
        }
        const parsed = ReviewDecisionInput.safeParse(raw);
        if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'decision'}: ${i.message}`).join('; '));
        const d = parsed.data;
        if (d.action === 'approve') {
          const fields = effectiveFields(state.extraction, { ...corrections, ...d.corrections });
          if (!fields.invoiceNumber) throw new Error('Cannot approve without an invoice number: enter it as a correction.');
          const poChanged = d.corrections.poNumber !== undefined && d.corrections.poNumber !== state.fields.poNumber;
          if (!poChanged && (!state.match || !isUnambiguous(state.match))) {
            throw new Error(`Cannot approve: ${state.match?.reason ?? 'no Plex placeholder was matched'}. Correct the PO number or send it back.`);
          }
          const check = input.policy && checkPolicyApproval(input.policy, state, d);
          if (check && !check.ok) throw new Error(check.reason);
        }
      },
    },
  );
  setHandler(retrySyncSignal, (raw) => {
    const parsed = RetrySyncInput.safeParse(raw);
    if (parsed.success && state.status === 'sync_failed') replay = parsed.data;
  });

  async function transition(status: InvoiceStatus, audit?: { key: string; kind: string; actor: string; data?: Record<string, unknown> }) {
    state.status = status;
    state.updatedAt = new Date().toISOString();
    const f = state.fields;
    upsertSearchAttributes([
      { key: InvoiceStatusKey, value: status },
      { key: VendorNameKey, value: f.vendorName },
      { key: PoNumberKey, value: f.poNumber },
      { key: InvoiceNumberKey, value: f.invoiceNumber },
      { key: InvoiceTotalKey, value: f.total === null ? null : Number(f.total) },
      // Only invoices under a policy carry it, so histories from before policies replay unchanged.
      ...(state.approval ? [{ key: ApprovalStepKey, value: currentStep(input.policy!, state.approval)?.name ?? null }] : []),
    ]);
    setCurrentDetails(
      `**${status.replace('_', ' ')}** · ${f.vendorName ?? 'unknown vendor'} · invoice ${f.invoiceNumber ?? '?'} · PO ${f.poNumber ?? '?'}` +
        (state.sync.lastError && status === 'sync_failed' ? `\n\nLast Plex error: ${state.sync.lastError}` : ''),
    );
    await quick.recordTransition({
      invoiceId: input.invoiceId,
      status,
      fields: f,
      confidence: state.extraction?.confidence ?? null,
      escalated: state.escalated,
      lastError: status === 'sync_failed' ? state.sync.lastError : null,
      autoApproved: state.decisions.at(-1)?.action === 'auto_approve' ? true : state.decisions.length ? false : null,
      syncedAt: state.sync.syncedAt,
      ...(state.approval ? { approval: { path: state.approval, step: currentStep(input.policy!, state.approval) ?? null, uploadedBy: input.uploadedBy } } : {}),
      audit: audit && {
        eventKey: `${workflowInfo().workflowId}:${audit.key}`,
        kind: audit.kind,
        actor: audit.actor,
        data: { status, ...audit.data },
      },
    });
  }

  // Escalations and failed syncs are announced by a child workflow (workflows/notify.ts) that may outlive
  // this one: the invoice never waits for a mail server. The child's id makes the announcement once-only;
  // it derives from the invoice id (which is the workflow id), so recorded histories replay under any id.
  async function announce(event: 'escalated' | 'sync_failed', key: string, reasons: string[]) {
    const workflowId = input.invoiceId;
    try {
      await startChild(notificationWorkflow, {
        workflowId: `${workflowId}:notify:${key}`,
        args: [{ key: `${workflowId}:${key}`, event, invoiceId: input.invoiceId, reasons }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `Notify: invoice ${event.replace('_', ' ')}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  // 1. parse
  await transition('parsing', { key: 'received', kind: 'invoice.received', actor: input.uploadedBy, data: { fileName: input.fileName, sha256: input.documentSha256 } });
  try {
    state.extraction = await parsing.parseDocument({ invoiceId: input.invoiceId, documentSha256: input.documentSha256 });
  } catch (err) {
    // An unreadable document is not lost: it goes to a clerk with empty fields and the reason.
    state.errors.push(`Could not read the document: ${failureMessage(err)}`);
  }
  state.fields = effectiveFields(state.extraction, corrections);

  // 2. match
  await transition('matching');
  const runMatch = async () => {
    try {
      state.match = await plexRead.matchInvoice({ invoiceId: input.invoiceId, fields: state.fields });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.match = { status: 'lookup_failed', reason: `Plex lookup failed: ${failureMessage(err)}`, score: 0, evidence: [], purchaseOrder: null, placeholder: null, candidates: [], warnings: [], duplicateOf: null };
    }
  };
  await runMatch();

  // 3. review: by the approval policy in force at arrival (workflows/approval.ts), else by one clerk
  const nextDecision = async (timeout?: string): Promise<PendingDecision | undefined> => {
    deciding = false;
    const arrived = timeout === undefined ? (await condition(() => pending !== undefined), true) : await condition(() => pending !== undefined, timeout);
    if (!arrived) return undefined;
    const decision = pending!;
    pending = undefined;
    deciding = true;
    return decision;
  };
  const policyOutcome = input.policy && await policyReview({
    policy: input.policy,
    state,
    transition,
    recordDecision: (decision) => quick.recordDecision({ invoiceId: input.invoiceId, decision }),
    correct: (changes) => {
      corrections = { ...corrections, ...changes };
      state.fields = effectiveFields(state.extraction, corrections);
    },
    rematch: runMatch,
    announceEscalation: (key, reasons) => announce('escalated', key, reasons),
    nextDecision,
  });
  if (policyOutcome === 'rejected') return state;
  let humanTouched = false;
  for (; !policyOutcome;) {
    state.reviewReasons = reviewReasons(state, input.settings.autoApproveThreshold, humanTouched);
    if (state.reviewReasons.length === 0) {
      const auto: DecisionRecord = { id: 'auto', action: 'auto_approve', actor: 'system', corrections: {}, at: new Date().toISOString() };
      state.decisions.push(auto);
      await transition('approved', { key: 'decision:auto', kind: 'review.auto_approved', actor: 'system', data: { confidence: state.extraction?.confidence, matchScore: state.match?.score } });
      break;
    }
    await transition(state.escalated ? 'escalated' : 'awaiting_review', { key: `review-required:${state.decisions.length}`, kind: 'review.required', actor: 'system', data: { reasons: state.reviewReasons } });
    deciding = false;
    if (!state.escalated && !(await condition(() => pending !== undefined, input.settings.escalateAfter))) {
      state.escalated = true;
      await transition('escalated', { key: 'escalated', kind: 'review.escalated', actor: 'system', data: { after: input.settings.escalateAfter } });
      if (patched('notify-escalation')) await announce('escalated', 'escalated', state.reviewReasons);
    }
    await condition(() => pending !== undefined);
    const decision = pending!;
    pending = undefined;
    deciding = true;
    humanTouched = true;
    corrections = { ...corrections, ...(decision.corrections as Record<string, string>) };
    const record: DecisionRecord = { id: decision.id, action: decision.action, actor: decision.actor, reason: decision.reason, corrections: decision.corrections as Record<string, string>, at: new Date().toISOString() };
    state.decisions.push(record);
    const poBefore = state.fields.poNumber;
    state.fields = effectiveFields(state.extraction, corrections);
    await quick.recordDecision({ invoiceId: input.invoiceId, decision: record });
    const auditDecision = { key: `decision:${decision.id}`, actor: decision.actor, data: { reason: decision.reason, corrections: decision.corrections } };
    if (decision.action === 'reject') {
      await transition('rejected', { ...auditDecision, kind: 'review.rejected' });
      return state;
    }
    if (decision.action === 'send_back' || state.fields.poNumber !== poBefore) {
      await transition('matching', { ...auditDecision, kind: decision.action === 'send_back' ? 'review.sent_back' : 'review.corrected' });
      await runMatch();
      if (decision.action === 'send_back') continue;
    }
    if (!state.match || !isUnambiguous(state.match)) {
      state.errors.push(`Approval by ${decision.actor} could not be applied: ${state.match?.reason ?? 'no match'}.`);
      continue;
    }
    await transition('approved', { ...auditDecision, kind: 'review.approved' });
    break;
  }

  // 4. sync (parks in sync_failed until ops replay it), 5. audit of the outcome
  const placeholder = state.match!.placeholder!;
  // Plex's own spelling of the matched PO: the printed one may differ ("PO# 062-486", OCR "0624B6") or be
  // missing (matched by supplier and amount). Only the activity input changes, so replay is unaffected.
  const plexPoNumber = state.match!.purchaseOrder?.poNumber ?? state.fields.poNumber!;
  state.sync.placeholderId = placeholder.id;
  for (;;) {
    state.sync.rounds++;
    await transition('syncing');
    try {
      const result = await plexWrite.syncToPlex({
        invoiceId: input.invoiceId,
        round: state.sync.rounds,
        placeholderId: placeholder.id,
        poNumber: plexPoNumber,
        invoiceNumber: state.fields.invoiceNumber!,
      });
      state.sync.writtenInvoiceNumber = result.invoiceNumber;
      state.sync.syncedAt = new Date().toISOString();
      state.sync.lastError = null;
      await transition('synced', { key: `synced`, kind: 'sync.succeeded', actor: 'system', data: { ...result, round: state.sync.rounds } });
      return state;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.sync.lastError = failureMessage(err);
      state.sync.lastErrorType = err.cause instanceof ApplicationFailure ? (err.cause.type ?? null) : null;
      await transition('sync_failed', { key: `sync-failed:${state.sync.rounds}`, kind: 'sync.failed', actor: 'system', data: { round: state.sync.rounds, error: state.sync.lastError, type: state.sync.lastErrorType } });
      if (patched('notify-sync-failed')) await announce('sync_failed', `sync-failed:${state.sync.rounds}`, [state.sync.lastError]);
      await condition(() => replay !== undefined);
      const by = replay!.actor;
      replay = undefined;
      await quick.recordTransition({ invoiceId: input.invoiceId, status: 'sync_failed', fields: state.fields, audit: { eventKey: `${workflowInfo().workflowId}:replay:${state.sync.rounds}`, kind: 'sync.replay_requested', actor: by, data: { round: state.sync.rounds } } });
    }
  }
}

function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
