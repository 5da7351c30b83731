// Label–value detection: finds "Invoice No.: 1001"-style pairs (the value right of the label on the same
// line, or directly below it) in English, German, French, Dutch and Spanish, and turns them into
// candidate header values with a confidence and the box they were read from; readHeaderFields() ties it together.
import { unionBox, type BoundingBox, type HeaderFields, type Provenance } from '../domain/extraction.js';
import { continuedBelow, wrappedCellBeside } from './cells.js';
import {
  isDocumentTitle,
  isGenericOrderLabel,
  orderNumberForInvoiceNumber,
  WEAK_EVIDENCE,
  pick,
  pickCurrency,
  pickPoNumbers,
  pickVendor,
  readDateOrder,
} from './header.js';
import { pickAmountDue } from './amount-due.js';
import {
  AMOUNT_FIELDS,
  GENERIC_NUMBER,
  isGenericNumberLabel,
  labelOf,
  pairedLabel,
  parseValue,
  splitValues,
  type DateReading,
  type LabelledField,
  type LabelMatch,
} from './labels.js';
import { parseAmount, parseDate, parsePoNumbers, lettersAndDigits, type CurrencyMention } from './normalize.js';
import { findParties, pickEmailDomain } from './parties.js';
import { normaliseLabel } from './label-words.js';
import { sentenceCandidates } from './sentences.js';
import { scanVendorTaxId } from './tax-ids.js';
import { chooseVendor } from './vendor/choose.js';
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
  /** What the label names instead on this document ("the original invoice's date"): kept as a fallback, no rival. */
  namesOther?: string;
}

const NOT_CANDIDATES = new Set<LabelledField>(['billTo', 'carried', 'otherDate']);
const PO_LINE_LABEL = /\b(?:line|ln|pos|position|item|ligne|zeile|regel|riga|linea)\b/i;
const PO_WITH_LINE = /^(.*\d.*?)\s*[/-]\s*\d{1,5}$/;
const MAX_TEXT_GAP_PT = 250; // beyond this a value on the same line belongs to another column (amounts excepted)

