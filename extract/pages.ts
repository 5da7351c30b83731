// The visual stage's first half: every page of a PDF or image as positioned text. A PDF page keeps its text
// layer when it has a usable one; otherwise (a scan, or text in fonts without a character map) it is
// rendered and read by OCR, as are PNG, JPEG and TIFF files. Limits are checked before anything is decoded.
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DocumentError } from './errors.js';
import {
  ASSUMED_IMAGE_DPI,
  checkBytes,
  checkImagePixels,
  checkPageCount,
  checkPageSize,
  pixelBudget,
  type ExtractionLimits,
} from './limits.js';
import type { OcrEngine } from './ocr/engine.js';
import { ocrPageText } from './ocr/page-text.js';
import { prepareForOcr } from './ocr/preprocess.js';
import { readUnreadInk } from './ocr/reread.js';
import { withAccents } from './ocr/accents.js';
import type { OcrLanguage } from './ocr/languages.js';
import { labelLanguage, type Lang } from './labels.js';
import { pictureShare, readPageText, toDocumentError, withPdf, type PageText } from './pdf-text.js';
import { atOcrResolution, decodeImageFrame, renderPdfPage, type RenderedPage } from './render.js';
import { loadSharp } from './native.js';
import { sniffDocument } from './validate.js';

export interface PagesOptions {
  limits: ExtractionLimits;
  /** Absent: pages without a usable text layer stay empty. */
  ocr?: { engine: OcrEngine; deskew: boolean };
  /** Runs on the open PDF once all its pages were read within the limits, so it need not be opened again. */
  afterPdfPages?: (pdf: PDFDocumentProxy) => Promise<void>;
}

export interface ReadPages {
  pageCount: number;
  pages: PageText[];
  /** Pages that needed OCR but OCR is off. */
  unread: number[];
  warnings: string[];
}

// Fewer characters than this is a scan with a stray stamp or page number, not a text layer.
const MIN_TEXT_CHARS = 20;
// A text layer this thin over a picture covering this much of the page is a scan with a few words put on it
// (an inbox's received stamp, a fax header, a page number): the page is read by OCR like a scan.
const THIN_TEXT_CHARS = 120;
const SCAN_PICTURE_SHARE = 0.6;
// Images without a resolution in their header are assumed to be scans at this many dots per inch.

export async function readPages(bytes: Uint8Array, fileName: string, opts: PagesOptions): Promise<ReadPages> {
  checkBytes(bytes.length, opts.limits);
  const mimeType = sniffDocument(bytes, fileName);
  return mimeType === 'application/pdf' ? readPdf(bytes, opts) : readImage(bytes, mimeType, opts);
}

async function readPdf(bytes: Uint8Array, opts: PagesOptions): Promise<ReadPages> {
  const { limits } = opts;
  return withPdf(
    bytes,
    async (pdf) => {
      if (pdf.numPages < 1) throw new DocumentError('no_pages', 'The PDF has no pages.');
      checkPageCount(pdf.numPages, limits);
      await refuseActiveContent(pdf, bytes);
      const spend = pixelBudget(limits);
      const result: ReadPages = { pageCount: pdf.numPages, pages: [], unread: [], warnings: [] };
      const inOrder = pagesInOrder(opts.ocr);
      for (let number = 1; number <= pdf.numPages; number++) {
        // pdf.js parses lazily: a damaged page tree or object surfaces here, not when the file is opened.
        const page = await pdf.getPage(number).catch((error: unknown) => {
          throw toDocumentError(error);
        });
        try {
          const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
          checkPageSize(number, x1 - x0, y1 - y0);
          if ((await page.getJSActions()) !== null) throw activeContent();
          const text = await readPageText(page, number).catch((error: unknown) => {
            throw toDocumentError(error);
          });
          if (textLayerIsUsable(text) && !(await isStampedScan(page, text))) inOrder.add(text);
          else if (!opts.ocr) {
            inOrder.add(text);
            result.unread.push(number);
          } else {
            const rendered = await renderPdfPage(page, number, limits.maxPixelsPerPage).catch((error: unknown) => {
              throw toDocumentError(error);
            });
            spend(rendered.width * rendered.height);
            const ocr = opts.ocr;
            // the page as it is shown (and rendered): turned by its own rotation
            const shown = page.getViewport({ scale: 1 });
            await inOrder.read(() => ocrPage(rendered, number, { widthPt: shown.width, heightPt: shown.height }, ocr));
          }
        } finally {
          page.cleanup();
        }
      }
      await inOrder.finish(result);
      await opts.afterPdfPages?.(pdf);
      return result;
    },
    { maxImagePixels: limits.maxPixelsPerPage },
  );
}

