// Stages 4 and 5 of the extractor, after the visual reading: what clerks taught us about this vendor
// (learned patterns first), then the optional AI model, merged field by field; between them an invoice or
// PO number read by OCR is held below a confident reading (extract/ocr/provenance.ts). They run in the
// caller, not in the parsing sandbox: they need the database and the network. An e-invoice's exact values
// skip both.
import type { Extraction } from '../domain/extraction.js';
import type { VendorKnowledge } from './learned.js';
import { applyModel, type ModelStageOptions } from './model/stage.js';
import { holdOcrIdentifiers } from './ocr/provenance.js';
import type { PageText } from './pdf-text.js';

export interface RefineOptions {
  knowledge?: VendorKnowledge;
  model?: ModelStageOptions;
}

export async function refineExtraction(
  opts: RefineOptions,
  input: { extraction: Extraction; pages: PageText[]; doc: { bytes: Uint8Array; mimeType: string; fileName: string } },
): Promise<Extraction> {
  let extraction = input.extraction;
  if (opts.knowledge) extraction = await opts.knowledge.apply({ extraction, pages: input.pages });
  extraction = holdOcrIdentifiers(extraction, input.pages, input.doc.fileName);
  if (opts.model) extraction = await applyModel(opts.model, { extraction, pages: input.pages, doc: input.doc });
  return extraction;
}
