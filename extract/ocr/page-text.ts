// OCR words → the PageText the heuristics read: the same line/segment grouping as the text layer, boxes in
// PDF points with the origin at the page's bottom-left corner, and each segment's OCR confidence.
import { groupIntoLines, type PageText, type PositionedText } from '../pdf-text.js';
import type { OcrWord } from './engine.js';
import type { PreparedImage } from './preprocess.js';

// Capital letters reach about 0.72 em above the baseline in the fonts invoices are printed in.
const CAP_HEIGHT_EM = 0.72;
// Words of one phrase: OCR boxes hug the ink, so a space between words measures wider than in a text layer
// ("Globale Nummer:" 0.8 em apart); columns stand several em apart.
const OCR_WORD_GAP_EM = 1.2;

export interface OcrPageGeometry {
  page: number;
  /** The page in points, and how many points one pixel of the input image covers. */
  widthPt: number;
  heightPt: number;
  pointsPerPixel: number;
}

// Specks of the scan read as punctuation alone (",", ";", "|"): no word of the page.
const SPECK = /^[,;:.|'"`´^~_·•¦!?]+$/;

/**
 * A box's border read as a bracket, bar or underscore glued to the word it frames ("[Rechnungsersteller",
 * "03.06.2013]", "[_Ihr"): no part of the word. A closing bracket that closes one inside the word ("Art.[B]") stays.
 */
function withoutBorders(text: string): string {
  const start = text.replace(/^[[\]|_{}]+(?=[\p{L}\p{N}])/u, '');
  const closing = /[[{]/.test(start) ? '[|_[{]' : '[\\]|_}[{]';
  return start.replace(new RegExp(`(?<=[\\p{L}\\p{N}.:,%)])${closing}+$`, 'u'), '');
}

/**
 * A word printed sideways (a note running up the margin, "Beispielrechnung © 2014"): three or more letters
 * or digits in a box at least twice as tall as wide. Grouped with the lines it passes, it would cut a table
 * header in two or give a line the font size of a whole column.
 */
function sideways(word: OcrWord): boolean {
  const { x0, x1, y0, y1 } = word.box;
  return word.text.replace(/[^\p{L}\p{N}]/gu, '').length >= 3 && y1 - y0 > 2 * (x1 - x0);
}

export function ocrPageText(words: OcrWord[], prepared: PreparedImage, geometry: OcrPageGeometry): PageText {
  const k = geometry.pointsPerPixel;
  // Lines are grouped in the straightened image, where a printed line is level.
  const items: PositionedText[] = words
    .filter((word) => !SPECK.test(word.text.trim()) && !sideways(word))
    .map((word) => {
      const { x0, x1, y1 } = word.box;
      const baselinePx = baselineAt(word, (x0 + x1) / 2) ?? y1;
      const capPx = Math.max(capHeight(word, baselinePx), (y1 - word.box.y0) * 0.8, 1);
      return {
        text: withoutBorders(word.text),
        x: x0 * k,
        baseline: (prepared.height - baselinePx) * k,
        width: (x1 - x0) * k,
        fontSize: (capPx / CAP_HEIGHT_EM) * k,
        confidence: word.confidence,
      };
    });
  const lines = groupIntoLines(geometry.page, items, OCR_WORD_GAP_EM);
  // Then every box is carried back to where it is on the page as scanned, which is what a clerk sees.
  for (const line of lines) {
    for (const segment of line.segments) {
      const { x, y, width, height } = segment.box;
      const [cx, cy] = prepared.toInput((x + width / 2) / k, prepared.height - (y + height / 2) / k);
      segment.box = { x: cx * k - width / 2, y: geometry.heightPt - cy * k - height / 2, width, height };
    }
    const first = line.segments[0]!;
    line.baseline = first.box.y + 0.25 * first.fontSize;
  }
  lines.sort((a, b) => b.baseline - a.baseline || a.segments[0]!.box.x - b.segments[0]!.box.x);
  return { page: geometry.page, width: geometry.widthPt, height: geometry.heightPt, lines, source: 'ocr' };
}

// A line whose top stands this far above a word's own top holds something taller than the word (a logo).
const TALLER_LINE = 1.7;

/**
 * A word's cap height in pixels: its line's height above the baseline, unless the line holds something much
 * taller than the word itself ("MVM Musterhafter" beside a logo read as part of its line), then the word's
 * own height above the baseline. Words of small letters only ("usw") stand about 0.7 of a line's height.
 */
function capHeight(word: OcrWord, baselinePx: number): number {
  const line = baselinePx - word.line.top;
  const own = baselinePx - word.box.y0;
  // a capital, a digit or a tall letter reaches the cap height itself: tesseract may join two rows set a little
  // apart into one line ("Chakan MIDC, Pune" beside "Destination" a row higher), whose height is no word's size
  return line > (TALL_GLYPH.test(word.text) ? TALL_WORD_LINE : TALLER_LINE) * own ? own : line;
}
const TALL_GLYPH = /[\p{Lu}\p{N}bdfhklt]/u;
// A line up to this much taller than such a word is its own (brackets and the line's other tall letters
// reach a little higher); beyond it the line holds something else: a second row, or a scrap of a logo
// beside the word ("Versicherungsverein Musterstadt a.G." read 1.2 times its size beside one, so the name's
// first line, "MVM Musterhafter", was no longer of its size).
const TALL_WORD_LINE = 1.15;

function baselineAt(word: OcrWord, x: number): number | null {
  const b = word.line.baseline;
  if (!b) return null;
  return b.y0 + ((b.y1 - b.y0) * (x - b.x0)) / (b.x1 - b.x0);
}
