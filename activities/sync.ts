// Sync stage: write the vendor's invoice number into the Plex placeholder the workflow chose, at most once,
// and never over someone else's change. The number is checked first (domain/invoice-number.ts). A PUT sends
// the whole record and Plex offers no conditional write, so every write is fenced: it is recorded before
// it goes out, a later attempt first waits until an unanswered earlier PUT can no longer land, and the
// record is re-read and compared field by field with what the earlier read saw. If the placeholder
// already carries our number, nothing is written; if anything else changed, or the vendor's number is
// already booked for the supplier on any AP invoice, the sync stops with a typed, non-retryable failure
// and the invoice parks in sync_failed: another placeholder is never chosen here. Every Plex exchange of
// an attempt (requests and responses, never headers) goes on its sync_operations row.
import { activityInfo, ApplicationFailure, Context } from '@temporalio/activity';
import { saveSyncOperation } from '../db/invoices.js';
import { earlierWrites, recordWriteIntent, settleWrite, type SyncAttempt } from '../db/sync-writes.js';
import type { RecordedPlexCall } from '../plex/call-recorder.js';
import { validateInvoiceNumber } from '../domain/invoice-number.js';
import { PlexError, type ApInvoiceRecord } from '../plex/types.js';
import type { ActivityDeps } from './deps.js';
import { plexFailure } from './plex-failure.js';
import { fieldChanges, notWritable, stop } from './sync-checks.js';
import { vendorInvoiceNumberKey } from '../matching/duplicates.js';
import { isOpenStatus, isPlaceholderNumber, sameInvoiceNumber } from '../plex/placeholder.js';

export interface SyncInput {
  invoiceId: string;
  round: number;
  placeholderId: string;
  poNumber: string;
  invoiceNumber: string;
  /** The placeholder's supplier code as the match read it (absent in workflows started before it was sent). */
  supplierCode?: string | null;
  /** An automatic approval's first sync: the match's read of the supplier's AP invoices, if young, may do. */
  reuseMatchRead?: boolean;
}

export interface SyncResult {
  placeholderId: string;
  invoiceNumber: string;
  alreadyApplied: boolean;
}

/**
 * How old the supplier's AP invoice list read by the match may be to serve the duplicate check of the
 * write (automatic approvals sync seconds after their match); older, it is read again.
 */
export const DUPLICATE_CHECK_MAX_AGE_MS = 60_000;

