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
  RecallInput,
  REVIEWABLE,
  RetrySyncInput,
  ReviewDecisionInput,
  type DecisionRecord,
  type StateDecision,
  type InvoiceState,
  type InvoiceStatus,
} from '../domain/invoice.js';
import { durationMs } from '../domain/duration.js';
import { validateInvoiceNumber } from '../domain/invoice-number.js';
import { isUnambiguous } from '../domain/match.js';
import { chosenMatch, findOption, placeholderOptions } from '../domain/placeholder-choice.js';
import { effectiveFields, reviewReasons } from './rules.js';
import { checkPolicyApproval, currentStep, policyReview, type PendingDecision, type PlaceholderChoice } from './approval.js';
import {
  ApprovalStepKey,
  InvoiceNumberKey,
  InvoiceStatusKey,
  InvoiceTotalKey,
  PoNumberKey,
  VendorNameKey,
} from '../domain/search-attributes.js';
import { plexTaskQueue } from '../domain/task-queues.js';
import { invoiceStateQuery, recallUpdate, retrySyncSignal, reviewUpdate } from './messages.js';
import { notificationWorkflow } from './notify.js';
import { escalationClock } from './questions.js';

type Activities = ReturnType<typeof createActivities>;

// Read-model and audit writes: cheap and idempotent, so retry them for as long as the database is away.
/** A held invoice is matched again at most this long apart (the re-check interval doubles up to it). */
const MAX_HOLD_RECHECK_MS = 24 * 3_600_000;

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
  // True from the moment a decision is taken until the invoice waits for a decision again, so a second
  // clerk's update arriving while the first decision is being recorded is refused.
  let deciding = false;
  // A decision taken: `deciding` refuses a second one; `state.settling` tells the pages it is still being acted on.
  const takingDecision = (id: string) => {
    deciding = true;
    state.settling = id;
  };
  const waitingForDecision = () => {
    deciding = false;
    state.settling = null;
  };
  // Histories recorded before this rule existed must replay as they ran (see test/fixtures/histories).
  const refuseWhileDeciding = patched('refuse-second-decision-while-recording');
  let replay: RetrySyncInput | undefined;
  let recall: (RecallInput & { id: string }) | undefined;
  // When the last undo window closed without a recall: the reason a late recall is refused.
  let undoClosedAt: string | undefined;

  setHandler(invoiceStateQuery, () => state);
  const clock = escalationClock(state, input.settings.questionsPauseEscalation ?? false);
  // Histories from before questions existed wait with one plain timer, as they ran.
  const untilDecision = async (sla: string) =>
    patched('question-pauses-escalation') ? clock.within(() => pending !== undefined, sla) : condition(() => pending !== undefined, sla);
  // A decision is taken while the invoice awaits review; a failed sync can be re-matched or rejected
  // (never approved again: it is replayed, or re-matched and approved anew).
  const decisionRefusal = (action: string): string | undefined => {
    if (pending) return 'This invoice is being decided by someone else; reload to see their decision.';
    // Under a policy a step's approval has its own undo window; the next approver waits for it to close.
    if (state.undo && state.approval) return `An approval by ${state.undo.actor} can still be undone until ${state.undo.until}; decide after that.`;
    if (refuseWhileDeciding && deciding) return 'This invoice is being decided by someone else; reload to see their decision.';
    if (REVIEWABLE.includes(state.status)) return undefined;
    if (state.status === 'sync_failed' && replay === undefined) {
      return action === 'approve' ? 'A failed sync is not approved again: replay it, re-match it (send back) or reject it.' : undefined;
    }
    return `This invoice is not awaiting review (it is ${state.status.replace('_', ' ')}).`;
  };
  setHandler(
    reviewUpdate,
    (raw) => {
      // Two updates delivered in one activation both pass their validators before either handler runs:
      // the second one fails here, so only one decision is ever taken.
      const decision = ReviewDecisionInput.parse(raw);
      const refusal = decisionRefusal(decision.action);
      if (refusal) throw ApplicationFailure.create({ type: 'AlreadyDecided', nonRetryable: true, message: refusal });
      // Under an approval policy the step's approvers and four eyes decide (checked again here: the state
      // may have moved since the validator ran).
      const check = input.policy && decision.action === 'approve' ? checkPolicyApproval(input.policy, state, decision) : undefined;
      if (check && !check.ok) throw ApplicationFailure.create({ type: 'ApprovalRefused', nonRetryable: true, message: check.reason });
      pending = { ...decision, id: currentUpdateInfo()?.id ?? uuid4(), check };
      return { accepted: true, decisionId: pending.id };
    },
    {
      validator: (raw) => {
        const parsed = ReviewDecisionInput.safeParse(raw);
        if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'decision'}: ${i.message}`).join('; '));
        const d = parsed.data;
        const refusal = decisionRefusal(d.action);
        if (refusal) throw new Error(refusal);
        if (d.action === 'hold') {
          if (state.status === 'on_hold') throw new Error('This invoice is already on hold for goods receipt.');
          if (state.match?.status !== 'no_placeholder') throw new Error('Only an invoice whose PO has no "Received" placeholder yet (goods not received) can be held for goods receipt.');
        }
        if (d.action === 'approve') {
          const fields = effectiveFields(state.extraction, { ...corrections, ...d.corrections });
          if (!fields.invoiceNumber) throw new Error('Cannot approve without an invoice number: enter it as a correction.');
          const number = validateInvoiceNumber(fields.invoiceNumber);
          if (!number.ok) throw new Error(`Cannot approve: the invoice number "${fields.invoiceNumber}" cannot be written to Plex. ${number.reason} Correct it and approve again.`);
          const poChanged = d.corrections.poNumber !== undefined && d.corrections.poNumber !== state.fields.poNumber;
          if (d.placeholderId !== undefined) {
            if (poChanged) throw new Error('Choose a placeholder or correct the PO number, not both: a corrected PO number is matched again first.');
            if (!findOption(state.match, d.placeholderId)) throw new Error('The chosen placeholder is not one of this invoice\'s candidates any more; reload the page and choose again.');
          } else if (!poChanged && (!state.match || !isUnambiguous(state.match))) {
            const what = placeholderOptions(state.match, null).length > 0 ? 'Choose one of the placeholders, correct the PO number or send it back.' : 'Correct the PO number or send it back.';
            throw new Error(`Cannot approve: ${state.match?.reason ?? 'no Plex placeholder was matched'} ${what}`);
          }
          const check = input.policy && checkPolicyApproval(input.policy, state, d);
          if (check && !check.ok) throw new Error(check.reason);
        }
      },
    },
  );
  const recallRefusal = (input: RecallInput): string | undefined => {
    if (recall) return 'This approval is already being taken back.';
    if (state.undo) return input.decisionId && input.decisionId !== state.undo.decisionId ? 'That approval is no longer the one waiting to sync; reload the page.' : undefined;
    if (undoClosedAt) return `Too late to undo: the undo window closed at ${undoClosedAt} and the sync to Plex has started (the invoice is ${state.status.replace('_', ' ')}).`;
    if (state.decisions.some((d) => d.action === 'approve' || d.action === 'auto_approve')) {
      return `Too late to undo: this approval had no undo window and the sync to Plex has started (the invoice is ${state.status.replace('_', ' ')}).`;
    }
    return `There is no approval to undo: the invoice is ${state.status.replace('_', ' ')}.`;
  };
  setHandler(
    recallUpdate,
    (raw) => {
      const input = RecallInput.parse(raw);
      const refusal = recallRefusal(input);
      if (refusal) throw ApplicationFailure.create({ type: 'TooLateToUndo', nonRetryable: true, message: refusal });
      recall = { ...input, id: currentUpdateInfo()?.id ?? uuid4() };
      return { recalled: true, decisionId: state.undo!.decisionId };
    },
    {
      validator: (raw) => {
        const parsed = RecallInput.safeParse(raw);
        if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'recall'}: ${i.message}`).join('; '));
        const refusal = recallRefusal(parsed.data);
        if (refusal) throw new Error(refusal);
      },
    },
  );
  setHandler(retrySyncSignal, (raw) => {
    const parsed = RetrySyncInput.safeParse(raw);
    if (parsed.success && state.status === 'sync_failed' && !pending) replay = parsed.data;
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

  /**
   * Takes the pending decision into the state, corrections applied; the caller records it at once
   * (`quick.recordDecision`). Synchronous on purpose: an extra await here would move an Update's completion
   * relative to the next commands and break replay of recorded histories.
   */
  function takeDecision(): { decision: PendingDecision; record: DecisionRecord } {
    const decision = pending!;
    pending = undefined;
    takingDecision(decision.id);
    corrections = { ...corrections, ...(decision.corrections as Record<string, string>) };
    const record: DecisionRecord = { id: decision.id, action: decision.action, actor: decision.actor, reason: decision.reason, corrections: decision.corrections as Record<string, string>, at: new Date().toISOString() };
    state.decisions.push(record);
    state.fields = effectiveFields(state.extraction, corrections);
    return { decision, record };
  }

  /**
   * A clerk's approval waits out the undo window before the sync starts; true when it was recalled
   * (the invoice is back in review). A window of 0 goes straight on, as before windows existed.
   * `undone` takes the approval back out of the state before the invoice is recorded back in review.
   */
  async function recalledInUndoWindow(decisionId: string, actor: string, undone?: () => void): Promise<boolean> {
    // The approval has been acted on: it now waits out its window (or goes straight on to the sync).
    state.settling = null;
    const window = input.settings.undoWindow;
    if (!window || durationMs(window) === 0 || !patched('approval-undo-window')) return false;
    state.undo = { decisionId, actor, until: new Date(Date.now() + durationMs(window)).toISOString() };
    await condition(() => recall !== undefined, window);
    // The handler sets `recall` synchronously, so whatever was accepted before this line is honoured.
    state.undo = null;
    const taken = recall;
    recall = undefined;
    if (!taken) {
      undoClosedAt = new Date().toISOString();
      return false;
    }
    const record: StateDecision = { id: taken.id, action: 'recall', actor: taken.actor, reason: taken.reason, corrections: {}, at: new Date().toISOString() };
    state.decisions.push(record);
    undone?.();
    await transition(state.escalated ? 'escalated' : 'awaiting_review', { key: `recall:${taken.id}`, kind: 'review.recalled', actor: taken.actor, data: { decisionId, reason: taken.reason } });
    return true;
  }

  /**
   * Held for goods receipt (a clerk's `hold`, only while the PO has no "Received" placeholder): the match
   * runs again after HOLD_RECHECK, then after twice as long each time (at most daily), until the PO has a
   * placeholder (the receipt arrived), a clerk decides, or HOLD_MAX has passed. Only decisions new code
   * accepts lead here, so recorded histories never take this path.
   */
  async function holdForReceipt(decisionId: string, actor: string): Promise<'arrived' | 'decided' | 'expired'> {
    const { recheck, max } = input.settings.hold ?? { recheck: '1h', max: '30d' };
    const until = Date.now() + durationMs(max);
    let wait = durationMs(recheck);
    const at = (ms: number) => new Date(ms).toISOString();
    state.hold = { actor, since: at(Date.now()), nextCheckAt: at(Date.now() + wait), checks: 0, until: at(until) };
    await transition('on_hold', { key: `hold:${decisionId}`, kind: 'review.held', actor, data: { recheck, max, until: state.hold.until } });
    waitingForDecision();
    for (;;) {
      const left = until - Date.now();
      if (await condition(() => pending !== undefined, Math.max(1, Math.min(wait, left)))) {
        state.hold = null;
        return 'decided';
      }
      await runMatch();
      state.hold.checks += 1;
      if (state.match?.status !== 'no_placeholder') {
        const checks = state.hold.checks;
        state.hold = null;
        await transition('matching', { key: `hold-released:${decisionId}`, kind: 'hold.receipt_arrived', actor: 'system', data: { checks, match: state.match?.status } });
        return 'arrived';
      }
      if (Date.now() >= until) {
        state.hold = null;
        state.errors.push(`Held for goods receipt until ${at(until)}; no "Received" placeholder appeared on the PO.`);
        await transition('matching', { key: `hold-expired:${decisionId}`, kind: 'hold.expired', actor: 'system', data: { max } });
        return 'expired';
      }
      wait = Math.min(wait * 2, MAX_HOLD_RECHECK_MS);
      state.hold.nextCheckAt = at(Date.now() + Math.min(wait, until - Date.now()));
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

  /**
   * A chosen placeholder is read afresh from Plex before the approval stands; the choice is evidence.
   * Undefined (and the reason in the errors) when it is no longer a candidate or Plex no longer shows it open.
   */
  async function choosePlaceholder(placeholderId: string, actor: string): Promise<PlaceholderChoice | undefined> {
    const option = findOption(state.match, placeholderId, state.fields.total);
    const confirmed = option && (await plexRead.confirmPlaceholderChoice({ poNumber: option.purchaseOrder.poNumber, placeholderId }));
    if (!option || !confirmed?.ok) {
      state.errors.push(`Approval by ${actor} could not be applied: ${confirmed && !confirmed.ok ? confirmed.reason : 'the chosen placeholder is no longer a candidate'}.`);
      return undefined;
    }
    state.match = chosenMatch(state.match!, { purchaseOrder: option.purchaseOrder, placeholder: confirmed.placeholder }, actor);
    return { placeholderId: confirmed.placeholder.id, poNumber: option.purchaseOrder.poNumber, amount: confirmed.placeholder.amount, fit: option.fit, confirmedOpenInPlex: true };
  }

  // 3. review: by the approval policy in force at arrival (workflows/approval.ts), else by one clerk;
  // 4. sync; a failed sync re-matched by a clerk comes back to review.
  const nextDecision = async (timeout?: string): Promise<PendingDecision | undefined> => {
    waitingForDecision();
    const arrived = timeout === undefined ? (await condition(() => pending !== undefined), true) : await untilDecision(timeout);
    if (!arrived) return undefined;
    const decision = pending!;
    pending = undefined;
    takingDecision(decision.id);
    return decision;
  };
  let humanTouched = false;
  async function review(): Promise<'approved' | 'rejected'> {
    if (input.policy) {
      return policyReview({
        policy: input.policy,
        state,
        // A clerk's earlier decision (before a failed sync was re-matched) keeps auto-approval off, as below.
        humanTouched: state.decisions.some((d) => d.actor !== 'system'),
        transition,
        recordDecision: (decision) => quick.recordDecision({ invoiceId: input.invoiceId, decision }),
        correct: (changes) => {
          corrections = { ...corrections, ...changes };
          state.fields = effectiveFields(state.extraction, corrections);
        },
        rematch: runMatch,
        announceEscalation: (key, reasons) => announce('escalated', key, reasons),
        nextDecision,
        choosePlaceholder,
        recalledInUndoWindow,
        holdForReceipt,
      });
    }
    for (;;) {
      state.reviewReasons = reviewReasons(state, input.settings.autoApproveThreshold, humanTouched);
      if (state.reviewReasons.length === 0) {
        const auto: DecisionRecord = { id: 'auto', action: 'auto_approve', actor: 'system', corrections: {}, at: new Date().toISOString() };
        state.decisions.push(auto);
        await transition('approved', { key: 'decision:auto', kind: 'review.auto_approved', actor: 'system', data: { confidence: state.extraction?.confidence, matchScore: state.match?.score } });
        return 'approved';
      }
      await transition(state.escalated ? 'escalated' : 'awaiting_review', { key: `review-required:${state.decisions.length}`, kind: 'review.required', actor: 'system', data: { reasons: state.reviewReasons } });
      waitingForDecision();
      if (!state.escalated && !(await untilDecision(input.settings.escalateAfter))) {
        state.escalated = true;
        await transition('escalated', { key: 'escalated', kind: 'review.escalated', actor: 'system', data: { after: input.settings.escalateAfter } });
        if (patched('notify-escalation')) await announce('escalated', 'escalated', state.reviewReasons);
      }
      await condition(() => pending !== undefined);
      const poBefore = state.fields.poNumber;
      const { decision, record } = takeDecision();
      // Holding for goods receipt judges nothing: once the receipt is in, auto-approval may still apply.
      if (decision.action !== 'hold') humanTouched = true;
      await quick.recordDecision({ invoiceId: input.invoiceId, decision: record });
      const auditDecision = { key: `decision:${decision.id}`, actor: decision.actor, data: { reason: decision.reason, corrections: decision.corrections } };
      if (decision.action === 'hold') {
        await holdForReceipt(decision.id, decision.actor);
        continue;
      }
      if (decision.action === 'reject') {
        await transition('rejected', { ...auditDecision, kind: 'review.rejected' });
        return 'rejected';
      }
      if (decision.action === 'send_back' || state.fields.poNumber !== poBefore) {
        await transition('matching', { ...auditDecision, kind: decision.action === 'send_back' ? 'review.sent_back' : 'review.corrected' });
        await runMatch();
        if (decision.action === 'send_back') continue;
      }
      let choice: PlaceholderChoice | undefined;
      if (decision.placeholderId !== undefined) {
        const chosen = await choosePlaceholder(decision.placeholderId, decision.actor);
        if (!chosen) continue;
        choice = chosen;
      }
      if (!state.match || !isUnambiguous(state.match)) {
        state.errors.push(`Approval by ${decision.actor} could not be applied: ${state.match?.reason ?? 'no match'}.`);
        continue;
      }
      await transition('approved', { ...auditDecision, kind: 'review.approved', ...(choice ? { data: { ...auditDecision.data, placeholderChoice: choice } } : {}) });
      if (await recalledInUndoWindow(decision.id, decision.actor)) continue;
      return 'approved';
    }
  }

  // Sync (parks in sync_failed until ops replay it, or a clerk re-matches or rejects it), audit of the outcome.
  async function sync(): Promise<'synced' | 'rejected' | 'rematch'> {
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
          supplierCode: placeholder.supplierCode ?? null,
          // Approved automatically right after its match: the match's read of the supplier's AP invoices may
          // serve the duplicate check. After a person's decision, or in a later round, it is read again.
          reuseMatchRead: state.decisions.at(-1)?.action === 'auto_approve' && state.sync.rounds === 1,
        });
        state.sync.writtenInvoiceNumber = result.invoiceNumber;
        state.sync.syncedAt = new Date().toISOString();
        state.sync.lastError = null;
        await transition('synced', { key: `synced`, kind: 'sync.succeeded', actor: 'system', data: { ...result, round: state.sync.rounds } });
        return 'synced';
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        state.sync.lastError = failureMessage(err);
        state.sync.lastErrorType = err.cause instanceof ApplicationFailure ? (err.cause.type ?? null) : null;
        await transition('sync_failed', { key: `sync-failed:${state.sync.rounds}`, kind: 'sync.failed', actor: 'system', data: { round: state.sync.rounds, error: state.sync.lastError, type: state.sync.lastErrorType } });
        if (patched('notify-sync-failed')) await announce('sync_failed', `sync-failed:${state.sync.rounds}`, [state.sync.lastError]);
        waitingForDecision();
        await condition(() => replay !== undefined || pending !== undefined);
        if (pending) {
          // Only messages new code accepts lead here, so recorded histories never take this branch.
          const { decision, record } = takeDecision();
          await quick.recordDecision({ invoiceId: input.invoiceId, decision: record });
          const audit = { key: `decision:${decision.id}`, actor: decision.actor, data: { reason: decision.reason, after: 'sync_failed', placeholderId: placeholder.id } };
          if (decision.action === 'reject') {
            await transition('rejected', { ...audit, kind: 'review.rejected' });
            return 'rejected';
          }
          await transition('matching', { ...audit, kind: 'review.sent_back' });
          await runMatch();
          return 'rematch';
        }
        deciding = true;
        const by = replay!.actor;
        replay = undefined;
        await quick.recordTransition({ invoiceId: input.invoiceId, status: 'sync_failed', fields: state.fields, audit: { eventKey: `${workflowInfo().workflowId}:replay:${state.sync.rounds}`, kind: 'sync.replay_requested', actor: by, data: { round: state.sync.rounds } } });
      }
    }
  }

  for (;;) {
    if ((await review()) === 'rejected') return state;
    if ((await sync()) !== 'rematch') return state;
  }
}

function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
