// Invoices of vendors with their own habits, for the learning tests: the invoice number sits under a
// label no general rule knows ("Voucher ID", "Beleg"), everything else is printed conventionally.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { invoiceTotals } from '../../testkit/invoice-pdf.js';

export interface VendorInvoiceSpec {
  vendorName: string;
  taxId: string;
  emailDomain: string;
  /** The label printed above the invoice number. */
  numberLabel: string;
  invoiceNumber: string;
  invoiceDate: string; // ISO
  poNumber: string;
  lines: { description: string; quantity: number; unitPrice: string }[];
}

/** A British vendor whose invoice number stands under "Voucher ID". */
export const NORTHBEAM: VendorInvoiceSpec = {
  vendorName: 'Northbeam Tooling Ltd',
  taxId: 'GB123456789',
  emailDomain: 'northbeam-tooling.co.uk',
  numberLabel: 'Voucher ID',
  invoiceNumber: 'NBT-26-0417',
  invoiceDate: '2026-03-10',
  poNumber: '062486',
  lines: [{ description: 'Carbide end mill 10mm', quantity: 12, unitPrice: '38.50' }],
};

/** Another vendor with the same habit, to show that one vendor's corrections never apply to another. */
export const QUARRY_LANE: VendorInvoiceSpec = {
  ...NORTHBEAM,
  vendorName: 'Quarry Lane Castings Ltd',
  taxId: 'GB987654321',
  emailDomain: 'quarrylane.co.uk',
  invoiceNumber: 'QLC-88-1200',
};

const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
const money = (amount: string) => `$${amount.replace(/\B(?=(\d{3})+\.)/g, ',')}`;

export async function makeVendorInvoicePdf(spec: VendorInvoiceSpec): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([612, 792]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const text = (value: string, x: number, y: number, size = 10, isBold = false, align: 'left' | 'right' = 'left') => {
    const font = isBold ? bold : regular;
    page.drawText(value, { x: align === 'right' ? x - font.widthOfTextAtSize(value, size) : x, y, size, font });
  };
  text(spec.vendorName, 50, 740, 20, true);
  text('Unit 4, Riverside Works, Sheffield', 50, 722, 9);
  text(`accounts@${spec.emailDomain}`, 50, 710, 9);
  text(`VAT Reg. No. ${spec.taxId}`, 50, 698, 9);
  text('INVOICE', 562, 740, 18, true, 'right');

  // The unusual part: a box of three cells, label above value.
  text(spec.numberLabel, 360, 690, 8, true);
  text(spec.invoiceNumber, 360, 677);
  text('Invoice Date:', 50, 640, 10, true);
  text(usDate(spec.invoiceDate), 160, 640);
  text('P.O. Number', 50, 625, 10, true);
  text(spec.poNumber, 160, 625);
  text('Bill To:', 360, 640, 10, true);
  text('Northwind Stamping LLC', 360, 626);

  const totals = invoiceTotals(spec);
  let y = 560;
  ['Description', 'Qty', 'Unit Price', 'Amount'].forEach((c, i) =>
    i === 0 ? text(c, 50, y, 9, true) : text(c, [0, 360, 460, 562][i]!, y, 9, true, 'right'),
  );
  spec.lines.forEach((line, i) => {
    y -= 16;
    text(line.description, 50, y);
    text(String(line.quantity), 360, y, 10, false, 'right');
    text(money(line.unitPrice), 460, y, 10, false, 'right');
    text(money(totals.lineAmounts[i]!), 562, y, 10, false, 'right');
  });
  y -= 30;
  text('Subtotal', 360, y, 10, true);
  text(money(totals.subtotal), 562, y, 10, false, 'right');
  text('Total', 360, y - 16, 10, true);
  text(money(totals.total), 562, y - 16, 10, true, 'right');
  return pdf.save();
}