/** Every label on every page paired with the value next to it (inline, to the right, or below). */
export function findCandidates(
  pages: PageText[],
  dates: DateReading,
  skipLines: Set<TextLine>,
  customer = new Set<TextSegment>(),
): Candidate[] {
  const candidates: Candidate[] = [];
  const listed = new Set<TextSegment>(); // the lines of PO lists read so far
  for (const page of pages) {
    page.lines.forEach((line, lineIndex) => {
      if (skipLines.has(line)) return;
      line.segments.forEach((segment, segmentIndex) => {
        if (readPairedLabel(page, lineIndex, segmentIndex, dates, candidates)) return;
        // "Pagamento: Bonifico 30 gg – Scadenza: 31/12/2025": a label may also start an item after a separator
        const readings = [
          { match: labelOf(segment.text, dates), offset: 0 },
          ...itemsAfterSeparators(segment.text, dates),
        ];
        // "Conditions de" over "règlement", the value beside the pair: a label only once its two lines are joined
        const wrappedOnly = !readings[0]!.match && OPEN_LABEL.test(segment.text) && !/\d/.test(segment.text);
        if (wrappedOnly) readings[0]!.match = wrappedLabelPair(page.lines, lineIndex, segment, dates);
        const readLabel = (printedMatch: LabelMatch | null, offset: number): void => {
          const before = offset === 0 ? line.segments[segmentIndex - 1] : undefined;
          const match = orderDateStandIn(printedMatch, segment, before, dates);
          const standsIn = match !== printedMatch;
          if (!match || NOT_CANDIDATES.has(match.label.field) || (offset > 0 && !match.rest)) return;
          const { field, strength } = match.label;
          // the customer's tax id or name in the bill-to block is not the vendor's
          if ((field === 'vendorTaxId' || field === 'vendorName') && customer.has(segment)) return;
          // "Frais de port HT", "Fuel surcharge": an amount beside the subtotal, not the subtotal itself
          if (AMOUNT_FIELDS.has(field) && adjustmentKind(match.printed)) return;
          const accept = (text: string, source: TextSegment, start: number, below: boolean, weak?: string): boolean => {
            const parsed = parseValue(field, text, strength, dates);
            // "Remit to:" beside the title "INVOICE": the title is no one's name
            if (!parsed || (field === 'vendorName' && isDocumentTitle(text))) return false;
            const notes = [`Next to the label "${match.printed}"${below ? ' (value below it)' : ''}.`];
            if (parsed.note) notes.push(parsed.note);
            let box = subBox(source, start, source.text.length);
            let value = parsed.value;
            if (field === 'poNumbers' && Array.isArray(value)) {
              // a multi-line cell joins its lines: keep only the numbers shaped like the first
              if (!page.lines.some((l) => l.segments.includes(source))) value = sameShapeRun(value);
              const list = poListBelow(page, segment, box, start > 0, value[0]!);
              for (const line of [source, ...list.segments]) listed.add(line);
              if (list.poNumbers.length) {
                value = [...new Set([...value, ...list.poNumbers])];
                box = list.box;
                notes.push(
                  `${list.poNumbers.length} more PO number${list.poNumbers.length > 1 ? 's' : ''} listed below it, one per line.`,
                );
              }
              // "PO Line" prints the order with its line ("4500031122/10", "4500031122-0020"): the PO is before the line
              if (PO_LINE_LABEL.test(match.printed)) {
                const orders = value.map((po) => PO_WITH_LINE.exec(po)?.[1] ?? po);
                if (orders.some((po, i) => po !== value[i]))
                  notes.push('The PO numbers are printed with their line numbers; the line numbers are left off.');
                value = [...new Set(orders)];
              }
            }
            // "Nummer:" under "Verkäufer", "Nr.:" on a later page: the number of a party or an article
            const generic =
              field === 'invoiceNumber' &&
              isGenericNumberLabel(match.printed) &&
              (page.page > 1 || inPartyBlock(page, segment));
            if (generic)
              notes.push(
                `${WEAK_EVIDENCE} "${match.printed}" alone does not say what it numbers${page.page > 1 ? ' (not on the first page)' : ", and it stands in a party's block"}.`,
              );
            if (weak) notes.push(`${WEAK_EVIDENCE} ${weak}`);
            if (standsIn)
              notes.push(
                `${WEAK_EVIDENCE} "${match.printed}" is the order's date; it stands in only when no invoice date is printed.`,
              );
            candidates.push({
              ...(standsIn ? { namesOther: 'the order date' } : {}),
              field,
              value,
              currency: parsed.currency ?? null,
              notes,
              confidence: standsIn
                ? ORDER_DATE_STANDS_IN
                : generic
                  ? GENERIC_NUMBER
                  : Math.min(weak ? WEAK_ROW : 1, Math.max(0, strength - (below ? 0.01 : 0) - (parsed.penalty ?? 0))),
              provenance: { page: page.page, box, source: page.source ?? 'text', label: match.printed },
              order: page.page * 10_000 + lineIndex,
            });
            return true;
          };
          if (wrappedOnly && offset === 0) {
            besideWrappedLabel(page.lines, lineIndex, segment, field, accept);
            return;
          }
          if (offset > 0) {
            accept(match.rest, segment, offset + match.restStart, false);
            return;
          }
          if (match.rest) {
            // a value cut by the cell's edge ("F2025-11-" over "0457") continues on the next line
            const continued = /[-/]$/.test(match.rest) ? continuedBelow(page, lineIndex, segment) : null;
            if (continued && accept(match.rest + continued.text, segment, match.restStart, false)) return;
            // "VAT 21% over € 2.830,00   € 594,30": the amount at the right is the field's, the inline one its base
            if (AMOUNT_FIELDS.has(field) && lookRight(line.segments.slice(segmentIndex + 1), segment, field, accept))
              return;
            accept(match.rest, segment, match.restStart, false);
            return;
          }
          // a cell of lines above the label is not the label's when they are a PO list read already
          const wrapped = wrappedCellBeside(page, lineIndex, segment);
          const cell = wrapped && ![...listed].some((s) => within(s.box, wrapped.segment.box)) ? wrapped : null;
          const beside = line.segments[segmentIndex + 1];
          const cellFirst = cell && (!cell.topAligned || !beside || /[-/]$/.test(beside.text));
          if (cellFirst && accept(cell.segment.text, cell.segment, 0, false)) return;
          if (lookRight(line.segments.slice(segmentIndex + 1), segment, field, accept)) return;
          if (cell && !cellFirst && accept(cell.segment.text, cell.segment, 0, false)) return;
          if (besideWrappedLabel(page.lines, lineIndex, segment, field, accept)) return;
          lookBelow(page.lines.slice(lineIndex + 1), segment, field, accept);
        };
        for (const { match, offset } of readings) {
          if (offset > 0 && match?.label.field === readings[0]!.match?.label.field) continue; // one field, one reading per segment
          readLabel(match, offset);
        }
      });
    });
  }
  return candidates;
}

const OUR_REFERENCE = /^our\s*ref/i;

// A web shop's invoice may print only the order's date ("Order date: March 5, 2024", "Bestelldatum"): the date
// the sale was made, a weak invoice date kept as a fallback that rivals no invoice date.
const ORDER_EVENT = /\b(?:order|booking|bestell|commande|pedido)/;
const ORDER_DATE_STANDS_IN = 0.6;
// "Buyer's Order No.   Dated" over their values: a bare date label in the cell right of an order's is the order's
const BARE_DATE = /^(?:date|dated|datum|vom|du|fecha|data)$/;
const ORDER_CELL_GAP_PT = 200;

