// Label–value detection: finds "Invoice No.: 1001"-style pairs (the value right of the label on the same
// line, or directly below it) in English, German, French, Dutch and Spanish, and turns them into
// candidate header values with a confidence and the box they were read from; readHeaderFields() ties it together.
import type { HeaderFields, Provenance } from '../domain/extraction.js';
import { continuedBelow, wrappedCellBeside } from './cells.js';
import { pick, pickCurrency, pickPoNumbers, pickVendor, readDateOrder } from './header.js';
import { AMOUNT_FIELDS, labelOf, parseValue, type DateReading, type LabelledField } from './labels.js';
import type { CurrencyMention } from './normalize.js';
import { findParties, pickEmailDomain } from './parties.js';
import { scanVendorTaxId } from './tax-ids.js';
import { isCreditDocument, titleCandidates } from './title-line.js';
import { subBox, type PageText, type TextLine, type TextSegment } from './pdf-text.js';
import { adjustmentKind, readAdjustments, totalsBlock, type Adjustment } from './totals.js';

export { AMOUNT_FIELDS, labelOf, type DateReading, type LabelledField, type LabelMatch } from './labels.js';
export { pick, readDateOrder, type Picked } from './header.js';

export interface Candidate {
  field: LabelledField;
  value: string | string[];
  currency: CurrencyMention | null;
  confidence: number;
  notes: string[];
  provenance: Provenance;
  /** Reading order over the whole document, to prefer the first (header) or last (totals) occurrence. */
  order: number;
}

const NOT_CANDIDATES = new Set<LabelledField>(['billTo', 'carried', 'otherDate']);
const MAX_TEXT_GAP_PT = 250; // beyond this a value on the same line belongs to another column (amounts excepted)

/** Every label on every page paired with the value next to it (inline, to the right, or below). */
export function findCandidates(pages: PageText[], dates: DateReading, skipLines: Set<TextLine>, customer = new Set<TextSegment>()): Candidate[] {
  const candidates: Candidate[] = [];
  for (const page of pages) {
    page.lines.forEach((line, lineIndex) => {
      if (skipLines.has(line)) return;
      line.segments.forEach((segment, segmentIndex) => {
        const match = labelOf(segment.text, dates);
        if (!match || NOT_CANDIDATES.has(match.label.field)) return;
        const { field, strength } = match.label;
        // the customer's tax id or name in the bill-to block is not the vendor's
        if ((field === 'vendorTaxId' || field === 'vendorName') && customer.has(segment)) return;
        // "Frais de port HT", "Fuel surcharge": an amount beside the subtotal, not the subtotal itself
        if (AMOUNT_FIELDS.has(field) && adjustmentKind(match.printed)) return;
        const accept = (text: string, source: TextSegment, start: number, below: boolean): boolean => {
          const parsed = parseValue(field, text, strength, dates);
          if (!parsed) return false;
          const notes = [`Next to the label "${match.printed}"${below ? ' (value below it)' : ''}.`];
          if (parsed.note) notes.push(parsed.note);
          candidates.push({
            field, value: parsed.value, currency: parsed.currency ?? null, notes,
            confidence: Math.max(0, strength - (below ? 0.01 : 0) - (parsed.penalty ?? 0)),
            provenance: { page: page.page, box: subBox(source, start, source.text.length), source: page.source ?? 'text', label: match.printed },
            order: page.page * 10_000 + lineIndex,
          });
          return true;
        };
        if (match.rest) {
          // a value cut by the cell's edge ("F2025-11-" over "0457") continues on the next line
          const continued = /[-/]$/.test(match.rest) ? continuedBelow(page, lineIndex, segment) : null;
          if (continued && accept(match.rest + continued.text, segment, match.restStart, false)) return;
          // "VAT 21% over € 2.830,00   € 594,30": the amount at the right is the field's, the inline one its base
          if (AMOUNT_FIELDS.has(field) && lookRight(line.segments.slice(segmentIndex + 1), segment, field, accept)) return;
          accept(match.rest, segment, match.restStart, false);
          return;
        }
        const cell = wrappedCellBeside(page, lineIndex, segment);
        const beside = line.segments[segmentIndex + 1];
        const cellFirst = cell && (!cell.topAligned || !beside || /[-/]$/.test(beside.text));
        if (cellFirst && accept(cell.segment.text, cell.segment, 0, false)) return;
        if (lookRight(line.segments.slice(segmentIndex + 1), segment, field, accept)) return;
        if (cell && !cellFirst && accept(cell.segment.text, cell.segment, 0, false)) return;
        lookBelow(page.lines.slice(lineIndex + 1), segment, accept);
      });
    });
  }
  return candidates;
}

