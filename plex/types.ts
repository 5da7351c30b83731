// The narrow interface PlexSync uses to talk to Plex. Implemented by plex/client.ts over HTTP;
// tests and dev use the same client against the simulator in plex-simulator/.
import type {
  PlaceholderSummary,
  PurchaseOrderLine,
  PurchaseOrderSummary,
  ReceiptSummary,
  SupplierFinancials,
  SupplierSummary,
} from '../domain/plex.js';

export type PlexErrorKind =
  | 'unauthorized' // 401: bad key, or an API product the app is not subscribed to (Plex says the same for both)
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'bad_request' // 400 / 422: validation error; the body says why
  | 'conflict' // 409 or 405 (e.g. PATCH not allowed)
  | 'rate_limited' // 429; retryAfterMs when the server said
  | 'server' // 5xx
  | 'network' // connection refused/reset, DNS
  | 'timeout' // no response within the configured timeout
  | 'invalid_response'; // 2xx with a body that does not match the expected shape

export class PlexError extends Error {
  override name = 'PlexError';
  constructor(
    readonly kind: PlexErrorKind,
    message: string,
    readonly details: {
      status?: number;
      retryAfterMs?: number;
      method?: string;
      path?: string;
      responseBody?: unknown;
    } = {},
  ) {
    super(message);
  }
  /** Errors a later attempt may fix. */
  get retryable(): boolean {
    return ['rate_limited', 'server', 'network', 'timeout'].includes(this.kind);
  }
}

export interface ApInvoiceUpdateResult {
  /** The record as Plex returned it after the write. */
  invoice: PlaceholderSummary;
  /** The exact body sent with PUT, for the sync log. */
  requestBody: Record<string, unknown>;
}

/** One AP invoice as read: the summary, and the fields a PUT would send back (as Plex sent them). */
export interface ApInvoiceRecord {
  summary: PlaceholderSummary;
  writable: Record<string, unknown>;
  /** Plex's paid flag (read-only, so not among the writable fields). */
  paid: boolean;
}

export interface PlexClient {
  /** POs whose number equals poNumber (Plex filter + client-side re-filter). */
  findPurchaseOrders(poNumber: string): Promise<PurchaseOrderSummary[]>;
  /**
   * Open AP invoices of a PO whose invoice number is the "Received" placeholder (any case), read afresh.
   * With the PO's supplier code, the supplier's AP invoices are read instead (kept for the duplicate check
   * of a write that follows soon); none there for this PO falls back to the PO's own AP invoices.
   */
  listPlaceholders(poNumber: string, hint?: { supplierCode?: string | null }): Promise<PlaceholderSummary[]>;
  /** Open POs with this number among the suppliers' open POs read recently (no Plex call; may be empty). */
  cachedPurchaseOrders(poNumber: string): PurchaseOrderSummary[];
  /** AP invoices of a PO with the given invoice number (used to detect an already-applied write). */
  findApInvoices(query: { poNumber: string; invoiceNumber: string }): Promise<PlaceholderSummary[]>;
  getApInvoice(id: string): Promise<PlaceholderSummary>;
  /** The record with the fields a PUT would send back. */
  readApInvoice(id: string): Promise<ApInvoiceRecord>;
  /**
   * Every AP invoice of the supplier (any PO, or none), as records; the caller compares invoice numbers.
   * Read afresh unless this client read the supplier's list at most maxAgeMs ago (capped by its read cache).
   */
  listSupplierApInvoices(
    supplierCode: string,
    invoiceNumber: string,
    options?: { maxAgeMs?: number },
  ): Promise<{ invoices: ApInvoiceRecord[] }>;
  /** PUT exactly this body, once (never retried in-process). */
  putApInvoice(id: string, body: Record<string, unknown>): Promise<ApInvoiceUpdateResult>;
  /**
   * How long after it was sent an unanswered PUT may still land in Plex: the client timeout plus a margin
   * for a request Plex received but finished late. A retry waits this out before reading again.
   */
  readonly writeMayLandWithinMs: number;
  /** GET the record, then PUT its writable fields with the new invoice number. */
  updateApInvoiceNumber(id: string, invoiceNumber: string): Promise<ApInvoiceUpdateResult>;
  /** Suppliers whose code and/or name equal the given ones (trimmed, case-insensitive). */
  findSuppliers(query: { name?: string; code?: string }): Promise<SupplierSummary[]>;
  /** Every supplier, for similarity search when the printed name is not spelled as in Plex. */
  listSuppliers(): Promise<SupplierSummary[]>;
  /**
   * The supplier's tax id and bank details (GET /mdm/v1/suppliers/{id}/financials); null when Plex has
   * none for it (404). Cached for a few minutes per client.
   */
  getSupplierFinancials(supplierId: string): Promise<SupplierFinancials | null>;
  /** The supplier's POs with status Open (and not inactive); kept for the client's read-cache lifetime. */
  listOpenPurchaseOrders(supplierId: string): Promise<PurchaseOrderSummary[]>;
  /**
   * A match met this supplier. The second time within the read-cache lifetime, its open POs and recent
   * receipts are read in one call each, so the rest of a burst of its invoices needs neither again.
   */
  noteSupplier(supplierId: string): Promise<void>;
  /** The line items of one PO (by PO id). */
  listPurchaseOrderLines(purchaseOrderId: string): Promise<PurchaseOrderLine[]>;
  /**
   * Receipts against one PO (by PO id). With the supplier id, its recent receipts read by noteSupplier are
   * used when they hold some for this PO; otherwise (and for "none") Plex is asked for this PO's.
   */
  listReceipts(purchaseOrderId: string, hint?: { supplierId?: string | null }): Promise<ReceiptSummary[]>;
  /** Cheap authenticated call to check credentials and reachability. */
  checkConnection(): Promise<{ ok: true; tenants: number }>;
}
