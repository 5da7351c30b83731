// DEV/TEST DOUBLE OF PLEX — not Plex. The simulator's 'dev' dataset: a few suppliers and six POs, one per
// sync scenario, with ids derived from names so they are the same on every start. DEV_PURCHASE_ORDERS is
// the single source for docs, demos and tests that need to name a PO or an amount.
import type { SimulatorStore } from './store.js';
import { createPurchaseOrder } from './purchase-orders.js';

export type SeedDataset = 'dev' | 'none';

export const DEV_SUPPLIERS = [
  { code: 'ACME01', name: 'Acme Fasteners Inc.' },
  { code: 'GLSS01', name: 'Great Lakes Steel Supply' },
  { code: 'MIDW01', name: 'Midwest Bearings Co.' },
  { code: 'NORT01', name: 'Northern Packaging LLC' },
] as const;

export type DevScenario =
  | 'single_placeholder' // one open "Received" placeholder: the happy path
  | 'uppercase_placeholder' // one open placeholder spelled "RECEIVED"
  | 'ambiguous_placeholders' // two open placeholders (two receipts): needs review
  | 'already_invoiced' // vendor invoice already entered, no placeholder left
  | 'not_received' // PO open, nothing received, no AP invoice at all
  | 'partially_invoiced'; // first shipment invoiced and paid, second still a placeholder

export interface DevPurchaseOrder {
  poNumber: string;
  supplierCode: (typeof DEV_SUPPLIERS)[number]['code'];
  scenario: DevScenario;
  orderedDate: string;
  /** Sum of the lines, as Plex reports it in lineItemTotal. */
  lineItemTotal: string;
  lines: { description: string; quantity: number; unitPrice: string }[];
  placeholders: { invoiceNumber: string; amount: string }[];
  invoices: { invoiceNumber: string; amount: string; status: string; paid: boolean }[];
}

export const DEV_PURCHASE_ORDERS: readonly DevPurchaseOrder[] = [
  {
    poNumber: '062486',
    supplierCode: 'ACME01',
    scenario: 'single_placeholder',
    orderedDate: '2025-10-20T00:00:00Z',
    lineItemTotal: '1842.50',
    lines: [
      { description: 'Hex cap screw 3/8-16 x 1-1/2 Gr 8 zinc', quantity: 2500, unitPrice: '0.41' },
      { description: 'Nylon insert lock nut 3/8-16', quantity: 2500, unitPrice: '0.19' },
      { description: 'Flat washer 3/8 SAE hardened, box of 100', quantity: 25, unitPrice: '13.70' },
    ],
    placeholders: [{ invoiceNumber: 'Received', amount: '1842.50' }],
    invoices: [],
  },
  {
    poNumber: '062487',
    supplierCode: 'GLSS01',
    scenario: 'uppercase_placeholder',
    orderedDate: '2025-10-21T00:00:00Z',
    lineItemTotal: '12480.00',
    lines: [
      { description: 'A36 hot-rolled steel plate 1/2 x 48 x 96', quantity: 12, unitPrice: '612.50' },
      { description: '1018 cold-rolled round bar 1-1/4 x 12 ft', quantity: 40, unitPrice: '128.25' },
    ],
    placeholders: [{ invoiceNumber: 'RECEIVED', amount: '12480.00' }],
    invoices: [],
  },
  {
    poNumber: '062488',
    supplierCode: 'MIDW01',
    scenario: 'ambiguous_placeholders',
    orderedDate: '2025-10-22T00:00:00Z',
    lineItemTotal: '1056.00',
    lines: [
      { description: 'Deep-groove ball bearing 6205-2RS', quantity: 200, unitPrice: '3.15' },
      { description: 'Pillow block bearing UCP205-16', quantity: 30, unitPrice: '14.20' },
    ],
    placeholders: [
      { invoiceNumber: 'Received', amount: '630.00' },
      { invoiceNumber: 'Received', amount: '426.00' },
    ],
    invoices: [],
  },
  {
    poNumber: '062489',
    supplierCode: 'ACME01',
    scenario: 'already_invoiced',
    orderedDate: '2025-10-23T00:00:00Z',
    lineItemTotal: '380.00',
    lines: [{ description: 'Socket head cap screw M8 x 25 class 12.9', quantity: 1000, unitPrice: '0.38' }],
    placeholders: [],
    invoices: [{ invoiceNumber: 'A-10442', amount: '380.00', status: 'Open', paid: false }],
  },
  {
    poNumber: '062490',
    supplierCode: 'NORT01',
    scenario: 'not_received',
    orderedDate: '2025-10-24T00:00:00Z',
    lineItemTotal: '560.00',
    lines: [{ description: 'Corrugated box 24x18x12 200# C-flute', quantity: 500, unitPrice: '1.12' }],
    placeholders: [],
    invoices: [],
  },
  {
    poNumber: '062491',
    supplierCode: 'GLSS01',
    scenario: 'partially_invoiced',
    orderedDate: '2025-10-27T00:00:00Z',
    lineItemTotal: '4208.75',
    lines: [
      { description: '304 stainless sheet 16 ga 48 x 120', quantity: 10, unitPrice: '289.40' },
      { description: '6061-T6 aluminium bar 1 x 2 x 12 ft', quantity: 15, unitPrice: '87.65' },
    ],
    placeholders: [{ invoiceNumber: 'Received', amount: '1314.75' }],
    invoices: [{ invoiceNumber: 'GLS-77810', amount: '2894.00', status: 'Paid', paid: true }],
  },
];

export function seedDataset(store: SimulatorStore, dataset: SeedDataset): void {
  if (dataset === 'none') return;
  for (const po of DEV_PURCHASE_ORDERS) {
    const supplier = DEV_SUPPLIERS.find((s) => s.code === po.supplierCode)!;
    createPurchaseOrder(
      store,
      {
        supplier: { name: supplier.name, code: supplier.code },
        poNumber: po.poNumber,
        orderedDate: po.orderedDate,
        lines: po.lines,
        placeholders: po.placeholders.map((p) => ({ ...p, status: 'New' })),
        invoices: po.invoices,
      },
      { deterministic: true },
    );
  }
  // One supplier with financials on file (tax id and bank account); the others have none (404), as a
  // supplier set up without them would.
  store.setSupplierFinancials('NORT01', DEV_NORTHERN_FINANCIALS);
}

/** The dev dataset's financials of Northern Packaging (a US EIN and a valid example IBAN). */
export const DEV_NORTHERN_FINANCIALS = {
  taxId: '41-2345678',
  taxIdType: 'EIN',
  ibanNo: 'GB82WEST12345698765432',
  swiftNo: 'WESTGB2L',
  bankAccountNo: '98765432',
  bankRoutingNo: null,
  bankName: 'Westminster Bank',
  dunsNo: '123456789',
  paymentStatus: 'Active',
} as const;
