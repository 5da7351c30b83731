// DEV/TEST DOUBLE OF PLEX — not Plex. Builds a consistent set of simulator records in one step: supplier
// (reused by code or name), PO with lines, receipts, "Received" placeholder AP invoices and optional AP
// invoices already entered. Used by the dev seed and by POST /__admin/purchase-orders.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimulatorStore } from './store.js';
import {
  addDays,
  API_USER_ID,
  centsToWire,
  CLERK_USER_ID,
  isoSeconds,
  seededUuid,
  supplierCodeStem,
  toCents,
  type SimApInvoice,
  type SimSupplier,
} from './records.js';

const Amount = z.union([
  z.string().regex(/^-?\d+(\.\d{1,2})?$/, 'expected a decimal amount like "1842.50"'),
  z.number(),
]);

export const CreatePurchaseOrderInput = z.object({
  supplier: z.object({ name: z.string().min(1), code: z.string().min(1).optional() }),
  poNumber: z.string().min(1),
  status: z.string().default('Open'),
  currencyCode: z.string().length(3).default('USD'),
  lines: z
    .array(z.object({ description: z.string().min(1), quantity: z.number().positive(), unitPrice: Amount }))
    .min(1),
  /** A count (amounts split from the PO total) or one entry per placeholder. */
  placeholders: z
    .union([
      z.number().int().min(0),
      z.array(
        z.object({
          invoiceNumber: z.string().default('Received'),
          amount: Amount.optional(),
          status: z.string().default('New'),
          paid: z.boolean().default(false),
        }),
      ),
    ])
    .default(1),
  /** AP invoices already carrying a vendor invoice number. */
  invoices: z
    .array(
      z.object({
        invoiceNumber: z.string().min(1),
        amount: Amount,
        status: z.string().default('Open'),
        paid: z.boolean().default(false),
      }),
    )
    .default([]),
  /** ISO timestamp the PO was ordered; later dates follow from it. Default: two weeks ago. */
  orderedDate: z.iso.datetime().optional(),
});
export type CreatePurchaseOrderInput = z.input<typeof CreatePurchaseOrderInput>;

export interface CreatedPurchaseOrder {
  supplierId: string;
  supplierCode: string;
  purchaseOrderId: string;
  lineItemIds: string[];
  receiptIds: string[];
  placeholderIds: string[];
  apInvoiceIds: string[];
}

