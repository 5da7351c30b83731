// The extraction engine's public face: an Extractor reads one document into the Extraction contract.
// This one reads the PDF text layer; images and scans get an honest empty result until OCR exists.
import { emptyField, Extraction, HEADER_FIELD_NAMES, type AmountField, type HeaderFields, type LineItem } from '../domain/extraction.js';
import { DocumentError } from './errors.js';
import { labelOf, readHeaderFields } from './fields.js';
import { formatCents, lineAmountCents, parseAmount, parseDecimal, toCents } from './normalize.js';
import { readTextLayer, type PageText, type TextLine, type TextSegment } from './pdf-text.js';

export { DocumentError, type DocumentErrorKind } from './errors.js';
export { inspectDocument, type DocumentMimeType } from './validate.js';

export interface Extractor {
  extract(doc: { bytes: Uint8Array; mimeType: string; fileName: string }): Promise<Extraction>;
}

export const NO_TEXT_LAYER_WARNING = 'No text layer: OCR is not available yet, the fields need to be entered by a clerk';
const EXTRACTOR = 'text-layer@1';
const MIN_TEXT_CHARS = 20; // fewer characters than this is a scan with a stray stamp, not a text layer
/** The fields a Plex sync cannot do without: the overall confidence is the weakest of them. */
const SYNC_FIELDS = ['invoiceNumber', 'vendorName', 'total', 'poNumbers', 'invoiceDate'] as const;

export function createTextLayerExtractor(opts: { maxPages?: number } = {}): Extractor {
  const maxPages = opts.maxPages ?? 20;
  return {
    async extract(doc) {
      if (doc.mimeType.startsWith('image/')) return withoutText(1, []);
      if (doc.mimeType !== 'application/pdf') {
        throw new DocumentError('unsupported_type', `${doc.fileName} is not a PDF or image (${doc.mimeType}).`);
      }
      const { pageCount, pages } = await readTextLayer(doc.bytes, maxPages);
      const sizes = pages.map((p) => ({ width: p.width, height: p.height }));
      const characters = pages.flatMap((p) => p.lines).reduce((n, l) => n + l.text.replace(/\s/g, '').length, 0);
      if (characters < MIN_TEXT_CHARS) return withoutText(pageCount, sizes);

      const warnings = pageCount > maxPages ? [`Only the first ${maxPages} of ${pageCount} pages were read.`] : [];
      const table = readLineItems(pages);
      const { fields, taxParts } = readHeaderFields(pages, table.lines);
      crossCheck(fields, taxParts, table.items, warnings);
      if (!fields.invoiceNumber.value) warnings.push('No invoice number found.');
      if (!fields.poNumbers.value) warnings.push('No PO number found: the invoice cannot be matched to a purchase order automatically.');
      if (!fields.total.value) warnings.push('No total found.');
      for (const name of HEADER_FIELD_NAMES) fields[name].confidence = Math.round(fields[name].confidence * 100) / 100;
      const confidence = Math.min(...SYNC_FIELDS.map((name) => fields[name].confidence));
      return Extraction.parse({ fields, lineItems: table.items, confidence, pageCount, pages: sizes, warnings, extractor: EXTRACTOR });
    },
  };
}

function withoutText(pageCount: number, pages: Array<{ width: number; height: number }>): Extraction {
  const fields = Object.fromEntries(HEADER_FIELD_NAMES.map((name) => [name, emptyField()]));
  return Extraction.parse({ fields, lineItems: [], confidence: 0, pageCount, pages, warnings: [NO_TEXT_LAYER_WARNING], extractor: EXTRACTOR });
}

/** Arithmetic is the best evidence we have: amounts that add up are almost certainly read right. */
function crossCheck(fields: HeaderFields, taxParts: string[], items: LineItem[], warnings: string[]): void {
  const cents = (field: AmountField) => (field.value === null ? null : toCents(field.value));
  const confirm = (field: AmountField, note: string) => {
    field.confidence = Math.max(field.confidence, 0.99);
    field.notes.push(note);
  };
  const doubt = (field: AmountField, note: string) => {
    if (field.value === null) return;
    field.confidence = Math.min(field.confidence, 0.5);
    field.notes.push(note);
  };
  const [subtotal, total] = [cents(fields.subtotal), cents(fields.total)];
  let tax = cents(fields.tax);
  // Two VAT rates print two tax lines; their sum is the tax when that is what makes the totals add up.
  const taxSum = taxParts.reduce((sum, part) => sum + toCents(part), 0n);
  if (subtotal !== null && total !== null && taxParts.length > 1 && subtotal + taxSum === total && subtotal + (tax ?? 0n) !== total) {
    [fields.tax.value, tax] = [formatCents(taxSum), taxSum];
    fields.tax.notes.push(`The sum of ${taxParts.length} tax lines.`);
  }
  if (subtotal !== null && total !== null) {
    const expected = subtotal + (tax ?? 0n);
    const sum = `subtotal ${formatCents(subtotal)} + tax ${formatCents(tax ?? 0n)} = ${formatCents(expected)}`;
    if (abs(expected - total) <= 1n) {
      for (const field of [fields.subtotal, fields.tax, fields.total]) if (field.value !== null) confirm(field, `Adds up: ${sum}.`);
    } else {
      for (const field of [fields.subtotal, fields.tax, fields.total]) doubt(field, `Does not add up: ${sum}, total ${formatCents(total)}.`);
      warnings.push(`The amounts do not add up: ${sum}, but the total reads ${formatCents(total)}.`);
    }
  }
  const amounts = items.flatMap((item) => (item.amount.value === null ? [] : [toCents(item.amount.value)]));
  const [target, name] = subtotal !== null ? [fields.subtotal, 'subtotal'] : tax === null ? [fields.total, 'total'] : [null, ''];
  if (!amounts.length || !target?.value) return;
  const lineSum = amounts.reduce((a, b) => a + b, 0n);
  if (abs(lineSum - toCents(target.value)) <= 1n) confirm(target, `Matches the sum of ${amounts.length} line amounts.`);
  else {
    doubt(target, `The ${amounts.length} line amounts add up to ${formatCents(lineSum)}.`);
    warnings.push(`The ${amounts.length} line amounts add up to ${formatCents(lineSum)}, but the ${name} reads ${target.value}.`);
  }
}

