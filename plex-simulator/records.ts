// DEV/TEST DOUBLE OF PLEX — not Plex. Record shapes the Plex simulator serves, with realistic extra fields
// (PLEX_API.md §2): camelCase, UUID ids, ISO-8601 UTC timestamps, amounts as JSON numbers.
import { createHash } from 'node:crypto';

export interface SimSupplier {
  id: string;
  code: string;
  name: string;
  status: string;
  type: string;
  category: string | null;
  parentSupplierId: string | null;
  oldCode: string | null;
  language: string;
  webAddress: string | null;
  note: string | null;
}

/** A supplier's financials as Plex serves them (GET /mdm/v1/suppliers/{id}/financials); any field may be null. */
export interface SimSupplierFinancials {
  taxId: string | null;
  taxIdType: string | null;
  ibanNo: string | null;
  swiftNo: string | null;
  bankAccountNo: string | null;
  bankRoutingNo: string | null;
  bankName: string | null;
  dunsNo: string | null;
  paymentStatus: string | null;
}

export interface SimPurchaseOrder {
  id: string;
  poNumber: string;
  status: string;
  type: string;
  active: boolean;
  receive: boolean;
  blanketOrder: boolean;
  consignment: boolean;
  supplierId: string;
  supplierAddressId: string;
  contactId: string | null;
  carrierId: string | null;
  poDate: string;
  orderedDate: string;
  dueDate: string;
  scheduledReceiptDate: string;
  approvedDate: string;
  currencyCode: string;
  lineItemCount: number;
  lineItemTotal: number;
  terms: string;
  freightTerms: string;
  incoTerms: string | null;
  fob: string;
  shipTo: string;
  shipVia: string;
  building: string;
  department: string;
  note: string | null;
  internalNote: string | null;
  createdById: string;
  createdDate: string;
  modifiedById: string;
  modifiedDate: string;
}

export interface SimLineItem {
  id: string;
  purchaseOrderId: string;
  lineItemNumber: number;
  status: string;
  description: string;
  quantity: number;
  unitPrice: number;
  unit: string;
  orderUnit: string;
  supplierPartNumber: string | null;
  partId: string | null;
  itemId: string | null;
  taxCode: string | null;
  accountId: string;
}

export interface SimReceipt {
  id: string;
  poId: string;
  poLineItemId: string;
  supplierId: string;
  supplierShipperNumber: string;
  receiveDate: string;
  quantity: number;
  partId: string | null;
  itemId: string | null;
}

export interface SimApInvoice {
  id: string;
  invoiceNumber: string;
  supplierId: string;
  supplierCode: string;
  supplierAddressId: string;
  supplierAddressCode: string;
  status: string;
  type: string;
  poNumber: string;
  poId: string;
  shipperNo: string | null;
  shipperId: string | null;
  externalReferenceCode: string | null;
  voucherNumber: string | null;
  governmentIssuedNumber: string | null;
  taxId: string | null;
  buildingCode: string;
  department: number;
  periodDisplay: string;
  transactionDate: string;
  dueDate: string;
  discountDueDate: string | null;
  expectedPayDate: string | null;
  taxableDate: string | null;
  exchangeRateDate: string | null;
  currencyCode: string;
  exchangeRate: number;
  amount: number;
  balance: number;
  discount: number;
  discountableAmount: number;
  foreignCurrencyAmount: number;
  foreignCurrencyBalance: number;
  totalControlAmount: number;
  booked: boolean;
  paid: boolean;
  paidDate: string | null;
  paidPeriod: string | null;
  debitMemo: number;
  intercompany: number;
  terms: string;
  internalNote: string | null;
  checkNote: string | null;
  createdById: string;
  createdDate: string;
  modifiedById: string;
  modifiedDate: string;
  lines: unknown[];
}

export interface SimTenant {
  id: string;
  code: string;
  name: string;
}

/** Stable UUID from a name, so seeded data keeps the same ids across runs (v5-style layout). */
export function seededUuid(name: string): string {
  const hex = createHash('sha256').update(`plex-simulator:${name}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The API user the simulator pretends wrote things through Plex Connect. */
export const API_USER_ID = seededUuid('user:plex-connect-api');
export const CLERK_USER_ID = seededUuid('user:ap-clerk');

/** Add days to an ISO timestamp, keeping Plex's second-precision "…Z" form. */
export function addDays(iso: string, days: number): string {
  return isoSeconds(new Date(Date.parse(iso) + days * 86_400_000));
}

export function isoSeconds(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Decimal text or number → integer cents (the simulator's own sums never go through float addition). */
export function toCents(amount: string | number): number {
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new RangeError(`not an amount: ${amount}`);
  const cents = Number.parseInt(match[2]!, 10) * 100 + Number.parseInt((match[3] ?? '').padEnd(2, '0'), 10);
  return match[1] === '-' ? -cents : cents;
}

/** Cents → the JSON number Plex puts on the wire. */
export const centsToWire = (cents: number): number => cents / 100;

/** "Acme Fasteners Inc." → "ACME01"-style supplier code stem. */
export function supplierCodeStem(name: string): string {
  const letters = name.toUpperCase().replace(/[^A-Z]/g, '');
  return (letters.slice(0, 4) || 'SUPP').padEnd(4, 'X');
}
