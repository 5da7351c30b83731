// The messages an invoice's workflow accepts, in one place: the state query, the review Update (a
// clerk's or approver's decision), the recall Update (taking an approval back in its undo window) and
// the replay signal (ops, after a failed sync). Validators refuse what cannot be acted on, so the caller
// hears why; the handlers only record what arrived, and InvoiceProcess (invoice-process.ts) acts on it.
import { ApplicationFailure, currentUpdateInfo, setHandler, uuid4 } from '@temporalio/workflow';
import * as v from 'valibot';
import { REVIEWABLE } from '../domain/invoice-status.js';
import { validateInvoiceNumber } from '../domain/invoice-number.js';
import { findOption, isUnambiguous, placeholderOptions } from '../domain/placeholder-choice.js';
import { checked, RecallInput, RetrySyncInput, ReviewDecisionInput } from '../domain/workflow-inputs.js';
import { checkPolicyApproval } from './approval.js';
import type { InvoiceProcess } from './invoice-process.js';
import { invoiceStateQuery, recallUpdate, retrySyncSignal, reviewUpdate } from './messages.js';
import { effectiveFields } from './rules.js';

export function handleMessages(invoice: InvoiceProcess): void {
  const { state, input } = invoice;
  setHandler(invoiceStateQuery, () => state);

  // A decision is taken while the invoice awaits review; a failed sync can be re-matched or rejected
  // (never approved again: it is replayed, or re-matched and approved anew).
  const decisionRefusal = (action: string): string | undefined => {
    if (invoice.pending) return 'This invoice is being decided by someone else; reload to see their decision.';
    // Under a policy a step's approval has its own undo window; the next approver waits for it to close.
    if (state.undo && state.approval)
      return `An approval by ${state.undo.actor} can still be undone until ${state.undo.until}; decide after that.`;
    if (invoice.refuseWhileDeciding && invoice.deciding)
      return 'This invoice is being decided by someone else; reload to see their decision.';
    if (REVIEWABLE.includes(state.status)) return undefined;
    if (state.status === 'sync_failed' && invoice.replay === undefined) {
      return action === 'approve'
        ? 'A failed sync is not approved again: replay it, re-match it (send back) or reject it.'
        : undefined;
    }
    return `This invoice is not awaiting review (it is ${state.status.replace('_', ' ')}).`;
  };
  setHandler(
    reviewUpdate,
    (raw) => {
      // Two updates delivered in one activation both pass their validators before either handler runs:
      // the second one fails here, so only one decision is ever taken.
      const decision = checked(ReviewDecisionInput, raw, 'decision');
      const refusal = decisionRefusal(decision.action);
      if (refusal) throw ApplicationFailure.create({ type: 'AlreadyDecided', nonRetryable: true, message: refusal });
      // Under an approval policy the step's approvers and four eyes decide (checked again here: the state
      // may have moved since the validator ran).
      const check =
        input.policy && decision.action === 'approve' ? checkPolicyApproval(input.policy, state, decision) : undefined;
      if (check && !check.ok)
        throw ApplicationFailure.create({ type: 'ApprovalRefused', nonRetryable: true, message: check.reason });
      invoice.pending = { ...decision, id: currentUpdateInfo()?.id ?? uuid4(), check };
      return { accepted: true, decisionId: invoice.pending.id };
    },
    {
      validator: (raw) => {
        const d = checked(ReviewDecisionInput, raw, 'decision');
        const refusal = decisionRefusal(d.action);
        if (refusal) throw new Error(refusal);
        if (d.action === 'hold') {
          if (state.status === 'on_hold') throw new Error('This invoice is already on hold for goods receipt.');
          if (state.match?.status !== 'no_placeholder')
            throw new Error(
              'Only an invoice whose PO has no "Received" placeholder yet (goods not received) can be held for goods receipt.',
            );
        }
        if (d.action === 'approve') {
          const fields = effectiveFields(state.extraction, { ...invoice.corrections, ...d.corrections });
          if (!fields.invoiceNumber)
            throw new Error('Cannot approve without an invoice number: enter it as a correction.');
          const number = validateInvoiceNumber(fields.invoiceNumber);
          if (!number.ok)
            throw new Error(
              `Cannot approve: the invoice number "${fields.invoiceNumber}" cannot be written to Plex. ${number.reason} Correct it and approve again.`,
            );
          const poChanged = d.corrections.poNumber !== undefined && d.corrections.poNumber !== state.fields.poNumber;
          if (d.placeholderId !== undefined) {
            if (poChanged)
              throw new Error(
                'Choose a placeholder or correct the PO number, not both: a corrected PO number is matched again first.',
              );
            if (!findOption(state.match, d.placeholderId))
              throw new Error(
                "The chosen placeholder is not one of this invoice's candidates any more; reload the page and choose again.",
              );
          } else if (!poChanged && (!state.match || !isUnambiguous(state.match))) {
            const what =
              placeholderOptions(state.match, null).length > 0
                ? 'Choose one of the placeholders, correct the PO number or send it back.'
                : 'Correct the PO number or send it back.';
            throw new Error(`Cannot approve: ${state.match?.reason ?? 'no Plex placeholder was matched'} ${what}`);
          }
          const check = input.policy && checkPolicyApproval(input.policy, state, d);
          if (check && !check.ok) throw new Error(check.reason);
        }
      },
    },
  );

  /** The approval a recall takes back, or why it cannot. */
  const recallable = (recall: RecallInput): { undo: NonNullable<typeof state.undo> } | { refusal: string } => {
    const status = state.status.replace('_', ' ');
    if (invoice.recall) return { refusal: 'This approval is already being taken back.' };
    if (state.undo) {
      return recall.decisionId && recall.decisionId !== state.undo.decisionId
        ? { refusal: 'That approval is no longer the one waiting to sync; reload the page.' }
        : { undo: state.undo };
    }
    if (invoice.undoClosedAt)
      return {
        refusal: `Too late to undo: the undo window closed at ${invoice.undoClosedAt} and the sync to Plex has started (the invoice is ${status}).`,
      };
    if (state.decisions.some((d) => d.action === 'approve' || d.action === 'auto_approve')) {
      return {
        refusal: `Too late to undo: this approval had no undo window and the sync to Plex has started (the invoice is ${status}).`,
      };
    }
    return { refusal: `There is no approval to undo: the invoice is ${status}.` };
  };
  setHandler(
    recallUpdate,
    (raw) => {
      const recall = checked(RecallInput, raw, 'recall');
      const found = recallable(recall);
      if ('refusal' in found)
        throw ApplicationFailure.create({ type: 'TooLateToUndo', nonRetryable: true, message: found.refusal });
      invoice.recall = { ...recall, id: currentUpdateInfo()?.id ?? uuid4() };
      return { recalled: true, decisionId: found.undo.decisionId };
    },
    {
      validator: (raw) => {
        const found = recallable(checked(RecallInput, raw, 'recall'));
        if ('refusal' in found) throw new Error(found.refusal);
      },
    },
  );

  setHandler(retrySyncSignal, (raw) => {
    const parsed = v.safeParse(RetrySyncInput, raw);
    if (parsed.success && state.status === 'sync_failed' && !invoice.pending) invoice.replay = parsed.output;
  });
}
