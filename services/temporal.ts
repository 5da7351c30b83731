// The Temporal side of the web app and CLI: start an invoice workflow, read its state, send messages.
// Every call has a deadline: with Temporal down the SDK would retry for ~20 s while a clerk waits; instead
// the call fails within seconds with TemporalUnavailableError (503 + Retry-After in the web app).
import {
  Client,
  Connection,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
} from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Config } from '../config/index.js';
import type {
  InvoiceState,
  InvoiceWorkflowInput,
  QuestionInput,
  RecallInput,
  RetrySyncInput,
  ReviewDecisionInput,
} from '../domain/invoice.js';
import type { NotifyRequest } from '../domain/notifications.js';
import { invoiceWorkflow } from '../workflows/invoice.js';
import {
  invoiceStateQuery,
  questionAnsweredSignal,
  questionOpenedSignal,
  recallUpdate,
  retrySyncSignal,
  reviewUpdate,
} from '../workflows/messages.js';
import { notificationWorkflow } from '../workflows/notify.js';

export interface InvoiceProcesses {
  /** Start (or find the already running) workflow for an invoice; 'closed' when it already went through. */
  start(input: InvoiceWorkflowInput): Promise<'running' | 'closed'>;
  state(invoiceId: string): Promise<InvoiceState | undefined>;
  review(invoiceId: string, decision: ReviewDecisionInput): Promise<{ decisionId: string }>;
  /** Takes back an approval in its undo window; ReviewRejectedError says why when it is too late. */
  recall(invoiceId: string, input: RecallInput): Promise<{ decisionId: string }>;
  retrySync(invoiceId: string, input: RetrySyncInput): Promise<void>;
  /** Tells the invoice's workflow a question was asked or answered; 'closed' when the workflow has ended. */
  question(invoiceId: string, event: 'opened' | 'answered', input: QuestionInput): Promise<'delivered' | 'closed'>;
  /** Starts the once-only notification workflow of an event (its id derives from the request's key). */
  announce(req: NotifyRequest): Promise<void>;
  close(): Promise<void>;
}

export class ReviewRejectedError extends Error {
  override name = 'ReviewRejectedError';
}

/** Temporal did not answer in time (down, restarting, or unreachable). Trying again later is safe. */
export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
  /** Seconds after which a retry is worth it (the web app's Retry-After). */
  readonly retryAfterSeconds = 30;
}

/** How long each kind of call may take before the caller is told Temporal is unavailable. */
export interface TemporalDeadlines {
  /** Start, signal, query: the server answers these in milliseconds when it is up. */
  callMs: number;
  /** A review Update waits for a worker to run the workflow's handler, so it gets longer. */
  updateMs: number;
}
export const DEFAULT_DEADLINES: TemporalDeadlines = { callMs: 5_000, updateMs: 20_000 };

// gRPC status codes that mean "the server is not there (in time)", not "the request is wrong".
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (isGrpcServiceError(e) && [UNAVAILABLE, DEADLINE_EXCEEDED].includes(Number(e.code))) return true;
  }
  return false;
}

export async function connectInvoiceProcesses(temporal: Config['temporal']): Promise<InvoiceProcesses> {
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  return createInvoiceProcesses(client, temporal.taskQueue, () => connection.close());
}

export function createInvoiceProcesses(
  client: Client,
  taskQueue: string,
  close: () => Promise<void> = async () => {},
  deadlines: TemporalDeadlines = DEFAULT_DEADLINES,
): InvoiceProcesses {
  async function bounded<T>(ms: number, call: () => Promise<T>): Promise<T> {
    try {
      return await client.withDeadline(Date.now() + ms, call);
    } catch (err) {
      if (isUnavailable(err))
        throw new TemporalUnavailableError(`Temporal (the workflow service) did not answer within ${ms / 1000} s.`);
      throw err;
    }
  }
  return {
    async start(input) {
      try {
        await bounded(deadlines.callMs, () =>
          client.workflow.start(invoiceWorkflow, {
            taskQueue,
            workflowId: input.invoiceId,
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            staticSummary: `Invoice file ${input.fileName}`,
            staticDetails: `Uploaded by ${input.uploadedBy}. Document SHA-256 ${input.documentSha256}.`,
          }),
        );
        return 'running';
      } catch (err) {
        // A closed workflow for the same file: the invoice already went through its lifecycle.
        if (err instanceof WorkflowExecutionAlreadyStartedError) return 'closed';
        throw err;
      }
    },
    async state(invoiceId) {
      try {
        return await bounded(deadlines.callMs, () => client.workflow.getHandle(invoiceId).query(invoiceStateQuery));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    },
    review: (invoiceId, decision) =>
      refusedAsReviewError(() =>
        bounded(deadlines.updateMs, () =>
          client.workflow.getHandle(invoiceId).executeUpdate(reviewUpdate, { args: [decision] }),
        ),
      ),
    async recall(invoiceId, input) {
      const handle = client.workflow.getHandle(invoiceId);
      try {
        return await refusedAsReviewError(() =>
          bounded(deadlines.updateMs, () => handle.executeUpdate(recallUpdate, { args: [input] })),
        );
      } catch (err) {
        // A finished workflow takes no Update: say why from its final state (a closed workflow still answers queries).
        if (!(err instanceof ReviewRejectedError)) throw err;
        const state = await bounded(deadlines.callMs, () => handle.query(invoiceStateQuery)).catch(() => undefined);
        if (!state || state.status === 'awaiting_review' || state.status === 'escalated') throw err;
        const approved = state.decisions.some((d) => d.action === 'approve' || d.action === 'auto_approve');
        throw new ReviewRejectedError(
          approved
            ? `Too late to undo: the sync to Plex has already run (the invoice is ${state.status.replace('_', ' ')}).`
            : `There is no approval to undo: the invoice is ${state.status.replace('_', ' ')}.`,
        );
      }
    },
    async retrySync(invoiceId, input) {
      await bounded(deadlines.callMs, () => client.workflow.getHandle(invoiceId).signal(retrySyncSignal, input));
    },
    async question(invoiceId, event, input) {
      try {
        await bounded(deadlines.callMs, () =>
          client.workflow
            .getHandle(invoiceId)
            .signal(event === 'opened' ? questionOpenedSignal : questionAnsweredSignal, input),
        );
        return 'delivered';
      } catch (err) {
        // A finished invoice has no escalation clock left to stop.
        if (err instanceof WorkflowNotFoundError) return 'closed';
        throw err;
      }
    },
    async announce(req) {
      try {
        await bounded(deadlines.callMs, () =>
          client.workflow.start(notificationWorkflow, {
            taskQueue,
            workflowId: `notify:${req.key}`,
            args: [req],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            staticSummary: `Notify: ${req.event}`,
          }),
        );
      } catch (err) {
        // Started before (a resent form, a retried call): that one delivers, once.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
    close,
  };
}

/** An Update the workflow refused (validator or handler), or a closed workflow, as a ReviewRejectedError. */
async function refusedAsReviewError<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new ReviewRejectedError(err.cause?.message ?? err.message);
    if (err instanceof WorkflowNotFoundError) throw new ReviewRejectedError('This invoice has no running workflow.');
    throw err;
  }
}
