// Fields read from OCR'd pages say so: provenance source "ocr", and a confidence lowered by how sure the
// recogniser was of the words the value was read from (a misread digit is the typical OCR error, and no
// label or layout rule can see it; only the arithmetic cross-checks and this can).
import type { BoundingBox, Extraction, Provenance } from '../../domain/extraction.js';
import { SYNC_FIELDS } from '../heuristics.js';
import type { PageText } from '../pdf-text.js';

interface Scored {
  value: unknown;
  confidence: number;
  provenance?: Provenance;
  notes: string[];
}

export function applyOcrProvenance(extraction: Extraction, pages: PageText[]): Extraction {
  const ocrPages = new Map(pages.filter((p) => p.source === 'ocr').map((p) => [p.page, p]));
  if (!ocrPages.size) return extraction;
  const adjust = (field: Scored | undefined) => {
    const provenance = field?.provenance;
    const page = provenance && ocrPages.get(provenance.page);
    // The heuristics mark values from OCR pages as 'ocr' themselves; only the confidence is left to do.
    if (!field || !provenance || !page || (provenance.source !== 'text' && provenance.source !== 'ocr')) return;
    if (field.notes.some((note) => note.startsWith('Read by OCR'))) return;
    provenance.source = 'ocr';
    const words = wordConfidence(page, provenance.box);
    if (words === null) return;
    field.confidence = Math.round(field.confidence * (0.5 + 0.5 * words) * 100) / 100;
    field.notes.push(`Read by OCR (recogniser confidence ${Math.round(words * 100)} %).`);
  };
  for (const field of Object.values(extraction.fields)) adjust(field);
  for (const item of extraction.lineItems) for (const field of Object.values(item)) adjust(field);
  extraction.confidence = Math.min(...SYNC_FIELDS.map((name) => extraction.fields[name].confidence));
  return extraction;
}

/** The weakest OCR confidence among the segments under the box. */
function wordConfidence(page: PageText, box: BoundingBox | undefined): number | null {
  if (!box) return null;
  let weakest: number | null = null;
  for (const segment of page.lines.flatMap((l) => l.segments)) {
    if (segment.confidence === undefined || !overlaps(segment.box, box)) continue;
    weakest = Math.min(weakest ?? 1, segment.confidence);
  }
  return weakest;
}

function overlaps(a: BoundingBox, b: BoundingBox): boolean {
  const x = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const y = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return x > 0.25 * Math.min(a.width, b.width) && y > 0.25 * Math.min(a.height, b.height);
}