/**
 * The order's date as a weak stand-in for the invoice date: printed under its own label ("Order date"), or
 * under a bare date label in the cell right of the order number's ("Buyer's Order No.   Dated").
 */
function orderDateStandIn(
  match: LabelMatch | null,
  segment: TextSegment,
  before: TextSegment | undefined,
  dates: DateReading,
): LabelMatch | null {
  if (match?.label.field === 'invoiceDate' && before && BARE_DATE.test(normaliseLabel(match.printed))) {
    const left = labelOf(before.text, dates);
    const gap = segment.box.x - (before.box.x + before.box.width);
    // a copy, so the caller sees it stands in
    if (left?.label.field === 'poNumbers' && !left.rest && gap <= ORDER_CELL_GAP_PT) return { ...match };
  }
  if (match?.label.field !== 'otherDate' || !ORDER_EVENT.test(normaliseLabel(match.printed))) return match;
  return { ...match, label: { ...match.label, field: 'invoiceDate' } };
}

/** Below a label's strength, a value read under a paired label: split from its partner by a slash. */
const PAIRED_PENALTY = 0.02;

/**
 * Two fields under one label and their values printed the same way ("Rechnungs-Nr. / Datum" beside or over
 * "RE-2024-0815 / 05.03.2024"): a candidate for each, when exactly one split of the value reads as both.
 * The values are inline, in the next cell on the line, or in the cell under the label.
 */
function readPairedLabel(
  page: PageText,
  lineIndex: number,
  segmentIndex: number,
  dates: DateReading,
  candidates: Candidate[],
): boolean {
  const line = page.lines[lineIndex]!;
  const segment = line.segments[segmentIndex]!;
  // read as one label already, unless as another date only ("Rechnungsdatum/Lieferdatum": the words find "Lieferdatum")
  if ((labelOf(segment.text, dates)?.label.field ?? 'otherDate') !== 'otherDate') return false;
  const paired = pairedLabel(segment.text, dates);
  if (!paired) return false;
  const beside = line.segments[segmentIndex + 1];
  const next = page.lines[lineIndex + 1];
  const under =
    next && line.baseline - next.baseline <= 2.5 * segment.fontSize
      ? next.segments.find((s) => Math.abs(s.box.x - segment.box.x) <= 5)
      : undefined;
  const places: Array<{ source: TextSegment; text: string; offset: number; below: boolean }> = [
    ...(paired.rest ? [{ source: segment, text: paired.rest, offset: paired.restStart, below: false }] : []),
    ...(beside && beside.box.x - (segment.box.x + segment.box.width) <= MAX_TEXT_GAP_PT
      ? [{ source: beside, text: beside.text, offset: 0, below: false }]
      : []),
    ...(under ? [{ source: under, text: under.text, offset: 0, below: true }] : []),
  ];
  for (const place of places) {
    const values = splitValues(paired.labels, place.text, dates);
    if (!values) continue;
    values.forEach((value, i) => {
      const { label } = value;
      if (NOT_CANDIDATES.has(label.field)) return; // "Rechnungsdatum / Lieferdatum": the delivery's date is no field
      const start = place.offset + value.start;
      candidates.push({
        field: label.field,
        value: value.value,
        currency: null,
        confidence: label.strength - PAIRED_PENALTY - (place.below ? 0.01 : 0),
        notes: [
          `Next to the label "${paired.printed}"${place.below ? ' (value below it)' : ''}, ${values.length === 1 ? 'one date for both' : `the ${i === 0 ? 'first' : 'second'} of its two values`}.`,
        ],
        provenance: {
          page: page.page,
          box: subBox(place.source, start, start + value.length),
          source: page.source ?? 'text',
          label: paired.printed,
        },
        order: page.page * 10_000 + lineIndex,
      });
    });
    return true;
  }
  return false;
}

// the heading of a party's block: whatever is numbered under it is the party's (its customer or supplier number)
const PARTY_HEADING =
  /^(?:verk(?:a|ae)ufer|k(?:a|ae)ufer|lieferant|kunde|rechnungsempf(?:a|ae)nger|leistungsempf(?:a|ae)nger|warenempf(?:a|ae)nger|zahlungsempf(?:a|ae)nger|seller|buyer|supplier|vendor|customer|client|bill(?:ed)? to|ship to|sold to|payee|fournisseur|vendeur|acheteur|leverancier|klant|koper|proveedor|comprador|cliente|fornitore)\b/;

/** Whether a segment stands in a block headed by a party ("Verkäufer" / "Nummer: 549910"). */
function inPartyBlock(page: PageText, segment: TextSegment): boolean {
  return stackAbove(page, segment).some((above) => PARTY_HEADING.test(normaliseLabel(above.text)));
}

