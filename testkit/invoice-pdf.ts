// Test invoices: real PDFs drawn with pdf-lib in a few vendor layouts, plus hostile bytes (truncated,
// encrypted, garbage) for the upload checks. Amounts are computed in integer cents, like the code under test.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export interface InvoiceSpec {
  invoiceNumber: string;
  vendorName: string;
  invoiceDate: string; // ISO
  dueDate?: string;
  poNumber?: string;
  poNumbers?: string[];
  currency?: string;
  lines: { description: string; quantity: number; unitPrice: string }[];
  taxRate?: string; // percent, "19" or "8.25"; no tax line without it
  layout?: 'classic' | 'german' | 'right-labels';
  omit?: Array<'invoiceNumber' | 'poNumber' | 'total'>;
  /** Print this total instead of the computed one: a vendor's arithmetic slip. */
  printedTotal?: string;
}

const cents = (decimal: string): number => {
  const [whole = '0', fraction = ''] = decimal.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
};
const decimal = (amountCents: number): string =>
  `${Math.trunc(amountCents / 100)}.${String(amountCents % 100).padStart(2, '0')}`;

export function invoiceTotals(spec: Pick<InvoiceSpec, 'lines' | 'taxRate'>): {
  subtotal: string;
  tax: string;
  total: string;
  lineAmounts: string[];
} {
  const lineCents = spec.lines.map((l) => Math.round(l.quantity * cents(l.unitPrice)));
  const subtotal = lineCents.reduce((a, b) => a + b, 0);
  const rateHundredths = spec.taxRate ? Math.round(Number(spec.taxRate) * 100) : 0; // 19% → 1900
  const tax = Math.round((subtotal * rateHundredths) / 10_000);
  return {
    subtotal: decimal(subtotal),
    tax: decimal(tax),
    total: decimal(subtotal + tax),
    lineAmounts: lineCents.map(decimal),
  };
}

function formatMoney(amount: string, style: 'en' | 'de', currency: string, placement: 'symbol' | 'code'): string {
  const [whole = '0', fraction = '00'] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, style === 'en' ? ',' : '.');
  const number = `${grouped}${style === 'en' ? '.' : ','}${fraction}`;
  const symbol = { USD: '$', EUR: '€', GBP: '£' }[currency];
  if (placement === 'code' || !symbol) return `${currency} ${number}`;
  return style === 'de' ? `${number} ${symbol}` : `${symbol}${number}`;
}

