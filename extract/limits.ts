// What one document may cost to read: bytes, pages, page size, pixels, time and memory. The checks that can
// be made from headers alone live here, so a bomb is refused before anything is decoded or rendered.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DocumentError } from './errors.js';

export const ExtractionLimits = z.object({
  /** Bytes of one file. */
  maxBytes: z.number().int().positive(),
  /** Pages of one document (PDF pages or TIFF frames); a longer document is refused. */
  maxPages: z.number().int().positive(),
  /** Pixels of one page as decoded or rendered for OCR (an A4 page at 300 dpi is 8.7 million). */
  maxPixelsPerPage: z.number().int().positive(),
  /** Pixels of all pages of one document together. */
  maxPixelsTotal: z.number().int().positive(),
  /** Wall-clock time for one document, after which its worker thread is terminated. */
  timeoutMs: z.number().int().positive(),
  /** V8 heap of the worker thread that reads a document. */
  maxMemoryMb: z.number().int().min(64),
});
export type ExtractionLimits = z.infer<typeof ExtractionLimits>;

export const DEFAULT_LIMITS: ExtractionLimits = {
  maxBytes: 32 * 1024 * 1024,
  maxPages: 50,
  maxPixelsPerPage: 40_000_000,
  maxPixelsTotal: 200_000_000,
  timeoutMs: 120_000,
  maxMemoryMb: 512,
};

/**
 * Documents read at once when EXTRACT_THREADS is unset: one per core, and never fewer than two, so one slow
 * file (a scan being OCR'd, a PDF that stalls its parser until the time limit) never holds up the others,
 * even on a one-core machine. Each thread may use up to maxMemoryMb (docs/operations.md).
 */
export function defaultExtractThreads(cores = availableParallelism()): number {
  return Math.min(16, Math.max(2, cores));
}

/** PDF viewers refuse pages beyond 14,400 units (200 inches, ISO 32000 Annex C); an invoice is far smaller. */
export const MAX_PAGE_SIDE_PT = 14_400;

/** The resolution of an image file whose header gives none (or a bogus one below 72 dpi): a scanner's usual 300. */
export const ASSUMED_IMAGE_DPI = 300;

const mega = (pixels: number) => `${(pixels / 1_000_000).toFixed(pixels < 10_000_000 ? 1 : 0)} million`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function checkBytes(length: number, limits: ExtractionLimits): void {
  if (length > limits.maxBytes) {
    throw new DocumentError(
      'too_large',
      `The file is ${mib(length)}; documents of up to ${mib(limits.maxBytes)} are read.`,
    );
  }
}

export function checkPageCount(pageCount: number, limits: ExtractionLimits, what = 'The PDF'): void {
  if (pageCount > limits.maxPages) {
    throw new DocumentError(
      'too_many_pages',
      `${what} has ${pageCount.toLocaleString('en-US')} pages; invoices of up to ${limits.maxPages} pages are read.`,
    );
  }
}

export function checkPageSize(page: number, widthPt: number, heightPt: number): void {
  if (!(widthPt > 0 && heightPt > 0 && widthPt <= MAX_PAGE_SIDE_PT && heightPt <= MAX_PAGE_SIDE_PT)) {
    const size = `${Math.round(widthPt)} × ${Math.round(heightPt)} points`;
    throw new DocumentError(
      'page_too_large',
      `Page ${page} is ${size}; no real page is larger than 200 inches (14,400 points) on a side or without area.`,
    );
  }
}

/** An image's dimensions, before it is decoded: a 50,000 × 50,000 header is refused here. */
export function checkImagePixels(width: number, height: number, limits: ExtractionLimits, what = 'The image'): void {
  const pixels = width * height;
  if (!(pixels > 0) || pixels > limits.maxPixelsPerPage) {
    throw new DocumentError(
      'image_too_large',
      `${what} is ${width.toLocaleString('en-US')} × ${height.toLocaleString('en-US')} pixels (${mega(pixels)}); up to ${mega(limits.maxPixelsPerPage)} pixels per page are read.`,
    );
  }
}

/** Counts pixels across the pages of one document. */
export function pixelBudget(limits: ExtractionLimits): (pixels: number) => void {
  let used = 0;
  return (pixels) => {
    used += pixels;
    if (used > limits.maxPixelsTotal) {
      throw new DocumentError(
        'image_too_large',
        `The document's pages add up to more than ${mega(limits.maxPixelsTotal)} pixels, the most read for one document.`,
      );
    }
  };
}
