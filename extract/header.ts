// Choosing among candidates: the best value per header field, the vendor (label or letterhead), the
// currency (label or the amounts' symbols) and whether dates read day first or month first.
import type { HeaderFields, Provenance } from '../domain/extraction.js';
import type { Candidate } from './fields.js';
import { normaliseLabel } from './label-words.js';
import {
  AMOUNT_FIELDS,
  GENERIC_NUMBER,
  labelLanguage,
  labelOf,
  type DateReading,
  type Lang,
  type LabelledField,
} from './labels.js';
import { currenciesIn, parseAmount, parseDate, parsePoNumbers, lettersAndDigits } from './normalize.js';
import { subBox, type PageText, type TextLine, type TextSegment } from './pdf-text.js';

const shown = (value: string | string[]) => (Array.isArray(value) ? value.join(', ') : value);

const LANGUAGE_NAMES: Record<Lang, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  nl: 'Dutch',
  es: 'Spanish',
  it: 'Italian',
};

const SETTLED_BY_OTHER_DATES = 'the other dates on the invoice are all written';

/**
 * Whether a date's note says its day/month order was guessed (from the language or the currency, or from a
 * majority of the other dates) rather than settled by the invoice's other dates, which all read one way.
 */
export function isDateOrderGuess(note: string): boolean {
  return / read as (?:day|month)\//.test(note) && !note.includes(`: ${SETTLED_BY_OTHER_DATES} `);
}

/** Whether "03/11/2025" means March or November: other dates first, then the language and currency. */
export function readDateOrder(pages: PageText[]): DateReading {
  let dayFirst = 0;
  let monthFirst = 0;
  const currencies = new Set<string>();
  for (const line of pages.flatMap((p) => p.lines)) {
    // only dates with a four-digit year count: "02-37-70" or "06-24-86" are more likely PO numbers
    for (const m of line.text.matchAll(/(?<!\d)(\d{1,2})[/-](\d{1,2})[/-]\d{4}(?!\d)/g)) {
      const [a, b] = [+m[1]!, +m[2]!];
      if (a > 12 && a <= 31 && b >= 1 && b <= 12) dayFirst++;
      else if (b > 12 && b <= 31 && a >= 1 && a <= 12) monthFirst++;
    }
    for (const mention of currenciesIn(line.text)) currencies.add(mention.code);
  }
  // the invoice's own dates settle the order when they all agree; a mix is a majority, not evidence
  if (dayFirst > 0 && monthFirst === 0) return { order: 'DMY', penalty: 0, why: `${SETTLED_BY_OTHER_DATES} day first` };
  if (monthFirst > 0 && dayFirst === 0)
    return { order: 'MDY', penalty: 0, why: `${SETTLED_BY_OTHER_DATES} month first` };
  if (dayFirst > monthFirst)
    return { order: 'DMY', penalty: 0.05, why: 'most other dates on the invoice are written day first' };
  if (monthFirst > dayFirst)
    return { order: 'MDY', penalty: 0.05, why: 'most other dates on the invoice are written month first' };
  // the labels' language, only when no date settles the order
  const language = labelLanguage(pages.flatMap((p) => p.lines.flatMap((l) => l.segments.map((s) => s.text))));
  if (language && language !== 'en')
    return { order: 'DMY', penalty: 0.02, why: `the invoice is in ${LANGUAGE_NAMES[language]}` };
  if (language === 'en' && currencies.size === 1 && currencies.has('USD'))
    return { order: 'MDY', penalty: 0.01, why: 'a US invoice (English, USD)' };
  if (language === 'en' && currencies.size > 0 && !currencies.has('USD'))
    return { order: 'DMY', penalty: 0.05, why: 'English without US dollars' };
  return {
    order: 'MDY',
    penalty: 0.15,
    why: 'nothing on the invoice shows the date order, so US month/day is assumed',
  };
}

