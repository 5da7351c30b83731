// An invoice for a PO the Plex simulator has: unique invoice data (testkit/stack.ts), its PO seeded with as
// many "Received" placeholders as asked (one unless told), and the PDF uploaded through the API.
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, uniqueInvoice, type Stack } from '../../testkit/stack.js';

export async function uploadForSeededPo(
  stack: Stack,
  fileName: string,
  opts: { placeholders?: number; invoice?: Parameters<typeof uniqueInvoice>[0] } = {},
) {
  const inv = uniqueInvoice(opts.invoice);
  const { placeholderIds, purchaseOrderId } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
    placeholders: opts.placeholders,
  });
  const id = await stack.uploadOne(fileName, await makeInvoicePdf(inv));
  return { id, inv, placeholderIds, purchaseOrderId };
}