const [year, month, day] = [
  (iso: string) => iso.slice(0, 4),
  (iso: string) => iso.slice(5, 7),
  (iso: string) => iso.slice(8, 10),
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const usDate = (iso: string) => `${month(iso)}/${day(iso)}/${year(iso)}`;
const germanDate = (iso: string) => `${day(iso)}.${month(iso)}.${year(iso)}`;
const shortDate = (iso: string) => `${Number(day(iso))} ${MONTHS[Number(month(iso)) - 1]} ${year(iso)}`;

interface Pen {
  page: PDFPage;
  regular: PDFFont;
  bold: PDFFont;
}
function text(
  pen: Pen,
  value: string,
  x: number,
  y: number,
  size = 10,
  bold = false,
  align: 'left' | 'right' = 'left',
) {
  const font = bold ? pen.bold : pen.regular;
  const left = align === 'right' ? x - font.widthOfTextAtSize(value, size) : x;
  pen.page.drawText(value, { x: left, y, size, font });
}

export async function makeInvoicePdf(spec: InvoiceSpec): Promise<Uint8Array> {
  const layout = spec.layout ?? 'classic';
  const german = layout === 'german';
  const pdf = await PDFDocument.create();
  const page = pdf.addPage(german ? [595.28, 841.89] : [612, 792]);
  const pen: Pen = {
    page,
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
  };
  const currency = spec.currency ?? (german ? 'EUR' : 'USD');
  const money = (amount: string) =>
    formatMoney(amount, german ? 'de' : 'en', currency, layout === 'right-labels' ? 'code' : 'symbol');
  const omitted = new Set(spec.omit ?? []);
  const poNumbers = spec.poNumbers ?? (spec.poNumber ? [spec.poNumber] : []);
  const right = german ? 545 : 562;
  const top = page.getHeight() - 52;

  // Letterhead, title and customer block
  text(pen, spec.vendorName, 50, top, german ? 20 : 22, true);
  text(
    pen,
    german ? 'Industriestraße 12 · 70565 Stuttgart' : '1200 Industrial Pkwy, Dayton, OH 45402',
    50,
    top - 18,
    9,
  );
  if (layout === 'right-labels') text(pen, 'INVOICE', 50, top - 60, 26, true);
  else text(pen, german ? 'RECHNUNG' : 'INVOICE', right, top, 18, true, 'right');
  const customerX = layout === 'right-labels' ? 50 : 350;
  text(pen, german ? 'Rechnungsadresse' : 'Bill To:', customerX, top - 120, 10, true);
  text(pen, german ? 'Plexus Fertigung AG' : 'Northwind Stamping LLC', customerX, top - 134);
  text(pen, german ? 'Hafenweg 3 · 20457 Hamburg' : '88 Harbor Rd, Toledo, OH 43604', customerX, top - 148);

  // Header fields, one layout each
  const header: Array<[string, string]> = [];
  if (!omitted.has('invoiceNumber'))
    header.push([
      german ? 'Rechnungsnummer' : layout === 'classic' ? 'Invoice Number:' : 'Invoice #',
      spec.invoiceNumber,
    ]);
  const date = german ? germanDate : layout === 'classic' ? usDate : shortDate;
  header.push([german ? 'Rechnungsdatum' : 'Invoice Date:', date(spec.invoiceDate)]);
  if (spec.dueDate)
    header.push([german ? 'Fällig am' : layout === 'classic' ? 'Due Date:' : 'Payment Due', date(spec.dueDate)]);
  if (poNumbers.length && !omitted.has('poNumber'))
    header.push([german ? 'Bestellnummer' : 'P.O. Number', poNumbers.join(', ')]);
  if (layout === 'classic') header.push(['Terms:', 'Net 30']);
  header.forEach(([label, value], i) => {
    if (german) {
      text(pen, label, 50 + i * 125, top - 200, 8, true); // labels in a row, values below
      text(pen, value, 50 + i * 125, top - 213);
    } else if (layout === 'classic') {
      text(pen, label, 50, top - 120 - i * 15, 10, true);
      text(pen, value, 160, top - 120 - i * 15);
    } else {
      text(pen, label, 450, top - 20 - i * 15, 10, true, 'right'); // right-aligned labels, values after them
      text(pen, value, 460, top - 20 - i * 15);
    }
  });

  // Line table
  const totals = invoiceTotals(spec);
  let y = top - 260;
  const columns = german
    ? ['Bezeichnung', 'Menge', 'Einzelpreis', 'Betrag']
    : layout === 'classic'
      ? ['Description', 'Qty', 'Unit Price', 'Amount']
      : ['Description', 'Quantity', 'Rate', 'Amount'];
  const columnRight = [0, 360, 460, right];
  if (german) text(pen, 'Pos.', 50, y, 9, true);
  const descriptionX = german ? 80 : 50;
  columns.forEach((c, i) =>
    i === 0 ? text(pen, c, descriptionX, y, 9, true) : text(pen, c, columnRight[i]!, y, 9, true, 'right'),
  );
  page.drawLine({ start: { x: 50, y: y - 4 }, end: { x: right, y: y - 4 }, thickness: 0.5, color: rgb(0.5, 0.5, 0.5) });
  spec.lines.forEach((line, i) => {
    y -= 16;
    if (german) text(pen, String(i + 1), 50, y);
    text(pen, line.description, descriptionX, y);
    text(pen, String(line.quantity), columnRight[1]!, y, 10, false, 'right');
    text(pen, money(line.unitPrice), columnRight[2]!, y, 10, false, 'right');
    text(pen, money(totals.lineAmounts[i]!), right, y, 10, false, 'right');
  });

  // Totals
  const rows: Array<[string, string]> = [[german ? 'Zwischensumme' : 'Subtotal', totals.subtotal]];
  if (spec.taxRate)
    rows.push([
      german
        ? `MwSt. ${spec.taxRate.replace('.', ',')} %`
        : `${layout === 'classic' ? 'Sales Tax' : 'VAT'} ${spec.taxRate}%`,
      totals.tax,
    ]);
  if (!omitted.has('total'))
    rows.push([
      german ? 'Gesamtbetrag' : layout === 'classic' ? 'Total' : 'Amount Due',
      spec.printedTotal ?? totals.total,
    ]);
  y -= 14;
  for (const [label, amount] of rows) {
    y -= 16;
    text(pen, label, layout === 'right-labels' ? 450 : 360, y, 10, true, layout === 'right-labels' ? 'right' : 'left');
    text(pen, money(amount), right, y, 10, label.startsWith('Total') || label === 'Gesamtbetrag', 'right');
  }
  if (german) {
    text(pen, 'Zahlungsbedingungen: 30 Tage netto', 50, 90, 9);
    text(pen, 'USt-IdNr.: DE811234567 · Amtsgericht Stuttgart HRB 12345', 50, 60, 8);
  }
  return pdf.save();
}

/** A "scan": a page with drawn shapes and no text layer. */
export async function makeImageOnlyPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([612, 792]);
  for (let i = 0; i < 12; i++)
    page.drawRectangle({ x: 50, y: 700 - i * 40, width: 300 + (i % 3) * 60, height: 12, color: rgb(0.2, 0.2, 0.2) });
  return pdf.save();
}

/** The first part of a file, as an interrupted upload leaves it. */
export function truncate(bytes: Uint8Array, keep = 0.6): Uint8Array {
  return bytes.slice(0, Math.floor(bytes.length * keep));
}

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A one-page PDF written by hand, with optional extra trailer entries and objects (numbered from 4). */
function handWrittenPdf(opts: { pageCount?: 0 | 1; trailer?: string; objects?: string[] } = {}): Uint8Array {
  const kids = opts.pageCount === 0 ? '' : '3 0 R';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${opts.pageCount ?? 1} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    ...(opts.objects ?? []),
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${opts.trailer ?? ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return latin1(body);
}

/**
 * A PDF encrypted with the standard security handler whose user password is not empty: pdf-lib cannot
 * encrypt, so the /Encrypt dictionary is written by hand; /U matches no password, so pdf.js asks for one.
 */
export function makeEncryptedPdf(): Uint8Array {
  const id = '<0123456789ABCDEF0123456789ABCDEF>';
  return handWrittenPdf({
    trailer: `/Encrypt 4 0 R /ID [${id} ${id}]`,
    objects: [`<< /Filter /Standard /V 1 /R 2 /O <${'A1'.repeat(32)}> /U <${'B2'.repeat(32)}> /P -4 >>`],
  });
}

/** A PDF whose page tree is empty. */
export const makePagelessPdf = (): Uint8Array => handWrittenPdf({ pageCount: 0 });

/** A PDF header and %%EOF around bytes that are not PDF objects. */
export function makeGarbagePdf(): Uint8Array {
  return latin1(`%PDF-1.7\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(40)}\n%%EOF\n`);
}