export interface Picked {
  value: string | null;
  confidence: number;
  provenance?: Provenance;
  notes: string[];
}

const FIELD_WORDS: Record<LabelledField, string> = {
  invoiceNumber: 'invoice number',
  invoiceDate: 'invoice date',
  dueDate: 'due date',
  vendorName: 'vendor name',
  vendorTaxId: 'vendor tax ID',
  currency: 'currency',
  subtotal: 'subtotal',
  tax: 'tax amount',
  total: 'total',
  amountDue: 'amount due',
  poNumbers: 'PO number',
  paymentTerms: 'payment terms',
  billTo: 'customer',
  vendorEmailDomain: 'e-mail domain',
  carried: 'carried-forward sum',
  otherDate: 'other date',
};

/** The best candidate for a field; a different value found next to an equally good label lowers confidence. */
export function pick(field: LabelledField, all: Candidate[], prefer: 'first' | 'last'): Picked {
  const found = all
    .filter((c) => c.field === field)
    .sort((a, b) => b.confidence - a.confidence || (prefer === 'first' ? a.order - b.order : b.order - a.order));
  const best = found[0];
  if (!best) return { value: null, confidence: 0, notes: [`No ${FIELD_WORDS[field]} found next to a label.`] };
  // not rivals: the same value cut at a cell's edge ("F2025-11-" of "F2025-11-0457"), and a value whose label
  // names something else on this document (a credit note's "Invoice Date" is the original invoice's)
  const cutShort = (c: Candidate) => /[-/.]$/.test(String(c.value)) && String(best.value).startsWith(String(c.value));
  const others = found.filter((c) => String(c.value) !== String(best.value) && !cutShort(c));
  const rivals = others.filter((c) => !c.namesOther && c.confidence >= best.confidence - 0.1 - 1e-9);
  const notes = [
    ...best.notes,
    ...rivals.map(
      (r) => `Also found "${shown(r.value)}" next to "${r.provenance.label}" on page ${r.provenance.page}.`,
    ),
  ];
  for (const other of others.filter((c) => c.namesOther && best !== c))
    notes.push(`"${shown(other.value)}" next to "${other.provenance.label}" is ${other.namesOther}.`);
  const confidence = rivals.length ? Math.min(best.confidence, 0.7) : best.confidence;
  return { value: String(best.value), confidence, provenance: best.provenance, notes };
}

