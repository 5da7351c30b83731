// Duplicate invoices, decided before anything is written: the same supplier's invoice number already
// synced or in flight makes this one a 'duplicate' (never written); the same supplier, total and date
// under another number is a near-duplicate (a warning). The earlier upload is always the original.
import type { MatchResult } from '../domain/match.js';
import { compareDecimals } from '../domain/decimal.js';
import type { InvoiceFacts } from './facts.js';
import { isSameSupplierName } from '../domain/supplier-name.js';
import { invoiceNumberKey } from '../domain/invoice-number.js';

/** Another invoice row that may be the original (db/duplicates.ts reads them). */
export interface OtherInvoice {
  id: string;
  status: string;
  vendorName: string | null;
  invoiceNumber: string | null;
  total: string | null;
  invoiceDate: string | null;
  /** The Plex PO and supplier its match found, if any. */
  purchaseOrderId: string | null;
  supplierId: string | null;
  supplierName: string | null;
  /** Uploaded before this invoice (created_at, id order). */
  uploadedEarlier: boolean;
}

/** Past review: it is (or is about to be) in Plex. These always count. */
export const COMMITTED_STATUSES = ['approved', 'syncing', 'synced', 'sync_failed'] as const;
/** Still with a clerk or being matched: these count only when uploaded earlier, so two copies never block each other. */
export const IN_FLIGHT_STATUSES = ['awaiting_review', 'escalated', 'matching'] as const;

export { invoiceNumberKey };

/**
 * Looser still, for the check against Plex before a write: leading zeros of each number inside the
 * invoice number do not count either ("INV-0042" = "inv 42"). A false alarm parks the sync with the Plex
 * record named; a miss would enter the vendor's invoice twice.
 */
export function vendorInvoiceNumberKey(invoiceNumber: string | null | undefined): string | null {
  const key = invoiceNumberKey(invoiceNumber);
  return key === null ? null : key.replace(/(^|[A-Z])0+(?=\d)/g, '$1');
}

export function countsAsOriginal(other: Pick<OtherInvoice, 'status' | 'uploadedEarlier'>): boolean {
  if ((COMMITTED_STATUSES as readonly string[]).includes(other.status)) return true;
  return (IN_FLIGHT_STATUSES as readonly string[]).includes(other.status) && other.uploadedEarlier;
}

function sameSupplier(facts: InvoiceFacts, match: MatchResult, other: OtherInvoice): boolean {
  const mySupplierId = match.purchaseOrder?.supplierId ?? null;
  if (mySupplierId && other.supplierId && mySupplierId === other.supplierId) return true;
  const mine = [facts.vendorName, match.purchaseOrder?.supplierName ?? null];
  const theirs = [other.vendorName, other.supplierName];
  return mine.some((a) => theirs.some((b) => isSameSupplierName(a, b)));
}

const committedFirst = (a: OtherInvoice, b: OtherInvoice) =>
  Number((COMMITTED_STATUSES as readonly string[]).includes(b.status)) -
  Number((COMMITTED_STATUSES as readonly string[]).includes(a.status));

export function applyDuplicateCheck(
  match: MatchResult,
  facts: InvoiceFacts,
  others: readonly OtherInvoice[],
): MatchResult {
  const originals = others.filter((o) => countsAsOriginal(o) && sameSupplier(facts, match, o));
  const key = invoiceNumberKey(facts.invoiceNumber);
  const exact = key
    ? originals.filter((o) => invoiceNumberKey(o.invoiceNumber) === key).sort(committedFirst)[0]
    : undefined;
  if (exact) {
    const state = exact.status.replace('_', ' ');
    return {
      ...match,
      status: 'duplicate',
      reason: `Invoice number ${facts.invoiceNumber} from ${facts.vendorName ?? match.purchaseOrder?.supplierName ?? 'this supplier'} is already ${state} as invoice ${exact.id}; a duplicate is never written to Plex.`,
      duplicateOf: {
        invoiceId: exact.id,
        reason: `same supplier and invoice number ${exact.invoiceNumber} (${state})`,
      },
    };
  }
  const near = originals.find(
    (o) =>
      facts.total !== null &&
      o.total !== null &&
      compareDecimals(facts.total, o.total) === 0 &&
      facts.invoiceDate !== null &&
      o.invoiceDate === facts.invoiceDate &&
      invoiceNumberKey(o.invoiceNumber) !== key &&
      // Two orders are two deliveries: different matched POs are not the same bill sent twice.
      !(match.purchaseOrder && o.purchaseOrderId && o.purchaseOrderId !== match.purchaseOrder.id),
  );
  if (!near) return match;
  const reason = `same supplier, total ${facts.total} and date ${facts.invoiceDate} as invoice ${near.id} (number ${near.invoiceNumber ?? 'unknown'})`;
  return {
    ...match,
    warnings: [...match.warnings, `Possible duplicate: ${reason}, under a different invoice number.`],
    duplicateOf: match.duplicateOf ?? { invoiceId: near.id, reason: `near duplicate: ${reason}` },
  };
}
