// One zod schema per Plex resource PlexSync reads, written from the Plex Connect reference (PLEX_API.md §2,
// summarised in docs/plex.md): every published field, spelt and typed as Plex sends it. Both sides use them:
// the simulator checks every response body against them before sending it (plex-simulator/routes.ts), and
// the client's wire schemas (plex/schemas.ts) are picked from them, so neither can use a field Plex does
// not publish (a receipt's `pOId`, which is a query parameter's spelling, not the body's). The schemas are
// strict: an unknown or misspelt field fails. The client reads with loose views of them in production and
// checks whole responses against them only when told to (`strictResponses`, PLEX_STRICT_RESPONSES).
//
// Nullability: the reference marks no field required or nullable, so every field is optional and nullable
// (`.nullish()`) except a record's own `id`: ids are UUID strings and a record is addressed by its id.
// Types: money, rates and quantities are JSON numbers; dates and timestamps ISO-8601 strings with a zone
// ("2025-11-03T00:00:00Z"); other ids UUID strings; flags booleans; the integer fields (an AP invoice's
// `department`, `debitMemo`, `intercompany`) integers.
import { z } from 'zod';

const text = z.string().nullish();
const uuid = z.guid().nullish();
const timestamp = z.iso.datetime({ offset: true }).nullish();
const number = z.number().nullish();
const int = z.number().int().nullish();
const flag = z.boolean().nullish();
const recordId = z.guid();

/** An AP invoice's distribution line (`lines[]`); the shape of its `taxes[]` is not published. */
export const ApInvoiceLine = z.strictObject({
  lineId: uuid,
  accountId: uuid,
  accountNumber: text,
  description: text,
  debit: number,
  credit: number,
  unitPrice: number,
  quantity: number,
  uoM: text,
  receiptId: uuid,
  shipperNo: text,
  referenceNo: text,
  projectCode: text,
  itemTaxCode: text,
  taxes: z.array(z.unknown()).nullish(),
});

/** GET/PUT /accounting/v1/ap-invoices[/{id}] (§2.1–2.3). */
export const ApInvoice = z.strictObject({
  id: recordId,
  invoiceNumber: text,
  supplierId: uuid,
  supplierCode: text,
  supplierAddressId: uuid,
  supplierAddressCode: text,
  status: text,
  type: text,
  poNumber: text,
  poId: uuid,
  shipperNo: text,
  shipperId: uuid,
  externalReferenceCode: text,
  voucherNumber: text,
  governmentIssuedNumber: text,
  taxId: text,
  buildingCode: text,
  /** An integer on reads (the PUT body declares it a string). */
  department: int,
  /** A period's display text ("2025/11"), not a date. */
  periodDisplay: text,
  transactionDate: timestamp,
  dueDate: timestamp,
  discountDueDate: timestamp,
  expectedPayDate: timestamp,
  taxableDate: timestamp,
  exchangeRateDate: timestamp,
  currencyCode: text,
  exchangeRate: number,
  amount: number,
  balance: number,
  discount: number,
  discountableAmount: number,
  foreignCurrencyAmount: number,
  foreignCurrencyBalance: number,
  totalControlAmount: number,
  booked: flag,
  paid: flag,
  paidDate: timestamp,
  paidPeriod: text,
  debitMemo: int,
  intercompany: int,
  terms: text,
  internalNote: text,
  checkNote: text,
  createdById: uuid,
  createdDate: timestamp,
  modifiedById: uuid,
  modifiedDate: timestamp,
  lines: z.array(ApInvoiceLine).nullish(),
});

/**
 * GET /purchasing/v1/purchase-orders[/{id}] (§2.5). No `totalAmount`, `vendorName` or `lineItems`. The
 * created/modified fields are named as on the AP invoice ("plus created/modified fields").
 */
