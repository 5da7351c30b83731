// The extraction engine's public face: an Extractor reads one document into the Extraction contract.
//
// Pipeline (each stage optional except the visual one):
//   1. e-invoice   — embedded/bare XML read exactly (extract/einvoice); a hybrid PDF is also read
//                    visually and the two compared; a broken embedded XML is a warning, then stage 2
//   2. pages       — text layer per page, OCR where a page has none (extract/pages) [OCR not yet]
//   3. heuristics  — template-free label/value and table reading + cross-checks (extract/heuristics)
//   4. knowledge   — what clerks' corrections taught us about this vendor         [not yet]
//   5. model       — an optional OpenAI-compatible model, merged field by field   [not yet]
// Stages 2–3 are CPU-bound and run isolated from the caller when `isolate` is on (extract/sandbox).
import { emptyField, Extraction, HEADER_FIELD_NAMES } from '../domain/extraction.js';
import { crossCheckWithVisual, isXmlMimeType, readEInvoice } from './einvoice/index.js';
import { DocumentError } from './errors.js';
import { extractFromPages } from './heuristics.js';
import { readTextLayer } from './pdf-text.js';

export { DocumentError, type DocumentErrorKind } from './errors.js';
export { inspectDocument, type DocumentMimeType } from './validate.js';
export { extractFromPages } from './heuristics.js';
export { isEInvoiceXml } from './einvoice/index.js';

export interface DocumentInput {
  bytes: Uint8Array;
  mimeType: string;
  fileName: string;
}

export interface Extractor {
  extract(doc: DocumentInput): Promise<Extraction>;
}

export const NO_TEXT_LAYER_WARNING = 'No text layer: OCR is not available yet, the fields need to be entered by a clerk';
const EXTRACTOR = 'text-layer@1';
// Fewer characters per page than this is a scan with a stray stamp or page number, not a text layer.
const MIN_TEXT_CHARS_PER_PAGE = 20;

export interface ExtractorOptions {
  maxPages?: number;
  /** Stage 1: read embedded or bare e-invoice XML (default true). */
  einvoice?: boolean;
}

export function createExtractor(opts: ExtractorOptions = {}): Extractor {
  const maxPages = opts.maxPages ?? 20;
  return {
    async extract(doc) {
      const einvoice = opts.einvoice === false ? null : await readEInvoice(doc);
      if (einvoice?.kind === 'einvoice' && isXmlMimeType(doc.mimeType)) return einvoice.extraction;
      const extraction = await visual(doc);
      if (einvoice?.kind === 'einvoice') return crossCheckWithVisual(einvoice.extraction, extraction);
      if (einvoice?.kind === 'broken') extraction.warnings.unshift(einvoice.warning);
      return extraction;
    },
  };

  async function visual(doc: DocumentInput): Promise<Extraction> {
    if (doc.mimeType.startsWith('image/')) return withoutText(1, []);
    if (doc.mimeType !== 'application/pdf') {
      throw new DocumentError('unsupported_type', `${doc.fileName} is not a PDF or image (${doc.mimeType}).`);
    }
    const { pageCount, pages } = await readTextLayer(doc.bytes, maxPages);
    const sizes = pages.map((p) => ({ width: p.width, height: p.height }));
    const characters = pages.flatMap((p) => p.lines).reduce((n, l) => n + l.text.replace(/\s/g, '').length, 0);
    if (characters < MIN_TEXT_CHARS_PER_PAGE * pages.length) return withoutText(pageCount, sizes);
    const warnings = pageCount > maxPages ? [`Only the first ${maxPages} of ${pageCount} pages were read.`] : [];
    return extractFromPages({ pages, pageCount, warnings, extractor: EXTRACTOR });
  }
}

function withoutText(pageCount: number, pages: Array<{ width: number; height: number }>): Extraction {
  const fields = Object.fromEntries(HEADER_FIELD_NAMES.map((name) => [name, emptyField()]));
  return Extraction.parse({ fields, lineItems: [], confidence: 0, pageCount, pages, warnings: [NO_TEXT_LAYER_WARNING], extractor: EXTRACTOR });
}
