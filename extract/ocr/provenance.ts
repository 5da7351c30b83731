// Fields read from OCR'd pages say so: provenance source "ocr", and a confidence lowered by how sure the
// recogniser was of the words the value was read from (a misread digit is the typical OCR error, and no
// label or layout rule can see it; only the arithmetic cross-checks and this can).
import type { BoundingBox, Extraction, Provenance } from '../../domain/extraction.js';
import { overallConfidence } from '../heuristics.js';
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
  extraction.confidence = overallConfidence(extraction.fields);
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

/** The fields nothing can check the characters of: the number written to Plex and the POs it is matched on. */
const IDENTIFIERS = ['invoiceNumber', 'poNumbers'] as const;
/** An identifier read by OCR stays just short of a confident reading (0.95) unless something confirms it. */
export const OCR_IDENTIFIER_CAP = 0.94;
// Sources whose characters are the page's: read there by the heuristics, or at a place a clerk taught.
const READ_FROM_PAGE = new Set(['text', 'ocr', 'learned']);

/**
 * Holds an invoice or PO number read by OCR below a confident reading. Amounts are checked by the
 * arithmetic, dates by the calendar and each other, the vendor and the PO by Plex; nothing checks the
 * characters of an identifier, and OCR's typical error there is a letter read as a digit ("B123456789" as
 * "8123456789" at 0.95) or one digit as another. A file name that carries the same value (the vendor's own
 * "Rechnung_B123456789.pdf") confirms it, as does the AI model reading the image alike (extract/merge.ts),
 * which runs after this. Runs after the learned patterns, whose readings on a scanned page are OCR's too.
 */
export function holdOcrIdentifiers(extraction: Extraction, pages: PageText[], fileName: string): Extraction {
  const ocrPages = new Set(pages.filter((p) => p.source === 'ocr').map((p) => p.page));
  if (!ocrPages.size) return extraction;
  const fields = { ...extraction.fields };
  let touched = false;
  for (const name of IDENTIFIERS) {
    const field = fields[name];
    const provenance = field.provenance;
    if (field.value === null || field.confidence <= OCR_IDENTIFIER_CAP) continue;
    if (!provenance || !ocrPages.has(provenance.page) || !READ_FROM_PAGE.has(provenance.source)) continue;
    const values = Array.isArray(field.value) ? field.value : [field.value];
    const confirmed = values.every((value) => fileNameHolds(fileName, value));
    const note = confirmed
      ? `Read by OCR and confirmed by the file name "${fileName}".`
      : 'Read by OCR, which can mistake one character for another (8 for B, 0 for O) where no check can see it: compare it with the page.';
    const confidence = confirmed ? field.confidence : OCR_IDENTIFIER_CAP;
    Object.assign(fields, { [name]: { ...field, confidence, notes: [...field.notes, note] } });
    touched = true;
  }
  if (!touched) return extraction;
  return { ...extraction, fields, confidence: overallConfidence(fields) };
}

/**
 * The file's name spells the value, separators aside ("RE-2020/508" in "RE_2020_508.pdf"), as whole
 * words: "4711" is not confirmed by "47110.pdf". A value needs a digit and four characters to count.
 */
export function fileNameHolds(fileName: string, value: string): boolean {
  const bare = value.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
  if (bare.length < 4 || !/\p{N}/u.test(bare)) return false;
  const stem = fileName.replace(/\.[^.]*$/, '');
  const words = stem
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
  for (let start = 0; start < words.length; start++) {
    let joined = '';
    for (let end = start; end < words.length && joined.length < bare.length; end++) {
      joined += words[end];
      if (joined === bare) return true;
    }
  }
  return false;
}
