// A portrait invoice page drawn in its PDF's own axes turned by `rotation` and shown upright by /Rotate, as a
// landscape-set page turned for reading, or a scanner app's rotated page with its text layer, are written.
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';

const [W, H] = [595, 842]; // the page as shown

/** Text at (x, y) on the page as shown, and its size. */
const INVOICE: Array<[text: string, x: number, y: number, size?: number]> = [
  ['Harbor Steel Supply Inc.', 50, 780, 16],
  ['Invoice No.: HS-20931', 330, 720],
  ['Invoice Date: 11/14/2025', 330, 706],
  ['PO Number: 4500012345', 330, 692],
  ['Description', 50, 560],
  ['Amount', 480, 560],
  ['Cold rolled strip 1.5 mm', 50, 540],
  ['1,000.00', 480, 540],
  ['Subtotal', 330, 500],
  ['1,000.00', 480, 500],
  ['Sales Tax 8%', 330, 484],
  ['80.00', 480, 484],
  ['Total', 330, 468],
  ['1,080.00', 480, 468],
];

export async function rotatedInvoicePdf(rotation: 90 | 180 | 270): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage(rotation === 180 ? [W, H] : [H, W]);
  page.setRotation(degrees(rotation));
  // a point (x, y) of the page as shown, in the page's own axes; the text turned the same way
  const place = (x: number, y: number): [number, number] =>
    rotation === 90 ? [H - y, x] : rotation === 180 ? [W - x, H - y] : [y, W - x];
  for (const [text, x, y, size = 10] of INVOICE) {
    const [u, v] = place(x, y);
    page.drawText(text, { x: u, y: v, size, font, rotate: degrees(rotation) });
  }
  return pdf.save();
}