type Accept = (text: string, source: TextSegment, start: number, below: boolean) => boolean;

function lookRight(segments: TextSegment[], labelSegment: TextSegment, field: LabelledField, accept: Accept): boolean {
  const amount = AMOUNT_FIELDS.has(field);
  const stop = segments.findIndex((s) => labelOf(s.text));
  const before = segments.slice(0, stop < 0 ? segments.length : stop);
  // Amounts take the rightmost value before the next label ("Tax  19 %  190.00"); text takes the nearest.
  const ordered = amount ? before.reverse() : before;
  const labelRight = labelSegment.box.x + labelSegment.box.width;
  return ordered.some((s) => (amount || s.box.x - labelRight <= MAX_TEXT_GAP_PT) && accept(s.text, s, 0, false));
}

function lookBelow(lines: TextLine[], labelSegment: TextSegment, accept: Accept): void {
  const { x, width, y, height } = labelSegment.box;
  for (const line of lines) {
    if (y - line.segments[0]!.box.y > 2.6 * height) return;
    const below = line.segments.find((s) => s.box.x < x + width + 5 && s.box.x + s.box.width > x - 5);
    if (!below) continue;
    if (!labelOf(below.text)) accept(below.text, below, 0, true);
    return;
  }
}

/**
 * Header fields from labels, plus every distinct tax amount (invoices with two VAT rates print two) and the
 * charges, discounts and payments printed in the totals block.
 */
export function readHeaderFields(pages: PageText[], skipLines: Set<TextLine>): { fields: HeaderFields; taxParts: string[]; adjustments: Adjustment[]; dueAmounts: string[] } {
  const parties = findParties(pages);
  const dates = readDateOrder(pages);
  const labelled = findCandidates(pages, dates, skipLines, parties.customer);
  const all = [...labelled, ...titleCandidates(pages, dates)];
  if (isCreditDocument(pages)) {
    // on a credit note, "Invoice Date" names the original invoice's date: the note's own date is "Date"
    for (const candidate of all) {
      if (candidate.field === 'invoiceDate' && /invoice|rechnung|factur/i.test(candidate.provenance.label ?? '')) {
        candidate.confidence -= 0.1;
        candidate.notes.push('On a credit note this label names the original invoice.');
      }
    }
  }
  const first = (field: LabelledField) => pick(field, all, 'first');
  const last = (field: LabelledField) => pick(field, all, 'last');
  const taxParts = [...new Map(all.filter((c) => c.field === 'tax').map((c) => [c.order, String(c.value)])).values()];
  const fields = {
    invoiceNumber: first('invoiceNumber'), invoiceDate: first('invoiceDate'), dueDate: first('dueDate'),
    vendorName: pickVendor(all, pages, parties.customer), vendorTaxId: first('vendorTaxId'), currency: pickCurrency(all, pages),
    subtotal: last('subtotal'), tax: last('tax'), total: last('total'),
    poNumbers: pickPoNumbers(all), paymentTerms: first('paymentTerms'),
    billTo: parties.billTo, vendorEmailDomain: pickEmailDomain(pages, parties.customer),
  };
  if (fields.vendorTaxId.value === null) fields.vendorTaxId = scanVendorTaxId(pages, parties.customer) ?? fields.vendorTaxId;
  const anchors = labelled.filter((c) => AMOUNT_FIELDS.has(c.field) && c.provenance.box).map((c) => ({ page: c.provenance.page, y: c.provenance.box!.y }));
  const block = totalsBlock(pages, anchors);
  for (const line of skipLines) block.delete(line);
  // every amount printed next to a total label: one of them may be what is left to pay after a deposit
  const dueAmounts = [...new Set(labelled.filter((c) => c.field === 'total').map((c) => String(c.value)))];
  return { fields, taxParts, adjustments: readAdjustments(pages, block), dueAmounts };
}
