// Finding a known value in positioned text: where on the page the AI model's answer or a clerk's
// correction is printed, so it gets a highlight box and (for learning) the label and region around it.
import type { HeaderFieldName } from '../domain/extraction.js';
import { parseAmount, parseDate, toCents, type DateOrder } from './normalize.js';
import { subBox, type PageText, type SegmentSpan } from './pdf-text.js';

export type ValueKind = 'text' | 'date' | 'amount' | 'code';

/** How a header field's values are compared: dates and money by meaning, codes and names by spelling. */
export function valueKind(field: HeaderFieldName): ValueKind {
  if (field === 'invoiceDate' || field === 'dueDate') return 'date';
  if (field === 'subtotal' || field === 'tax' || field === 'total' || field === 'amountDue') return 'amount';
  if (field === 'invoiceNumber' || field === 'poNumbers' || field === 'vendorTaxId') return 'code';
  return 'text';
}

/** Where a value is printed: its page, and the span of a segment's text it takes up. */
export interface Located extends SegmentSpan {
  page: number;
  /** For dates: the reading order that gives the value ("05/04/2026" is DMY for 2026-04-05). */
  dateOrder?: DateOrder;
}

const AMOUNT_TOKEN = /[-(]?(?:[$€£¥]\s?|[A-Z]{3}\s)?\d[\d.,'’ \u00a0]*\d(?:\s?[$€£¥]|\s[A-Z]{3})?\)?|\d/g;
const DATE_TOKEN =
  /\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.?\s*[A-Za-zÀ-ÿ]{3,10}\.?,?\s+\d{4}|[A-Za-zÀ-ÿ]{3,10}\.?\s+\d{1,2},?\s+\d{4}/g;

export const compactText = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Where `value` (canonical: ISO date, decimal string, or text) is printed; exact cells win over substrings. */
export function locateValue(pages: PageText[], field: HeaderFieldName, value: string): Located | null {
  const all = locateAll(pages, field, value);
  return all.find((at) => at.start === 0 && at.end === at.segment.text.length) ?? all[0] ?? null;
}

/** Every place `value` is printed, in reading order (a value printed twice makes learning where it is ambiguous). */
export function locateAll(pages: PageText[], field: HeaderFieldName, value: string): Located[] {
  const kind = valueKind(field);
  const found: Located[] = [];
  for (const page of pages) {
    page.lines.forEach((line, lineIndex) => {
      line.segments.forEach((segment, segmentIndex) => {
        for (const hit of findIn(segment.text, kind, value)) {
          found.push({
            page: page.page,
            box: subBox(segment, hit.start, hit.end),
            line,
            lineIndex,
            segment,
            segmentIndex,
            start: hit.start,
            end: hit.end,
            dateOrder: hit.dateOrder,
          });
        }
      });
    });
  }
  return found;
}

interface Hit {
  start: number;
  end: number;
  dateOrder?: DateOrder;
}

function findIn(text: string, kind: ValueKind, value: string): Hit[] {
  switch (kind) {
    case 'amount': {
      const cents = toCents(value);
      return [...text.matchAll(AMOUNT_TOKEN)].flatMap((m) => {
        const parsed = parseAmount(m[0]);
        return parsed && toCents(parsed.value) === cents ? [{ start: m.index, end: m.index + m[0].length }] : [];
      });
    }
    case 'date':
      return [...text.matchAll(DATE_TOKEN)].flatMap((m) => {
        const order = (['MDY', 'DMY'] as const).find((o) => parseDate(m[0], o)?.value === value);
        return order ? [{ start: m.index, end: m.index + m[0].length, dateOrder: order }] : [];
      });
    default: {
      // Case-insensitive, on word boundaries: "1001" must not be found inside "110012".
      const needle = compactText(value);
      const haystack = text.toLowerCase();
      const hits: Hit[] = [];
      if (!needle) return hits;
      for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
        const before = haystack[at - 1] ?? ' ';
        const after = haystack[at + needle.length] ?? ' ';
        if (kind === 'code' ? !/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after) : !/\p{L}/u.test(before)) {
          hits.push({ start: at, end: at + needle.length });
        }
      }
      return hits;
    }
  }
}