/** Generic number labels giving different numbers ("Nummer: 549910" and "Nummer: GE2020211"): none says which is the invoice's. */
function demoteGenericNumbers(candidates: Candidate[]): void {
  const generic = candidates.filter(
    (c) => c.field === 'invoiceNumber' && isGenericNumberLabel(c.provenance.label ?? ''),
  );
  if (new Set(generic.map((c) => String(c.value))).size < 2) return;
  for (const candidate of generic) {
    if (candidate.confidence <= GENERIC_NUMBER) continue;
    candidate.confidence = GENERIC_NUMBER;
    candidate.notes.push(`${WEAK_EVIDENCE} other numbers stand beside the same bare label.`);
  }
}

// "Bitte überweisen Sie den Rechnungsbetrag bis zum 17.12.2025", "Please pay by 12/31/2025", "à régler avant le 31/12/2025"
const PROSE_DUE =
  /(?<!\p{L})(?:(?:über|ueber)weisen|zahlen|zahlbar|bezahlen|begleichen|pay|payable|remit|settle|payer|r[ée]gler|r[ée]glement|betalen|voldoen|overmaken|pagar|pagadero|pagare|saldare)\b[^.:;]{0,60}?\b(?:bis (?:zum |spätestens )?|spätestens (?:am |bis )?|by |before |no later than |on or before |avant le |au plus tard le |v[óo]{2}r |uiterlijk |antes del? |entro il )(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})\b/iu;

// A direct debit on a date: "Der Betrag … wird am 20.03.2014 von Ihrem Konto … eingezogen", "will be debited
// from your account on 03/20/2014", "sera prélevé le 20/03/2014" (SEPA pre-notification): the payment's due date.
const PROSE_DEBIT =
  /(?<!\p{L})(?:(?:wird|werden)\s+(?:am|zum)\s+(?=\d{1,2}\.\d{1,2}\.\d{2,4}\s+(?:von|vom|bei)\s+(?:Ihrem|deinem|dem)\s+Konto)|(?:debited|collected|withdrawn|drawn)\s+(?:from\s+your\s+(?:bank\s+)?account\s+)?on\s+|(?:sera|seront)\s+pr[ée]lev[ée]e?s?\s+(?:sur\s+votre\s+compte\s+)?le\s+)(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})\b/iu;

// The due date named in a sentence, without a label's colon: "wir würden dann zu der Fälligkeit 21.05.2014
// den Beitrag … abbuchen", "payment is due on 05/21/2014", "à l'échéance du 21/05/2014".
const PROSE_DUE_WORD =
  /(?<!\p{L})(?:f[äa]lligkeit|due\s+on|[ée]ch[ée]ance\s+du|vervaldag|vencimiento\s+el)\s+(?:am\s+)?(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})\b/iu;

/** A due date written only in a sentence asking for payment by a date: weaker than any labelled due date. */
function dueDatesInProse(pages: PageText[], dates: DateReading): Candidate[] {
  const found: Candidate[] = [];
  for (const page of pages) {
    page.lines.forEach((line, lineIndex) => {
      for (const segment of line.segments) {
        const debit = PROSE_DEBIT.exec(segment.text);
        const asked = PROSE_DUE.exec(segment.text);
        const m = asked ?? debit ?? PROSE_DUE_WORD.exec(segment.text);
        const date = m ? parseDate(m[1]!, dates.order) : null;
        if (!m || !date) continue;
        const start = m.index + m[0].length - m[1]!.length;
        const notes = [
          m === asked
            ? 'Written in a sentence asking for payment by that date; no label names it.'
            : m === debit
              ? 'Written in a sentence saying the amount is debited from the account on that date; no label names it.'
              : 'Written in a sentence naming it as the date payment is due; no label names it.',
        ];
        if (date.ambiguous)
          notes.push(`"${m[1]}" read as ${dates.order === 'MDY' ? 'month/day' : 'day/month'}: ${dates.why}`);
        found.push({
          field: 'dueDate',
          value: date.value,
          currency: null,
          notes,
          confidence: 0.85 - (date.ambiguous ? dates.penalty : 0),
          provenance: {
            page: page.page,
            box: subBox(segment, start, start + m[1]!.length),
            source: page.source ?? 'text',
            label: m[0].slice(0, m[0].length - m[1]!.length).trim(),
          },
          order: page.page * 10_000 + lineIndex,
        });
      }
    });
  }
  return found;
}
const ITEM_SEPARATOR = /\s+[·•|–—]\s+/g;

/** Labels that start an item after a separator inside one segment ("… · Vencimiento: 14/01/2026"), with where the item starts. */
function itemsAfterSeparators(text: string, dates: DateReading): Array<{ match: LabelMatch | null; offset: number }> {
  return [...text.matchAll(ITEM_SEPARATOR)]
    .map((separator) => {
      const offset = separator.index + separator[0].length;
      return { match: labelOf(text.slice(offset), dates), offset };
      // a tax id inside a footer sentence is the scanner's (tax-ids.ts), which knows the well-formed ones from a SIRET
    })
    .filter((item) => item.match?.rest && item.match.label.field !== 'vendorTaxId');
}

