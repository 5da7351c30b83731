// Pure decision rules of the invoice process (no I/O), used by the workflow and unit-tested directly.
import type { Extraction } from '../domain/extraction.js';
import { validateInvoiceNumber } from '../domain/invoice-number.js';
import type { EffectiveFields, InvoiceState } from '../domain/invoice.js';
import { isUnambiguous } from '../domain/placeholder-choice.js';

/** Extraction overlaid with the clerk's corrections: what matching and the Plex write use. */
export function effectiveFields(extraction: Extraction | null, corrections: Record<string, string>): EffectiveFields {
  const f = extraction?.fields;
  return {
    invoiceNumber: corrections.invoiceNumber ?? f?.invoiceNumber.value ?? null,
    poNumber: corrections.poNumber ?? f?.poNumbers.value?.[0] ?? null,
    vendorName: corrections.vendorName ?? f?.vendorName.value ?? null,
    total: corrections.total ?? f?.total.value ?? null,
    currency: corrections.currency ?? f?.currency.value ?? null,
    invoiceDate: corrections.invoiceDate ?? f?.invoiceDate.value ?? null,
  };
}

/**
 * Why this invoice needs a person. Empty means it may be approved automatically: confidence at or above
 * the threshold, an invoice number, and exactly one PO with exactly one open placeholder.
 */
export function reviewReasons(
  state: Pick<InvoiceState, 'extraction' | 'fields' | 'match' | 'errors'>,
  autoApproveThreshold: number,
  humanTouched: boolean,
): string[] {
  const reasons: string[] = [];
  if (humanTouched) reasons.push('A clerk has reviewed this invoice; it needs a clerk to approve it.');
  if (!state.extraction) reasons.push(...state.errors);
  const confidence = state.extraction?.confidence ?? 0;
  if (confidence < autoApproveThreshold) {
    reasons.push(
      `Extraction confidence ${(confidence * 100).toFixed(0)}% is below the auto-approve threshold of ${(autoApproveThreshold * 100).toFixed(0)}%.`,
    );
  }
  if (!state.fields.invoiceNumber) reasons.push('No invoice number was found.');
  else {
    // What was read is what the sync would write: the same rule as a Plex write, checked before anyone approves.
    const checked = validateInvoiceNumber(state.fields.invoiceNumber);
    if (!checked.ok) reasons.push(`The invoice number as read cannot be written to Plex: ${checked.reason}`);
  }
  const parts = state.extraction?.parts ?? [];
  if (parts.length > 1) {
    reasons.push(
      `The file seems to hold ${parts.length} invoices (pages ${parts.map((p) => (p.fromPage === p.toPage ? `${p.fromPage}` : `${p.fromPage}-${p.toPage}`)).join(', ')}); it was not split.`,
    );
  }
  const printedPos = state.extraction?.fields.poNumbers.value ?? [];
  if (printedPos.length > 1) reasons.push(`The invoice names several POs (${printedPos.join(', ')}).`);
  if (!state.match || !isUnambiguous(state.match)) reasons.push(state.match?.reason ?? 'Not matched to a Plex PO.');
  reasons.push(...(state.match?.warnings ?? []));
  return reasons;
}

/**
 * Why an invoice cannot be approved in bulk from the queue (empty: it can). A bulk approval is a clerk
 * vouching for several invoices without opening each, so it takes only those that would pass every check
 * but the reading-confidence gate: waiting for review, a valid invoice number, one PO, matched to exactly
 * one open placeholder, no warning (amount, lines, duplicate, bank account…). The number written to Plex
 * must still be read at the auto-approval confidence, or have been typed by a clerk.
 */
export function bulkApprovalBlockers(
  state: Pick<InvoiceState, 'status' | 'extraction' | 'fields' | 'match' | 'errors'>,
  autoApproveThreshold: number,
): string[] {
  if (state.status !== 'awaiting_review' && state.status !== 'escalated') {
    return [`It is ${state.status.replace(/_/g, ' ')}, not waiting for review.`];
  }
  const blockers = reviewReasons(state, 0, false);
  // With automatic approval switched off (a threshold above 1), a confident reading is 95%.
  const confident = autoApproveThreshold > 1 ? 0.95 : autoApproveThreshold;
  const read = state.extraction?.fields.invoiceNumber;
  if (blockers.length === 0 && read && read.value === state.fields.invoiceNumber && read.confidence < confident) {
    blockers.push(
      `The invoice number was read at ${(read.confidence * 100).toFixed(0)}% confidence, below ${(confident * 100).toFixed(0)}%: open the invoice to check it.`,
    );
  }
  return blockers;
}
