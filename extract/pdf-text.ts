// pdf.js behind one door: opening a PDF safely (no eval, no fonts, no network, errors as DocumentError)
// and turning its text layer into lines of positioned segments, top to bottom, left to right.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { BoundingBox } from '../domain/extraction.js';
import { DocumentError } from './errors.js';
import { deferCanvasForPdfjs } from './native.js';
import { joinLetterSpaced, joinSplitRuns, wordsPrinted } from './split-runs.js';

// pdf.js is imported here, at load, but only after its canvas dependency is deferred (extract/native.ts):
// a static import would run first (and in the built CLI, bundled code always runs after package imports).
deferCanvasForPdfjs();
const { getDocument, InvalidPDFException, OPS, PasswordException, Util, VerbosityLevel } =
  await import('pdfjs-dist/legacy/build/pdf.mjs');

// pdf.js reads glyph metrics for the standard 14 fonts from these files; a local path, never a fetch.
const STANDARD_FONTS_DIR =
  path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') +
  path.sep;

/**
 * Opens a PDF and hands the document to `use`, always releasing it afterwards. In Node pdf.js runs its
 * worker code in-process (the legacy build's "fake worker"), so nothing is fetched or spawned. There is
 * no `isEvalSupported` to turn off: pdf.js 6 removed the option together with its eval code path.
 */
