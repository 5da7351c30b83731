// What the AI model must answer: the header fields as canonical strings (null when not printed). This is
// both the structured-output schema sent to the provider (strict JSON schema, via the SDK's zod helper)
// and the parser of its answer: nothing the model says reaches the extraction without passing it.
import { z } from 'zod';

const text = (what: string) => z.string().nullable().describe(`${what}; null when the document does not show it`);
const date = (what: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().describe(`${what} as YYYY-MM-DD; null when absent`);
const amount = (what: string) =>
  z.string().regex(/^-?\d+(\.\d{1,4})?$/).nullable().describe(`${what} as a plain decimal with a dot and no thousands separators ("1234.56"); null when absent`);

export const ModelInvoice = z.object({
  invoiceNumber: text("The vendor's invoice number exactly as printed"),
  invoiceDate: date('The invoice date'),
  dueDate: date('The payment due date'),
  vendorName: text('The name of the company that issued the invoice (not the customer)'),
  vendorTaxId: text("The vendor's VAT / tax id as printed"),
  vendorEmailDomain: text("The domain of the vendor's e-mail address (\"acme.com\")"),
  billTo: text('The name of the customer the invoice is addressed to'),
  currency: z.string().regex(/^[A-Z]{3}$/).nullable().describe('ISO 4217 code of the invoice currency; null when absent'),
  subtotal: amount('The total before tax'),
  tax: amount('The total tax'),
  total: amount('The total amount due'),
  poNumbers: z.array(z.string()).describe("Every purchase order number the invoice refers to, as printed; empty when none"),
  paymentTerms: text('The payment terms ("Net 30")'),
});
export type ModelInvoice = z.infer<typeof ModelInvoice>;
