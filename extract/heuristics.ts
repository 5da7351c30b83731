// Template-free reading of positioned text (from the PDF text layer or from OCR) into the Extraction
// contract: label–value pairs, the line-item table, and the arithmetic cross-checks that set confidence.
import { Extraction, HEADER_FIELD_NAMES, type AmountField, type HeaderFields, type LineItem } from '../domain/extraction.js';
import { checkDates, checkPoNumbers, corroborate } from './checks.js';
import { readHeaderFields } from './fields.js';
import { readLineItems } from './line-items.js';
import { formatCents, toCents } from './normalize.js';
import type { PageText } from './pdf-text.js';

/** The fields a Plex sync cannot do without: the overall confidence is the weakest of them. */
export const SYNC_FIELDS = ['invoiceNumber', 'vendorName', 'total', 'poNumbers', 'invoiceDate'] as const;
const MISSING: Record<(typeof SYNC_FIELDS)[number], string> = {
  invoiceNumber: 'No invoice number found.',
  vendorName: 'No vendor name found.',
  total: 'No total found.',
  poNumbers: 'No PO number found: the invoice cannot be matched to a purchase order automatically.',
  invoiceDate: 'No invoice date found.',
};

export interface PagesInput {
  pages: PageText[];
  pageCount: number;
  warnings: string[];
  extractor: string;
}

/** Reads header fields and line items from positioned text; pure and synchronous. */
export function extractFromPages({ pages, pageCount, warnings: incoming, extractor }: PagesInput): Extraction {
  const warnings = [...incoming];
  const sizes = pages.map((p) => ({ width: p.width, height: p.height }));
  const table = readLineItems(pages);
  const { fields, taxParts } = readHeaderFields(pages, table.lines);
  crossCheck(fields, taxParts, table.items, warnings);
  checkDates(fields, warnings);
  checkPoNumbers(fields, warnings);
  corroborate(fields, pages.map((p) => p.lines.map((l) => l.text).join('\n')));
  for (const name of SYNC_FIELDS) if (fields[name].value === null) warnings.push(MISSING[name]);
  for (const name of HEADER_FIELD_NAMES) fields[name].confidence = Math.round(fields[name].confidence * 100) / 100;
  const confidence = Math.min(...SYNC_FIELDS.map((name) => fields[name].confidence));
  return Extraction.parse({ fields, lineItems: table.items, confidence, pageCount, pages: sizes, warnings, extractor });
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
