// Sync stage: write the vendor's invoice number into the Plex placeholder, exactly once.
// Idempotent by re-reading before writing: if the placeholder already carries our number (an earlier
// attempt's write landed but its response was lost), the write is not repeated.
import { activityInfo, ApplicationFailure, Context } from '@temporalio/activity';
import { saveSyncOperation } from '../db/invoices.js';
import { PlexError } from '../plex/types.js';
import type { ActivityDeps } from './deps.js';
import { plexFailure } from './plex-failure.js';

export const isPlaceholderNumber = (invoiceNumber: string) => invoiceNumber.trim().toLowerCase() === 'received';

export interface SyncInput {
  invoiceId: string;
  round: number;
  placeholderId: string;
  poNumber: string;
  invoiceNumber: string;
}

export function createSyncActivities({ sql, plex, clock }: ActivityDeps) {
  return {
    async syncToPlex(input: SyncInput): Promise<{ placeholderId: string; invoiceNumber: string; alreadyApplied: boolean }> {
      const attempt = activityInfo().attempt;
      const startedAt = clock();
      const op = {
        id: `${input.invoiceId}:${input.round}:${attempt}`,
        invoiceId: input.invoiceId,
        round: input.round,
        attempt,
        placeholderId: input.placeholderId,
        invoiceNumber: input.invoiceNumber,
        startedAt,
      };
      let requestBody: unknown = null;
      // Heartbeats let Temporal notice a dead worker within the heartbeat timeout instead of startToClose.
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 1_000);
      try {
        const current = await plex.getApInvoice(input.placeholderId);
        if (current.invoiceNumber === input.invoiceNumber) {
          await saveSyncOperation(sql, { ...op, outcome: 'already_applied', request: null, response: current, error: null, errorType: null });
          return { placeholderId: current.id, invoiceNumber: current.invoiceNumber, alreadyApplied: true };
        }
        if (!isPlaceholderNumber(current.invoiceNumber)) {
          throw ApplicationFailure.create({
            type: 'PlaceholderChanged',
            nonRetryable: true,
            message: `The placeholder ${current.id} now carries invoice number "${current.invoiceNumber}", not "Received": someone else changed it. Nothing was written.`,
          });
        }
        if (current.poNumber && current.poNumber !== input.poNumber) {
          throw ApplicationFailure.create({
            type: 'PlaceholderChanged',
            nonRetryable: true,
            message: `The placeholder ${current.id} now belongs to PO ${current.poNumber}, not ${input.poNumber}. Nothing was written.`,
          });
        }
        const result = await plex.updateApInvoiceNumber(input.placeholderId, input.invoiceNumber);
        requestBody = result.requestBody;
        if (result.invoice.invoiceNumber !== input.invoiceNumber) {
          throw new PlexError('invalid_response', `Plex answered the update with invoice number "${result.invoice.invoiceNumber}" instead of "${input.invoiceNumber}".`);
        }
        await saveSyncOperation(sql, { ...op, outcome: 'written', request: requestBody, response: result.invoice, error: null, errorType: null });
        return { placeholderId: result.invoice.id, invoiceNumber: result.invoice.invoiceNumber, alreadyApplied: false };
      } catch (err) {
        const failure = err instanceof PlexError && err.kind === 'not_found'
          ? ApplicationFailure.create({ type: 'PlaceholderGone', nonRetryable: true, message: `The placeholder ${input.placeholderId} no longer exists in Plex. Nothing was written.` })
          : plexFailure(err);
        const message = failure instanceof Error ? failure.message : String(failure);
        const type = failure instanceof ApplicationFailure ? (failure.type ?? null) : null;
        const response = err instanceof PlexError ? (err.details.responseBody ?? { status: err.details.status }) : null;
        await saveSyncOperation(sql, { ...op, outcome: 'failed', request: requestBody, response, error: message, errorType: type });
        throw failure;
      } finally {
        clearInterval(beat);
      }
    },
  };
}
