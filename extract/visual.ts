// The visual stage: pages (text layer, or OCR) → heuristics → an Extraction, plus the positioned text so
// later stages (learned vendor knowledge, the model) can use it. Runs in-process or inside the sandbox.
import { emptyField, Extraction, HEADER_FIELD_NAMES } from '../domain/extraction.js';
import { extractFromPages } from './heuristics.js';
import { applyOcrProvenance } from './ocr/provenance.js';
import { findEmbeddedEInvoice, findEmbeddedEInvoiceIn, type EmbeddedLookup } from './einvoice/pdf.js';
import { readPages, type PagesOptions } from './pages.js';
import { sniffDocument } from './validate.js';
import type { PageText } from './pdf-text.js';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface VisualResult {
  extraction: Extraction;
  pages: PageText[];
  /** A hybrid PDF's embedded e-invoice XML (Factur-X, ZUGFeRD, XRechnung), looked up here so that the PDF
   * is only ever opened inside the sandbox; the XML itself is read by the e-invoice stage. */
  embedded: EmbeddedLookup;
}

export const NO_TEXT_LAYER_WARNING = 'No text layer and OCR is turned off: the fields need to be entered by a clerk';

export async function extractVisual(bytes: Uint8Array, fileName: string, opts: PagesOptions): Promise<VisualResult> {
  // A hybrid PDF's embedded e-invoice is looked up on the same open PDF, once its pages were read within
  // the limits; the XML itself is read by the e-invoice stage.
  let embedded: EmbeddedLookup = { kind: 'none' };
  const afterPdfPages = async (pdf: PDFDocumentProxy) => {
    embedded = await findEmbeddedEInvoiceIn(pdf).catch(listingFailed);
  };
  const read = await readPages(bytes, fileName, { ...opts, afterPdfPages });
  const sizes = read.pages.map((p) => ({ width: p.width, height: p.height }));
  if (read.unread.length === read.pages.length) {
    const fields = Object.fromEntries(HEADER_FIELD_NAMES.map((name) => [name, emptyField()]));
    const extraction = Extraction.parse({
      fields,
      lineItems: [],
      confidence: 0,
      pageCount: read.pageCount,
      pages: sizes,
      warnings: [NO_TEXT_LAYER_WARNING],
      extractor: 'text-layer@1',
    });
    return { extraction, pages: read.pages, embedded };
  }
  const warnings = [...read.warnings];
  if (read.unread.length)
    warnings.push(`Pages ${read.unread.join(', ')} have no text layer and OCR is turned off; they were not read.`);
  const sources = new Set(read.pages.filter((p) => !read.unread.includes(p.page)).map((p) => p.source ?? 'text'));
  const extractor = sources.has('ocr') ? (sources.has('text') ? 'text-layer+ocr@1' : 'ocr@1') : 'text-layer@1';
  const extraction = extractFromPages({ pages: read.pages, pageCount: read.pageCount, warnings, extractor });
  return { extraction: applyOcrProvenance(extraction, read.pages), pages: read.pages, embedded };
}

/** A hybrid PDF's embedded e-invoice on its own ("open the XML"); a PDF whose embedded files cannot be listed has none usable. */
export async function embeddedEInvoiceOf(bytes: Uint8Array, fileName: string): Promise<EmbeddedLookup> {
  if (sniffDocument(bytes, fileName) !== 'application/pdf') return { kind: 'none' };
  return findEmbeddedEInvoice(bytes).catch(listingFailed);
}

const listingFailed = (err: unknown): EmbeddedLookup => ({
  kind: 'unusable',
  reason: `The PDF's embedded files cannot be listed (${err instanceof Error ? err.message : String(err)}).`,
});
