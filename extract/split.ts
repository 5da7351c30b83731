// Several invoices in one file (a scan batch, a vendor's monthly PDF of invoices): where each one starts.
// Pure and synchronous, over the positioned text of every page. Splitting wrongly costs a clerk a moved
// split; missing a split costs one invoice read as another's pages. So a boundary needs evidence a person
// would accept, and a page that says it continues a document is never cut off:
//   - a page marker restarting ("Page 1 of 2", "Seite 1 von 3", "Page 1/4", "Pagina 1 di 2" …) after
//     pages that had markers or a closing total;
//   - an invoice number, read with a label at the reading's usual confidence, different from the one the
//     current part carries;
// and never before a page whose marker says it is page 2 or later of the same document.
import type { PageText } from './pdf-text.js';
import { invoiceNumberKey } from '../domain/invoice-number.js';
import { extractFromPages } from './heuristics.js';

export interface DocumentPart {
  /** First and last page of the part, 1-based and inclusive. */
  fromPage: number;
  toPage: number;
  /** The invoice number the part's pages carry, when one was read confidently. */
  invoiceNumber: string | null;
  /** Why the part starts where it does, in words for a clerk (empty for the first part). */
  evidence: string[];
}

/** How sure a page's own reading must be before its invoice number can start a new part. */
const NUMBER_CONFIDENCE = 0.9;

// "Page 2 of 3", "Seite 2 von 3", "Page 2 sur 3", "Pagina 2 van 3", "Página 2 de 3", "Pagina 2 di 3",
// "Page 2/3", "Blatt 2", "Seite: 2". The word must stand alone and be followed by the number.
const PAGE_MARKER =
  /(?:^|[^\p{L}])(?:page|seite|blatt|pagina|página|blad|hoja|pg\.?|p\.)\s*:?\s*(\d{1,3})(?:\s*(?:of|von|sur|van|de|di|aus|\/)\s*(\d{1,3}))?(?![\d\p{L}])/iu;

export interface PageMarker {
  page: number;
  of: number | null;
}

// A bare "page 1" that refers to another page: "Übertrag von Seite 1", "carried forward from page 1",
// "see page 2", "report de la page 1".
const REFERENCE_BEFORE = /(?:von|vom|from|of|de|la|van|siehe|see|auf|on|to|zu|nach|aus|sur|voir|zie)\s*$/i;

/**
 * The page's own "page x (of y)" marker, if it prints one that makes sense (x ≥ 1, x ≤ y). A marker with
 * its "of y" wins over a bare one; a bare one that refers to another page ("carried from page 1") is none.
 */
export function pageMarkerOf(page: PageText): PageMarker | null {
  let bare: PageMarker | null = null;
  for (const line of page.lines) {
    const pattern = new RegExp(PAGE_MARKER.source, 'giu');
    for (const m of line.text.matchAll(pattern)) {
      const x = Number(m[1]);
      const y = m[2] === undefined ? null : Number(m[2]);
      if (x < 1 || (y !== null && y < x)) continue;
      if (y !== null) return { page: x, of: y };
      if (!bare && !REFERENCE_BEFORE.test(line.text.slice(0, m.index + (m[0].match(/^[^\p{L}]/u) ? 1 : 0))))
        bare = { page: x, of: null };
    }
  }
  return bare;
}

interface PageReading {
  marker: PageMarker | null;
  invoiceNumber: string | null;
  /** The total the page prints by itself, when read confidently. */
  total: string | null;
  hasDate: boolean;
}

function readPage(page: PageText): PageReading {
  const { fields } = extractFromPages({ pages: [page], pageCount: 1, warnings: [], extractor: 'split' });
  const sure = <T>(field: { value: T | null; confidence: number }) =>
    field.confidence >= NUMBER_CONFIDENCE ? field.value : null;
  return {
    marker: pageMarkerOf(page),
    invoiceNumber: sure(fields.invoiceNumber),
    total: sure(fields.total),
    hasDate: sure(fields.invoiceDate) !== null,
  };
}

/**
 * The invoices in a document, in page order; one part for a document that is one invoice (or when the
 * evidence is not strong enough to cut it).
 */
export function documentParts(pages: PageText[]): DocumentPart[] {
  if (pages.length === 0) return [];
  const readings = pages.map(readPage);
  const parts: DocumentPart[] = [];
  let current: DocumentPart = {
    fromPage: pages[0]!.page,
    toPage: pages[0]!.page,
    invoiceNumber: readings[0]!.invoiceNumber,
    evidence: [],
  };
  // What the current part has shown so far: page markers, a total.
  let sawMarker = readings[0]!.marker !== null;
  let sawTotal = readings[0]!.total !== null;
  for (let i = 1; i < pages.length; i++) {
    const page = pages[i]!;
    const reading = readings[i]!;
    const evidence = boundaryEvidence(current, reading, readings[i - 1]!, { sawMarker, sawTotal });
    if (evidence.length > 0) {
      parts.push(current);
      current = { fromPage: page.page, toPage: page.page, invoiceNumber: reading.invoiceNumber, evidence };
      sawMarker = reading.marker !== null;
      sawTotal = reading.total !== null;
      continue;
    }
    current.toPage = page.page;
    current.invoiceNumber ??= reading.invoiceNumber;
    sawMarker ||= reading.marker !== null;
    sawTotal ||= reading.total !== null;
  }
  parts.push(current);
  return parts;
}

function boundaryEvidence(
  current: DocumentPart,
  reading: PageReading,
  previous: PageReading,
  seen: { sawMarker: boolean; sawTotal: boolean },
): string[] {
  const { marker } = reading;
  // "Page 2 of 3": this page continues a document, whatever else it prints.
  if (marker && marker.page > 1) return [];
  const evidence: string[] = [];
  // "Page 1 of 2" again, after a part that numbered its pages or closed with a total.
  if (marker?.page === 1 && (seen.sawMarker || seen.sawTotal)) {
    evidence.push(`page ${current.toPage + 1} says it is page 1${marker.of ? ` of ${marker.of}` : ''}`);
  }
  // The previous page said it was the last one ("Page 3 of 3") and this page starts without a marker.
  if (!marker && previous.marker !== null && previous.marker.page === previous.marker.of && reading.invoiceNumber) {
    evidence.push(`page ${current.toPage} said it was the last page of its document`);
  }
  if (
    reading.invoiceNumber &&
    current.invoiceNumber &&
    invoiceNumberKey(reading.invoiceNumber) !== invoiceNumberKey(current.invoiceNumber)
  ) {
    evidence.push(`invoice number ${reading.invoiceNumber} after ${current.invoiceNumber}`);
  }
  // A page that reads as a whole invoice by itself (its own total, and a number or a date) after a part
  // that has closed with its total.
  if (
    !marker &&
    seen.sawTotal &&
    reading.total !== null &&
    (reading.invoiceNumber !== null || reading.hasDate) &&
    evidence.length === 0
  ) {
    evidence.push(
      `page ${current.toPage + 1} reads as an invoice of its own (total ${reading.total}) after a part that ended with its total`,
    );
  }
  return evidence;
}
