// Run by ocr.test.ts in a child process with test/support/no-network.ts preloaded: OCRs a scanned invoice
// and prints the invoice number it read.
import { createExtractor } from '../../extract/index.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { scanOf } from '../../testkit/scan.js';

const extractor = createExtractor({ ocr: { languages: ['eng'], deskew: true }, einvoice: false });
const spec = {
  invoiceNumber: 'INV-2025-0042',
  vendorName: 'Acme Tooling Inc.',
  invoiceDate: '2025-11-03',
  lines: [{ description: 'Hex bolt', quantity: 1, unitPrice: '1.00' }],
};
const { png } = await scanOf(await makeInvoicePdf(spec), { seed: 51 });
const extraction = await extractor.extract({ bytes: png, mimeType: 'image/png', fileName: 'offline.png' });
await extractor.close?.();
process.stdout.write(`${extraction.fields.invoiceNumber.value}\n`);