type Accept = (text: string, source: TextSegment, start: number, below: boolean, weak?: string) => boolean;
/** A value that is one of several rows under its label, none of them their sum: which row is the field's is not known. */
const WEAK_ROW = 0.7;

function lookRight(segments: TextSegment[], labelSegment: TextSegment, field: LabelledField, accept: Accept): boolean {
  const amount = AMOUNT_FIELDS.has(field);
  const stop = segments.findIndex((s) => labelOf(s.text));
  const before = segments.slice(0, stop < 0 ? segments.length : stop);
  // Amounts take the rightmost value before the next label ("Tax  19 %  190.00"); text takes the nearest.
  const ordered = amount ? before.reverse() : before;
  const labelRight = labelSegment.box.x + labelSegment.box.width;
  return ordered.some((s) => (amount || s.box.x - labelRight <= MAX_TEXT_GAP_PT) && accept(s.text, s, 0, false));
}

/**
 * "Customer Order" over "Ref:" with "7719-B" right of the pair, between their baselines: a label wrapped onto a
 * second line of its cell, its value centred beside the two lines.
 */
function besideWrappedLabel(
  lines: TextLine[],
  lineIndex: number,
  labelSegment: TextSegment,
  field: LabelledField,
  accept: Accept,
): boolean {
  const { x, y, width, height } = labelSegment.box;
  const right = x + width;
  const near = lines.slice(lineIndex + 1, lineIndex + 4).filter((l) => y - l.segments[0]!.box.y <= 1.8 * height);
  const rest = near.flatMap((l) => l.segments);
  // the label's second line: under it, starting within it, no digits, and the two lines together still the same label
  const second = rest.find(
    (s) =>
      s.box.x >= x - 2 &&
      s.box.x <= right &&
      !/\d/.test(s.text) &&
      labelOf(`${labelSegment.text} ${s.text}`)?.label.field === field &&
      (labelOf(s.text)?.label.field ?? field) === field,
  );
  if (!second) return false;
  const labelEnd = Math.max(right, second.box.x + second.box.width);
  // between the two baselines, not on either: a value on the second line's is that line's own ("Bestellung" over
  // "Lieferavis  : L8765…": two labels, the second with its value)
  const baseline = (t: TextSegment) => t.box.y + 0.25 * t.fontSize;
  const [top, bottom] = [baseline(labelSegment), baseline(second)];
  const margin = 0.2 * (top - bottom);
  const value = rest.find(
    (s) =>
      s !== second &&
      baseline(s) < top - margin &&
      baseline(s) > bottom + margin &&
      s.box.x > labelEnd &&
      s.box.x - labelEnd <= MAX_TEXT_GAP_PT &&
      !labelOf(s.text),
  );
  return !!value && accept(value.text, value, 0, false);
}

/** The label a segment makes with the line under it ("Conditions de" + "règlement"), when that is a label without a value. */
function wrappedLabelPair(
  lines: TextLine[],
  lineIndex: number,
  first: TextSegment,
  dates: DateReading,
): LabelMatch | null {
  const { x, y, width, height } = first.box;
  for (const line of lines.slice(lineIndex + 1, lineIndex + 4)) {
    if (y - line.segments[0]!.box.y > 1.8 * height) break;
    const second = line.segments.find((s) => s.box.x >= x - 2 && s.box.x <= x + width && !/\d/.test(s.text));
    const match = second ? labelOf(`${first.text} ${second.text}`, dates) : null;
    if (match && !match.rest) return { ...match, printed: `${first.text} ${second!.text}`.replace(/[\s:]+$/, '') };
  }
  return null;
}