export async function withPdf<T>(
  bytes: Uint8Array,
  use: (pdf: PDFDocumentProxy) => Promise<T>,
  opts: { maxImagePixels?: number } = {},
): Promise<T> {
  const task = getDocument({
    // Larger embedded images are skipped when a page is rendered for OCR instead of being decoded.
    maxImageSize: opts.maxImagePixels ?? -1,
    data: bytes.slice(), // pdf.js takes ownership of (and may detach) the buffer it is given
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    standardFontDataUrl: STANDARD_FONTS_DIR,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const pdf = await task.promise.catch((error: unknown) => {
      throw toDocumentError(error);
    });
    return await use(pdf);
  } finally {
    // pdf.js 6 releases a document through its loading task (PDFDocumentProxy.destroy is gone).
    await task.destroy();
  }
}

/** pdf.js failures as a DocumentError (DocumentErrors pass through unchanged). */
export function toDocumentError(error: unknown): DocumentError {
  if (error instanceof DocumentError) return error;
  if (error instanceof PasswordException)
    return new DocumentError('encrypted', 'The PDF is password-protected.', { cause: error });
  const detail =
    error instanceof InvalidPDFException
      ? 'its structure is invalid'
      : error instanceof Error
        ? error.message
        : String(error);
  return new DocumentError('corrupt', `The PDF is damaged and cannot be read: ${detail}.`, { cause: error });
}

/**
 * A run of text on one baseline with no wide gap inside: a label, a value, a table cell. `confidence`
 * (0..1) is set for text read by OCR: the recogniser's confidence in its weakest word.
 */
export interface TextSegment {
  text: string;
  box: BoundingBox;
  fontSize: number;
  confidence?: number;
}
export interface TextLine {
  page: number;
  baseline: number;
  fontSize: number;
  segments: TextSegment[];
  text: string;
}
/** One page's positioned text; `source` says whether it came from the PDF's text layer or from OCR. */
export interface PageText {
  page: number;
  width: number;
  height: number;
  lines: TextLine[];
  source?: 'text' | 'ocr';
}

export interface PositionedText {
  text: string;
  x: number;
  baseline: number;
  width: number;
  fontSize: number;
  confidence?: number;
}

export async function readTextLayer(
  bytes: Uint8Array,
  maxPages: number,
): Promise<{ pageCount: number; pages: PageText[] }> {
  return withPdf(bytes, async (pdf) => {
    const pages: PageText[] = [];
    for (let number = 1; number <= Math.min(pdf.numPages, maxPages); number++) {
      const page = await pdf.getPage(number);
      pages.push(await readPageText(page, number));
      page.cleanup();
    }
    return { pageCount: pdf.numPages, pages };
  });
}

/**
 * The text layer of one page as it is shown: turned by the page's own rotation (a landscape page set upright
 * with /Rotate, a scanner app's rotated page with its text layer), in points with the origin at the shown
 * page's bottom-left corner. Text that runs any other way than left to right on the shown page (a margin
 * note, a stamp) is left out.
 */
export async function readPageText(page: PDFPageProxy, number: number): Promise<PageText> {
  const shown = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const items: PositionedText[] = [];
  for (const item of content.items) {
    if (!('str' in item) || !item.str.trim()) continue;
    // in the viewport's space, y runs down: upright text has no shear and a negative vertical scale
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = Util.transform(
      shown.transform,
      item.transform as number[],
    ) as number[];
    if (Math.abs(b) > 0.01 * Math.abs(a) || Math.abs(c) > 0.01 * Math.abs(d) || a <= 0 || d >= 0) continue;
    items.push({ text: item.str, x: e, baseline: shown.height - f, width: item.width, fontSize: -d || item.height });
  }
  const spaced = groupIntoLines(number, items).map((line) => rewriteLine(line, joinLetterSpaced));
  const printed = wordsPrinted(spaced.flatMap((line) => line.segments.map((s) => s.text)));
  const lines = spaced.map((line) => rewriteLine(line, (text) => joinSplitRuns(text, printed)));
  return { page: number, width: shown.width, height: shown.height, lines, source: 'text' };
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const IMAGE_OPS: ReadonlySet<number> = new Set([
  OPS.paintImageXObject,
  OPS.paintInlineImageXObject,
  OPS.paintImageMaskXObject,
]);

/**
 * The share of the page (0..1) that the pictures painted on it cover, each as its unit square mapped by the
 * transformation in force (overlaps counted twice, the sum capped at 1): a scan's page picture covers it all.
 */
export async function pictureShare(page: PDFPageProxy): Promise<number> {
  const { fnArray, argsArray } = await page.getOperatorList();
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
  const pageArea = Math.abs((x1 - x0) * (y1 - y0));
  if (!pageArea) return 0;
  const stack: Matrix[] = [];
  let ctm = IDENTITY;
  let covered = 0;
  fnArray.forEach((op, i) => {
    const args = argsArray[i] as unknown[] | null;
    if (op === OPS.save) stack.push(ctm);
    else if (op === OPS.restore) ctm = stack.pop() ?? IDENTITY;
    else if (op === OPS.transform) ctm = Util.transform(ctm, args) as Matrix;
    else if (op === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args?.[0]) && args[0].length === 6) ctm = Util.transform(ctm, args[0] as Matrix) as Matrix;
    } else if (op === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? IDENTITY;
    else if (IMAGE_OPS.has(op)) covered += Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
  });
  return Math.min(1, covered / pageArea);
}

/** A text-layer line with its segments' text rewritten (split-runs.ts); the same line when none changes. */
function rewriteLine(line: TextLine, rewrite: (text: string) => string): TextLine {
  const segments = line.segments.map((s) => {
    const text = rewrite(s.text);
    return text === s.text ? s : { ...s, text };
  });
  if (segments.every((s, i) => s === line.segments[i])) return line;
  return { ...line, segments, text: segments.map((s) => s.text).join('  ') };
}

/** Items on (nearly) the same baseline form a line; within a line, a gap wider than ~0.8 em starts a new segment. */
/**
 * Positioned text into lines and, within a line, segments: runs of items closer than `gapEm` (of the font
 * size) to each other. OCR word boxes are tight around the ink, so OCR'd words pass a wider gap (ocr/page-text.ts).
 */
export function groupIntoLines(page: number, items: PositionedText[], gapEm = 0.8): TextLine[] {
  const sorted = [...items].sort((p, q) => q.baseline - p.baseline || p.x - q.x);
  const rows: PositionedText[][] = [];
  for (const item of sorted) {
    const row = rows.at(-1);
    const anchor = row?.[0];
    const tolerance = Math.max(1.5, 0.3 * Math.min(item.fontSize, anchor?.fontSize ?? item.fontSize));
    if (row && anchor && Math.abs(anchor.baseline - item.baseline) <= tolerance) row.push(item);
    else rows.push([item]);
  }
  return rows.map((row) => {
    row.sort((p, q) => p.x - q.x);
    const segments: Array<{ parts: PositionedText[]; text: string }> = [];
    for (const item of row) {
      const current = segments.at(-1);
      const previous = current?.parts.at(-1);
      const gap = previous ? item.x - (previous.x + previous.width) : Infinity;
      if (current && previous && gap <= gapEm * Math.max(item.fontSize, previous.fontSize)) {
        current.text += (gap > 0.15 * item.fontSize && !current.text.endsWith(' ') ? ' ' : '') + item.text;
        current.parts.push(item);
      } else segments.push({ parts: [item], text: item.text });
    }
    const built = segments.map(({ parts, text }) => segmentOf(parts, text.replace(/\s+/g, ' ').trim()));
    return {
      page,
      baseline: row[0]!.baseline,
      fontSize: Math.max(...built.map((s) => s.fontSize)),
      segments: built,
      text: built.map((s) => s.text).join('  '),
    };
  });
}

// Boxes run from the descender (~0.25 em below the baseline) to about cap height, in PDF points.
function segmentOf(parts: PositionedText[], text: string): TextSegment {
  const fontSize = Math.max(...parts.map((p) => p.fontSize));
  const left = Math.min(...parts.map((p) => p.x));
  const right = Math.max(...parts.map((p) => p.x + p.width));
  const baseline = Math.min(...parts.map((p) => p.baseline));
  const segment: TextSegment = {
    text,
    fontSize,
    box: { x: left, y: baseline - 0.25 * fontSize, width: right - left, height: 1.05 * fontSize },
  };
  const confidences = parts.flatMap((p) => (p.confidence === undefined ? [] : [p.confidence]));
  if (confidences.length) segment.confidence = Math.min(...confidences);
  return segment;
}

/** Characters [start, end) of a page's segment: which line and segment they are in, and their box (subBox). */
export interface SegmentSpan {
  box: BoundingBox;
  line: TextLine;
  lineIndex: number;
  segment: TextSegment;
  segmentIndex: number;
  /** Character offsets in the segment's text. */
  start: number;
  end: number;
}

/** The box of characters [start, end) of a segment, by proportion: good enough to highlight a value. */
export function subBox(segment: TextSegment, start: number, end: number): BoundingBox {
  const length = Math.max(segment.text.length, 1);
  const { x, y, width, height } = segment.box;
  return { x: x + (width * start) / length, y, width: (width * (end - start)) / length, height };
}
