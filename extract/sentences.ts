// Header fields written in a sentence rather than beside a label: the title sentence that names the
// document, its number and its date ("Handelsrechnung Nr. 471102 vom 05.03.2018", "Facture n°562044387 du
// 02 Juillet 2015", "Invoice # RE-2020/508 issued at 2020-11-21"), and a date standing alone near the top of
// page 1 ("August 3 , 2014", "24. Januar 2014"). Each is weaker than a labelled value.
import type { Candidate, DateReading } from './fields.js';
import { parseDate, startsWithDate } from './normalize.js';
import { unionBox, type BoundingBox } from '../domain/extraction.js';
import { subBox, type PageText, type TextLine, type TextSegment } from './pdf-text.js';

// a word naming the document: "Rechnung" and its compounds (Handelsrechnung, Rechnungskorrektur), in six languages
const TITLE_WORD =
  /(?<!\p{L})(?:\p{L}*rechnung(?:skorrektur)?|\p{L}*gutschrift|(?:tax\s+|commercial\s+)?invoice|credit\s+note|facture|avoir|factuur|creditnota|factura|fattura)(?!\p{L})/iu;
const TITLE_WORDS = new RegExp(TITLE_WORD.source, 'giu');
// the number's mark, then the number: "Nr. 471102", "n°562044387", "# RE-2020/508", "No: 12-44", "N. 124/2024", "N.º 17";
// a mark naming the date too: "Invoice No. & Date : PCPL/0789 dt. 14.03.2024"
// The number ends where its word ends: "INV-57&1" or "RE-12ä" is no number cut short, it is not read at all.
const NUMBER_MARK =
  /(?<!\p{L})(?:nr|no|n\.?[°º]|n(?=\.)|nummer|number|num[ée]ro|numero|#)(?!\p{L})\.?(?:\s*(?:&|and|und|et|\/)\s*(?:date|datum|dt)\.?)?\s*:?\s*([A-Z0-9][A-Z0-9\-/_.]{1,39})(?=$|[\s,;:)])/giu;
// words that make the sentence refer to another document ("Rechnung gemäß Bestellung Nr.", "Korrektur zur Rechnung Nr.")
const REFERENCE =
  /(?<!\p{L})(?:gem(?:ä|ae)(?:ß|ss)|laut|zur|zum|zu|bezug|bezüglich|siehe|f(?:ü|ue)r|to|per|according|re|ref|regarding|see|selon|suivant|voir|volgens|zie|según|segun|vedi|bestellung|auftrag|lieferschein|vertrag|order|commande|bestelling|pedido|ordine|kunde|kunden|customer|client|klant|article|artikel)(?!\p{L})/iu;
// what joins the number to the date: "vom", "du", "dated", "dt.", "issued at", "of", "van", "del", "de fecha", "in data"
const JOIN_WORD = String.raw`\s*[,;]?\s*(?:vom|v\.|am|du|le|dated|date[d]?|dt\.?|issued(?:\s+(?:at|on))?|of|from|van|(?:de\s+)?fecha|in\s+data|del|de|dal)`;
const DATE_JOIN = new RegExp(String.raw`^${JOIN_WORD}\s+`, 'iu');
// the same join word ending the line, the date wrapped onto the next
const JOIN_AT_END = new RegExp(String.raw`^${JOIN_WORD}\s*$`, 'iu');
const MAX_WORDS_BETWEEN = 3;

const NUMBER_CONFIDENCE = 0.9;
const DATE_CONFIDENCE = 0.9;
const ALONE_DATE_CONFIDENCE = 0.7; // a date without any word saying what it is the date of

/** Candidates from the title sentence and from lone dates at the top of page 1. */
export function sentenceCandidates(pages: PageText[], dates: DateReading): Candidate[] {
  const page = pages[0];
  if (!page) return [];
  const found: Candidate[] = [];
  page.lines.forEach((line, lineIndex) => {
    if (line.segments.some((segment) => segment.box.y < page.height / 3)) return;
    const order = page.page * 10_000 + lineIndex;
    found.push(...titleSentence(page, line.segments, wrapOf(line, page.lines[lineIndex + 1]), order, dates));
    for (const segment of line.segments) {
      const alone = aloneDate(page, segment, order, dates);
      if (alone) found.push(alone);
    }
  });
  return found;
}

/**
 * A line's segments read as one sentence: a scan's OCR, or a layout with wide gaps, splits "Handelsrechnung
 * Nr." | "471102 vom 05.03.2018" into segments that still make one sentence. Boxes map back to the segments.
 */
function lineSentence(segments: TextSegment[]) {
  const starts: number[] = [];
  let text = '';
  for (const segment of segments) {
    if (text) text += ' ';
    starts.push(text.length);
    text += segment.text;
  }
  /** The box of characters [start, end) of the sentence: the part of each segment they cover, joined. */
  const box = (start: number, end: number): BoundingBox => {
    const parts = segments.flatMap((segment, i) => {
      const from = Math.max(start, starts[i]!) - starts[i]!;
      const to = Math.min(end, starts[i]! + segment.text.length) - starts[i]!;
      return to > from ? [subBox(segment, from, to)] : [];
    });
    return unionBox(parts);
  };
  return { text, box };
}

/** The first segment of the line below when it continues this one: starts in the same column, one line down. */
function wrapOf(line: TextLine, below: TextLine | undefined): TextSegment | undefined {
  const first = below?.segments[0];
  if (!below || !first) return undefined;
  const gap = line.baseline - below.baseline;
  return gap > 0 && gap < 2 * line.fontSize && Math.abs(first.box.x - line.segments[0]!.box.x) < line.fontSize
    ? first
    : undefined;
}

/** `wrapped`: the segment that continues the sentence on the next line, where a date after "vom" may stand. */
function titleSentence(
  page: PageText,
  segments: TextSegment[],
  wrapped: TextSegment | undefined,
  order: number,
  dates: DateReading,
): Candidate[] {
  const { text, box } = lineSentence(segments);
  for (const mark of text.matchAll(NUMBER_MARK)) {
    const before = text.slice(0, mark.index);
    // The title word nearest the mark: "Gutschrift (Selbst ausgestellte Rechnung) (389) Nr." names it twice.
    const title = [...before.matchAll(TITLE_WORDS)].at(-1);
    if (!title || REFERENCE.test(before)) continue;
    const between = before.slice(title.index + title[0].length).trim();
    if (between.split(/\s+/).filter(Boolean).length > MAX_WORDS_BETWEEN) continue;
    const number = mark[1]!.replace(/[.,;:]+$/, '');
    if (!/\d/.test(number)) continue;
    const numberStart = mark.index + mark[0].length - mark[1]!.length;
    const label = text.slice(title.index, numberStart).trim();
    const provenance = (start: number, end: number) => ({
      page: page.page,
      box: box(start, end),
      source: page.source ?? ('text' as const),
      label,
    });
    const out: Candidate[] = [
      {
        field: 'invoiceNumber',
        value: number,
        currency: null,
        confidence: NUMBER_CONFIDENCE,
        order,
        notes: [`Named in the title sentence "${text.trim()}".`],
        provenance: provenance(numberStart, numberStart + number.length),
      },
    ];
    const after = text.slice(numberStart + number.length);
    const join = DATE_JOIN.exec(after);
    // The date wrapped onto the next line: "… Nr. 471102 vom" | "05.03.2018", or "… Nr. 471102" | "vom 05.03.2018"
    const wrapJoin = !join && wrapped && !after.trim() ? DATE_JOIN.exec(wrapped.text) : null;
    const wrap = !join && wrapped && (wrapJoin || JOIN_AT_END.test(after)) ? wrapped : undefined;
    const wrapSkip = wrapJoin?.[0].length ?? 0;
    const dateText = join ? after.slice(join[0].length) : wrap ? wrap.text.slice(wrapSkip) : null;
    const date = dateText && startsWithDate(dateText) ? parseDate(dateText.slice(0, 30), dates.order) : null;
    if (date) {
      const dateStart = numberStart + number.length + (join?.[0].length ?? 0);
      const notes = [`Dated in the title sentence "${wrap ? `${text.trim()} ${wrap.text.trim()}` : text.trim()}".`];
      if (date.ambiguous)
        notes.push(`"${dateText!.trim()}" read as ${dates.order === 'MDY' ? 'month/day' : 'day/month'}: ${dates.why}`);
      out.push({
        field: 'invoiceDate',
        value: date.value,
        currency: null,
        confidence: DATE_CONFIDENCE - (date.ambiguous ? dates.penalty : 0),
        order,
        notes,
        provenance: wrap
          ? {
              page: page.page,
              box: subBox(wrap, wrapSkip, wrapSkip + dateText!.trim().length),
              source: page.source ?? ('text' as const),
              label,
            }
          : provenance(dateStart, Math.min(text.length, dateStart + dateText!.trim().length)),
      });
    }
    return out;
  }
  return [];
}

// "August 3 , 2014", "24. Januar 2014", "3 mars 2025": a date with its month written out, alone in its cell
const WRITTEN_DATE =
  /^\s*(?:\d{1,2}\.?\s*\p{L}{3,10}\.?,?\s+\d{4}|\p{L}{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*,?\s+\d{4})\s*$/u;

function aloneDate(page: PageText, segment: TextSegment, order: number, dates: DateReading): Candidate | null {
  if (!WRITTEN_DATE.test(segment.text)) return null;
  const date = parseDate(segment.text, dates.order);
  if (!date) return null;
  return {
    field: 'invoiceDate',
    value: date.value,
    currency: null,
    confidence: ALONE_DATE_CONFIDENCE,
    order,
    notes: ['A date standing alone near the top of the first page; no label says whose date it is.'],
    provenance: { page: page.page, box: segment.box, source: page.source ?? 'text' },
  };
}