// a label that stops mid-way: a second language's first word ("… / Uw"), a hyphen, a linking word ("Date of")
const OPEN_LABEL = / \/ \S+$|[-/]$|\s(?:de|of|van|di|del|der|du|des|d')$/i;

function lookBelow(lines: TextLine[], labelSegment: TextSegment, field: LabelledField, accept: Accept): void {
  const { x, width, y, height } = labelSegment.box;
  let label = labelSegment.text;
  let reach = 2.6 * height;
  for (const line of lines) {
    if (y - line.segments[0]!.box.y > reach) return;
    const below = line.segments.find((s) => s.box.x < x + width + 5 && s.box.x + s.box.width > x - 5);
    if (!below) {
      // ERP print layouts: "Rechnungsnummer" over "471102" at the right edge of the form, just under the label's line
      const right = line.segments.find((s) => s.box.x >= x + width && s.box.x - (x + width) <= MAX_TEXT_GAP_PT);
      if (
        right &&
        y - line.segments[0]!.box.y <= 1.6 * height &&
        !labelOf(right.text) &&
        accept(right.text, right, 0, true)
      )
        return;
      continue;
    }
    // a label wrapped in its cell ("Votre commande / Uw" over "bestelling"): its value is under the last line
    if (
      OPEN_LABEL.test(label) &&
      !/\d/.test(below.text) &&
      labelOf(`${label} ${below.text}`)?.label.field === field &&
      (labelOf(below.text)?.label.field ?? field) === field
    ) {
      label = `${label} ${below.text}`;
      reach += below.box.height * 1.6;
      continue;
    }
    if (labelOf(below.text)) return;
    // a tax summary table ("Base imponible" over one row per rate and a row of sums): the sum row is the field's;
    // without one, the first row is one of several, each of which adds up on its own (net + tax = gross per rate)
    const column = AMOUNT_FIELDS.has(field) ? amountColumnBelow(lines.slice(lines.indexOf(line)), below) : [];
    const sum = sumRow(column);
    const weak =
      !sum && column.length >= 2
        ? `one of ${column.length} rows of amounts under "${label}", and none is the sum of those above it.`
        : undefined;
    accept((sum ?? below).text, sum ?? below, 0, true, weak);
    return;
  }
}

/**
 * The amounts stacked in a column from `first` down: each under the one before (within 2.6 times the tallest
 * cell so far, so that a sum row after a blank line still belongs to rows in smaller type), none a label.
 */
function amountColumnBelow(lines: TextLine[], first: TextSegment): TextSegment[] {
  // a column of sums starts with an amount: text under the label ("siehe unten", OCR noise) heads no such column
  if (!parseAmount(first.text)) return [];
  const column = [first];
  for (const line of lines.slice(1)) {
    const previous = column[column.length - 1]!;
    const tallest = Math.max(...column.map((c) => c.box.height));
    // a loosely set table: a blank line is two of its own rows, whatever the type size
    const pitch = column.length >= 2 ? column[0]!.box.y - column[1]!.box.y : 0;
    const cell = line.segments.find(
      (s) => s.box.x < first.box.x + first.box.width + 5 && s.box.x + s.box.width > first.box.x - 5,
    );
    if (previous.box.y - (cell ?? line.segments[0]!).box.y > Math.max(2.6 * tallest, 2.2 * pitch)) break;
    if (!cell) continue;
    if (!parseAmount(cell.text) || labelOf(cell.text)) break;
    column.push(cell);
  }
  return column;
}

/** The first of the stacked amounts, from the third on, that is the sum of those above it (amounts after it are another table's). */
function sumRow(column: TextSegment[]): TextSegment | null {
  const cents = column.map((s) => Math.round(Number(parseAmount(s.text)!.value) * 100));
  let above = 0;
  for (const [k, value] of cents.entries()) {
    if (k >= 2 && value !== 0 && value === above) return column[k]!;
    above += value;
  }
  return null;
}

/** "4500012345" and "4500012399", "PO-7781" and "PO-10020": digits and letters in the same runs, about as long. */
const shapeOf = (token: string) =>
  token
    .toUpperCase()
    .replace(/\d+/g, '9')
    .replace(/\p{L}+/gu, 'A');
const sameShape = (a: string, b: string) => shapeOf(a) === shapeOf(b) && Math.abs(a.length - b.length) <= 2;
const sameShapeRun = (poNumbers: string[]) => {
  const end = poNumbers.findIndex((po) => !sameShape(po, poNumbers[0]!));
  return end < 0 ? poNumbers : poNumbers.slice(0, end);
};
const LIST_WORDS = /^(?:and|und|et|en|y|&|\+|\/)$/i;
const MONEY = /[€$£¥]|\d[.,]\d{2}\)?$/;

/** A line of a PO list: nothing but PO numbers (and "and", "&" between them), each shaped like the first. */
function poListLine(text: string, first: string): string[] | null {
  if (MONEY.test(text)) return null; // "1,200.00" splits into "1" and "200.00": an amount, not two PO numbers
  const tokens = text.split(/[\s,;]+/).filter((t) => t && !LIST_WORDS.test(t));
  const poNumbers = tokens.flatMap((t) => parsePoNumbers(t));
  return tokens.length && poNumbers.length === tokens.length && poNumbers.every((po) => sameShape(po, first))
    ? poNumbers
    : null;
}

/**
 * PO numbers listed one per line under the first ("PO numbers:  4500012345" over "4500012346" over
 * "4500012399"): lines close below, each with a value aligned with the first (left or right edge), nothing in
 * the label's column, and nothing but PO numbers shaped like the first. An address, a date, an amount or the
 * next label ends the list.
 */
