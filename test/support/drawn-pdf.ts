// A one-page A4 PDF drawn from text placed by coordinates: the layout tests draw the kinds of page found
// on real invoices this way, each small enough to read at a glance.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { drawRuns } from '../../testkit/retypeset-pdf.js';

/**
 * Text put at (x, y) in points on an A4 page; `right` aligns the text's right edge at x. With `gapEm`, each
 * "|" in the text is a glyph gap of that many em instead (a producer that places glyph runs itself: pdf.js
 * reports a gap from about 0.1 em as a space, "Br|uttosumme" as "Br uttosumme"). With `trackingEm`, its
 * characters are set that far apart (character spacing: from about 0.1 em pdf.js reports "N a m e :").
 */
export type Put = [
  text: string,
  x: number,
  y: number,
  opts?: { size?: number; right?: boolean; gapEm?: number; trackingEm?: number },
];

export async function pagePdf(puts: Put[], defaultSize = 10): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const [text, x, y, opts = {}] of puts) {
    const size = opts.size ?? defaultSize;
    if (opts.gapEm === undefined && opts.trackingEm === undefined) {
      page.drawText(text, { x: opts.right ? x - font.widthOfTextAtSize(text, size) : x, y, size, font });
      continue;
    }
    drawRuns(page, font, text.split('|'), { x, y, size, gapEm: opts.gapEm ?? 0, trackingEm: opts.trackingEm ?? 0 });
  }
  return pdf.save();
}

/** Lines of text one under the other, `step` points apart, from (x, y) down. */
export const col = (x: number, y: number, texts: string[], step = 12, opts?: Put[3]): Put[] =>
  texts.map((text, i): Put => [text, x, y - i * step, opts]);

/** Label and value pairs, one row each: labels at x1, values at x2 (`pairsR`: values right-aligned at x2). */
export const pairs = (x1: number, x2: number, y: number, kv: Array<[string, string]>, step = 13, opts?: Put[3]) =>
  kv.flatMap(([label, value], i): Put[] => [
    [label, x1, y - i * step, opts],
    [value, x2, y - i * step, opts],
  ]);
export const pairsR = (x1: number, x2: number, y: number, kv: Array<[string, string]>, step = 13, opts?: Put[3]) =>
  kv.flatMap(([label, value], i): Put[] => [
    [label, x1, y - i * step, opts],
    [value, x2, y - i * step, { ...opts, right: true }],
  ]);