async function readImage(bytes: Uint8Array, mimeType: string, opts: PagesOptions): Promise<ReadPages> {
  const { limits } = opts;
  const sharp = await loadSharp();
  const kind = mimeType === 'image/tiff' ? 'TIFF' : mimeType === 'image/png' ? 'PNG' : 'JPEG';
  const first = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw damagedImage(kind, error);
    });
  const frames = first.pages ?? 1;
  checkPageCount(frames, limits, `The ${kind} image`);
  const spend = pixelBudget(limits);
  const result: ReadPages = { pageCount: frames, pages: [], unread: [], warnings: [] };
  const inOrder = pagesInOrder(opts.ocr);
  for (let frame = 0; frame < frames; frame++) {
    const number = frame + 1;
    // Dimensions come from the header; a 50,000 × 50,000 image is refused before a pixel is decoded.
    const meta =
      frame === 0
        ? first
        : await sharp(bytes, { page: frame, limitInputPixels: false })
            .metadata()
            .catch((error: unknown) => {
              throw damagedImage(kind, error);
            });
    checkImagePixels(
      meta.width,
      meta.height,
      limits,
      frames > 1 ? `Page ${number} of the ${kind} image` : `The ${kind} image`,
    );
    spend(meta.width * meta.height);
    const decoded = await decodeImageFrame(bytes, frame, limits.maxPixelsPerPage, ASSUMED_IMAGE_DPI).catch(
      (error: unknown) => {
        throw damagedImage(kind, error);
      },
    );
    const size = { widthPt: (decoded.width * 72) / decoded.dpi, heightPt: (decoded.height * 72) / decoded.dpi };
    if (!opts.ocr) {
      inOrder.add({ page: number, width: size.widthPt, height: size.heightPt, lines: [], source: 'ocr' });
      result.unread.push(number);
    } else {
      const ocr = opts.ocr;
      const enlarged = await atOcrResolution(decoded, limits.maxPixelsPerPage);
      await inOrder.read(() => ocrPage(enlarged, number, size, ocr));
    }
  }
  await inOrder.finish(result);
  return result;
}

async function ocrPage(
  image: RenderedPage,
  number: number,
  size: { widthPt: number; heightPt: number },
  ocr: NonNullable<PagesOptions['ocr']>,
): Promise<{ page: PageText; warning?: string }> {
  const prepared = await prepareForOcr(image, { deskew: ocr.deskew });
  const read = await ocr.engine.recognize(prepared.png, { dpi: image.dpi });
  const words = [
    ...read,
    ...(await readUnreadInk(prepared, read, (png) => ocr.engine.recognize(png, { dpi: image.dpi }))),
  ];
  const geometry = { page: number, ...size, pointsPerPixel: size.widthPt / image.width };
  const read1 = ocrPageText(words, prepared, geometry);
  // page 1's names read again in the page's own language, for the accents English-first reading drops
  const language = number === 1 ? ocrLanguageOf(read1) : null;
  const engine = ocr.engine;
  const mended =
    language && engine.readsByLanguage && engine.languages.includes(language) && engine.languages[0] !== language
      ? await withAccents(prepared, words, language, (png) =>
          engine.recognize(png, { dpi: image.dpi, only: [language] }),
        )
      : words;
  const page = mended === words ? read1 : ocrPageText(mended, prepared, geometry);
  return words.length ? { page } : { page, warning: `OCR found no text on page ${number}.` };
}

const OCR_LANGUAGE_OF: Partial<Record<Lang, OcrLanguage>> = { en: 'eng', de: 'deu', fr: 'fra', nl: 'nld', es: 'spa' };

/** The language most of the page's labels are in, as OCR names it; null when no label is read. */
function ocrLanguageOf(page: PageText): OcrLanguage | null {
  const language = labelLanguage(page.lines.flatMap((l) => l.segments.map((s) => s.text)));
  return (language && OCR_LANGUAGE_OF[language]) ?? null;
}