const abs = (n: bigint) => (n < 0n ? -n : n);

type Column = keyof LineItem;
const COLUMN_WORDS: Array<[Column, RegExp]> = [
  ['partNumber', /^(?:part\s*(?:no\.?|#|number)|item\s*(?:no\.?|#)|sku|art(?:ikel)?[.-]?\s*nr\.?|artikelnummer|réf(?:érence)?\.?|código)$/i],
  ['description', /^(?:description|item|article|product|details|bezeichnung|beschreibung|artikel|leistung|désignation|omschrijving|descripción|concepto)$/i],
  ['quantity', /^(?:qty\.?|quantity|menge|anzahl|qté|quantité|aantal|cantidad|cant\.)$/i],
  ['unitPrice', /^(?:unit\s*price|price|rate|unit\s*cost|einzelpreis|e-?preis|preis|prix\s*unitaire|p\.u\.|stukprijs|prijs|precio(?:\s*unitario)?)$/i],
  ['amount', /^(?:amount|total|line\s*total|ext(?:ended|\.)?\s*(?:price|amount)|betrag|gesamt(?:preis)?|montant(?:\s*ht)?|bedrag|importe|total\s*ht)$/i],
];
const ENDS_TABLE = new Set(['subtotal', 'tax', 'total']);

/**
 * A simple table reader: a header row naming at least a description and an amount column, then rows
 * until the subtotal. Cells go to the column whose left (text) or right (numbers) edge they line up with.
 */
function readLineItems(pages: PageText[]): { items: LineItem[]; lines: Set<TextLine> } {
  const items: LineItem[] = [];
  const tableLines = new Set<TextLine>();
  for (const page of pages) {
    let columns: HeaderCell[] | null = null;
    for (const line of page.lines) {
      const header = line.segments.map((s) => ({ column: COLUMN_WORDS.find(([, re]) => re.test(s.text))?.[0], box: s.box }));
      const named = new Set(header.map((h) => h.column));
      if (header.length >= 3 && named.has('description') && named.has('amount') && named.size >= 3 + (named.has(undefined) ? 1 : 0)) {
        columns = header;
        tableLines.add(line);
        continue;
      }
      if (!columns) continue;
      if (line.segments.some((s) => ENDS_TABLE.has(labelOf(s.text)?.label.field ?? ''))) columns = null;
      else if (!addRow(line, columns, items, page.page)) columns = null;
      else tableLines.add(line);
    }
  }
  return { items, lines: tableLines };
}

/** A header cell; cells under a column we do not read ("Pos.", "Unit") have no column. */
type HeaderCell = { column: Column | undefined; box: TextSegment['box'] };

function addRow(line: TextLine, columns: HeaderCell[], items: LineItem[], page: number): boolean {
  const cells = new Map<Column, TextSegment>();
  for (const segment of line.segments) {
    const distance = (box: TextSegment['box']) =>
      Math.min(Math.abs(segment.box.x - box.x), Math.abs(segment.box.x + segment.box.width - (box.x + box.width)));
    const nearest = [...columns].sort((a, b) => distance(a.box) - distance(b.box))[0]!;
    if (nearest.column && !cells.has(nearest.column)) cells.set(nearest.column, segment);
  }
  const field = (segment: TextSegment | undefined, value: string | null | undefined, confidence: number) =>
    segment && value ? { value, confidence, provenance: { page, box: segment.box, source: 'text' as const }, notes: [] as string[] } : { value: null, confidence: 0, notes: [] as string[] };
  const [description, quantity, unitPrice, amount, part] = (['description', 'quantity', 'unitPrice', 'amount', 'partNumber'] as const).map((c) => cells.get(c));
  const amountValue = amount && parseAmount(amount.text)?.value;
  const previous = items.at(-1);
  if (!amountValue) {
    // A line with only a description continues the previous row's description; anything else ends the table.
    if (!description || cells.size > 1 || !previous?.description.value) return false;
    previous.description.value += ` ${description.text}`;
    return true;
  }
  const item: LineItem = {
    description: field(description, description?.text, 0.9),
    quantity: field(quantity, quantity && parseDecimal(quantity.text), 0.9),
    unitPrice: field(unitPrice, unitPrice && parseAmount(unitPrice.text)?.value, 0.9),
    amount: field(amount, amountValue, 0.9),
    ...(part ? { partNumber: field(part, part.text, 0.9) } : {}),
  };
  if (item.quantity.value && item.unitPrice.value) {
    const agrees = abs(lineAmountCents(item.quantity.value, item.unitPrice.value) - toCents(amountValue)) <= 1n;
    for (const f of [item.quantity, item.unitPrice, item.amount]) {
      f.confidence = agrees ? 0.97 : 0.6;
      f.notes.push(agrees ? 'Quantity × unit price = amount.' : 'Quantity × unit price does not give the amount.');
    }
  }
  items.push(item);
  return true;
}
