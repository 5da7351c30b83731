// The exact label table: the printed labels ("Invoice No.", "Rechnungsnummer", …) per field and language,
// from the label vocabulary (label-vocabulary.ts), and labelOf(), which tells whether a piece of text is one
// of them, or names a field by its words (label-words.ts), and whether the value after it fits.
import type { HeaderFieldName } from '../domain/extraction.js';
import {
  NUMBER_WORDS,
  STRONG,
  TITLE_ONLY,
  VOCABULARY,
  WEAK,
  type Lang,
  type LabelledField,
} from './label-vocabulary.js';
import { classifyLabel, normaliseLabel } from './label-words.js';
import {
  CREDIT_MARK,
  currenciesIn,
  parseAmount,
  parseDate,
  parsePoNumbers,
  startsWithDate,
  withoutAccents,
  type CurrencyMention,
  type DateOrder,
} from './normalize.js';

export type { Lang, LabelledField } from './label-vocabulary.js';
interface Label {
  field: LabelledField;
  lang: Lang;
  strength: number;
  regex: RegExp;
  words: string[];
}

const accented = (c: string) => c.length === 1 && withoutAccents(c).length === 1 && withoutAccents(c) !== c;

// Label syntax: a space matches any whitespace or none, '.' and '-' are optional.
function label(field: LabelledField, lang: Lang, strength: number, alternatives: string[]): Label {
  const toRegex = (alt: string) =>
    [...alt]
      .map((c) =>
        c === ' '
          ? '\\s*'
          : c === '.'
            ? '\\.?'
            : c === '-'
              ? '[-\\s]?'
              : accented(c)
                ? `[${c}${withoutAccents(c)}]` // "Fälligkeit" also as OCR prints it, "Falligkeit"
                : c.replace(/[\\^$*+?()[\]{}|/]/, '\\$&'),
      )
      .join('');
  const source = [...alternatives]
    .sort((a, b) => b.length - a.length)
    .map(toRegex)
    .join('|');
  return {
    field,
    lang,
    strength,
    regex: new RegExp(`^(?:${source})`, 'iu'),
    words: alternatives.flatMap((alt) => alt.split(/[\s.#°º/-]+/)).filter(Boolean),
  };
}

// "Nummer:", "Nr.:", "No." alone: the number of whatever the block is about (the seller, the customer, an
// article) at least as often as the invoice's; a fallback only, never enough to book without a clerk
export const GENERIC_NUMBER = 0.6;
const GENERIC_NUMBER_LABEL = new RegExp(`^(?:${NUMBER_WORDS.join('|')})$`);
export const isGenericNumberLabel = (printed: string) => GENERIC_NUMBER_LABEL.test(normaliseLabel(printed));
const LABELS: Label[] = Object.entries(VOCABULARY).flatMap(([field, languages]) =>
  Object.entries(languages).flatMap(([lang, entries]) =>
    entries.flatMap((entry) =>
      entry.kind === 'labels' ? [label(field as HeaderFieldName, lang as Lang, entry.strength, entry.labels)] : [],
    ),
  ),
);

export interface LabelMatch {
  label: Label;
  printed: string;
  rest: string;
  restStart: number;
}

const WORD_LABEL = 0.9;

/**
 * A label found by its words (label-words.ts) when the table has no exact wording for it: the text before
 * a colon, or the longest run of leading words whose remainder is a value the field accepts, or the whole
 * segment when its value stands elsewhere (right of it or below).
 */
function matchByWords(text: string, dates: DateReading): LabelMatch | null {
  const make = (field: LabelledField, printed: string, restStart: number): LabelMatch => {
    const after = text.slice(restStart);
    const cut = /^[\s:#]*/.exec(after)![0].length;
    return {
      label: { field, lang: 'en', strength: WORD_LABEL, regex: /$^/, words: [] },
      printed: printed.replace(/[\s:]+$/, ''),
      rest: after.slice(cut).trim(),
      restStart: restStart + cut,
    };
  };
  const colon = text.indexOf(':');
  if (colon > 0) {
    const field = classifyLabel(text.slice(0, colon));
    if (field) return make(field, text.slice(0, colon), colon + 1);
    // a colon further on belongs to a later item ("GST Reg. No. 81234 5678 RT0001  Pay by EFT: …"): read the words before it
    if (!/\d/.test(text.slice(0, colon))) return null;
  }
  // a segment without digits is all label ("Customer Order"), unless its words name nothing
  const whole = classifyLabel(text);
  if (whole && !/\d/.test(text)) return make(whole, text, text.length);
  const words = [...text.matchAll(/\S+/g)];
  // shortest first: "VAT Registration Number GB 123…" is the label up to "Number", and the id keeps its "GB"
  for (let k = 1; k <= Math.min(words.length - 1, 6); k++) {
    const end = words[k - 1]!.index + words[k - 1]![0].length;
    const field = classifyLabel(text.slice(0, end));
    if (field && /\p{L}/u.test(text.slice(0, end)) && parseValue(field, text.slice(end).trim(), WORD_LABEL, dates))
      return make(field, text.slice(0, end), end);
  }
  return whole && !/\d{2,}/.test(text.replace(/\d{1,2}(?:[.,]\d{1,2})?\s*%/, ''))
    ? make(whole, text, text.length)
    : null;
}

/**
 * "TVA / BTW BE 0456.789.123", "MWST CHE-116.281.710": the tax's name before a VAT number (a country prefix and
 * digits) labels the vendor's tax id, not a tax amount.
 */
// VAT number prefixes (EU member states, GB and XI, Swiss CHE)
const VAT_PREFIXES = 'AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI|CHE';
const TAX_WORD_THEN_ID = new RegExp(String.raw`^([^\d:]{2,30}?)[\s:.]+((?:${VAT_PREFIXES})[\s-]?\d[\dA-Z .-]{5,22})$`);

function taxIdAfterTaxWord(text: string): LabelMatch | null {
  const found = TAX_WORD_THEN_ID.exec(text.trim());
  if (!found || classifyLabel(found[1]!) !== 'tax' || !parseValue('vendorTaxId', found[2]!, WEAK, ANY_ORDER))
    return null;
  const restStart = text.indexOf(found[2]!);
  return {
    label: { field: 'vendorTaxId', lang: 'en', strength: WEAK, regex: /$^/, words: [] },
    printed: found[1]!.trim(),
    rest: found[2]!.trim(),
    restStart,
  };
}

/** The longest label a segment starts with, and what follows it ("Invoice No.: 1001" → "1001"). */
function matchLabel(text: string, dates: DateReading = ANY_ORDER): LabelMatch | null {
  const taxId = taxIdAfterTaxWord(text);
  if (taxId) return taxId;
  const table = matchTable(text);
  const words = matchByWords(text, dates);
  // "Customer Order: 4711" starts with the table's "Customer", but the label is "Customer Order": the longer reading wins
  if (table && words && words.label.field !== table.label.field && words.printed.length > table.printed.length)
    return words;
  // "Date of Issue" starts with the table's "Date", but "of Issue" is no date: let the words decide then.
  if (table && (!table.rest || parseValue(table.label.field, table.rest, table.label.strength, dates))) return table;
  return words ?? table;
}

// a rate of one or two digits run onto a tax's name, then a space, a bracket, "%" or the end
const GLUED_RATE = /^\d{1,2}(?:[.,]\d{1,2})?(?=[\s(%]|$)/;

function matchTable(text: string): LabelMatch | null {
  let best: LabelMatch | null = null;
  for (const label of LABELS) {
    const printed = label.regex.exec(text)?.[0];
    if (!printed) continue;
    // a tax named with its rate run on, as invoicing apps let users name taxes: "IGST18 (18%)", "CGST9", "VAT20"
    const glued = label.field === 'tax' ? (GLUED_RATE.exec(text.slice(printed.length))?.[0] ?? '') : '';
    // a label ends where a word ends: "PO801801" is a PO number, not the label "PO" before "801801"
    if (!glued && /[\p{L}\d]$/u.test(printed) && /^[\p{L}\d]/u.test(text.slice(printed.length))) continue;
    if (
      best &&
      (printed.length < best.printed.length ||
        (printed.length === best.printed.length && label.strength <= best.label.strength))
    )
      continue;
    const after = text.slice(printed.length + glued.length);
    // "Steuerbetrag in EUR  56,87", "Total in €": the currency the amount is in is part of the label
    const skipped =
      /^(?:\s+in(?:\s+(?:[A-Z]{3}|[€$£]))?(?=\s|$))?[\s:#]*(?:(?:@|at|à)?\s*\(?\s*\d{1,2}(?:[.,]\d{1,2})?\s*%\s*\)?[\s:]*)?/.exec(
        after,
      )![0];
    const keepRate = label.field !== 'tax' && /%/.test(skipped); // a rate is noise only after a tax label
    const cut = keepRate ? /^[\s:#]*/.exec(after)![0].length : skipped.length;
    best = {
      label,
      printed: (printed + glued).trim(),
      rest: after.slice(cut).trim(),
      restStart: printed.length + glued.length + cut,
    };
  }
  return best;
}

export const AMOUNT_FIELDS = new Set<LabelledField>(['subtotal', 'tax', 'total']);

export interface DateReading {
  order: DateOrder;
  penalty: number;
  why: string;
}

type Parsed = { value: string | string[]; currency?: CurrencyMention | null; penalty?: number; note?: string };

/** How much less an invoice number printed in digit groups is trusted: where it ends is a guess. */
const SPACED_NUMBER_PENALTY = 0.15;

/**
 * "471 1 02": a number followed by short groups of digits, as OCR splits a number with uneven gaps (or a
 * page prints one in groups). The groups are read as one number, and never at full confidence: "12345 1"
 * may as well be a number and something else.
 */
function spacedDigits(token: string, after: string[]): Parsed | null {
  if (!/\d$/.test(token)) return null;
  const groups: string[] = [];
  for (const next of after) {
    if (!/^\d{1,4}$/.test(next) || token.length + groups.join('').length + next.length > 40) break;
    groups.push(next);
  }
  if (!groups.length) return null;
  const printed = [token, ...groups].join(' ');
  return {
    value: [token, ...groups].join(''),
    penalty: SPACED_NUMBER_PENALTY,
    note: `Printed in groups ("${printed}"): read as one number.`,
  };
}

export function parseValue(field: LabelledField, printed: string, strength: number, dates: DateReading): Parsed | null {
  // "Beleg-Nr    : R87654321012345": the label's colon printed in the value's column
  const text = printed.replace(/^:\s*/, '');
  switch (field) {
    case 'invoiceNumber': {
      const tokens = text.replace(/^(?:#|No\.?|Nr\.?|N°)\s*/i, '').split(/\s+/);
      const token = tokens[0] ?? '';
      // beside a bare title: a number of some length, not a date or a page count ("INVOICE  1 of 2"), nor another
      // invoice referred to with its date ("Bezug: Rechnung 2025-8812 vom 03.11.2025")
      if (
        strength <= TITLE_ONLY &&
        (token.replace(/\W/g, '').length < 3 ||
          parseDate(token) ||
          /^\d+\s+(?:of|von|de|sur|van|di)\s+\d+/i.test(text) ||
          /^\S+\s+(?:vom|v\.|du|van|del|dated|of|from)\s/i.test(text))
      )
        return null;
      if (!/\d/.test(token) || !/^[A-Z0-9][A-Z0-9\-/_.]{0,39}$/i.test(token)) return null;
      return spacedDigits(token, tokens.slice(1)) ?? { value: token };
    }
    case 'invoiceDate':
    case 'dueDate': {
      const date = startsWithDate(text) ? parseDate(text, dates.order) : null;
      if (!date) return null;
      return date.ambiguous
        ? {
            value: date.value,
            penalty: dates.penalty,
            note: `"${text}" read as ${dates.order === 'MDY' ? 'month/day' : 'day/month'}: ${dates.why}`,
          }
        : { value: date.value };
    }
    case 'subtotal':
    case 'tax':
    case 'total': {
      const amount = parseAmount(text);
      // A generic label ("Net", "Summe") needs a real money value next to it, not "Net 30".
      // a negative amount's mark after it ("120.00 CR", SAP's "595,00-", "(150.00)") is no part of its decimals
      const decimals = /[.,]\d{2}$/.test(text.trim().replace(CREDIT_MARK, '').replace(/[-)]$/, ''));
      if (!amount || (strength < STRONG && !amount.currency && !decimals)) return null;
      return { value: amount.value, currency: amount.currency };
    }
    case 'poNumbers': {
      const poNumbers = parsePoNumbers(text);
      return poNumbers.length ? { value: poNumbers } : null;
    }
    case 'vendorTaxId': {
      // "DE 811 234 567 · Amtsgericht …" → "DE811234567": ID-like tokens, a two-letter country prefix allowed
      const tokens = text.split(/\s+/);
      const end = tokens.findIndex(
        (t, i) => !(/^[A-Z0-9\-/.]+$/i.test(t) && (/\d/.test(t) || (i === 0 && /^[A-Z]{2}$/.test(t)))),
      );
      const id = canonicalTaxId(tokens.slice(0, end < 0 ? tokens.length : end).join(''));
      return /\d/.test(id) && id.length >= 5 && id.length <= 25 ? { value: id } : null;
    }
    case 'currency': {
      const mention = currenciesIn(text)[0];
      return mention ? { value: mention.code, currency: mention } : null;
    }
    case 'otherDate':
      return parseDate(text, dates.order) ? { value: text } : null;
    case 'carried':
      return parseAmount(text) ? { value: text } : null;
    case 'vendorEmailDomain':
      return null;
    case 'paymentTerms': {
      // terms end where the next sentence or the next "·"-separated item begins; bank details are not terms
      const terms = text.split(/\s+[·•|–—]\s+|(?<=\p{Ll}{2})\.\s+(?=\p{Lu})/u)[0]!.trim();
      return /\p{L}/u.test(terms) &&
        terms.length <= 120 &&
        !/\b(?:IBAN|BIC|SWIFT)\b/.test(terms) &&
        !parseDate(terms) &&
        !parseAmount(terms)
        ? { value: terms }
        : null;
    }
    default: // vendorName, paymentTerms, billTo
      // "Lieferant GmbH" read as the label "Lieferant" and the value "GmbH": a legal form alone is nobody's name
      if (field === 'vendorName' && LEGAL_FORM_ONLY.test(text.trim())) return null;
      return /\p{L}/u.test(text) && text.length <= 120 && !parseDate(text) && !parseAmount(text)
        ? { value: text }
        : null;
  }
}

const LEGAL_FORM_ONLY =
  /^(?:gmbh(?:\s*&\s*co\.?\s*kg)?|ag|kg|kgaa|ohg|ug|se|e\.?\s?k\.?|inc|llc|ltd|limited|corp|co|plc|llp|lp|s\.?a\.?s?|sarl|s\.?l|b\.?v|n\.?v|s\.?p\.?a|s\.?r\.?l|pty)\.?$/i;

// For deciding whether a segment is a label, any date order will do: both readings parse or neither does.
const ANY_ORDER: DateReading = { order: 'MDY', penalty: 0, why: '' };

/**
 * A label standing as a label: alone ("Total:") or followed by a value it accepts ("Total: 12.00").
 * "Net 30" starts with the label "Net" but is not one.
 */
export function labelOf(text: string, dates: DateReading = ANY_ORDER): LabelMatch | null {
  // every reading pass asks about the same segments again: remember the answers (pure in text and date order)
  const key = `${dates.order}\u0000${text}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const result = readLabel(text, dates) ?? misreadLabel(text, dates);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, result);
  return result;
}

/** The language most of these texts' labels are in (the first seen of equals); undefined when none is a label. */
export function labelLanguage(texts: Iterable<string>): Lang | undefined {
  const counts = new Map<Lang, number>();
  for (const text of texts) {
    const lang = labelOf(text)?.label.lang;
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function readLabel(text: string, dates: DateReading, inTwoLanguages = true): LabelMatch | null {
  const match = matchLabel(text, dates);
  if (match && (!match.rest || parseValue(match.label.field, match.rest, match.label.strength, dates))) return match;
  return inTwoLanguages ? bilingualLabel(text, dates) : null;
}

const LANGUAGE_SEPARATOR = ' / ';
// a part's note in brackets: "Zwischensumme (ohne USt.)", "Subtotal (excl. VAT)"
const withoutAside = (text: string) => text.replace(/\s*\([^()]*\)/g, '').trim();

/**
 * One label in two languages ("Zwischensumme (ohne USt.) / Subtotal (excl. VAT)", "USt. 19% / VAT 19%",
 * "Rechnungsnummer / Invoice number: 4711"): the first part a label alone, the second the same field's label,
 * with the value after it or elsewhere. Parts naming two fields are no label.
 */
function bilingualLabel(text: string, dates: DateReading): LabelMatch | null {
  const at = text.indexOf(LANGUAGE_SEPARATOR);
  if (at < 1) return null;
  const first = matchLabel(withoutAside(text.slice(0, at)), dates);
  if (!first || first.rest) return null;
  const start = at + LANGUAGE_SEPARATOR.length;
  const tail = text.slice(start);
  const bare = matchLabel(withoutAside(tail), dates);
  if (bare && !bare.rest && bare.label.field === first.label.field)
    return { label: weaker(first.label, bare.label), printed: text.trim(), rest: '', restStart: text.length };
  const second = readLabel(tail, dates, false); // two languages, not a chain of them
  if (!second || second.label.field !== first.label.field) return null;
  return {
    label: weaker(first.label, second.label),
    printed: text.slice(0, start) + second.printed,
    rest: second.rest,
    restStart: start + second.restStart,
  };
}
const weaker = (a: Label, b: Label) => (a.strength <= b.strength ? a : b);

/** Two fields under one label, and their values printed the same way ("Rechnungs-Nr. / Datum  RE-17 / 05.03.2024"). */
export interface PairedLabel {
  labels: [Label, Label];
  printed: string;
  /** The values, when printed after the label in the same text. */
  rest: string;
  restStart: number;
}

// "Rechnungs-Nr. / Datum", "Beleg-Nr./-Datum", "Invoice No. / Date": two labels, then the values, if inline
const PAIRED = /^(.{2,40}?)\s*\/\s*(-?\p{L}[^/:]{0,30}?)\s*(?::\s*|$|\s{2,})(.*)$/u;
// the first label's stem when the second only gives its ending ("Rechnungs-Nr. / -datum": "Rechnungsdatum")
const NUMBER_ENDING = /[\s-]*(?:nr|nummer|no|number|n°)\.?$/iu;

/**
 * Two labels naming two different fields printed as one ("Rechnungs-Nr. / Datum", "Invoice No. / Date",
 * "Beleg-Nr./-Datum"), each a label alone: its values are printed the same way, "RE-2024-0815 / 05.03.2024"
 * (splitValues). One field named twice is a label in two languages (bilingualLabel), not this.
 */
export function pairedLabel(text: string, dates: DateReading = ANY_ORDER): PairedLabel | null {
  const parts = PAIRED.exec(text.trim());
  if (!parts) return null;
  const [, head, tail, rest] = parts as unknown as [string, string, string, string];
  const second = tail.startsWith('-') ? head.replace(NUMBER_ENDING, '') + tail.slice(1) : tail;
  const [a, b] = [matchLabel(withoutAside(head), dates), matchLabel(withoutAside(second), dates)];
  if (!a || !b || a.rest || b.rest || a.label.field === b.label.field) return null;
  const restStart = rest ? text.lastIndexOf(rest) : text.length;
  return { labels: [a.label, b.label], printed: text.slice(0, restStart).replace(/[:\s]+$/, ''), rest, restStart };
}

/**
 * The values under a paired label, split at a slash so that each half reads as its field's value
 * ("RE-2024-0815 / 05.03.2024"; "ASI/245/24-25 / 05.03.2024" splits at the slash whose halves both read).
 * The invoice's date paired with another date ("Rechnungsdatum/Lieferdatum  05 März 2024") may print one date
 * for both: it is the invoice date. Null when no split or more than one split reads.
 */
export function splitValues(labels: [Label, Label], text: string, dates: DateReading): PairedValue[] | null {
  if (text.length > MAX_PAIRED_VALUES) return null;
  const splits: PairedValue[][] = [];
  for (const slash of text.matchAll(/\s*\/\s*/g)) {
    const at = slash.index + slash[0].length;
    const first = wholeValue(labels[0], text.slice(0, slash.index).trim(), dates);
    const second = wholeValue(labels[1], text.slice(at).trim(), dates);
    if (first && second)
      splits.push([
        { ...first, label: labels[0], start: text.search(/\S/) },
        { ...second, label: labels[1], start: at },
      ]);
  }
  if (splits.length === 1) return splits[0]!;
  const invoiceDate = labels.find((l) => l.field === 'invoiceDate');
  if (splits.length || !invoiceDate || !labels.some((l) => l.field === 'otherDate')) return null;
  const both = wholeValue(invoiceDate, text.trim(), dates);
  return both ? [{ ...both, label: invoiceDate, start: text.search(/\S/) }] : null;
}

// two values of a header cell are short; a longer text is a sentence or hostile, and each slash is one more reading
const MAX_PAIRED_VALUES = 120;

export interface PairedValue {
  label: Label;
  value: string;
  /** Where the value starts in the text it was split from. */
  start: number;
  length: number;
}

/** The value of a paired label's field when `half` is that value and nothing more. */
function wholeValue(label: Label, half: string, dates: DateReading): Omit<PairedValue, 'start' | 'label'> | null {
  const parsed = half ? parseValue(label.field, half, label.strength, dates) : null;
  if (!parsed || typeof parsed.value !== 'string') return null;
  // a date of up to three words ("5 March 2024") and no other slash-set item; any other value exactly as printed
  const date = label.field === 'invoiceDate' || label.field === 'dueDate';
  const whole = date ? half.split(/\s+/).length <= 3 && !/\s\/|\/\s/.test(half) : parsed.value === half;
  return whole ? { value: parsed.value, length: half.length } : null;
}

/** A value beside a label read with a letter corrected is never read at the auto-approval confidence on the label alone. */
const MISREAD_LABEL = 0.85;
/** The label words of eight letters or more, accents left off: what a letter misread by OCR is checked against. */
const LONG_LABEL_WORDS = [
  ...new Set(
    LABELS.flatMap((l) => l.words.map((w) => withoutAccents(w.toLowerCase())).filter((w) => /^\p{L}{8,}$/u.test(w))),
  ),
];

// Letters OCR may have misread in a label word of this many letters or more: two ("Rechhungsdetum"), else one.
const TWO_MISREAD_FROM = 12;

/**
 * A label with letters misread by OCR ("Steuerbetrac in EUR 0,00", "Rechnungsnumner", "Rechhungsdetum"): the
 * text's first word of eight letters or more that differs from one label word in one letter (two in a word
 * of twelve or more), and from no other label word as little, is read as that word. Same length, so the
 * value's place in the text does not move; only when the text then reads as a label.
 */
function misreadLabel(text: string, dates: DateReading): LabelMatch | null {
  const word = /^[^\p{L}]*(\p{L}{8,})/u.exec(text);
  if (!word) return null;
  const printed = withoutAccents(word[1]!.toLowerCase());
  if (LONG_LABEL_WORDS.includes(printed)) return null;
  const most = printed.length >= TWO_MISREAD_FROM ? 2 : 1;
  const off = (w: string) =>
    w.length === printed.length ? [...w].filter((c, i) => c !== printed[i]).length : Infinity;
  const offs = LONG_LABEL_WORDS.map(off);
  const fewest = Math.min(...offs);
  const near = fewest <= most ? LONG_LABEL_WORDS.filter((_, i) => offs[i] === fewest) : [];
  if (near.length !== 1) return null;
  const start = word.index + word[0].length - word[1]!.length;
  const match = readLabel(text.slice(0, start) + near[0]! + text.slice(start + near[0]!.length), dates);
  return (
    match && {
      ...match,
      label: { ...match.label, strength: Math.min(match.label.strength, MISREAD_LABEL) },
      printed: text.slice(0, match.printed.length),
    }
  );
}

const MEMO_LIMIT = 20_000;
const memo = new Map<string, LabelMatch | null>();

/** Tax ids without the spaces, dots and dashes vendors print for readability; a US EIN keeps its dash. */
export function canonicalTaxId(printed: string): string {
  const id = printed.toUpperCase().replace(/\s+/g, '');
  return /^\d{2}-\d{7}$/.test(id) ? id : id.replace(/[.\-/]/g, '');
}
