// Invoices laid out word by word for extraction tests: each text at a position, in Helvetica, one A4
// page per list of texts.
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** [x, y, text, size] in points from the bottom left of an A4 page; size 9 unless given. */
export type Text = [x: number, y: number, text: string, size?: number];

export async function textPdf(pages: Text[][]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const texts of pages) {
    const page = pdf.addPage([595, 842]);
    for (const [x, y, text, size = 9] of texts) page.drawText(text, { x, y, size, font });
  }
  return pdf.save();
}