export const PurchaseOrder = z.strictObject({
  id: recordId,
  poNumber: text,
  status: text,
  type: text,
  active: flag,
  receive: flag,
  blanketOrder: flag,
  consignment: flag,
  supplierId: uuid,
  supplierAddressId: uuid,
  contactId: uuid,
  carrierId: uuid,
  poDate: timestamp,
  orderedDate: timestamp,
  dueDate: timestamp,
  scheduledReceiptDate: timestamp,
  approvedDate: timestamp,
  currencyCode: text,
  lineItemCount: int,
  lineItemTotal: number,
  terms: text,
  freightTerms: text,
  incoTerms: text,
  fob: text,
  shipTo: text,
  shipVia: text,
  building: text,
  /** The reference gives no type for a PO's department (an AP invoice's is an integer): either is accepted. */
  department: z.union([z.number().int(), z.string()]).nullish(),
  note: text,
  internalNote: text,
  createdById: uuid,
  createdDate: timestamp,
  modifiedById: uuid,
  modifiedDate: timestamp,
});

/**
 * GET /purchasing/v1/purchase-orders/{poId}/line-items (§2.5). No ordered quantity: only `blanketQuantity`
 * (blanket orders); quantities ordered live on the line's releases.
 */
export const PurchaseOrderLine = z.strictObject({
  id: recordId,
  lineItemNumber: int,
  status: text,
  description: text,
  unitPrice: number,
  unit: text,
  orderUnit: text,
  supplierPartNumber: text,
  partId: uuid,
  itemId: uuid,
  taxCode: text,
  accountId: uuid,
  blanketQuantity: number,
});

/** GET /purchasing/v1/receipts (§2.6). The query parameters are pOId / pOLineItemId; the body says poId / poLineItemId. */
export const Receipt = z.strictObject({
  id: recordId,
  poId: uuid,
  poLineItemId: uuid,
  supplierId: uuid,
  partId: uuid,
  itemId: uuid,
  operationCode: text,
  releaseId: uuid,
  supplierShipperNumber: text,
  receiveDate: timestamp,
  receivedById: uuid,
  createdDate: timestamp,
  /** The quantity received. */
  quantity: number,
  priceUnit: text,
  orderUnit: text,
  unitPrice: number,
  unitPriceOriginal: number,
  /** Type not published: a price or a flag saying the price is estimated. */
  estimatedPrice: z.union([z.number(), z.boolean()]).nullish(),
  inventoryUnit: text,
  exchangeRate: number,
  taxRate: number,
  modifiedById: uuid,
});

/** GET /mdm/v1/suppliers (§2.6). No tax id here: that is in the supplier's financials. */
export const Supplier = z.strictObject({
  id: recordId,
  code: text,
  oldCode: text,
  name: text,
  language: text,
  category: text,
  status: text,
  type: text,
  parentSupplierId: uuid,
  webAddress: text,
  contactNote: text,
  note: text,
  createdById: uuid,
  createdDate: timestamp,
  modifiedById: uuid,
  modifiedDate: timestamp,
});

/**
 * GET /mdm/v1/suppliers/{id}/financials (§2.6): one object, no id of its own. The reference lists these
 * and ends with "…": a field beyond them fails the strict check until it is added here.
 */
export const SupplierFinancials = z.strictObject({
  taxId: text,
  taxIdType: text,
  ibanNo: text,
  swiftNo: text,
  bankAccountNo: text,
  bankRoutingNo: text,
  bankName: text,
  dunsNo: text,
  paymentStatus: text,
});

/** GET /mdm/v1/tenants (§1): the tenants the key sees. */
export const Tenant = z.strictObject({
  id: recordId,
  code: text,
  name: text,
});

export const PLEX_RESOURCES = {
  apInvoice: ApInvoice,
  purchaseOrder: PurchaseOrder,
  purchaseOrderLine: PurchaseOrderLine,
  receipt: Receipt,
  supplier: Supplier,
  supplierFinancials: SupplierFinancials,
  tenant: Tenant,
} as const;

