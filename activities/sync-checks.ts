// What the sync concludes from a re-read placeholder: which fields changed between two reads (shown in
// PlaceholderChanged), and why a placeholder no longer takes the vendor's number.
import { ApplicationFailure } from '@temporalio/activity';
import type { PlaceholderSummary } from '../domain/plex.js';
import { isOpenStatus, isPlaceholderNumber } from '../plex/placeholder.js';

export const stop = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/** `field: before → after` for every field whose value differs between two reads (JSON equality). */
export function fieldChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  { ignore = [] }: { ignore?: readonly string[] } = {},
): string[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((f) => !ignore.includes(f))
    .sort();
  const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value));
  return fields
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => `${field}: ${show(before[field])} → ${show(after[field])}`);
}

export function notWritable(current: PlaceholderSummary, input: { poNumber: string }): ApplicationFailure {
  const what = `The placeholder ${current.id}`;
  if (!isPlaceholderNumber(current.invoiceNumber)) {
    return stop(
      'PlaceholderChanged',
      `${what} now carries invoice number "${current.invoiceNumber}", not "Received": someone else changed it. Nothing was written.`,
    );
  }
  if (current.poNumber?.trim() !== input.poNumber.trim()) {
    return stop(
      'PlaceholderChanged',
      `${what} now belongs to PO ${current.poNumber ?? '(none)'}, not ${input.poNumber}. Nothing was written.`,
    );
  }
  const status = current.status ?? '(none)';
  const reason = isOpenStatus(status)
    ? `is no longer among PO ${input.poNumber}'s open placeholders (status ${status}; it has been paid or closed in Plex)`
    : `is no longer open (status ${status})`;
  return stop('PlaceholderNotOpen', `${what} ${reason}. Nothing was written.`);
}