function poListBelow(
  page: PageText,
  label: TextSegment,
  value: BoundingBox,
  estimated: boolean,
  first: string,
): { poNumbers: string[]; box: BoundingBox; segments: TextSegment[] } {
  const poNumbers: string[] = [];
  const segments: TextSegment[] = [];
  const boxes = [value];
  const leftSlack = estimated ? label.fontSize : 3; // an inline value's left edge is estimated from its characters
  let previous = value;
  for (const line of page.lines) {
    const y = line.segments[0]!.box.y;
    if (y >= previous.y - 0.5 * label.fontSize) continue;
    if (previous.y - y > 1.8 * Math.max(previous.height, label.fontSize)) break;
    const next = line.segments.find(
      (s) => Math.abs(s.box.x - value.x) <= leftSlack || Math.abs(s.box.x + s.box.width - (value.x + value.width)) <= 3,
    );
    // the next row of a label–value table: something stands in the label's column or between it and the values
    const blocked = line.segments.some(
      (s) =>
        s !== next &&
        s.box.x < (next?.box.x ?? value.x) - 2 &&
        s.box.x + s.box.width > Math.min(label.box.x, value.x) - 5,
    );
    if (blocked) break;
    if (!next) continue;
    const listed = labelOf(next.text) ? null : poListLine(next.text, first);
    if (!listed) break;
    poNumbers.push(...listed);
    segments.push(next);
    boxes.push(next.box);
    previous = next.box;
  }
  return { poNumbers, box: unionBox(boxes), segments };
}

const within = (inner: BoundingBox, outer: BoundingBox) =>
  inner.x >= outer.x - 1 &&
  inner.y >= outer.y - 1 &&
  inner.x + inner.width <= outer.x + outer.width + 1 &&
  inner.y + inner.height <= outer.y + outer.height + 1;

/** An amount read beside a tax label on one line, and that label. */
export interface TaxPart {
  value: string;
  label: string;
}

/** Every header candidate on the pages (labels, title, sentences, prose) and the parties: what each field is picked from. */
export function headerCandidates(pages: PageText[], skipLines: Set<TextLine>) {
  const parties = findParties(pages);
  const dates = readDateOrder(pages);
  const labelled = findCandidates(pages, dates, skipLines, parties.customer);
  demoteGenericNumbers(labelled);
  const all = [
    ...labelled,
    ...titleCandidates(pages, dates),
    ...dueDatesInProse(pages, dates),
    ...sentenceCandidates(pages, dates),
  ];
  if (isCreditDocument(pages)) {
    // on a credit note, "Invoice Date" names the original invoice's date: the note's own date is "Date"
    for (const candidate of all) {
      if (candidate.field === 'invoiceDate' && /invoice|rechnung|factur/i.test(candidate.provenance.label ?? '')) {
        candidate.confidence -= 0.1;
        candidate.notes.push('On a credit note this label names the original invoice.');
        candidate.namesOther = "the original invoice's date on a credit note";
      }
    }
  }
  // beside a label naming the invoice number, "Our Ref" is the supplier's order or job number: a fallback, no rival
  if (
    all.some(
      (c) => c.field === 'invoiceNumber' && c.confidence >= 0.95 && !OUR_REFERENCE.test(c.provenance.label ?? ''),
    )
  ) {
    for (const candidate of all) {
      if (candidate.field !== 'invoiceNumber' || !OUR_REFERENCE.test(candidate.provenance.label ?? '')) continue;
      candidate.confidence -= 0.1;
      candidate.namesOther = "the supplier's own reference beside the invoice number";
    }
  }
  return { parties, labelled, all };
}

/**
 * Header fields from labels, plus every distinct tax amount (invoices with two VAT rates print two) and the
 * charges, discounts and payments printed in the totals block.
 */
