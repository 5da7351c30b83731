// The Temporal side of the web app and CLI: start an invoice workflow, read its state, send messages.
import { Client, Connection, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Config } from '../../config/index.js';
import type { InvoiceState, InvoiceWorkflowInput, RecallInput, RetrySyncInput, ReviewDecisionInput } from '../../domain/invoice.js';
import { invoiceStateQuery, recallUpdate, retrySyncSignal, reviewUpdate } from '../../workflows/messages.js';

export interface InvoiceProcesses {
  /** Start (or find the already running) workflow for an invoice. */
  start(input: InvoiceWorkflowInput): Promise<void>;
  state(invoiceId: string): Promise<InvoiceState | undefined>;
  review(invoiceId: string, decision: ReviewDecisionInput): Promise<{ decisionId: string }>;
  /** Takes back an approval in its undo window; ReviewRejectedError says why when it is too late. */
  recall(invoiceId: string, input: RecallInput): Promise<{ decisionId: string }>;
  retrySync(invoiceId: string, input: RetrySyncInput): Promise<void>;
  close(): Promise<void>;
}

export class ReviewRejectedError extends Error {
  override name = 'ReviewRejectedError';
}

export async function connectInvoiceProcesses(temporal: Config['temporal']): Promise<InvoiceProcesses> {
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  return createInvoiceProcesses(client, temporal.taskQueue, () => connection.close());
}

export function createInvoiceProcesses(client: Client, taskQueue: string, close: () => Promise<void> = async () => {}): InvoiceProcesses {
  return {
    async start(input) {
      try {
        await client.workflow.start('invoiceWorkflow', {
          taskQueue,
          workflowId: input.invoiceId,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `Invoice file ${input.fileName}`,
          staticDetails: `Uploaded by ${input.uploadedBy}. Document SHA-256 ${input.documentSha256}.`,
        });
      } catch (err) {
        // A closed workflow for the same file: the invoice already went through its lifecycle.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
    async state(invoiceId) {
      try {
        return await client.workflow.getHandle(invoiceId).query(invoiceStateQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        throw err;
      }
    },
    review: (invoiceId, decision) => refusedAsReviewError(() => client.workflow.getHandle(invoiceId).executeUpdate(reviewUpdate, { args: [decision] })),
    async recall(invoiceId, input) {
      const handle = client.workflow.getHandle(invoiceId);
      try {
        return await refusedAsReviewError(() => handle.executeUpdate(recallUpdate, { args: [input] }));
      } catch (err) {
        // A finished workflow takes no Update: say why from its final state (a closed workflow still answers queries).
        if (!(err instanceof ReviewRejectedError)) throw err;
        const state = await handle.query(invoiceStateQuery).catch(() => undefined);
        if (!state || state.status === 'awaiting_review' || state.status === 'escalated') throw err;
        const approved = state.decisions.some((d) => d.action === 'approve' || d.action === 'auto_approve');
        throw new ReviewRejectedError(approved
          ? `Too late to undo: the sync to Plex has already run (the invoice is ${state.status.replace('_', ' ')}).`
          : `There is no approval to undo: the invoice is ${state.status.replace('_', ' ')}.`);
      }
    },
    async retrySync(invoiceId, input) {
      await client.workflow.getHandle(invoiceId).signal(retrySyncSignal, input);
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
