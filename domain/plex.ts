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
});
export type PlaceholderSummary = z.infer<typeof PlaceholderSummary>;