export type PlexResource = keyof typeof PLEX_RESOURCES;

const fieldsOf = <S extends z.ZodRawShape>(schema: z.ZodObject<S>) => Object.keys(schema.shape) as (keyof S & string)[];

/** The published field names of each resource (the schemas' keys). */
export const PLEX_RESOURCE_FIELDS: {
  readonly [R in PlexResource]: readonly (keyof (typeof PLEX_RESOURCES)[R]['shape'] & string)[];
} = {
  apInvoice: fieldsOf(ApInvoice),
  purchaseOrder: fieldsOf(PurchaseOrder),
  purchaseOrderLine: fieldsOf(PurchaseOrderLine),
  receipt: fieldsOf(Receipt),
  supplier: fieldsOf(Supplier),
  supplierFinancials: fieldsOf(SupplierFinancials),
  tenant: fieldsOf(Tenant),
};

/**
 * Every Plex route PlexSync calls or the simulator serves, by the label both use ('ap-invoices.get'), with
 * the resource its 2xx body is (`list`: a bare array of them). Paths in the router's `:param` form.
 */
export const PLEX_ROUTES = {
  'ap-invoices.list': { method: 'GET', path: '/accounting/v1/ap-invoices', resource: 'apInvoice', list: true },
  'ap-invoices.get': { method: 'GET', path: '/accounting/v1/ap-invoices/:id', resource: 'apInvoice', list: false },
  'ap-invoices.put': { method: 'PUT', path: '/accounting/v1/ap-invoices/:id', resource: 'apInvoice', list: false },
  'ap-invoices.patch': { method: 'PATCH', path: '/accounting/v1/ap-invoices/:id', resource: 'apInvoice', list: false },
  'purchase-orders.list': {
    method: 'GET',
    path: '/purchasing/v1/purchase-orders',
    resource: 'purchaseOrder',
    list: true,
  },
  'purchase-orders.get': {
    method: 'GET',
    path: '/purchasing/v1/purchase-orders/:id',
    resource: 'purchaseOrder',
    list: false,
  },
  'purchase-orders.line-items': {
    method: 'GET',
    path: '/purchasing/v1/purchase-orders/:poId/line-items',
    resource: 'purchaseOrderLine',
    list: true,
  },
  'receipts.list': { method: 'GET', path: '/purchasing/v1/receipts', resource: 'receipt', list: true },
  'suppliers.list': { method: 'GET', path: '/mdm/v1/suppliers', resource: 'supplier', list: true },
  'suppliers.financials': {
    method: 'GET',
    path: '/mdm/v1/suppliers/:id/financials',
    resource: 'supplierFinancials',
    list: false,
  },
  'tenants.list': { method: 'GET', path: '/mdm/v1/tenants', resource: 'tenant', list: true },
} as const satisfies Record<string, { method: string; path: string; resource: PlexResource; list: boolean }>;

export type PlexRoute = keyof typeof PLEX_ROUTES;

/**
 * Why a 2xx body of this route is not what Plex publishes, naming the fields ("[0].pOId: unrecognized
 * key"), or null when it is. Checked strictly: an unknown field, a wrong type or a missing id fails.
 */
export function resourceProblem(route: string, body: unknown): string | null {
  const spec = (PLEX_ROUTES as Record<string, (typeof PLEX_ROUTES)[PlexRoute]>)[route];
  if (!spec) return `no Plex resource schema for route '${route}'`;
  const record = PLEX_RESOURCES[spec.resource];
  const parsed = (spec.list ? z.array(record) : record).safeParse(body);
  if (parsed.success) return null;
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
  return `does not match Plex's published ${spec.resource} resource${spec.list ? ' (a list)' : ''}: ${issues.join('; ')}`;
}

/** "[0].amount" style path for an issue, so a refusal names the offending field. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  const text = path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return text === '' ? '(root)' : text.replace(/^\./, '');
}
