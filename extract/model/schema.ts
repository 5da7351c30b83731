// What the AI model must answer: the header fields as canonical strings (null when not printed) and the
// rows of the item table, each with the page it is printed on. This is both the structured-output schema
// sent to the provider (strict JSON schema, via the SDK's zod helper: every property required, absent
// values null, only keywords strict mode accepts) and the parser of its answer: nothing the model says
// reaches the extraction without passing it.
import { z } from 'zod';

const text = (what: string) => z.string().nullable().describe(`${what}; null when the document does not show it`);
const date = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .describe(`${what} as YYYY-MM-DD; null when absent`);
const DECIMAL = /^-?\d+(\.\d{1,4})?$/;
const DECIMAL_FORMAT = 'as a plain decimal with a dot and no thousands separators ("1234.56")';
const amount = (what: string, nullWhen = 'absent') =>
  z.string().regex(DECIMAL).nullable().describe(`${what} ${DECIMAL_FORMAT}; null when ${nullWhen}`);

/** One row of the item table. An amount is required: a printed row without one is no item (a note, a continued description). */
export const ModelLineItem = z.object({
  description: z
    .string()
    .regex(/\S/)
    .describe('The item description as printed, continuation lines joined with a space'),
  quantity: amount('The quantity'),
  unitPrice: amount('The unit price'),
  amount: z.string().regex(DECIMAL).describe(`The line amount (extended price) ${DECIMAL_FORMAT}`),
  partNumber: text("The vendor's part / item number of the row"),
  poLine: text('The purchase-order line the row refers to'),
  page: z.number().int().min(1).describe('The 1-based number of the page the row is printed on'),
});
export type ModelLineItem = z.infer<typeof ModelLineItem>;

export const ModelInvoice = z.object({
  invoiceNumber: text("The vendor's invoice number exactly as printed"),
  invoiceDate: date('The invoice date'),
  dueDate: date('The payment due date'),
  vendorName: text('The name of the company that issued the invoice (not the customer)'),
  vendorTaxId: text("The vendor's VAT / tax id as printed"),
  vendorEmailDomain: text('The domain of the vendor\'s e-mail address ("acme.com")'),
  billTo: text('The name of the customer the invoice is addressed to'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullable()
    .describe('ISO 4217 code of the invoice currency; null when absent'),
  subtotal: amount('The total before tax'),
  tax: amount('The total tax'),
  // The gross (EN 16931 BT-112) and what is left to pay (BT-115) apart, as the rest of the product reads them:
  // "Bruttosumme 197,65 / Erhaltene Anzahlungen -50,00 / Zahlbetrag 147,65" is total 197.65, amount due 147.65.
  total: amount(
    'The gross invoice total including tax, before prepayments are deducted (not the amount still to pay: that is amountDue)',
  ),
  amountDue: amount(
    'The amount still to pay after prepayments already paid',
    'the page prints no separate amount to pay',
  ),
  poNumbers: z
    .array(z.string())
    .describe('Every purchase order number the invoice refers to, as printed; empty when none'),
  paymentTerms: text('The payment terms ("Net 30")'),
  lineItems: z
    .array(ModelLineItem)
    .describe(
      'Every row of the item table on every page, in printed order; not the subtotal, tax or total lines below it; empty when there is no table',
    ),
});
export type ModelInvoice = z.infer<typeof ModelInvoice>;
