// The extraction engine's public face: an Extractor reads one document into the Extraction contract.
//
// Pipeline (each stage optional except the visual one):
//   1. e-invoice   — embedded/bare XML read exactly (extract/einvoice); a hybrid PDF is also read
//                    visually and the two compared; a broken embedded XML is a warning, then stage 2
//   2. pages       — text layer per page, OCR where a page has none or only garbage (extract/pages, extract/ocr)
//   3. heuristics  — template-free label/value and table reading + cross-checks (extract/heuristics)
//   4. knowledge   — what clerks' corrections taught us about this vendor (extract/learned)
//   5. model       — an optional OpenAI-compatible model, merged field by field (extract/model, extract/merge)
// Stages 2–3 are CPU-bound and run in reader processes with limits when `isolate` is on (extract/sandbox), as
// does every other opening of the PDF (its embedded e-invoice, the page images for the model).
import type { Extraction } from '../domain/extraction.js';
import { crossCheckWithVisual, isXmlMimeType, readEInvoice, readEmbeddedEInvoice } from './einvoice/index.js';
import { DEFAULT_LIMITS, type ExtractionLimits } from './limits.js';
import { createInProcessStage, createSandbox, type OcrSettings, type ThreadRecycling } from './sandbox.js';
import { refineExtraction } from './refine.js';
import { documentParts } from './split.js';
import type { VendorKnowledge } from './learned.js';
import type { ModelStageOptions } from './model/stage.js';
import type { PageText } from './pdf-text.js';

export { DocumentError, type DocumentErrorKind } from './errors.js';
export { inspectDocument, sniffDocument, type DocumentMimeType } from './validate.js';
export { extractFromPages } from './heuristics.js';
export { documentParts, type DocumentPart } from './split.js';
export { isEInvoiceXml } from './einvoice/index.js';
export { DEFAULT_LIMITS, type ExtractionLimits } from './limits.js';
export { NO_TEXT_LAYER_WARNING } from './visual.js';
export type { OcrSettings } from './sandbox.js';

export interface DocumentInput {
  bytes: Uint8Array;
  mimeType: string;
  fileName: string;
  /** Aborted when the caller gives up (an activity that timed out or was cancelled): the read stops. */
  signal?: AbortSignal;
}

export interface Extractor {
  extract(doc: DocumentInput): Promise<Extraction>;
  /** The document's positioned text as the visual stage reads it (text layer, or OCR), with the same limits. */
  readPages(doc: DocumentInput): Promise<PageText[]>;
  /** Stops the reader processes and the OCR engine; call once when the process shuts down. */
  close?(): Promise<void>;
}

export interface ExtractorOptions {
  /** Stages 2–3: OCR for pages without a usable text layer, and for images. Off when absent. */
  ocr?: OcrSettings | null;
  /** What one document may cost to read (extract/limits.ts); unset values come from DEFAULT_LIMITS. */
  limits?: Partial<ExtractionLimits>;
  /** Stages 2–3 in reader processes with the time and memory limits enforced; `threads` documents at once. */
  isolate?: boolean | ({ threads: number } & ThreadRecycling);
  /** Stage 1: read embedded or bare e-invoice XML (default true). */
  einvoice?: boolean;
  /** Stage 4: patterns learned from clerks' corrections (extract/learned.ts, stored by db/vendor-knowledge.ts). */
  knowledge?: VendorKnowledge;
  /** Stage 5: the optional AI model (extract/model), merged field by field (extract/merge.ts). */
  model?: ModelStageOptions;
}

/** The visual stage's options from the process configuration (config.extraction). */
export function visualStageOptions(extraction: {
  ocr: OcrSettings | null;
  limits: ExtractionLimits;
  isolate: boolean;
  threads: number;
  recycle?: ThreadRecycling;
}): Pick<ExtractorOptions, 'ocr' | 'limits' | 'isolate'> {
  return {
    ocr: extraction.ocr,
    limits: extraction.limits,
    isolate: extraction.isolate && { threads: extraction.threads, ...extraction.recycle },
  };
}

export function createExtractor(opts: ExtractorOptions = {}): Extractor {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const ocr = opts.ocr ?? null;
  const stage = opts.isolate
    ? createSandbox({ limits, ocr, ...(typeof opts.isolate === 'object' ? opts.isolate : { threads: 1 }) })
    : createInProcessStage({ limits, ocr });
  // Scanned pages go to the model as images too, rendered from the PDF in the stage (a bounded reader when
  // isolated) unless the caller renders them.
  const renderInStage: ModelStageOptions['renderPages'] = (bytes, pages, doc) =>
    stage.renderPages(bytes, doc.fileName, pages, doc.signal);
  const model = opts.model && { ...opts.model, renderPages: opts.model.renderPages ?? renderInStage };
  const refine = { knowledge: opts.knowledge, model };
  return {
    close: () => stage.close(),
    readPages: async (doc) => (await stage.read(doc.bytes, doc.fileName, doc.signal)).pages,
    async extract(doc) {
      if (opts.einvoice !== false && isXmlMimeType(doc.mimeType)) {
        const xml = await readEInvoice(doc);
        if (xml?.kind === 'einvoice') return xml.extraction;
      }
      // The type is sniffed from the bytes inside the stage; the upload's claimed type is not trusted.
      const { extraction, pages, embedded } = await stage.read(doc.bytes, doc.fileName, doc.signal);
      const einvoice = opts.einvoice === false ? null : readEmbeddedEInvoice(embedded);
      // Exact data needs no learned patterns or model; the visual reading only serves as a cross-check.
      if (einvoice?.kind === 'einvoice') return crossCheckWithVisual(einvoice.extraction, extraction);
      if (einvoice?.kind === 'broken') extraction.warnings.unshift(einvoice.warning);
      // Several invoices in one file: the parts go with the reading, the workflow cuts the file.
      const parts = pages.length > 1 ? documentParts(pages) : [];
      if (parts.length > 1) extraction.parts = parts;
      return refineExtraction(refine, { extraction, pages, doc });
    },
  };
}
