// The PlexClient over Plex Connect REST (PLEX_API.md). Owns the Plex-side rules of the sync: which calls
// find a PO and its "Received" placeholder, client-side re-filtering (Plex may ignore filters), and the
// GET-then-PUT write of a new invoice number. Transport concerns live in plex/transport.ts.
import type { PlaceholderSummary, PurchaseOrderSummary, SupplierFinancials } from '../domain/plex.js';
import { createTransport, type PlexTransportOptions } from './transport.js';
import {
  ApInvoiceList,
  ApInvoiceWire,
  PurchaseOrderList,
  SupplierFinancialsWire,
  SupplierList,
  TenantList,
  toSupplierFinancials,
  toPlaceholderSummary,
  toPurchaseOrderSummary,
  WRITABLE_AP_INVOICE_FIELDS,
  type SupplierWire,
} from './schemas.js';
import { PlexError, type ApInvoiceRecord, type ApInvoiceUpdateResult, type PlexClient } from './types.js';
import { createMatchingReads, POSSIBLY_TRUNCATED } from './matching-reads.js';
import { createReadCache } from './read-cache.js';
import { isOpenStatus, isPlaceholderNumber, sameInvoiceNumber } from './placeholder.js';

export type { PlexCall, PlexClock } from './transport.js';

const AP_INVOICES = '/accounting/v1/ap-invoices';
const PURCHASE_ORDERS = '/purchasing/v1/purchase-orders';
const SUPPLIERS = '/mdm/v1/suppliers';
const TENANTS = '/mdm/v1/tenants';
/** A supplier's financials are read again after this long (a changed bank account shows within minutes). */
export const SUPPLIER_FINANCIALS_TTL_MS = 5 * 60_000;

export function isOpenPlaceholder(invoice: ApInvoiceWire): boolean {
  return isPlaceholderNumber(invoice.invoiceNumber) && isOpenStatus(invoice.status) && invoice.paid !== true;
}

export interface PlexClientOptions extends PlexTransportOptions {
  /**
   * How long lists read for one supplier stay usable inside this client (its open POs and recent receipts,
   * and its AP invoices for the duplicate check just before a write): a burst of one supplier's invoices
   * then costs Plex about half the calls. Default 60 000; 0 reads everything afresh.
   */
  readCacheMs?: number;
}

/** A supplier's AP invoices as last read (every one, unless Plex may have cut the list short). */
interface SupplierApInvoices {
  records: ApInvoiceWire[];
  complete: boolean;
}

