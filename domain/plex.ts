// Plex records as PlexSync uses them (validated at the client edge; see plex/schemas.ts for wire shapes).
import { z } from 'zod';

export const PurchaseOrderSummary = z.object({
  id: z.string(),
  poNumber: z.string(),
  status: z.string().nullable(),
  supplierId: z.string().nullable(),
  supplierName: z.string().nullable(),
  supplierCode: z.string().nullable(),
  currencyCode: z.string().nullable(),
  lineItemTotal: z.string().nullable(),
  /** The PO's date (poDate, else orderedDate) as YYYY-MM-DD, for the matching date window. */
  orderedDate: z.string().nullable().optional(),
  /** Plex's active flag; false means the PO no longer takes receipts or invoices. */
  active: z.boolean().nullable().optional(),
  /** Plex department and building code of the PO (read for approval policies; absent in older results). */
  department: z.string().nullable().optional(),
  building: z.string().nullable().optional(),
});
export type PurchaseOrderSummary = z.infer<typeof PurchaseOrderSummary>;

export const PlaceholderSummary = z.object({
  id: z.string(),
  invoiceNumber: z.string(),
  status: z.string().nullable(),
  poNumber: z.string().nullable(),
  supplierCode: z.string().nullable(),
  amount: z.string().nullable(),
  currencyCode: z.string().nullable(),
  /** The AP invoice's transaction date (YYYY-MM-DD) and receipt (shipper) number, shown to a clerk choosing. */
  date: z.string().nullable().optional(),
  receipt: z.string().nullable().optional(),
});
export type PlaceholderSummary = z.infer<typeof PlaceholderSummary>;

export const SupplierSummary = z.object({
  id: z.string(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  /** From the supplier's financials (GET /mdm/v1/suppliers/{id}/financials) when read; null otherwise. */
  taxId: z.string().nullable(),
});
export type SupplierSummary = z.infer<typeof SupplierSummary>;

/**
 * A supplier's tax id and bank details (GET /mdm/v1/suppliers/{id}/financials). Every field may be absent
 * or null in Plex; the IBAN is kept compact (no spaces), as compared with the one printed on an invoice.
 */
export const SupplierFinancials = z.object({
  supplierId: z.string(),
  taxId: z.string().nullable(),
  taxIdType: z.string().nullable(),
  ibanNo: z.string().nullable(),
  swiftNo: z.string().nullable(),
  bankName: z.string().nullable(),
});
export type SupplierFinancials = z.infer<typeof SupplierFinancials>;

/** One PO line item; quantities and prices as decimal strings. */
export const PurchaseOrderLine = z.object({
  id: z.string(),
  lineItemNumber: z.number().int().nullable(),
  description: z.string().nullable(),
  /** Ordered quantity: Plex's PO line has none (it lives on releases), so null; matching uses receipts. */
  quantity: z.string().nullable(),
  unitPrice: z.string().nullable(),
  supplierPartNumber: z.string().nullable(),
  status: z.string().nullable(),
});
export type PurchaseOrderLine = z.infer<typeof PurchaseOrderLine>;

export const ReceiptSummary = z.object({
  id: z.string(),
  poId: z.string().nullable(),
  poLineItemId: z.string().nullable(),
  quantity: z.string().nullable(),
  receiveDate: z.string().nullable(),
});
export type ReceiptSummary = z.infer<typeof ReceiptSummary>;
