// The client's wire schemas: the fields PlexSync reads of each Plex resource, picked from the resource
// schemas (plex/resources.ts) with the client's tolerant or transforming types where it needs them, and the
// conversion from wire records to the domain summaries in domain/plex.ts. Only the fields PlexSync reads are
// checked; everything else passes through untouched (loose) so the PUT body can be rebuilt from the record
// as Plex sent it.
import { z } from 'zod';
import * as resources from './resources.js';
import { formatIssuePath } from './resources.js';
import type {
  PlaceholderSummary,
  PurchaseOrderLine,
  PurchaseOrderSummary,
  ReceiptSummary,
  SupplierFinancials,
  SupplierSummary,
} from '../domain/plex.js';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const EXPONENTIAL = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/i;

/**
 * A JSON number (or a numeric string) as a decimal string with at least two decimals: 1842.5 → "1842.50".
 * Works on the number's shortest round-trip text (String(n)), moving digits around as text, so no binary
 * floating-point arithmetic touches the amount.
 */
export function toDecimalString(value: number | string): string {
  let text = typeof value === 'number' ? String(value) : value.trim();
  const exponential = EXPONENTIAL.exec(text);
  if (exponential) text = expandExponent(exponential);
  const parts = DECIMAL.exec(text);
  if (!parts) throw new RangeError(`not a finite decimal number: ${String(value)}`);
  const [, sign = '', integer = '0', fraction = ''] = parts;
  const normalisedInteger = integer.replace(/^0+(?=\d)/, '');
  return `${sign}${normalisedInteger}.${fraction.padEnd(2, '0')}`;
}