export function createSyncActivities({ sql, plex, plexCalls, clock }: ActivityDeps) {
  /** The checks and the write of one attempt. Throws ApplicationFailure for what retrying cannot fix. */
  async function writeOnce(
    op: SyncAttempt,
    input: SyncInput,
    invoiceNumber: string,
    calls: RecordedPlexCall[],
  ): Promise<SyncResult> {
    const { placeholderId, poNumber } = input;
    const done = { placeholderId, invoiceNumber, alreadyApplied: true };
    const ours = (record: ApInvoiceRecord) =>
      sameInvoiceNumber(record.summary.invoiceNumber, invoiceNumber) &&
      record.summary.poNumber?.trim() === poNumber.trim();

    // 1. The supplier's AP invoices, for the duplicate check and as the earlier of two reads of the
    // placeholder. An automatic approval's first attempt uses the list its match read moments ago, if this
    // process still has it (at most DUPLICATE_CHECK_MAX_AGE_MS old); anything else reads it afresh.
    const listFor = (code: string | null, maxAgeMs = 0) =>
      code ? plex.listSupplierApInvoices(code, invoiceNumber, { maxAgeMs }) : null;
    const matchedCode = input.supplierCode?.trim() || null;
    let listing = await listFor(
      matchedCode,
      input.reuseMatchRead === true && op.attempt === 1 ? DUPLICATE_CHECK_MAX_AGE_MS : 0,
    );

    // 2. The placeholder as it is now: the last read before the write, the one the PUT body is built from.
    // Our number already on it: an earlier attempt's write landed.
    let first = await plex.readApInvoice(placeholderId);
    if (ours(first)) return done;

    // 3. An earlier attempt's PUT whose answer never came may still land: wait until it no longer can and
    // read again, so that write is seen if it ever lands and two of our PUTs are never in flight together.
    const earlier = await earlierWrites(sql, op.invoiceId, placeholderId, op.id, op.round);
    const waitMs = earlier.mayLandUntil ? earlier.mayLandUntil.getTime() - clock().getTime() : 0;
    if (waitMs > 0) {
      await Context.current().sleep(waitMs);
      listing = await listFor(matchedCode);
      first = await plex.readApInvoice(placeholderId);
      if (ours(first)) return done;
    }
    const current = first.summary;
    // Anything but our own number changed since this round's earlier attempt read it?
    if (earlier.lastBody) {
      const changes = fieldChanges(earlier.lastBody, first.writable, { ignore: ['invoiceNumber'] });
      if (changes.length > 0 && isPlaceholderNumber(current.invoiceNumber)) {
        throw stop(
          'PlaceholderChanged',
          `The placeholder ${placeholderId} was changed in Plex since the earlier attempt read it (${changes.join('; ')}). Writing now would undo that change. Nothing was written.`,
        );
      }
    }
    // Same rule the match used (number "Received", status new/open, not paid, this PO).
    if (
      !isPlaceholderNumber(current.invoiceNumber) ||
      current.poNumber?.trim() !== poNumber.trim() ||
      !isOpenStatus(current.status) ||
      first.paid
    ) {
      throw notWritable(current, input);
    }

    // 4. The vendor's number already booked for this supplier, on any PO or none? Checked in the list of the
    // supplier Plex files the placeholder under now (read again, after the placeholder, if that changed).
    const code = current.supplierCode?.trim() || null;
    const listedAfter = code !== matchedCode;
    if (listedAfter) listing = await listFor(code);
    const candidates =
      listing?.invoices.map((r) => r.summary) ??
      // Without a supplier code on the placeholder, the PO's own AP invoices are what can be checked.
      (await plex.findApInvoices({ poNumber, invoiceNumber }));
    const key = vendorInvoiceNumberKey(invoiceNumber);
    const duplicate = candidates.find(
      (other) => other.id !== placeholderId && vendorInvoiceNumberKey(other.invoiceNumber) === key,
    );
    if (duplicate) {
      throw stop(
        'DuplicateInvoiceNumber',
        `Plex already has AP invoice ${duplicate.id} with invoice number "${duplicate.invoiceNumber}" ` +
          `(PO ${duplicate.poNumber ?? 'none'}, supplier ${duplicate.supplierCode ?? '?'}, status ${duplicate.status ?? '?'}); ` +
          `writing "${invoiceNumber}" into placeholder ${placeholderId} would enter the invoice twice. Nothing was written.`,
      );
    }

    // 5. Nothing may have changed between two reads of the placeholder: the supplier's list (read before
    // the placeholder) against the placeholder, else the placeholder read once more. Plex documents a list
    // item and the record as the same shape, so every writable field counts.
    const listed = listedAfter ? undefined : listing?.invoices.find((r) => r.summary.id === placeholderId);
    const [before, latest] = listed ? [listed, first] : [first, await plex.readApInvoice(placeholderId)];
    const changes = fieldChanges(before.writable, latest.writable);
    if (changes.length > 0) {
      throw stop(
        'PlaceholderChanged',
        `The placeholder ${placeholderId} was changed in Plex while the sync was checking it (${changes.join('; ')}). Nothing was written.`,
      );
    }

    // 6. The write, fenced: recorded before it goes out, settled once Plex answers.
    const body = { ...latest.writable, invoiceNumber };
    const sentAt = clock();
    await recordWriteIntent(sql, {
      ...op,
      body,
      sentAt,
      mayLandUntil: new Date(sentAt.getTime() + plex.writeMayLandWithinMs),
      request: exchange([
        ...calls,
        { method: 'PUT', path: placeholderPath(placeholderId), status: 0, requestBody: body },
      ]).request,
    });
    try {
      const result = await plex.putApInvoice(placeholderId, body);
      await settleWrite(sql, op.id);
      if (result.invoice.invoiceNumber !== invoiceNumber) {
        throw new PlexError(
          'invalid_response',
          `Plex answered the update with invoice number "${result.invoice.invoiceNumber}" instead of "${invoiceNumber}".`,
        );
      }
      return { placeholderId: result.invoice.id, invoiceNumber: result.invoice.invoiceNumber, alreadyApplied: false };
    } catch (err) {
      // Answered by Plex itself (a refusal, 500, 503): that write cannot land later. No answer, or a
      // gateway's 502/504 (Plex may still be working on it): it may, and the next attempt waits for it.
      const status = err instanceof PlexError ? (err.details.status ?? 0) : 0;
      if (status !== 0 && status !== 502 && status !== 504) await settleWrite(sql, op.id);
      throw err;
    }
  }

  return {
    async syncToPlex(input: SyncInput): Promise<SyncResult> {
      const attempt = activityInfo().attempt;
      const op: SyncAttempt = {
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
        const checked = validateInvoiceNumber(input.invoiceNumber);
        if (!checked.ok) {
          throw stop(
            'InvalidInvoiceNumber',
            `"${input.invoiceNumber}" cannot be written to Plex: ${checked.reason} Correct the invoice number and approve again. Nothing was written.`,
          );
        }
        const result = await plexCalls.record(calls, () => writeOnce(op, input, checked.value, calls));
        await saveSyncOperation(sql, {
          ...op,
          ...exchange(calls),
          outcome: result.alreadyApplied ? 'already_applied' : 'written',
          error: null,
          errorType: null,
        });
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
      calls: calls.map(({ method, path, requestBody }) => ({
        method,
        path,
        ...(requestBody === undefined ? {} : { body: requestBody }),
      })),
    },
    response: {
      calls: calls.map(({ method, path, status, responseBody, error }) => ({
        method,
        path,
        status,
        ...(responseBody === undefined ? {} : { body: responseBody }),
        ...(error ? { error } : {}),
      })),
    },
  };
}

function toFailure(err: unknown, input: SyncInput): unknown {
  const onPlaceholder = err instanceof PlexError && err.details.path === placeholderPath(input.placeholderId);
  if (onPlaceholder && err.kind === 'not_found') {
    return stop(
      'PlaceholderGone',
      `The placeholder ${input.placeholderId} no longer exists in Plex. Nothing was written.`,
    );
  }
  if (onPlaceholder && err.details.status === 409) {
    return stop(
      'PlaceholderChanged',
      `Plex refused the write because the placeholder ${input.placeholderId} was changed by someone else meanwhile (${err.message}). Nothing was written.`,
    );
  }
  return plexFailure(err);
}

const placeholderPath = (id: string) => `/accounting/v1/ap-invoices/${encodeURIComponent(id)}`;
