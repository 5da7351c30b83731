// A one-page A4 PDF drawn from text placed by coordinates: the layout tests draw the kinds of page found
// on real invoices this way, each small enough to read at a glance.
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Text put at (x, y) in points on an A4 page; `right` aligns the text's right edge at x. */
export type Put = [text: string, x: number, y: number, opts?: { size?: number; right?: boolean }];

export async function pagePdf(puts: Put[], defaultSize = 10): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const [text, x, y, opts = {}] of puts) {
    const size = opts.size ?? defaultSize;
    page.drawText(text, { x: opts.right ? x - font.widthOfTextAtSize(text, size) : x, y, size, font });
  }
  return pdf.save();
}