// "Order No." alone names whose order it is no more than "Order Date" does: beside a customer PO label it is the
// vendor's own order (its sales order) number, not the customer's purchase order.
const GENERIC_ORDER =
  /^(?:order|orders|auftrag|auftrags|commande|pedido|ordine|bestelling|order)[\s.-]*(?:no|nr|number|num|numero|nummer|id|#|n°|nº)?[\s.:#]*$/i;

/** Whether a PO label says whose order it is ("Customer PO", "Your Order", "Ihre Bestellung"), unlike a bare "Order No.". */
export const isGenericOrderLabel = (printed: string) => GENERIC_ORDER.test(printed.trim());

/** The PO numbers; `customerPoLabel`: the document prints a label naming the customer's order, so bare "Order No." values are not POs. */
export function pickPoNumbers(all: Candidate[], customerPoLabel = false): HeaderFields['poNumbers'] {
  const labelled = all.filter((c) => c.field === 'poNumbers').sort((a, b) => a.order - b.order);
  const found = customerPoLabel ? labelled.filter((c) => !isGenericOrderLabel(c.provenance.label ?? '')) : labelled;
  const poNumbers = [...new Set(found.flatMap((c) => c.value))];
  const first = found[0];
  if (!first) return { value: null, confidence: 0, notes: ['No PO number found next to a label.'] };
  const notes = found.length > 1 ? [...first.notes, `PO numbers collected from ${found.length} labels.`] : first.notes;
  let confidence = Math.max(...found.map((c) => c.confidence));
  // "Bestellung: 2013-471331" and "Rechnung gemäß Bestellung Nr. 2018-471331", "Bestell-Nr" and "Ihr Zeichen":
  // different labels giving different numbers may be one order and a reference, or two readings of one
  const labels = new Set(found.map((c) => normaliseLabel(c.provenance.label ?? '')));
  if (labels.size > 1 && poNumbers.length > 1) {
    confidence = Math.min(confidence, RIVALS_CAP);
    notes.push(
      `${WEAK_EVIDENCE} ${labels.size} different labels give different numbers; a clerk decides which are purchase orders.`,
    );
  }
  // "Order ID", "Order #", "Ordernummer", "Auftragsnummer" name the order a web shop or the seller keeps: often not the customer's
  if (found.every((c) => SELLERS_ORDER.test(normaliseLabel(c.provenance.label ?? '')))) {
    confidence = Math.min(confidence, GENERIC_ORDER_CAP);
    notes.push(`${WEAK_EVIDENCE} the label does not say the order is the customer's.`);
  }
  return { value: poNumbers, confidence, provenance: first.provenance, notes };
}
// "PO-8812", "PO# 4711", "P.O. 7700123": a number that names itself a purchase order ("P.O. Box 77" does not)
const SELF_NAMED_PO =
  /(?<![\p{L}\d])P\.?\s?O\.?\s*(?:(?:#|No\.?|Nr\.?|Number)\s*)?(?:[:-]\s*)?\d[\w/-]{2,29}(?![\p{L}\d])/u;
const SELF_NAMED_CONFIDENCE = 0.85;

/**
 * Without a PO label, a number printed with the PO prefix on page 1 outside the item table ("Reference:
 * PO-8812"): the prefix says what it is, but not whose order it is; below auto-approval, the match decides.
 */
export function selfNamedPoNumbers(pages: PageText[], itemLines: Set<TextLine>): HeaderFields['poNumbers'] | null {
  const page = pages[0];
  if (!page) return null;
  for (const line of page.lines) {
    if (itemLines.has(line)) continue;
    for (const segment of line.segments) {
      const found = SELF_NAMED_PO.exec(segment.text);
      const value = found && parsePoNumbers(found[0]);
      if (!found || !value?.length) continue;
      return {
        value,
        confidence: SELF_NAMED_CONFIDENCE,
        provenance: {
          page: page.page,
          box: subBox(segment, found.index, found.index + found[0].length),
          source: page.source ?? 'text',
        },
        notes: [
          `Printed with the PO prefix ("${found[0]}"), without a PO label: whose order it is, the match decides.`,
        ],
      };
    }
  }
  return null;
}

// "Order #", "Order No.", "Order ID", "Booking ID" alone: the order a web shop or a travel seller keeps, not the buyer's
const SELLERS_ORDER =
  /^(?:orders?|order ?(?:id|#|no|nr|number|num|ref(?:erence)?)|ordernummer|ordernr|order nr|auftrags? ?(?:nummer|nr|no)?|booking ?(?:id|#|no|nr|number|ref(?:erence)?))$/;

/**
 * A web shop's receipt that prints no invoice number, only its order number ("Order #100234781", "Booking ID"):
 * the order number stands in for the invoice number, as weak evidence no check raises to auto-approval, and is
 * then no purchase order of the customer's.
 */
export function orderNumberForInvoiceNumber(fields: HeaderFields, all: Candidate[]): void {
  if (fields.invoiceNumber.value !== null) return;
  const order = all
    .filter((c) => c.field === 'poNumbers' && SELLERS_ORDER.test(normaliseLabel(c.provenance.label ?? '')))
    .sort((a, b) => a.order - b.order)[0];
  const value = order && [order.value].flat()[0];
  if (!order || !value) return;
  const label = order.provenance.label ?? 'order';
  fields.invoiceNumber = {
    value,
    confidence: GENERIC_NUMBER,
    provenance: order.provenance,
    notes: [
      `${WEAK_EVIDENCE} no invoice number is printed; the seller's order number beside "${label}" stands in for it.`,
    ],
  };
  const rest = (fields.poNumbers.value ?? []).filter((po) => po !== value);
  const why = `"${value}" beside "${label}" is the seller's order number, read as the invoice number.`;
  fields.poNumbers = rest.length
    ? { ...fields.poNumbers, value: rest, notes: [...fields.poNumbers.notes, why] }
    : { value: null, confidence: 0, notes: [why, 'No purchase order number is printed.'] };
}
const RIVALS_CAP = 0.7;
const GENERIC_ORDER_CAP = 0.85;
/** A note that says the evidence is weak: no check may raise such a field to the auto-approval level. */
export const WEAK_EVIDENCE = 'Weak evidence:';

// Document titles in six languages; a title is never the vendor's name, and is cut off a name it runs into.
const TITLE_WORDS =
  "(?:tax\\s+|vat\\s+|sales\\s+|commercial\\s+|pro[\\s-]?forma\\s+|final\\s+)?(?:invoice|fattura|nota\\s+di\\s+credito|rechnung(?:skorrektur)?|facture(?:\\s+d['’]avoir)?|factuur|factura(?:\\s+rectificativa)?|credit\\s*(?:note|memo)|creditnota|creditfactuur|gutschrift|avoir|nota\\s+de\\s+cr[ée]dito|abono|rectificativa|debit\\s+note|statement)";
const TITLE = new RegExp(`^${TITLE_WORDS}\\b`, 'i');
const TITLE_ONLY = new RegExp(`^${TITLE_WORDS}$`, 'i');
const TRAILING_TITLE = new RegExp(`\\s+${TITLE_WORDS}$`, 'i');
const LEADING_TITLE = new RegExp(`^${TITLE_WORDS}\\s+(?=\\S)`, 'i');
const LEGAL_FORM =
  /\b(?:inc|llc|ltd|limited|corp|corporation|co|company|gmbh|ag|kg|kgaa|ohg|ug|e\.\s?k|se|s\.?a|s\.?a\.?s|sarl|b\.?v|n\.?v|s\.?l|s\.?p\.?a|s\.?r\.?l|plc|llp|lp|pty)\.?(?:\s*&\s*co\.?(?:\s*kg)?)?$/i;

/** "F A C T U U R", "FA C T U U R": a title printed letter-spaced, read as the word it spells. */
const unspaced = (text: string) =>
  /^(?:\p{L}{1,2} )+\p{L}{1,2}$/u.test(text.trim()) ? text.replace(/\s+/g, '') : text.trim();

/** Whether a text is a document title and nothing else ("INVOICE", "Sales Invoice", "F A C T U U R"): never a vendor's name. */
export const isDocumentTitle = (text: string) => TITLE_ONLY.test(unspaced(text));

/** The first item of a letterhead line ("Rapid MRO Supply, Inc. · 2200 Commerce Pkwy · Dayton, OH"): the name. */
const firstItem = (text: string) => text.split(/\s+[·•|]\s+/)[0]!.replace(/[\s,;]+$/, '');

/** Without a "From:" label, the vendor is usually the largest name at the top of page 1 (a letterhead). */
/** Below this recogniser confidence an OCR'd segment is too unsure to be the letterhead's name. */
const MIN_OCR_NAME_CONFIDENCE = 0.6;
/** How far apart two sizes OCR estimated may be and still be one printed size. */
const OCR_SIZE_NOISE = 0.12;

function prominentName(page: PageText, customerBlock: Set<TextSegment>): Picked | null {
  const sizes = page.lines.flatMap((l) => l.segments.map((s) => s.fontSize)).sort((a, b) => a - b);
  const body = sizes[Math.floor(sizes.length / 2)] ?? 0;
  const customer = new Set<TextSegment>(); // the line under "Bill To:" names the customer, not the vendor
  const eligible: Array<{ segment: TextSegment; name: string }> = [];
  page.lines.forEach((line, index) => {
    line.segments.forEach((segment, position) => {
      const match = labelOf(segment.text);
      const next = page.lines[index + 1]?.segments.find((s) => Math.abs(s.box.x - segment.box.x) < 5);
      if (match?.label.field === 'billTo' && !match.rest && next) customer.add(next);
      const before = line.segments[position - 1];
      const afterLabel =
        before &&
        !TITLE.test(before.text) &&
        segment.box.x - (before.box.x + before.box.width) < 120 &&
        labelOf(before.text);
      // a title printed close to the name runs into it ("Acme LLC  INVOICE"): the title is not part of the name
      const name = segment.text.replace(TRAILING_TITLE, '').replace(LEADING_TITLE, '');
      const titleOnly = isDocumentTitle(segment.text);
      if (match || afterLabel || segment.box.y < page.height * 0.55 || titleOnly || TITLE.test(name)) return;
      if (!/\p{L}{2}/u.test(name) || parseDate(name) || parseAmount(name)) return;
      // a logo or a stamp OCR made letters of ("Fe RD —" at 50 %) is no name, however large
      if (segment.confidence !== undefined && segment.confidence < MIN_OCR_NAME_CONFIDENCE) return;
      eligible.push({ segment, name });
    });
  });
  const vendorSide = eligible.filter(({ segment: s }) => !customer.has(s) && !customerBlock.has(s));
  // OCR estimates a size from the ink: sizes within OCR_SIZE_NOISE of each other are one size, the higher line first
  const noise = page.source === 'ocr' ? OCR_SIZE_NOISE : 0;
  const bySize = (a: TextSegment, b: TextSegment) =>
    Math.abs(a.fontSize - b.fontSize) > noise * Math.max(a.fontSize, b.fontSize) ? b.fontSize - a.fontSize : 0;
  const chosen = [...vendorSide].sort((a, b) => bySize(a.segment, b.segment) || b.segment.box.y - a.segment.box.y)[0];
  if (!chosen) return null;
  const best = chosen.segment;
  const name = withWrappedLines(page, best, chosen.name);
  const larger = best.fontSize >= 1.25 * body;
  // a logo mark ("ACME", "MIDLANDS FIXINGS") stands for the company name printed smaller near it
  // ("RAPIDMRO" over "Rapid MRO Supply, Inc. · 2200 Commerce Pkwy · …": the first item of a letterhead line)
  const legalName = LEGAL_FORM.test(name)
    ? undefined
    : vendorSide
        .map(({ segment, name: n }) => ({ segment, name: LEGAL_FORM.test(n) ? n : firstItem(n) }))
        .find(({ segment, name: n }) => segment !== best && LEGAL_FORM.test(n) && abbreviates(name, n));
  if (legalName) {
    const notes = [
      `No vendor label; "${name}" heads page 1 and stands for "${legalName.name}", printed near it with a company legal form.`,
    ];
    return {
      value: legalName.name,
      confidence: 0.9,
      provenance: { page: page.page, box: legalName.segment.box, source: page.source ?? 'text' },
      notes,
    };
  }
  const legalForm = LEGAL_FORM.test(name);
  const mark = /^[\p{Lu}\d&. -]{2,6}$/u.test(name); // a bare acronym is a logo, not a name
  const confidence = mark ? 0.6 : larger ? (legalForm ? 0.95 : 0.88) : legalForm ? 0.7 : 0.5;
  const why = larger
    ? 'the largest name at the top of page 1'
    : 'the first name at the top of page 1 (nothing stands out)';
  const notes = [
    `No vendor label; taken from ${why}${legalForm ? ', with a company legal form' : ''}${mark ? ' (it looks like a logo mark, not a full name)' : ''}.`,
  ];
  return {
    value: name,
    confidence,
    provenance: { page: page.page, box: best.box, source: page.source ?? 'text' },
    notes,
  };
}

/** A letterhead name wrapped onto the next line ("Ateliers Mécaniques" / "du Rhône"): same size, same left edge. */
function withWrappedLines(page: PageText, first: TextSegment, name: string): string {
  let joined = name;
  let previous = first;
  if (LEGAL_FORM.test(name)) return name;
  for (const line of page.lines) {
    const next = line.segments.find(
      (s) =>
        s.box.y < previous.box.y - 0.5 * previous.fontSize &&
        Math.abs(s.box.x - previous.box.x) <= 2 &&
        Math.abs(s.fontSize - previous.fontSize) <= (page.source === 'ocr' ? OCR_SIZE_NOISE * previous.fontSize : 0.5),
    );
    if (!next) {
      // a line below in another column (a remit-to box beside the letterhead) does not end the name
      if (
        line.segments.some(
          (s) =>
            s.box.y < previous.box.y - 0.5 * previous.fontSize &&
            s.box.x < previous.box.x + previous.box.width &&
            s.box.x + s.box.width > previous.box.x,
        )
      )
        break;
      continue;
    }
    if (
      previous.box.y - next.box.y > 1.5 * previous.fontSize ||
      !/^\p{L}/u.test(next.text) ||
      labelOf(next.text) ||
      TITLE.test(next.text) ||
      next.text === previous.text ||
      // an address line under the name ("Plot 5, GIDC Vapi") is no part of it; "du Rhône", "Inc." are
      (/\d/.test(next.text) && !LEGAL_FORM.test(next.text))
    )
      break;
    joined = `${joined} ${next.text}`;
    previous = next;
    if (LEGAL_FORM.test(joined)) break;
  }
  return joined;
}

/** Whether a short mark stands for a full name: its first words ("MIDLANDS FIXINGS") or an acronym of it ("SAT"). */
function abbreviates(mark: string, full: string): boolean {
  const [short, long] = [lettersAndDigits(mark), lettersAndDigits(full)];
  if (short.length < 2 || short.length >= long.length) return false;
  if (long.startsWith(short) && /\s/.test(mark.trim())) return true;
  // a mark run together from the name's first words ("RAPIDMRO" for "Rapid MRO Supply, Inc.")
  const words = full.split(/\s+/).map(lettersAndDigits);
  for (let k = 2, run = words[0]!; k <= words.length && run.length <= short.length; run += words[k - 1]!, k++)
    if (run === short) return true;
  if (!/^[\p{Lu}\d&. -]{2,6}$/u.test(mark.trim()) || short[0] !== long[0]) return false;
  let at = 0;
  for (const c of short) {
    at = long.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** Of two printings of one name that differ only in case, punctuation or a legal form one of them leaves off, the fuller one; else null. */
function sameNameFuller(a: string, b: string): string | null {
  const [ka, kb] = [lettersAndDigits(a), lettersAndDigits(b)];
  if (ka === kb) return a.length >= b.length ? a : b;
  const [short, long, longName] = ka.length < kb.length ? [ka, kb, b] : [kb, ka, a];
  return short.length >= 4 &&
    long.startsWith(short) &&
    LEGAL_FORM.test(longName) &&
    /^[a-z]{2,6}$/.test(long.slice(short.length))
    ? longName
    : null;
}

export function pickVendor(all: Candidate[], pages: PageText[], customer = new Set<TextSegment>()): Picked {
  const labelled = pick('vendorName', all, 'first');
  const prominent = pages[0] ? prominentName(pages[0], customer) : null;
  if (!prominent) return labelled;
  if (labelled.value === null) return prominent;
  if (labelled.value.toLowerCase() === prominent.value?.toLowerCase()) {
    return {
      ...labelled,
      confidence: Math.max(labelled.confidence, 0.98),
      notes: [...labelled.notes, 'The same name heads page 1.'],
    };
  }
  // "Ohio Valley Industrial Supply," under "Remit to", its legal form wrapped onto the next line: the same name
  const fuller = prominent.value ? sameNameFuller(labelled.value, prominent.value) : null;
  if (fuller) {
    const [chosen, other] = fuller === prominent.value ? [prominent, labelled] : [labelled, prominent];
    return {
      ...chosen,
      confidence: Math.max(chosen.confidence, 0.98),
      notes: [...chosen.notes, `The same name is printed again ("${other.value}").`],
    };
  }
  const [winner, other] = labelled.confidence >= 0.95 ? [labelled, prominent] : [prominent, labelled];
  return {
    ...winner,
    confidence: Math.min(winner.confidence, 0.75),
    notes: [...winner.notes, `But "${other.value}" is also a candidate.`],
  };
}

export function pickCurrency(all: Candidate[], pages: PageText[] = []): Picked {
  const labelled = pick('currency', all, 'first');
  if (labelled.value) return labelled;
  const priced = all
    .filter((c) => AMOUNT_FIELDS.has(c.field) && c.currency)
    .sort((a, b) => (a.field === 'total' ? -1 : 0) - (b.field === 'total' ? -1 : 0));
  const first = priced[0];
  if (!first?.currency) return currencyElsewhere(pages);
  const codes = new Set(priced.map((c) => c.currency!.code));
  const dollar = first.currency.from === 'symbol' && first.currency.code === 'USD';
  if (dollar && codes.size === 1) {
    // "$3,674.72" beside "Total CAD": the code printed on the invoice says which dollar
    const printed = currencyElsewhere(pages);
    if (printed.value && OTHER_DOLLARS.has(printed.value) && !printed.notes.some((n) => n.startsWith('Other codes'))) {
      return {
        value: printed.value,
        confidence: 0.95,
        provenance: printed.provenance,
        notes: [`"$" with the code ${printed.value} printed on the invoice.`],
      };
    }
  }
  const notes = [dollar ? '"$" read as US dollars (it could also be CAD, AUD or MXN).' : 'Printed with the amounts.'];
  if (codes.size > 1) notes.push(`The amounts name several currencies: ${[...codes].join(', ')}.`);
  const confidence = codes.size > 1 ? 0.5 : dollar ? 0.85 : 0.95;
  return { value: first.currency.code, confidence, provenance: first.provenance, notes };
}

const OTHER_DOLLARS = new Set(['CAD', 'AUD', 'MXN']);

/** Amounts printed bare: a code in a column head ("Amount (EUR)") or a total's label ("Total EUR") still says it. */
function currencyElsewhere(pages: PageText[]): Picked {
  const seen = new Map<string, { count: number; provenance: Provenance }>();
  for (const page of pages) {
    for (const segment of page.lines.flatMap((l) => l.segments)) {
      for (const mention of currenciesIn(segment.text)) {
        if (mention.from !== 'code') continue;
        const entry = seen.get(mention.code) ?? {
          count: 0,
          provenance: { page: page.page, box: segment.box, source: page.source ?? 'text' },
        };
        entry.count++;
        seen.set(mention.code, entry);
      }
    }
  }
  const ranked = [...seen].sort((a, b) => b[1].count - a[1].count);
  const best = ranked[0];
  if (!best) return { value: null, confidence: 0, notes: ['No currency symbol or code printed on the invoice.'] };
  const notes = ['The amounts carry no currency; the code printed elsewhere on the invoice.'];
  if (ranked.length > 1)
    notes.push(
      `Other codes printed: ${ranked
        .slice(1)
        .map(([code]) => code)
        .join(', ')}.`,
    );
  return { value: best[0], confidence: ranked.length > 1 ? 0.6 : 0.85, provenance: best[1].provenance, notes };
}
