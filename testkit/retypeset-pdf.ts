// A text PDF typeset again the ways other PDF producers write the same page: every text item of the original
// is drawn at its place and size (Helvetica, squeezed or stretched to the item's own width), and then, as
// asked, (1) inside a share of its words the next glyphs are moved right by a fraction of an em, which pdf.js
// reports as a space inside the word ("Br uttosumme"); (2) a share of its items is letter-spaced (character
// spacing 0.15 em, which pdf.js reports as a space between every two characters: "N a m e :"); (3) each
// item's type size is changed by up to a share of it (mixed fonts: a bold sum row, small print); (4) the lines
// are set further apart (a form with loose lines). With none of them, the same typesetting unchanged: the
// baseline the variants are measured against. Same seed, same bytes.
import {
  PDFArray,
  PDFDocument,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames as Ops,
  StandardFonts,
  beginText,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setCharacterSpacing,
  setFontAndSize,
  setTextMatrix,
  type PDFFont,
  type PDFName,
  type PDFPage,
} from 'pdf-lib';
import { withPdf } from '../extract/pdf-text.js';
import { seededRandom } from './corpus.js';

export interface RetypesetOptions {
  seed: number;
  /** The share of words of four letters or more split once (0..1). */
  splitShare?: number;
  /** How far the glyphs after a split are moved, in em (pdf.js reports a space from about 0.1 em). */
  gapEm?: number;
  /** The share of items letter-spaced (0..1). */
  trackedShare?: number;
  /** How much an item's type size may change, as a share of it (0.2: ±20 %). */
  sizeJitter?: number;
  /** Lines set this many times as far apart (the page as much taller): a form set loosely. */
  lineSpacing?: number;
}

const TRACKING_EM = 0.15;

export async function retypesetPdf(original: Uint8Array, opts: RetypesetOptions): Promise<Uint8Array> {
  const random = seededRandom(opts.seed);
  const gap = opts.gapEm ?? 0.25;
  const out = await PDFDocument.create();
  const font = await out.embedFont(StandardFonts.Helvetica);
  const drawable = encodableText(font);
  await withPdf(original, async (pdf) => {
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
      const stretch = opts.lineSpacing ?? 1;
      const target = out.addPage([x1 - x0, (y1 - y0) * stretch]);
      for (const item of (await page.getTextContent()).items) {
        if (!('str' in item) || !item.str.trim()) continue;
        const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform as number[];
        if (Math.abs(b) > 0.01 * Math.abs(a) || Math.abs(c) > 0.01 * Math.abs(d)) continue;
        const printed = Math.abs(d) || item.height;
        const size = printed * (1 + (2 * random() - 1) * (opts.sizeJitter ?? 0));
        const text = drawable(item.str);
        const natural = font.widthOfTextAtSize(text, size);
        if (!size || !natural) continue;
        const tracking = random() < (opts.trackedShare ?? 0) ? TRACKING_EM : 0;
        // the item keeps its width: the spacing added between its characters comes out of the squeeze
        const spacing = tracking * size * ([...text].length - 1);
        const squeeze = Math.min(200, Math.max(30, (100 * (item.width - spacing)) / natural));
        drawRuns(target, font, splitWords(text, opts.splitShare ?? 0, random), {
          x: e - x0,
          y: (f - y0) * stretch,
          size,
          gapEm: gap,
          squeeze,
          trackingEm: tracking,
        });
      }
      page.cleanup();
    }
  });
  return out.save();
}

const fontKeys = new WeakMap<PDFPage, PDFName>();

/**
 * Text drawn in runs at (x, y) on a page with a font the document embeds, each run after the first moved
 * right by `gapEm` (a TJ array), squeezed or stretched to `squeeze` percent of its width, its characters
 * `trackingEm` apart (character spacing).
 */
export function drawRuns(
  page: PDFPage,
  font: PDFFont,
  runs: string[],
  at: { x: number; y: number; size: number; gapEm: number; squeeze?: number; trackingEm?: number },
): void {
  let key = fontKeys.get(page);
  if (!key) fontKeys.set(page, (key = page.node.newFontDictionary(font.name, font.ref)));
  const array = PDFArray.withContext(page.doc.context);
  runs.forEach((run, i) => {
    if (i > 0) array.push(PDFNumber.of(-Math.round(1000 * at.gapEm)));
    array.push(font.encodeText(run));
  });
  // in a saved graphics state: character spacing and scaling would otherwise carry over to later text
  page.pushOperators(
    pushGraphicsState(),
    beginText(),
    setFontAndSize(key, at.size),
    setCharacterSpacing((at.trackingEm ?? 0) * at.size),
    PDFOperator.of(Ops.SetTextHorizontalScaling, [PDFNumber.of(at.squeeze ?? 100)]),
    setTextMatrix(1, 0, 0, 1, at.x, at.y),
    PDFOperator.of(Ops.ShowTextAdjusted, [array]),
    endText(),
    popGraphicsState(),
  );
}

/** The text in pieces: a share of its words of four letters or more cut once, at a random place inside. */
function splitWords(text: string, share: number, random: () => number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const word of text.split(/(?<=\s)/)) {
    const letters = word.trimEnd();
    if (/^\p{L}{4,}$/u.test(letters) && random() < share) {
      const at = 1 + Math.floor(random() * (letters.length - 1));
      parts.push(current + word.slice(0, at));
      current = word.slice(at);
    } else current += word;
  }
  parts.push(current);
  return parts;
}

/** A function giving the text with every character Helvetica's encoding lacks as "?". */
function encodableText(font: PDFFont): (text: string) => string {
  const known = new Map<string, boolean>();
  const ok = (ch: string) => {
    let can = known.get(ch);
    if (can === undefined) {
      try {
        font.encodeText(ch);
        can = true;
      } catch {
        can = false;
      }
      known.set(ch, can);
    }
    return can;
  };
  return (text) => [...text].map((ch) => (ok(ch) ? ch : '?')).join('');
}
