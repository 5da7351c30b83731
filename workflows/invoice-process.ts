// One invoice's process, stage by stage: the state the query returns, the messages that have arrived
// (workflows/invoice-messages.ts accepts them), and one method per stage, called in order by
// invoiceWorkflow (workflows/invoice.ts). Deterministic: all I/O happens in activities. Any change that
// moves a command (timer, activity, marker, search attributes) must be guarded with patched(); the
// recorded histories in test/fixtures/histories replay against this code.
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  condition,
  patched,
  proxyActivities,
  setCurrentDetails,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createActivities } from '../activities/index.js';
import type {
  DecisionRecord,
  InvoiceState,
  InvoiceStatus,
  InvoiceWorkflowInput,
  RecallInput,
  RetrySyncInput,
  StateDecision,
} from '../domain/invoice.js';
import { durationMs } from '../domain/duration.js';
import type { PolicyVersion } from '../domain/policy.js';
import { chosenMatch, findOption, isUnambiguous, type UnambiguousMatch } from '../domain/placeholder-choice.js';
import {
  ApprovalStepKey,
  InvoiceNumberKey,
  InvoiceStatusKey,
  InvoiceTotalKey,
  PoNumberKey,
  VendorNameKey,
} from '../domain/search-attributes.js';
import { plexTaskQueue } from '../domain/task-queues.js';
import { currentStep, pickedBoxes, policyReview, type PendingDecision, type PlaceholderChoice } from './approval.js';
import { notificationWorkflow } from './notify.js';
import { escalationClock, type EscalationClock } from './questions.js';
import { effectiveFields, reviewReasons } from './rules.js';

type Activities = ReturnType<typeof createActivities>;
type Audit = { key: string; kind: string; actor: string; data?: Record<string, unknown> };

/** What an approval lets the sync write: the invoice number into the one placeholder of the matched PO. */
export interface SyncTarget {
  match: UnambiguousMatch;
  invoiceNumber: string;
}
export type ReviewOutcome = { outcome: 'approved'; target: SyncTarget } | { outcome: 'rejected' };

/** A held invoice is matched again at most this long apart (the re-check interval doubles up to it). */
const MAX_HOLD_RECHECK_MS = 24 * 3_600_000;

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

// Cutting a file into its invoices: a PDF written per part and each part ingested as an upload.
const splitting = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  retry: { initialInterval: '2s', maximumAttempts: 5, nonRetryableErrorTypes: ['SplitRefused', 'SplitUnavailable'] },
});

/** Waits until `take()` gives a value and returns it: the wait and the value in one step. */
async function arrival<T>(take: () => T | undefined): Promise<T> {
  let value: T | undefined;
  await condition(() => (value = take()) !== undefined);
  return value as T;
}

export class InvoiceProcess {
  readonly state: InvoiceState;
  /** The clerk's corrections so far, over the extracted fields. */
  corrections: Record<string, string> = {};
  /** A decision accepted by the review Update, not yet taken into the state. */
  pending: PendingDecision | undefined;
  /** True from a decision's arrival until the invoice waits for one again: a second decision is refused meanwhile. */
  deciding = false;
  replay: RetrySyncInput | undefined;
  recall: (RecallInput & { id: string }) | undefined;
  /** When the last undo window closed without a recall: the reason a late recall is refused. */
  undoClosedAt: string | undefined;
  /** Histories recorded before this rule existed must replay as they ran (see test/fixtures/histories). */
  readonly refuseWhileDeciding: boolean;
  private humanTouched = false;
  private readonly clock: EscalationClock;
  // Plex activities run on their own, rate-limited task queue (worker/create.ts).
  private readonly plexRead: Activities;
  private readonly plexWrite: Activities;

