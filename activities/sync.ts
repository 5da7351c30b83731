// Sync stage: write the vendor's invoice number into the Plex placeholder the workflow chose, at most once.
// Plex is asked again before every write. If the placeholder already carries our number (an earlier
// attempt's write landed but its answer was lost), nothing is written. If someone else changed, closed or
// removed it, or another AP invoice of the PO already has our number, the sync stops with a typed,
// non-retryable failure and the invoice parks in sync_failed: another placeholder is never chosen here.
// Every Plex exchange of an attempt (requests and responses, never headers) goes on its sync_operations row.
import { activityInfo, ApplicationFailure, Context } from '@temporalio/activity';
import { saveSyncOperation } from '../db/invoices.js';
import type { PlaceholderSummary } from '../domain/plex.js';
import type { RecordedPlexCall } from '../plex/call-recorder.js';
import { isOpenStatus, isPlaceholderNumber, sameInvoiceNumber } from '../plex/placeholder.js';
import { PlexError, type PlexClient } from '../plex/types.js';
import type { ActivityDeps } from './deps.js';
import { plexFailure } from './plex-failure.js';


export interface SyncInput {
  invoiceId: string;
  round: number;
  placeholderId: string;
  poNumber: string;
  invoiceNumber: string;
}

export interface SyncResult {
  placeholderId: string;
  invoiceNumber: string;
  alreadyApplied: boolean;
}

export function createSyncActivities({ sql, plex, plexCalls, clock }: ActivityDeps) {
  return {
    async syncToPlex(input: SyncInput): Promise<SyncResult> {
      const attempt = activityInfo().attempt;
      const op = {
        id: `${input.invoiceId}:${input.round}:${attempt}`,
        invoiceId: input.invoiceId,
        round: input.round,
        attempt,
        placeholderId: input.placeholderId,
        invoiceNumber: input.invoiceNumber,
        startedAt: clock(),
      };
      const calls: RecordedPlexCall[] = [];
      // Heartbeats let Temporal notice a dead worker within the heartbeat timeout instead of startToClose.
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 1_000);
      try {
        const result = await plexCalls.record(calls, () => writeOnce(plex, input));
        await saveSyncOperation(sql, { ...op, ...exchange(calls), outcome: result.alreadyApplied ? 'already_applied' : 'written', error: null, errorType: null });
        return result;
      } catch (err) {
        const failure = toFailure(err, input);
        const message = failure instanceof Error ? failure.message : String(failure);
        const type = failure instanceof ApplicationFailure ? (failure.type ?? null) : null;
        await saveSyncOperation(sql, { ...op, ...exchange(calls), outcome: 'failed', error: message, errorType: type });
        throw failure;
      } finally {
        clearInterval(beat);
      }
    },
  };
}

/** The attempt's Plex calls as the sync_operations request and response columns store them. */
function exchange(calls: RecordedPlexCall[]) {
  return {
    request: {
      calls: calls.map(({ method, path, requestBody }) => ({ method, path, ...(requestBody === undefined ? {} : { body: requestBody }) })),
    },
    response: {
      calls: calls.map(({ method, path, status, responseBody, error }) =>
        ({ method, path, status, ...(responseBody === undefined ? {} : { body: responseBody }), ...(error ? { error } : {}) })),
    },
  };
}

/** The checks and the write of one attempt. Throws ApplicationFailure for what retrying cannot fix. */
async function writeOnce(plex: PlexClient, input: SyncInput): Promise<SyncResult> {
  const { placeholderId, poNumber, invoiceNumber } = input;
  const done = { placeholderId, invoiceNumber, alreadyApplied: true };

  // 1. Already written by an earlier attempt? And does another AP invoice of the PO have our number?
  const withOurNumber = await plex.findApInvoices({ poNumber, invoiceNumber });
  if (withOurNumber.some((invoice) => invoice.id === placeholderId)) return done;
  const duplicate = withOurNumber[0];
  if (duplicate) {
    throw stop('DuplicateInvoiceNumber',
      `Plex already has AP invoice ${duplicate.id} with invoice number "${duplicate.invoiceNumber}" ` +
      `(PO ${duplicate.poNumber ?? '?'}, supplier ${duplicate.supplierCode ?? '?'}, status ${duplicate.status ?? '?'}); ` +
      `writing it into placeholder ${placeholderId} would enter the invoice twice. Nothing was written.`);
  }

  // 2. Still an open placeholder of this PO? Same rule the match used (number "Received", status new/open,
  // not paid), so a placeholder closed or paid since the match is never written.
  const open = await plex.listPlaceholders(poNumber);
  if (!open.some((placeholder) => placeholder.id === placeholderId)) {
    // Not open any more: read it once to say why (or to find our own write, if the list missed it).
    const current = await plex.getApInvoice(placeholderId);
    if (sameInvoiceNumber(current.invoiceNumber, invoiceNumber) && current.poNumber?.trim() === poNumber.trim()) return done;
    throw notWritable(current, input);
  }

  // 3. The write (the client GETs the record and PUTs its writable fields with our number, once).
  const result = await plex.updateApInvoiceNumber(placeholderId, invoiceNumber);
  if (result.invoice.invoiceNumber !== invoiceNumber) {
    throw new PlexError('invalid_response', `Plex answered the update with invoice number "${result.invoice.invoiceNumber}" instead of "${invoiceNumber}".`);
  }
  return { placeholderId: result.invoice.id, invoiceNumber: result.invoice.invoiceNumber, alreadyApplied: false };
}

function notWritable(current: PlaceholderSummary, input: SyncInput): ApplicationFailure {
  const what = `The placeholder ${current.id}`;
  if (!isPlaceholderNumber(current.invoiceNumber)) {
    return stop('PlaceholderChanged', `${what} now carries invoice number "${current.invoiceNumber}", not "Received": someone else changed it. Nothing was written.`);
  }
  if (current.poNumber?.trim() !== input.poNumber.trim()) {
    return stop('PlaceholderChanged', `${what} now belongs to PO ${current.poNumber ?? '(none)'}, not ${input.poNumber}. Nothing was written.`);
  }
  const status = current.status ?? '(none)';
  const reason = isOpenStatus(status)
    ? `is no longer among PO ${input.poNumber}'s open placeholders (status ${status}; it has been paid or closed in Plex)`
    : `is no longer open (status ${status})`;
  return stop('PlaceholderNotOpen', `${what} ${reason}. Nothing was written.`);
}

function toFailure(err: unknown, input: SyncInput): unknown {
  const onPlaceholder = err instanceof PlexError && err.details.path === placeholderPath(input.placeholderId);
  if (onPlaceholder && err.kind === 'not_found') {
    return stop('PlaceholderGone', `The placeholder ${input.placeholderId} no longer exists in Plex. Nothing was written.`);
  }
  if (onPlaceholder && err.details.status === 409) {
    return stop('PlaceholderChanged', `Plex refused the write because the placeholder ${input.placeholderId} was changed by someone else meanwhile (${err.message}). Nothing was written.`);
  }
  return plexFailure(err);
}

const placeholderPath = (id: string) => `/accounting/v1/ap-invoices/${encodeURIComponent(id)}`;
const stop = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