function expandExponent([, sign = '', integer = '', fraction = '', exponent = '0']: RegExpExecArray): string {
  const digits = integer + fraction;
  const point = integer.length + Number.parseInt(exponent, 10);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Money: a JSON number on the wire (a decimal string is tolerated), a decimal string after parsing. */
export const WireMoney = z
  .union([z.number(), z.string().regex(DECIMAL, 'expected a decimal number')])
  .transform((value) => toDecimalString(value));

const optionalText = z.string().nullish();

/** Each key a field of the resource (anything else is `never`), read as is (`true`) or as another schema. */
type Overrides<S extends z.ZodRawShape, F> = { readonly [K in keyof F]: K extends keyof S ? true | z.ZodType : never };
type ReadShape<S extends z.ZodRawShape, F> = {
  -readonly [K in keyof F & keyof S]: F[K] extends z.ZodType ? F[K] : S[K];
};

/**
 * The client's view of a Plex resource (plex/resources.ts): only the fields it reads, picked from the
 * resource. `true` reads a field as the resource types it; a schema replaces that type with the client's
 * tolerant or transforming one (WireMoney, a `.catch`). A key that is not a field of the resource does not
 * compile. The view is loose: fields it does not read pass through untouched, so the PUT body can be rebuilt
 * from the record as Plex sent it, and a field Plex adds does not break production reads.
 */
export function readsOf<S extends z.ZodRawShape, const F extends Overrides<S, F>>(
  resource: z.ZodObject<S>,
  fields: F,
): z.ZodObject<ReadShape<S, F>, z.core.$loose> {
  const entries = Object.entries(fields as Record<string, true | z.ZodType>);
  const mask = Object.fromEntries(entries.map(([key]) => [key, true] as const));
  const overrides = Object.fromEntries(entries.filter((entry): entry is [string, z.ZodType] => entry[1] !== true));
  const view = (resource as unknown as z.ZodObject<Record<string, z.ZodType>>)
    .pick(mask as Record<string, true>)
    .extend(overrides)
    .loose();
  return view as unknown as z.ZodObject<ReadShape<S, F>, z.core.$loose>;
}

/** One AP invoice (list item or single GET / PUT response). */
export const ApInvoiceWire = readsOf(resources.ApInvoice, {
  id: z.string().min(1),
  invoiceNumber: z.string(),
  status: true,
  poNumber: true,
  poId: optionalText,
  supplierId: optionalText,
  supplierCode: true,
  currencyCode: true,
  amount: WireMoney.nullish(),
  balance: WireMoney.nullish(),
  paid: true,
  // Dates are read as text and cut to the day only when they look like one (production stays tolerant).
  transactionDate: optionalText,
  shipperNo: true,
});
export type ApInvoiceWire = z.infer<typeof ApInvoiceWire>;

export const PurchaseOrderWire = readsOf(resources.PurchaseOrder, {
  id: z.string().min(1),
  poNumber: z.string(),
  status: true,
  supplierId: optionalText,
  currencyCode: true,
  lineItemTotal: WireMoney.nullish(),
  active: z.boolean().nullish().catch(null),
  poDate: optionalText,
  orderedDate: optionalText,
  // Cost-centre fields approval policies route on; a department is an integer on reads.
  department: z.union([z.number().int(), z.string()]).nullish().catch(null),
  building: optionalText.catch(null),
});
export type PurchaseOrderWire = z.infer<typeof PurchaseOrderWire>;

export const SupplierWire = readsOf(resources.Supplier, {
  id: z.string().min(1),
  code: true,
  name: true,
  status: true,
});
export type SupplierWire = z.infer<typeof SupplierWire>;

/** GET /mdm/v1/suppliers/{id}/financials: one object (no id of its own); any field may be null or absent. */
export const SupplierFinancialsWire = readsOf(resources.SupplierFinancials, {
  taxId: true,
  taxIdType: true,
  ibanNo: true,
  swiftNo: true,
  bankName: true,
});
export type SupplierFinancialsWire = z.infer<typeof SupplierFinancialsWire>;

export const TenantWire = readsOf(resources.Tenant, { id: z.string().min(1) });

/** Quantities travel as JSON numbers too; kept as decimal strings like money. */
const WireQuantity = WireMoney;

export const PurchaseOrderLineWire = readsOf(resources.PurchaseOrderLine, {
  id: z.string().min(1),
  lineItemNumber: z.number().int().nullish().catch(null),
  status: true,
  description: true,
  unitPrice: WireMoney.nullish(),
  supplierPartNumber: true,
});
export type PurchaseOrderLineWire = z.infer<typeof PurchaseOrderLineWire>;

export const ReceiptWire = readsOf(resources.Receipt, {
  id: z.string().min(1),
  // The query parameters are spelt pOId / pOLineItemId; the body's fields are poId / poLineItemId.
  poId: optionalText,
  poLineItemId: optionalText,
  quantity: WireQuantity.nullish(),
  receiveDate: optionalText,
});
export type ReceiptWire = z.infer<typeof ReceiptWire>;

/** Every list endpoint answers with a bare JSON array (no envelope). */
export const ApInvoiceList = z.array(ApInvoiceWire);
export const PurchaseOrderList = z.array(PurchaseOrderWire);
export const SupplierList = z.array(SupplierWire);
export const TenantList = z.array(TenantWire);
export const PurchaseOrderLineList = z.array(PurchaseOrderLineWire);
export const ReceiptList = z.array(ReceiptWire);

/** Plex's validation-error body (PLEX_API.md §4); gateway errors reuse {code, message}. */
export const PlexErrorBody = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.string().optional(), message: z.string().optional() })).optional(),
});
export type PlexErrorBody = z.infer<typeof PlexErrorBody>;

/**
 * Fields of an AP-invoice read that the PUT accepts under the same name (PLEX_API.md §2.3). Read-only
 * fields (id, createdDate, balance, paid, …) are left out. Body fields whose read-side name differs
 * (invoiceDate vs transactionDate, taxPointDate vs taxableDate, interCompany vs intercompany, note vs
 * internalNote) are not mapped: that mapping is unverified, and guessing wrong would write wrong data.
 * `lines` are left out too: whether a PUT with lines replaces or appends distribution lines is unknown.
 */