/** `deterministic` derives every id from the PO number (dev seed); otherwise ids are random. */
export function createPurchaseOrder(
  store: SimulatorStore,
  rawInput: CreatePurchaseOrderInput,
  { deterministic = false } = {},
): CreatedPurchaseOrder {
  const input = CreatePurchaseOrderInput.parse(rawInput);
  const idFor = (key: string) => (deterministic ? seededUuid(key) : randomUUID());
  const ordered = input.orderedDate ?? addDays(isoSeconds(), -14);
  const received = addDays(ordered, 7);
  const supplier = findOrCreateSupplier(store, input.supplier, idFor);
  const poKey = `po:${input.poNumber}:${supplier.code}`;
  const purchaseOrderId = idFor(poKey);

  const lineItemIds: string[] = [];
  let totalCents = 0;
  input.lines.forEach((line, index) => {
    const id = idFor(`${poKey}:line:${index + 1}`);
    const unitCents = toCents(line.unitPrice);
    totalCents += Math.round(unitCents * line.quantity);
    store.lineItems.set(id, {
      id,
      purchaseOrderId,
      lineItemNumber: index + 1,
      status: 'Open',
      description: line.description,
      quantity: line.quantity,
      unitPrice: centsToWire(unitCents),
      unit: 'ea',
      orderUnit: 'ea',
      supplierPartNumber: `${supplier.code}-${String(index + 1).padStart(3, '0')}`,
      partId: idFor(`${poKey}:part:${index + 1}`),
      itemId: null,
      taxCode: 'EXEMPT',
      accountId: seededUuid('account:5000-inventory'),
    });
    lineItemIds.push(id);
  });

  store.purchaseOrders.set(purchaseOrderId, {
    id: purchaseOrderId,
    poNumber: input.poNumber,
    status: input.status,
    type: 'Standard',
    active: true,
    receive: true,
    blanketOrder: false,
    consignment: false,
    supplierId: supplier.id,
    supplierAddressId: seededUuid(`supplier-address:${supplier.code}`),
    contactId: null,
    carrierId: null,
    poDate: ordered,
    orderedDate: ordered,
    dueDate: addDays(ordered, 10),
    scheduledReceiptDate: addDays(ordered, 7),
    approvedDate: ordered,
    currencyCode: input.currencyCode,
    lineItemCount: input.lines.length,
    lineItemTotal: centsToWire(totalCents),
    terms: 'Net 30',
    freightTerms: 'Prepaid',
    incoTerms: null,
    fob: 'Origin',
    shipTo: 'Main Plant Receiving',
    shipVia: 'Best Way',
    building: 'MAIN',
    department: 'Purchasing',
    note: null,
    internalNote: null,
    createdById: CLERK_USER_ID,
    createdDate: ordered,
    modifiedById: CLERK_USER_ID,
    modifiedDate: ordered,
  });

  const placeholders =
    typeof input.placeholders === 'number'
      ? splitCents(totalCents, input.placeholders).map((cents) => ({
          invoiceNumber: 'Received',
          amount: centsToWire(cents),
          status: 'New',
          paid: false,
        }))
      : input.placeholders.map((p) => ({ ...p, amount: p.amount ?? centsToWire(totalCents) }));

  const receiptIds =
    placeholders.length === 0 && input.invoices.length === 0
      ? []
      : addReceipts(store, purchaseOrderId, received, idFor);
  const addInvoice = (key: string, entry: ApInvoiceEntry) =>
    addApInvoice(store, { purchaseOrderId, key: `${poKey}:${key}`, received, idFor }, entry);
  const placeholderIds = placeholders.map((p, i) => addInvoice(`placeholder:${i + 1}`, p));
  const apInvoiceIds = input.invoices.map((inv, i) => addInvoice(`invoice:${i + 1}`, inv));

  return {
    supplierId: supplier.id,
    supplierCode: supplier.code,
    purchaseOrderId,
    lineItemIds,
    receiptIds,
    placeholderIds,
    apInvoiceIds,
  };
}

/**
 * Goods received in Plex for a PO: a receipt per line (its full quantity) and, by the site's convention,
 * an AP invoice placeholder "Received" for the PO total. Returns the new placeholder's id.
 */
export function receiveGoods(
  store: SimulatorStore,
  purchaseOrderId: string,
): { placeholderId: string; receiptIds: string[] } {
  const po = store.purchaseOrders.get(purchaseOrderId);
  if (!po) throw new Error(`no purchase order ${purchaseOrderId}`);
  const received = isoSeconds();
  const fresh = () => randomUUID();
  const receiptIds = addReceipts(store, purchaseOrderId, received, fresh);
  const placeholderId = addApInvoice(
    store,
    { purchaseOrderId, key: '', received, idFor: fresh },
    {
      invoiceNumber: 'Received',
      amount: po.lineItemTotal,
      status: 'New',
      paid: false,
    },
  );
  return { placeholderId, receiptIds };
}

function addReceipts(
  store: SimulatorStore,
  purchaseOrderId: string,
  received: string,
  idFor: (key: string) => string,
): string[] {
  const po = store.purchaseOrders.get(purchaseOrderId)!;
  const supplierCode = store.suppliers.get(po.supplierId)!.code;
  const lines = [...store.lineItems.values()]
    .filter((l) => l.purchaseOrderId === purchaseOrderId)
    .sort((a, b) => a.lineItemNumber - b.lineItemNumber);
  return lines.map((line) => {
    const id = idFor(`po:${po.poNumber}:${supplierCode}:receipt:${line.lineItemNumber}`);
    store.receipts.set(id, {
      id,
      poId: purchaseOrderId,
      poLineItemId: line.id,
      supplierId: po.supplierId,
      supplierShipperNumber: `SH-${po.poNumber}-${line.lineItemNumber}`,
      receiveDate: received,
      quantity: line.quantity,
      partId: line.partId,
      itemId: null,
    });
    return id;
  });
}

