// Messages of the invoice workflow, defined once and imported by the workflow, the API and the CLI.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  InvoiceState,
  QuestionInput,
  RecallInput,
  RetrySyncInput,
  ReviewDecisionInput,
} from '../domain/invoice.js';

/** The invoice's full state: stage, fields with confidence, match, decisions, sync attempts, errors. */
export const invoiceStateQuery = defineQuery<InvoiceState>('invoiceState');

/** A clerk's review decision. Rejected before it reaches history unless the invoice awaits review. */
export const reviewUpdate = defineUpdate<{ accepted: true; decisionId: string }, [ReviewDecisionInput]>('review');

/** Takes back a clerk's approval while its undo window is open (before the sync starts); audited. */
export const recallUpdate = defineUpdate<{ recalled: true; decisionId: string }, [RecallInput]>('recall');

/** Ops' replay of a parked sync (status sync_failed). */
export const retrySyncSignal = defineSignal<[RetrySyncInput]>('retrySync');

/** A question was asked on the invoice's thread: the escalation clock stops while any question is open. */
export const questionOpenedSignal = defineSignal<[QuestionInput]>('questionOpened');

/** A question was marked answered: the escalation clock runs on with the time it had left. */
export const questionAnsweredSignal = defineSignal<[QuestionInput]>('questionAnswered');