/**
 * A document's pages in page order, the ones OCR reads started while the next page is rendered: up to the
 * engine's `pagesAtOnce` at a time (the native program reads each page in its own process, so two pages of
 * one scan use two cores; tesseract.js reads one at a time). A failed page fails the document when its
 * turn comes, as it did when pages were read one after another.
 */
function pagesInOrder(ocr: PagesOptions['ocr']) {
  const slots: Array<Promise<{ page: PageText; warning?: string }>> = [];
  const running = new Set<Promise<void>>();
  return {
    add(page: PageText) {
      slots.push(Promise.resolve({ page }));
    },
    async read(ocrOne: () => Promise<{ page: PageText; warning?: string }>) {
      while (running.size >= Math.max(1, ocr?.engine.pagesAtOnce ?? 1)) await Promise.race(running);
      const reading = ocrOne();
      // settled either way, so a page that fails while the next is rendered is not an unhandled rejection
      const done: Promise<void> = reading.then(
        () => void running.delete(done),
        () => void running.delete(done),
      );
      running.add(done);
      slots.push(reading);
    },
    async finish(result: ReadPages) {
      for (const { page, warning } of await Promise.all(slots)) {
        result.pages.push(page);
        if (warning) result.warnings.push(warning);
      }
    },
  };
}

/**
 * A text layer is usable when it has enough characters and most of them are letters, digits or ordinary
 * punctuation. Fonts embedded without a character map come out as control characters, private-use code
 * points or symbol soup; such a page is read by OCR instead.
 */
export function textLayerIsUsable(page: PageText): boolean {
  const characters = charactersOf(page);
  if (characters.length < MIN_TEXT_CHARS) return false;
  const ordinary = characters.filter(
    (c) => /[\p{L}\p{N}.,:;/#%()\-–+*&'"€$£¥@_]/u.test(c) && !/[\p{Co}\p{Cc}\uFFFD]/u.test(c),
  ).length;
  if (ordinary / characters.length < 0.8) return false;
  // Unmapped glyphs often land on letters too; real words have vowels. Judge words of 4+ letters.
  const words = page.lines.flatMap((l) => l.text.split(/[^\p{L}]+/u)).filter((w) => w.length >= 4);
  if (words.length >= 5) {
    const voweled = words.filter((w) => /[aeiouyäöüàâéèêëïîôùûáíóúñ]/iu.test(w)).length;
    if (voweled / words.length < 0.5) return false;
  }
  return true;
}

const charactersOf = (page: PageText) => [
  ...page.lines
    .map((l) => l.text)
    .join('')
    .replace(/\s/g, ''),
];

/** A scan with a few words of text put on it: a thin text layer over a picture that covers most of the page. */
async function isStampedScan(page: PDFPageProxy, text: PageText): Promise<boolean> {
  if (charactersOf(text).length >= THIN_TEXT_CHARS) return false;
  return (await pictureShare(page)) >= SCAN_PICTURE_SHARE;
}

// pdf.js never runs a PDF's scripts; a PDF that carries them is still refused: invoices have no use for
// them and they are the usual vehicle of malicious PDFs.
// pdf.js gathers the document's named scripts and open/close actions into getJSActions, but drops the
// scripts of links; an action dictionary written in the clear (/S /JavaScript) is found in the bytes.
async function refuseActiveContent(pdf: PDFDocumentProxy, bytes: Uint8Array): Promise<void> {
  if (SCRIPT_ACTION.test(new TextDecoder('latin1').decode(bytes)) || (await pdf.getJSActions()) !== null)
    throw activeContent();
}
const SCRIPT_ACTION = /\/S\s*\/JavaScript\b/;

function activeContent(): DocumentError {
  return new DocumentError(
    'active_content',
    'The PDF contains JavaScript, which invoices never need; it was not opened. Ask the vendor for a plain PDF.',
  );
}

function damagedImage(kind: string, error: unknown): DocumentError {
  if (error instanceof DocumentError) return error;
  const detail = error instanceof Error ? error.message.split('\n')[0]!.replace(/\.$/, '') : String(error);
  if (/pixel limit/i.test(detail))
    return new DocumentError('image_too_large', `The ${kind} image has more pixels than the limit allows.`, {
      cause: error,
    });
  return new DocumentError('corrupt', `The ${kind} image is damaged and cannot be read (${detail}).`, { cause: error });
}