export function createPlexClient(opts: PlexClientOptions): PlexClient {
  const { requestParsed } = createTransport(opts);
  const now = () => (opts.clock ?? Date).now();
  const readCacheMs = opts.readCacheMs ?? 60_000;
  /** Supplier lookups by id, for the life of the client (suppliers rarely change). */
  const suppliersById = createReadCache<string, SupplierWire | null>(Number.POSITIVE_INFINITY, now);
  const financialsById = createReadCache<string, SupplierFinancials | null>(SUPPLIER_FINANCIALS_TTL_MS, now);
  const apInvoicesBySupplier = createReadCache<string, SupplierApInvoices>(readCacheMs, now);

  function supplier(id: string): Promise<SupplierWire | null> {
    return suppliersById.get(id, () =>
      requestParsed({ method: 'GET', path: SUPPLIERS, route: 'suppliers.list', query: { id } }, SupplierList).then(
        (suppliers) => suppliers.find((s) => s.id === id) ?? null,
      ),
    );
  }

  function getSupplierFinancials(supplierId: string): Promise<SupplierFinancials | null> {
    const path = `${SUPPLIERS}/${encodeURIComponent(supplierId)}/financials`;
    return financialsById.get(supplierId, () =>
      requestParsed({ method: 'GET', path, route: 'suppliers.financials' }, SupplierFinancialsWire)
        .then((wire) => toSupplierFinancials(supplierId, wire))
        .catch((err: unknown) => {
          // Plex has no financials for this supplier: nothing to compare, not an error.
          if (err instanceof PlexError && err.kind === 'not_found') return null;
          throw err;
        }),
    );
  }

  /** Every AP invoice of the supplier, read afresh unless a read at most maxAgeMs old is at hand. */
  function supplierApInvoices(supplierCode: string, maxAgeMs: number): Promise<SupplierApInvoices> {
    const code = supplierCode.trim();
    return apInvoicesBySupplier.get(
      code,
      async () => {
        const records = (await listApInvoices({ supplierCode: code })).filter(
          (invoice) => invoice.supplierCode?.trim() === code,
        );
        return { records, complete: records.length < POSSIBLY_TRUNCATED };
      },
      Math.min(maxAgeMs, readCacheMs),
    );
  }

  /** What a write returned replaces the record in every supplier list read before it. */
  function remember(written: ApInvoiceWire) {
    for (const code of apInvoicesBySupplier.keysWhere(({ records }) => records.some((r) => r.id === written.id))) {
      apInvoicesBySupplier.update(code, ({ records, ...rest }) => ({
        ...rest,
        records: records.map((r) => (r.id === written.id ? written : r)),
      }));
    }
  }

  async function listApInvoices(query: Record<string, string>): Promise<ApInvoiceWire[]> {
    return requestParsed({ method: 'GET', path: AP_INVOICES, route: 'ap-invoices.list', query }, ApInvoiceList);
  }

  async function fetchApInvoice(id: string): Promise<ApInvoiceWire> {
    const path = `${AP_INVOICES}/${encodeURIComponent(id)}`;
    return requestParsed({ method: 'GET', path, route: 'ap-invoices.get' }, ApInvoiceWire);
  }

  async function putApInvoice(id: string, requestBody: Record<string, unknown>): Promise<ApInvoiceUpdateResult> {
    // Sent once: after a timeout or dropped connection the write may have been applied (or may still
    // land), and only the caller, which fences and re-reads, can decide to try again.
    const path = `${AP_INVOICES}/${encodeURIComponent(id)}`;
    const updated = await requestParsed(
      { method: 'PUT', path, route: 'ap-invoices.put', body: requestBody },
      ApInvoiceWire,
    );
    remember(updated);
    return { invoice: toPlaceholderSummary(updated), requestBody };
  }

  return {
    ...createMatchingReads(requestParsed, supplier, { readCacheMs, now }),
    getSupplierFinancials,

    async findPurchaseOrders(poNumber: string): Promise<PurchaseOrderSummary[]> {
      // The filter really is spelled pONumber; a misspelled filter is silently ignored by Plex and returns
      // every PO, so the exact-number re-filter below is what guarantees the answer.
      const purchaseOrders = await requestParsed(
        { method: 'GET', path: PURCHASE_ORDERS, route: 'purchase-orders.list', query: { pONumber: poNumber } },
        PurchaseOrderList,
      );
      const matching = purchaseOrders.filter((po) => po.poNumber.trim() === poNumber.trim());
      return Promise.all(
        matching.map(async (po) => toPurchaseOrderSummary(po, po.supplierId ? await supplier(po.supplierId) : null)),
      );
    },

    async listPlaceholders(poNumber: string, hint?: { supplierCode?: string | null }): Promise<PlaceholderSummary[]> {
      // Deliberately never filtered by invoiceNumber. Whether Plex matches it case-sensitively is unknown,
      // and sites spell the placeholder "Received" or "RECEIVED": invoiceNumber=Received could silently
      // miss a real placeholder. Placeholder, status and paid checks happen here, case-insensitively.
      const ofPo = (invoices: ApInvoiceWire[]) =>
        invoices
          .filter((invoice) => invoice.poNumber?.trim() === poNumber.trim() && isOpenPlaceholder(invoice))
          .map(toPlaceholderSummary);
      // With the PO's supplier known, its AP invoices are read instead (always afresh): the same one call
      // also serves the duplicate check of the write that may follow. A placeholder filed under another
      // supplier code, or a list Plex may have cut short, falls back to the PO's own AP invoices.
      if (hint?.supplierCode?.trim()) {
        const { records, complete } = await supplierApInvoices(hint.supplierCode, 0);
        const found = ofPo(records);
        if (found.length > 0 && complete) return found;
      }
      return ofPo(await listApInvoices({ poNumber }));
    },

    async findApInvoices({ poNumber, invoiceNumber }): Promise<PlaceholderSummary[]> {
      // Both filters are sent (the number is the one we wrote, so an exact filter matches it); the
      // re-filter compares the invoice number trimmed and case-insensitively so an applied write is found
      // even if Plex normalised its case. Any status: this detects writes, not open placeholders.
      const invoices = await listApInvoices({ poNumber, invoiceNumber });
      return invoices
        .filter(
          (invoice) =>
            invoice.poNumber?.trim() === poNumber.trim() && sameInvoiceNumber(invoice.invoiceNumber, invoiceNumber),
        )
        .map(toPlaceholderSummary);
    },

    async getApInvoice(id: string): Promise<PlaceholderSummary> {
      return toPlaceholderSummary(await fetchApInvoice(id));
    },

    async readApInvoice(id: string): Promise<ApInvoiceRecord> {
      return toApInvoiceRecord(await fetchApInvoice(id));
    },

    async listSupplierApInvoices(
      supplierCode: string,
      invoiceNumber: string,
      options?: { maxAgeMs?: number },
    ): Promise<{ invoices: ApInvoiceRecord[] }> {
      // Filtered by supplier only, so the caller can compare numbers the way matching does (case, spaces,
      // punctuation, leading zeros), which an exact invoiceNumber filter would miss. Plex's guidance is
      // ~1,000 invoices per call and silent truncation is possible: a full-looking answer is completed by
      // the exact-number query, so the exact spelling is never missed.
      const code = supplierCode.trim();
      const { records, complete } = await supplierApInvoices(code, options?.maxAgeMs ?? 0);
      if (complete) return { invoices: records.map(toApInvoiceRecord) };
      const exact = await listApInvoices({ supplierCode: code, invoiceNumber });
      const seen = new Set(records.map((invoice) => invoice.id));
      const invoices = [
        ...records,
        ...exact.filter((invoice) => invoice.supplierCode?.trim() === code && !seen.has(invoice.id)),
      ].map(toApInvoiceRecord);
      return { invoices };
    },

    putApInvoice,

    async updateApInvoiceNumber(id: string, invoiceNumber: string): Promise<ApInvoiceUpdateResult> {
      // Whether PUT replaces or merges is unknown (PLEX_API.md §2.3), so send the record's own writable
      // fields back with the new number.
      const current = await fetchApInvoice(id);
      const requestBody = { ...writableFields(current), invoiceNumber };
      return putApInvoice(id, requestBody);
    },

    writeMayLandWithinMs: opts.timeoutMs + (opts.writeLandingMarginMs ?? opts.timeoutMs),

    async checkConnection(): Promise<{ ok: true; tenants: number }> {
      const tenants = await requestParsed({ method: 'GET', path: TENANTS, route: 'tenants.list' }, TenantList);
      return { ok: true, tenants: tenants.length };
    },
  };
}

function toApInvoiceRecord(invoice: ApInvoiceWire): ApInvoiceRecord {
  return { summary: toPlaceholderSummary(invoice), writable: writableFields(invoice), paid: invoice.paid === true };
}

/** The PUT body: writable fields present on the record, as Plex sent them (numbers stay JSON numbers). */
export function writableFields(invoice: ApInvoiceWire): Record<string, unknown> {
  const record = invoice as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const field of WRITABLE_AP_INVOICE_FIELDS) {
    const value = record[field];
    if (value === null || value === undefined) continue;
    // Reads give department as an integer, the PUT body declares it a string.
    body[field] = field === 'department' && typeof value === 'number' ? String(value) : value;
  }
  return body;
}

export { PlexError };