type ApInvoiceEntry = { invoiceNumber: string; amount: string | number; status: string; paid: boolean };

function addApInvoice(
  store: SimulatorStore,
  at: { purchaseOrderId: string; key: string; received: string; idFor: (key: string) => string },
  entry: ApInvoiceEntry,
): string {
  const { purchaseOrderId, received } = at;
  const po = store.purchaseOrders.get(purchaseOrderId)!;
  const supplier = store.suppliers.get(po.supplierId)!;
  const id = at.idFor(at.key);
  const amount = centsToWire(toCents(entry.amount));
  const invoice: SimApInvoice = {
    id,
    invoiceNumber: entry.invoiceNumber,
    supplierId: supplier.id,
    supplierCode: supplier.code,
    supplierAddressId: seededUuid(`supplier-address:${supplier.code}`),
    supplierAddressCode: 'REMIT',
    status: entry.status,
    type: 'Invoice',
    poNumber: po.poNumber,
    poId: purchaseOrderId,
    shipperNo: `SH-${po.poNumber}-1`,
    shipperId: null,
    externalReferenceCode: null,
    voucherNumber: null,
    governmentIssuedNumber: null,
    taxId: null,
    buildingCode: 'MAIN',
    department: 200,
    periodDisplay: received.slice(0, 7).replace('-', '/'),
    transactionDate: received,
    dueDate: addDays(received, 30),
    discountDueDate: null,
    expectedPayDate: addDays(received, 30),
    taxableDate: null,
    exchangeRateDate: null,
    currencyCode: po.currencyCode,
    exchangeRate: 1,
    amount,
    balance: entry.paid ? 0 : amount,
    discount: 0,
    discountableAmount: amount,
    foreignCurrencyAmount: amount,
    foreignCurrencyBalance: entry.paid ? 0 : amount,
    totalControlAmount: amount,
    booked: entry.paid,
    paid: entry.paid,
    paidDate: entry.paid ? addDays(received, 20) : null,
    paidPeriod: entry.paid ? received.slice(0, 7).replace('-', '/') : null,
    debitMemo: 0,
    intercompany: 0,
    terms: 'Net 30',
    internalNote: null,
    checkNote: null,
    createdById: CLERK_USER_ID,
    createdDate: received,
    modifiedById: entry.invoiceNumber.toLowerCase() === 'received' ? CLERK_USER_ID : API_USER_ID,
    modifiedDate: received,
    lines: [],
  };
  store.apInvoices.set(id, invoice);
  return id;
}

function findOrCreateSupplier(
  store: SimulatorStore,
  wanted: { name: string; code?: string | undefined },
  idFor: (key: string) => string,
): SimSupplier {
  const existing = [...store.suppliers.values()].find((s) =>
    wanted.code ? s.code === wanted.code : s.name.toLowerCase() === wanted.name.toLowerCase(),
  );
  if (existing) return existing;
  const taken = new Set([...store.suppliers.values()].map((s) => s.code));
  const code = wanted.code ?? nextFreeCode(supplierCodeStem(wanted.name), taken);
  const supplier: SimSupplier = {
    id: idFor(`supplier:${code}`),
    code,
    name: wanted.name,
    status: 'Active',
    type: 'Supplier',
    category: 'Production',
    parentSupplierId: null,
    oldCode: null,
    language: 'English',
    webAddress: null,
    note: null,
  };
  store.suppliers.set(supplier.id, supplier);
  return supplier;
}

function nextFreeCode(stem: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const code = `${stem}${String(n).padStart(2, '0')}`;
    if (!taken.has(code)) return code;
  }
}

/** Split cents into n parts that add up exactly; the first part takes the remainder. */
function splitCents(totalCents: number, parts: number): number[] {
  if (parts === 0) return [];
  const share = Math.trunc(totalCents / parts);
  return Array.from({ length: parts }, (_, i) => (i === 0 ? totalCents - share * (parts - 1) : share));
}