  constructor(readonly input: InvoiceWorkflowInput) {
    const plexQueue = plexTaskQueue(workflowInfo().taskQueue);
    // Plex reads: ride out short outages (~10 minutes) before handing the invoice to a clerk.
    this.plexRead = proxyActivities<Activities>({
      taskQueue: plexQueue,
      startToCloseTimeout: '2m',
      heartbeatTimeout: '15s', // the match heartbeats: a dead worker's match is retried within seconds
      retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 12 },
    });
    // Plex writes: bounded retries (configured per deployment), then the invoice parks in sync_failed.
    this.plexWrite = proxyActivities<Activities>({
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
    this.state = {
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
      sync: {
        rounds: 0,
        lastError: null,
        lastErrorType: null,
        placeholderId: null,
        writtenInvoiceNumber: null,
        syncedAt: null,
      },
      errors: [],
      updatedAt: new Date().toISOString(),
    };
    this.refuseWhileDeciding = patched('refuse-second-decision-while-recording');
    this.clock = escalationClock(this.state, input.settings.questionsPauseEscalation ?? false);
  }

  // 1. parse: an unreadable document is not lost; it goes to a clerk with empty fields and the reason.
  async parse(): Promise<void> {
    const { input, state } = this;
    await this.transition('parsing', {
      key: 'received',
      kind: 'invoice.received',
      actor: input.uploadedBy,
      data: { fileName: input.fileName, sha256: input.documentSha256 },
    });
    try {
      state.extraction = await parsing.parseDocument({
        invoiceId: input.invoiceId,
        documentSha256: input.documentSha256,
      });
    } catch (err) {
      state.errors.push(`Could not read the document: ${failureMessage(err)}`);
    }
    state.fields = effectiveFields(state.extraction, this.corrections);
  }

  /**
   * 1b. split: a file that holds several invoices becomes one invoice per part (each with its own workflow,
   * linked to this file); this one ends as `split`. True when it did. A part is never split again, and a
   * split that fails leaves one invoice for review with the reason.
   */
  async split(): Promise<boolean> {
    const { input, state } = this;
    const parts = state.extraction?.parts;
    if (!parts || parts.length < 2 || input.partOf || !patched('multi-invoice-split')) return false;
    try {
      const made = await splitting.splitDocument({
        invoiceId: input.invoiceId,
        parts: parts.map(({ fromPage, toPage, evidence }) => ({ fromPage, toPage, evidence })),
      });
      state.split = { parts: made };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.errors.push(`Could not split the file into its ${parts.length} invoices: ${failureMessage(err)}`);
      return false;
    }
    // The file is no invoice of its own: its summary carries no invoice's fields (the parts carry them).
    state.fields = effectiveFields(null, {});
    await this.transition('split', {
      key: 'split',
      kind: 'document.split',
      actor: 'system',
      data: { parts: state.split.parts },
    });
    return true;
  }

  // 2. match: the PO and its "Received" placeholder; Plex unreachable after retries is a reason for review.
  async match(): Promise<void> {
    await this.transition('matching');
    await this.runMatch();
  }

  // 3. review: by the approval policy in force at arrival (workflows/approval.ts), else by one clerk.
  async review(): Promise<ReviewOutcome> {
    const policy = this.input.policy;
    const outcome = policy ? await this.policyReview(policy) : await this.clerkReview();
    return outcome === 'rejected' ? { outcome } : { outcome, target: this.syncTarget() };
  }

  // 4. sync (parks in sync_failed until ops replay it, or a clerk re-matches or rejects it), audit of the outcome.
  async sync({ match, invoiceNumber }: SyncTarget): Promise<'synced' | 'rejected' | 'rematch'> {
    const { input, state } = this;
    const placeholder = match.placeholder;
    // Plex's own spelling of the matched PO: the printed one may differ ("PO# 062-486", OCR "0624B6") or be
    // missing (matched by supplier and amount). Only the activity input changes, so replay is unaffected.
    const plexPoNumber = match.purchaseOrder.poNumber;
    state.sync.placeholderId = placeholder.id;
    for (;;) {
      state.sync.rounds++;
      await this.transition('syncing');
      try {
        const result = await this.plexWrite.syncToPlex({
          invoiceId: input.invoiceId,
          round: state.sync.rounds,
          placeholderId: placeholder.id,
          poNumber: plexPoNumber,
          invoiceNumber,
          supplierCode: placeholder.supplierCode ?? null,
          // Approved automatically right after its match: the match's read of the supplier's AP invoices may
          // serve the duplicate check. After a person's decision, or in a later round, it is read again.
          reuseMatchRead: state.decisions.at(-1)?.action === 'auto_approve' && state.sync.rounds === 1,
        });
        state.sync.writtenInvoiceNumber = result.invoiceNumber;
        state.sync.syncedAt = new Date().toISOString();
        state.sync.lastError = null;
        await this.transition('synced', {
          key: `synced`,
          kind: 'sync.succeeded',
          actor: 'system',
          data: { ...result, round: state.sync.rounds },
        });
        return 'synced';
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        state.sync.lastError = failureMessage(err);
        state.sync.lastErrorType = err.cause instanceof ApplicationFailure ? (err.cause.type ?? null) : null;
        await this.transition('sync_failed', {
          key: `sync-failed:${state.sync.rounds}`,
          kind: 'sync.failed',
          actor: 'system',
          data: { round: state.sync.rounds, error: state.sync.lastError, type: state.sync.lastErrorType },
        });
        if (patched('notify-sync-failed'))
          await this.announce('sync_failed', `sync-failed:${state.sync.rounds}`, [state.sync.lastError]);
        this.waitingForDecision();
        const next = await arrival(() => (this.pending ? ('decision' as const) : this.replay));
        if (next === 'decision') {
          // Only messages new code accepts lead here, so recorded histories never take this branch.
          const { decision, record } = this.takeDecision(this.claimPending());
          await quick.recordDecision({ invoiceId: input.invoiceId, decision: record });
          const audit = {
            key: `decision:${decision.id}`,
            actor: decision.actor,
            data: { reason: decision.reason, after: 'sync_failed', placeholderId: placeholder.id },
          };
          if (decision.action === 'reject') {
            await this.transition('rejected', { ...audit, kind: 'review.rejected' });
            return 'rejected';
          }
          await this.transition('matching', { ...audit, kind: 'review.sent_back' });
          await this.runMatch();
          return 'rematch';
        }
        this.deciding = true;
        this.replay = undefined;
        await quick.recordTransition({
          invoiceId: input.invoiceId,
          status: 'sync_failed',
          fields: state.fields,
          audit: {
            eventKey: `${workflowInfo().workflowId}:replay:${state.sync.rounds}`,
            kind: 'sync.replay_requested',
            actor: next.actor,
            data: { round: state.sync.rounds },
          },
        });
      }
    }
  }

  /** An approval stands only on one PO's one placeholder and a number to write (the review checked both). */
  private syncTarget(): SyncTarget {
    const { match, fields } = this.state;
    if (match && isUnambiguous(match) && fields.invoiceNumber) return { match, invoiceNumber: fields.invoiceNumber };
    // Unreachable: review approves only an unambiguous match with an invoice number. Failing the workflow
    // task (not the workflow) keeps the invoice where it is, visibly stuck, and writes nothing.
    throw new Error(
      `Approved without a placeholder or an invoice number (match ${match?.status ?? 'none'}): nothing is written.`,
    );
  }

  private policyReview(policy: PolicyVersion): Promise<'approved' | 'rejected'> {
    const { input, state } = this;
    return policyReview({
      policy,
      state,
      // A clerk's earlier decision (before a failed sync was re-matched) keeps auto-approval off, as below.
      humanTouched: state.decisions.some((d) => d.actor !== 'system'),
      transition: (status, audit) => this.transition(status, audit),
      recordDecision: (decision) => quick.recordDecision({ invoiceId: input.invoiceId, decision }),
      correct: (changes) => {
        this.corrections = { ...this.corrections, ...changes };
        state.fields = effectiveFields(state.extraction, this.corrections);
      },
      rematch: () => this.runMatch(),
      announceEscalation: (key, reasons) => this.announce('escalated', key, reasons),
      nextDecision: (timeout) => this.nextDecision(timeout),
      choosePlaceholder: (placeholderId, actor) => this.choosePlaceholder(placeholderId, actor),
      recalledInUndoWindow: (decisionId, actor, undone, patchId) =>
        this.recalledInUndoWindow(decisionId, actor, undone, patchId),
      holdForReceipt: (decisionId, actor) => this.holdForReceipt(decisionId, actor),
    });
  }

  private async clerkReview(): Promise<'approved' | 'rejected'> {
    const { input, state } = this;
    for (;;) {
      state.reviewReasons = reviewReasons(state, input.settings.autoApproveThreshold, this.humanTouched);
      if (state.reviewReasons.length === 0) {
        const auto: DecisionRecord = {
          id: 'auto',
          action: 'auto_approve',
          actor: 'system',
          corrections: {},
          at: new Date().toISOString(),
        };
        state.decisions.push(auto);
        await this.transition('approved', {
          key: 'decision:auto',
          kind: 'review.auto_approved',
          actor: 'system',
          data: { confidence: state.extraction?.confidence, matchScore: state.match?.score },
        });
        // An automatic approval waits out the same undo window as a clerk's: a recall brings it to review.
        if (await this.recalledInUndoWindow(auto.id, auto.actor, undefined, 'auto-approval-undo-window')) {
          this.humanTouched = true;
          continue;
        }
        return 'approved';
      }
      await this.transition(state.escalated ? 'escalated' : 'awaiting_review', {
        key: `review-required:${state.decisions.length}`,
        kind: 'review.required',
        actor: 'system',
        data: { reasons: state.reviewReasons },
      });
      this.waitingForDecision();
      if (!state.escalated && !(await this.untilDecision(input.settings.escalateAfter))) {
        state.escalated = true;
        await this.transition('escalated', {
          key: 'escalated',
          kind: 'review.escalated',
          actor: 'system',
          data: { after: input.settings.escalateAfter },
        });
        if (patched('notify-escalation')) await this.announce('escalated', 'escalated', state.reviewReasons);
      }
      const arrived = await arrival(() => this.pending);
      const poBefore = state.fields.poNumber;
      const { decision, record } = this.takeDecision(arrived);
      // Holding for goods receipt judges nothing: once the receipt is in, auto-approval may still apply.
      if (decision.action !== 'hold') this.humanTouched = true;
      await quick.recordDecision({ invoiceId: input.invoiceId, decision: record });
      const auditDecision = {
        key: `decision:${decision.id}`,
        actor: decision.actor,
        data: { reason: decision.reason, corrections: decision.corrections },
      };
      if (decision.action === 'hold') {
        await this.holdForReceipt(decision.id, decision.actor);
        continue;
      }
      if (decision.action === 'reject') {
        await this.transition('rejected', { ...auditDecision, kind: 'review.rejected' });
        return 'rejected';
      }
      if (decision.action === 'send_back' || state.fields.poNumber !== poBefore) {
        await this.transition('matching', {
          ...auditDecision,
          kind: decision.action === 'send_back' ? 'review.sent_back' : 'review.corrected',
        });
        await this.runMatch();
        if (decision.action === 'send_back') continue;
      }
      let choice: PlaceholderChoice | undefined;
      if (decision.placeholderId !== undefined) {
        const chosen = await this.choosePlaceholder(decision.placeholderId, decision.actor);
        if (!chosen) continue;
        choice = chosen;
      }
      if (!state.match || !isUnambiguous(state.match)) {
        state.errors.push(`Approval by ${decision.actor} could not be applied: ${state.match?.reason ?? 'no match'}.`);
        continue;
      }
      await this.transition('approved', {
        ...auditDecision,
        kind: 'review.approved',
        ...(choice ? { data: { ...auditDecision.data, placeholderChoice: choice } } : {}),
      });
      if (await this.recalledInUndoWindow(decision.id, decision.actor)) continue;
      return 'approved';
    }
  }

  async transition(status: InvoiceStatus, audit?: Audit): Promise<void> {
    const { input, state } = this;
    state.status = status;
    state.updatedAt = new Date().toISOString();
    const f = state.fields;
    // Only invoices under a policy carry an approval path, so histories from before policies replay unchanged.
    const step =
      state.approval && input.policy
        ? { path: state.approval, step: currentStep(input.policy, state.approval) ?? null }
        : undefined;
    upsertSearchAttributes([
      { key: InvoiceStatusKey, value: status },
      { key: VendorNameKey, value: f.vendorName },
      { key: PoNumberKey, value: f.poNumber },
      { key: InvoiceNumberKey, value: f.invoiceNumber },
      { key: InvoiceTotalKey, value: f.total === null ? null : Number(f.total) },
      ...(step ? [{ key: ApprovalStepKey, value: step.step?.name ?? null }] : []),
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
      ...(step ? { approval: { ...step, uploadedBy: input.uploadedBy } } : {}),
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
  private async announce(event: 'escalated' | 'sync_failed', key: string, reasons: string[]): Promise<void> {
    const workflowId = this.input.invoiceId;
    try {
      await startChild(notificationWorkflow, {
        workflowId: `${workflowId}:notify:${key}`,
        args: [{ key: `${workflowId}:${key}`, event, invoiceId: this.input.invoiceId, reasons }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `Notify: invoice ${event.replace('_', ' ')}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  private async runMatch(): Promise<void> {
    const { input, state } = this;
    try {
      state.match = await this.plexRead.matchInvoice({ invoiceId: input.invoiceId, fields: state.fields });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.match = {
        status: 'lookup_failed',
        reason: `Plex lookup failed: ${failureMessage(err)}`,
        score: 0,
        evidence: [],
        purchaseOrder: null,
        placeholder: null,
        candidates: [],
        warnings: [],
        duplicateOf: null,
      };
    }
  }

  // A decision taken: `deciding` refuses a second one; `state.settling` tells the pages it is still being acted on.
  private takingDecision(id: string): void {
    this.deciding = true;
    this.state.settling = id;
  }

  private waitingForDecision(): void {
    this.deciding = false;
    this.state.settling = null;
  }

  // Histories from before questions existed wait with one plain timer, as they ran.
  private untilDecision(sla: string): Promise<boolean> {
    return patched('question-pauses-escalation')
      ? this.clock.within(() => this.pending !== undefined, sla)
      : condition(() => this.pending !== undefined, sla);
  }

  /** The accepted decision, now being acted on (the wait that precedes this saw it arrive). */
  private claimPending(): PendingDecision {
    const decision = this.pending;
    if (!decision) throw new Error('A decision was expected: the wait said one had arrived.');
    this.pending = undefined;
    return decision;
  }

  /** The next decision under a policy, or undefined when `timeout` passes first. */
  private async nextDecision(timeout?: string): Promise<PendingDecision | undefined> {
    this.waitingForDecision();
    const arrived =
      timeout === undefined
        ? (await condition(() => this.pending !== undefined), true)
        : await this.untilDecision(timeout);
    if (!arrived) return undefined;
    const decision = this.claimPending();
    this.takingDecision(decision.id);
    return decision;
  }

  /**
   * Takes the decision into the state, corrections applied; the caller records it at once
   * (`quick.recordDecision`). Synchronous on purpose: an extra await here would move an Update's completion
   * relative to the next commands and break replay of recorded histories.
   */
  private takeDecision(decision: PendingDecision): { decision: PendingDecision; record: DecisionRecord } {
    const { state } = this;
    this.pending = undefined;
    this.takingDecision(decision.id);
    this.corrections = { ...this.corrections, ...(decision.corrections as Record<string, string>) };
    const record: DecisionRecord = {
      id: decision.id,
      action: decision.action,
      actor: decision.actor,
      reason: decision.reason,
      corrections: decision.corrections,
      ...pickedBoxes(decision),
      at: new Date().toISOString(),
    };
    state.decisions.push(record);
    state.fields = effectiveFields(state.extraction, this.corrections);
    return { decision, record };
  }

  /**
   * A chosen placeholder is read afresh from Plex before the approval stands; the choice is evidence.
   * Undefined (and the reason in the errors) when it is no longer a candidate or Plex no longer shows it open.
   */
  private async choosePlaceholder(placeholderId: string, actor: string): Promise<PlaceholderChoice | undefined> {
    const { state } = this;
    const option = findOption(state.match, placeholderId, state.fields.total);
    const confirmed =
      option &&
      (await this.plexRead.confirmPlaceholderChoice({ poNumber: option.purchaseOrder.poNumber, placeholderId }));
    if (!option || !state.match || !confirmed?.ok) {
      state.errors.push(
        `Approval by ${actor} could not be applied: ${confirmed && !confirmed.ok ? confirmed.reason : 'the chosen placeholder is no longer a candidate'}.`,
      );
      return undefined;
    }
    state.match = chosenMatch(
      state.match,
      { purchaseOrder: option.purchaseOrder, placeholder: confirmed.placeholder },
      actor,
    );
    return {
      placeholderId: confirmed.placeholder.id,
      poNumber: option.purchaseOrder.poNumber,
      amount: confirmed.placeholder.amount,
      fit: option.fit,
      confirmedOpenInPlex: true,
    };
  }

  /**
   * Every approval (a clerk's, an approver's or the automatic one) waits out the undo window before the
   * sync starts; true when it was recalled (the invoice is back in review). A window of 0 goes straight
   * on, as before windows existed. `undone` takes the approval back out of the state before the invoice
   * is recorded back in review. `patchId` tells histories recorded before a kind of approval had a window.
   */
  private async recalledInUndoWindow(
    decisionId: string,
    actor: string,
    undone?: () => void,
    patchId = 'approval-undo-window',
  ): Promise<boolean> {
    const { input, state } = this;
    // The approval has been acted on: it now waits out its window (or goes straight on to the sync).
    state.settling = null;
    const window = input.settings.undoWindow;
    if (!window || durationMs(window) === 0 || !patched(patchId)) return false;
    state.undo = { decisionId, actor, until: new Date(Date.now() + durationMs(window)).toISOString() };
    await condition(() => this.recall !== undefined, window);
    // The handler sets `recall` synchronously, so whatever was accepted before this line is honoured.
    state.undo = null;
    const taken = this.recall;
    this.recall = undefined;
    if (!taken) {
      this.undoClosedAt = new Date().toISOString();
      return false;
    }
    const record: StateDecision = {
      id: taken.id,
      action: 'recall',
      actor: taken.actor,
      reason: taken.reason,
      corrections: {},
      at: new Date().toISOString(),
    };
    state.decisions.push(record);
    undone?.();
    await this.transition(state.escalated ? 'escalated' : 'awaiting_review', {
      key: `recall:${taken.id}`,
      kind: 'review.recalled',
      actor: taken.actor,
      data: { decisionId, reason: taken.reason },
    });
    return true;
  }

  /**
   * Held for goods receipt (a clerk's `hold`, only while the PO has no "Received" placeholder): the match
   * runs again after HOLD_RECHECK, then after twice as long each time (at most daily), until the PO has a
   * placeholder (the receipt arrived), a clerk decides, or HOLD_MAX has passed. Only decisions new code
   * accepts lead here, so recorded histories never take this path.
   */
  private async holdForReceipt(decisionId: string, actor: string): Promise<'arrived' | 'decided' | 'expired'> {
    const { input, state } = this;
    const { recheck, max } = input.settings.hold ?? { recheck: '1h', max: '30d' };
    const until = Date.now() + durationMs(max);
    let wait = durationMs(recheck);
    const at = (ms: number) => new Date(ms).toISOString();
    const hold = { actor, since: at(Date.now()), nextCheckAt: at(Date.now() + wait), checks: 0, until: at(until) };
    state.hold = hold;
    await this.transition('on_hold', {
      key: `hold:${decisionId}`,
      kind: 'review.held',
      actor,
      data: { recheck, max, until: hold.until },
    });
    this.waitingForDecision();
    for (;;) {
      const left = until - Date.now();
      if (await condition(() => this.pending !== undefined, Math.max(1, Math.min(wait, left)))) {
        state.hold = null;
        return 'decided';
      }
      await this.runMatch();
      hold.checks += 1;
      if (state.match?.status !== 'no_placeholder') {
        state.hold = null;
        await this.transition('matching', {
          key: `hold-released:${decisionId}`,
          kind: 'hold.receipt_arrived',
          actor: 'system',
          data: { checks: hold.checks, match: state.match?.status },
        });
        return 'arrived';
      }
      if (Date.now() >= until) {
        state.hold = null;
        state.errors.push(`Held for goods receipt until ${at(until)}; no "Received" placeholder appeared on the PO.`);
        await this.transition('matching', {
          key: `hold-expired:${decisionId}`,
          kind: 'hold.expired',
          actor: 'system',
          data: { max },
        });
        return 'expired';
      }
      wait = Math.min(wait * 2, MAX_HOLD_RECHECK_MS);
      hold.nextCheckAt = at(Date.now() + Math.min(wait, until - Date.now()));
    }
  }
}

export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
