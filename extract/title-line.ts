// What the document's title line says when no label does: a number printed with the title ("INVOICE
// 0048213"), a credit note (its "Invoice Date" is the original invoice's), and the place-and-date line of
// a letter ("Wasquehal, le 25 novembre 2025", "Göppingen, den 17.11.2025").
import type { Candidate, DateReading } from './fields.js';
import { parseAmount, parseDate } from './normalize.js';
import { subBox, type PageText } from './pdf-text.js';

const TITLE_WORD = '(?:(?:tax\\s+|commercial\\s+)?invoice|rechnung|facture|factuur|factura)';
const NUMBER_AFTER_TITLE = '(?:no\\.?|nr\\.?|n[°º]|#)?\\s*(?=[A-Z0-9-/]*\\d)([A-Z0-9][A-Z0-9\\-/_.]{2,39})';
// a letter's subject line may carry the title: "Betreft: factuur 240311", "Betreff: Rechnung 2024-117"
const SUBJECT = '(?:(?:betreft|betreff|betrifft|subject|objet|asunto|oggetto|re)\\s*:\\s*)?';
const INVOICE_TITLE = new RegExp(`^${SUBJECT}${TITLE_WORD}\\s+${NUMBER_AFTER_TITLE}$`, 'i');
// the title alone, and its number alone further along the line ("INVOICE             INV-2024-0042")
const BARE_TITLE = new RegExp(`^${TITLE_WORD}$`, 'i');
const NUMBER_ALONE = new RegExp(`^${NUMBER_AFTER_TITLE}$`, 'i');
const CREDIT_TITLE =
  /^(?:credit\s*(?:memo|note)|gutschrift|rechnungskorrektur|avoir|facture\s+d['’]avoir|creditnota|creditfactuur|abono|nota\s+de\s+cr[ée]dito|factura\s+rectificativa)\b/i;
const PLACE_DATE = /^\p{Lu}[\p{L} .'’-]{1,40},\s*(?:(?:le|den|am|el|de)\s+)?(.+)$/u;

/** Candidates read from the top of page 1 (its first third), each weaker than a labelled value. */
export function titleCandidates(pages: PageText[], dates: DateReading): Candidate[] {
  const page = pages[0];
  if (!page) return [];
  const found: Candidate[] = [];
  page.lines.forEach((line, lineIndex) => {
    for (const segment of line.segments) {
      if (segment.box.y < page.height * 0.6) return;
      const provenance = (start: number) => ({
        page: page.page,
        box: subBox(segment, start, segment.text.length),
        source: page.source ?? ('text' as const),
      });
      const numbered = INVOICE_TITLE.exec(segment.text);
      if (numbered) {
        const start = segment.text.length - numbered[1]!.length;
        found.push({
          field: 'invoiceNumber',
          value: numbered[1]!,
          currency: null,
          confidence: 0.88,
          notes: ['Printed with the document title.'],
          provenance: { ...provenance(start), label: segment.text.slice(0, start).trim() },
          order: page.page * 10_000 + lineIndex,
        });
      }
      const alone = line.segments.length === 2 && segment === line.segments[0] && BARE_TITLE.test(segment.text.trim());
      const number = alone ? NUMBER_ALONE.exec(line.segments[1]!.text.trim()) : null;
      if (number && !parseDate(number[1]!) && !parseAmount(number[1]!)) {
        const other = line.segments[1]!;
        const start = other.text.trimEnd().length - number[1]!.length;
        found.push({
          field: 'invoiceNumber',
          value: number[1]!,
          currency: null,
          confidence: 0.85,
          notes: ['Printed alone on the line of the document title.'],
          provenance: {
            page: page.page,
            box: subBox(other, start, start + number[1]!.length),
            source: page.source ?? 'text',
            label: segment.text.trim(),
          },
          order: page.page * 10_000 + lineIndex,
        });
      }
      const placed = PLACE_DATE.exec(segment.text);
      const date = placed ? parseDate(placed[1]!.trim(), dates.order) : null;
      if (
        placed &&
        date &&
        !date.ambiguous &&
        /^\d{1,2}\.?\s*\p{L}|^\d{1,2}\.\d{1,2}\.\d{4}$/u.test(placed[1]!.trim())
      ) {
        found.push({
          field: 'invoiceDate',
          value: date.value,
          currency: null,
          confidence: 0.85,
          notes: ['The place-and-date line of the letter.'],
          provenance: { ...provenance(segment.text.length - placed[1]!.length) },
          order: page.page * 10_000 + lineIndex,
        });
      }
    }
  });
  return found;
}

/** Whether page 1 is titled as a credit note; its "Invoice Date" and "Invoice No." then name the original invoice. */
export function isCreditDocument(pages: PageText[]): boolean {
  const page = pages[0];
  return (
    !!page &&
    page.lines.some((line) => line.segments.some((s) => s.box.y >= page.height * 0.6 && CREDIT_TITLE.test(s.text)))
  );
}