export const WRITABLE_AP_INVOICE_FIELDS = [
  'invoiceNumber',
  'supplierId',
  'supplierCode',
  'supplierAddressCode',
  'status',
  'type',
  'department',
  'buildingCode',
  'governmentIssuedNumber',
  'dueDate',
  'discountDueDate',
  'expectedPayDate',
  'periodDisplay',
  'currencyCode',
  'exchangeRate',
  'discount',
  'discountableAmount',
  'poId',
  'poNumber',
  'terms',
  'checkNote',
] as const;

export function toPlaceholderSummary(invoice: ApInvoiceWire): PlaceholderSummary {
  return {
    id: invoice.id,
    invoiceNumber: invoice.invoiceNumber,
    status: invoice.status ?? null,
    poNumber: invoice.poNumber ?? null,
    supplierCode: invoice.supplierCode ?? null,
    amount: invoice.amount ?? null,
    currencyCode: invoice.currencyCode ?? null,
    date: invoice.transactionDate?.slice(0, 10) ?? null,
    receipt: invoice.shipperNo ?? null,
  };
}

export function toPurchaseOrderSummary(
  purchaseOrder: PurchaseOrderWire,
  supplier: SupplierWire | null,
): PurchaseOrderSummary {
  return {
    id: purchaseOrder.id,
    poNumber: purchaseOrder.poNumber,
    status: purchaseOrder.status ?? null,
    supplierId: purchaseOrder.supplierId ?? null,
    supplierName: supplier?.name ?? null,
    supplierCode: supplier?.code ?? null,
    currencyCode: purchaseOrder.currencyCode ?? null,
    lineItemTotal: purchaseOrder.lineItemTotal ?? null,
    orderedDate: isoDay(purchaseOrder.poDate ?? purchaseOrder.orderedDate),
    active: purchaseOrder.active ?? null,
    department:
      purchaseOrder.department === null || purchaseOrder.department === undefined
        ? null
        : String(purchaseOrder.department),
    building: purchaseOrder.building ?? null,
  };
}

/** "2025-11-03T00:00:00Z" → "2025-11-03"; anything that does not start with a date → null. */
function isoDay(timestamp: string | null | undefined): string | null {
  return timestamp && /^\d{4}-\d{2}-\d{2}/.test(timestamp) ? timestamp.slice(0, 10) : null;
}

export function toSupplierSummary(supplier: SupplierWire): SupplierSummary {
  return {
    id: supplier.id,
    code: supplier.code ?? null,
    name: supplier.name ?? null,
    status: supplier.status ?? null,
    // The supplier list has no tax id; it comes from the supplier's financials.
    taxId: null,
  };
}

const textOrNull = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);

export function toSupplierFinancials(supplierId: string, wire: SupplierFinancialsWire): SupplierFinancials {
  const iban = textOrNull(wire.ibanNo);
  return {
    supplierId,
    taxId: textOrNull(wire.taxId),
    taxIdType: textOrNull(wire.taxIdType),
    ibanNo: iban ? iban.toUpperCase().replace(/\s+/g, '') : null,
    swiftNo: textOrNull(wire.swiftNo),
    bankName: textOrNull(wire.bankName),
  };
}

export function toPurchaseOrderLine(line: PurchaseOrderLineWire): PurchaseOrderLine {
  return {
    id: line.id,
    lineItemNumber: line.lineItemNumber ?? null,
    description: line.description ?? null,
    // Plex's PO line has no ordered quantity (only blanketQuantity, for blankets); three-way matching
    // compares with what was received.
    quantity: null,
    unitPrice: line.unitPrice ?? null,
    supplierPartNumber: line.supplierPartNumber ?? null,
    status: line.status ?? null,
  };
}

export function toReceiptSummary(receipt: ReceiptWire): ReceiptSummary {
  return {
    id: receipt.id,
    poId: receipt.poId ?? null,
    poLineItemId: receipt.poLineItemId ?? null,
    quantity: receipt.quantity ?? null,
    receiveDate: isoDay(receipt.receiveDate),
  };
}

export { formatIssuePath };