export function readHeaderFields(
  pages: PageText[],
  skipLines: Set<TextLine>,
): {
  fields: HeaderFields;
  taxParts: TaxPart[];
  adjustments: Adjustment[];
  readings: Record<'total' | 'subtotal', AmountReading[]>;
} {
  const { parties, labelled, all } = headerCandidates(pages, skipLines);
  const first = (field: LabelledField) => pick(field, all, 'first');
  const last = (field: LabelledField) => pick(field, all, 'last');
  const taxParts: TaxPart[] = [
    ...new Map(
      all
        .filter((c) => c.field === 'tax')
        .map((c) => [c.order, { value: String(c.value), label: c.provenance.label ?? '' }]),
    ).values(),
  ];
  const vendorName = chooseVendor(pages, pickVendor(all, pages, parties.customer), parties.customer);
  const fields = {
    invoiceNumber: first('invoiceNumber'),
    invoiceDate: first('invoiceDate'),
    dueDate: first('dueDate'),
    vendorName,
    vendorTaxId: pick('vendorTaxId', inVendorBlock(all, pages, vendorName.value), 'first'),
    currency: pickCurrency(all, pages),
    subtotal: last('subtotal'),
    tax: last('tax'),
    total: last('total'),
    amountDue: pickAmountDue(all),
    poNumbers: pickPoNumbers(all, customerPoLabel(pages)),
    paymentTerms: first('paymentTerms'),
    billTo: parties.billTo,
    vendorEmailDomain: pickEmailDomain(pages, parties.customer),
  };
  if (fields.vendorTaxId.value === null)
    fields.vendorTaxId = scanVendorTaxId(pages, parties.customer) ?? fields.vendorTaxId;
  orderNumberForInvoiceNumber(fields, all);
  const anchors = labelled
    .filter((c) => AMOUNT_FIELDS.has(c.field) && c.provenance.box)
    .map((c) => ({ page: c.provenance.page, y: c.provenance.box!.y }));
  const block = totalsBlock(pages, anchors);
  for (const line of skipLines) block.delete(line);
  const readings = { total: amountReadings(labelled, 'total'), subtotal: amountReadings(labelled, 'subtotal') };
  return { fields, taxParts, adjustments: readAdjustments(pages, block), readings };
}

// a reference ("Your Ref") may be a PO number or a person's name: only a label naming an order says whose the order is
const ORDER_WORD = /\bp\.?\s?o\b|purchase|order|bestell|commande|pedido|ordine|compra|inkoop/i;

/** The segments stacked above `segment` at its left edge, nearest first: the block it ends (an address, a footer column). */
function stackAbove(page: PageText, segment: TextSegment): TextSegment[] {
  const stack: TextSegment[] = [];
  let previous = segment;
  for (const line of page.lines.filter((l) => l.segments[0]!.box.y > segment.box.y + 1).reverse()) {
    const gap = line.segments[0]!.box.y - previous.box.y;
    if (gap > 2.4 * Math.max(previous.fontSize, line.fontSize, 6)) break;
    const above = line.segments.find((s) => Math.abs(s.box.x - segment.box.x) <= 4);
    if (!above) continue;
    stack.push(above);
    previous = above;
    if (stack.length >= 8) break;
  }
  return stack;
}

/**
 * Tax ids when the invoice prints more than one (the customer's in an unlabelled address block, the vendor's in
 * the footer): those printed in a block under the vendor's name; all of them when no block names the vendor.
 */
function inVendorBlock(all: Candidate[], pages: PageText[], vendor: string | null): Candidate[] {
  const ids = all.filter((c) => c.field === 'vendorTaxId');
  if (!vendor || new Set(ids.map((c) => String(c.value))).size < 2) return all;
  const key = lettersAndDigits(vendor);
  if (key.length < 6) return all;
  const underVendor = ids.filter((c) => {
    const page = pages.find((p) => p.page === c.provenance.page);
    const box = c.provenance.box;
    const segment = page && box && page.lines.flatMap((l) => l.segments).find((s) => within(box, s.box));
    return (
      !!segment &&
      !!page &&
      [segment, ...stackAbove(page, segment)].some((s) => lettersAndDigits(s.text).startsWith(key))
    );
  });
  if (!underVendor.length) return all;
  for (const c of underVendor) c.notes.push("Printed in the block under the vendor's name.");
  return all.filter((c) => c.field !== 'vendorTaxId' || underVendor.includes(c));
}

/** Whether a label naming the customer's order ("Customer PO", "Your Order No.") is printed, with a value or not ("SEE LINES"). */
function customerPoLabel(pages: PageText[]): boolean {
  return pages.some((page) =>
    page.lines.some((line) =>
      line.segments.some((segment) => {
        const match = labelOf(segment.text);
        return (
          match?.label.field === 'poNumbers' && ORDER_WORD.test(match.printed) && !isGenericOrderLabel(match.printed)
        );
      }),
    ),
  );
}

/** An amount printed next to a total (or subtotal) label, with the best label it was found next to. */
export interface AmountReading {
  value: string;
  confidence: number;
  provenance: Provenance;
  notes: string[];
}

/**
 * Every distinct amount next to a label of `field`: when an invoice prints both its total and what is left to
 * pay after a deposit ("Total", "Balance due", "Reste à payer"), or a "Zwischensumme" of the lines above a
 * discount and the net sum after it, the arithmetic tells them apart.
 */
function amountReadings(labelled: Candidate[], field: 'total' | 'subtotal'): AmountReading[] {
  const best = new Map<string, Candidate>();
  for (const candidate of labelled) {
    if (candidate.field !== field) continue;
    const value = String(candidate.value);
    const known = best.get(value);
    if (!known || candidate.confidence > known.confidence) best.set(value, candidate);
  }
  return [...best.values()].map((c) => ({
    value: String(c.value),
    confidence: c.confidence,
    provenance: c.provenance,
    notes: c.notes,
  }));
}
