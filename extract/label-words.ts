// Labels by meaning rather than by exact wording: a short piece of text is classified by the words it is
// made of ("Date of Issue", "Uiterste betaaldatum", "Réf. facture", "19 % MwSt."), so label variants no
// table lists still find their field. The exact label table (labels.ts) is tried first; this is the net.
// The words are the label vocabulary's (label-vocabulary.ts); here they become patterns, once, at load.
import { withoutAccents } from './normalize.js';
import {
  ADJUSTMENT_SUM,
  AMOUNT_DUE,
  CARRIED_FORWARD,
  DATE_LABEL,
  NOT_A_LABEL as NOT_A_LABEL_WORDS,
  NOT_FOLLOWED_BY,
  NUMBER_LABEL,
  OTHER_DATE,
  PREPAID,
  TAX_ID_PARTS,
  TAX_POINT,
  TERMS_IN_TWO_LANGUAGES,
  TOTAL_INCLUDING_TAX,
  VOCABULARY,
  type ByLang,
  type Lang,
  type LabelledField,
} from './label-vocabulary.js';

/** Lower case, accents removed, punctuation to spaces (keeping "#" and "%"), single spaces. */
export function normaliseLabel(text: string): string {
  return withoutAccents(text)
    .toLowerCase()
    .replace(/n\s*\.?\s*[º°]/g, ' no ')
    .replace(/[º°]/g, ' no ')
    .replace(/[^a-z0-9#%&/ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ── From words to patterns ──────────────────────────────────────────────────────────────────────────────

/** "te betalen" but not "te betalen voor", which names the due date. */
const guarded = (word: string) => (NOT_FOLLOWED_BY[word] ? `${word}(?! ${NOT_FOLLOWED_BY[word]})` : word);

/** Words of all languages as one alternation. */
const any = (words: ByLang | string[]) =>
  [...new Set(Array.isArray(words) ? words : Object.values(words).flat())].map(guarded).join('|');

/** A field's words in the net: its labels in the table (normalised, as the net reads them) and its own words. */
function wordsOf(field: keyof typeof VOCABULARY): string {
  const entries = Object.values(VOCABULARY[field]!).flat();
  return any(
    entries.flatMap((entry) =>
      entry.kind === 'words'
        ? entry.words
        : entry.labels
            .filter((label) => !entry.exact.has(label))
            .map((label) => normaliseLabel(label).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    ),
  );
}

/** The words anywhere in the text, as words. */
const anywhere = (alternatives: string) => new RegExp(String.raw`\b(?:${alternatives})\b`);
/** The words as the whole text. */
const whole = (alternatives: string) => new RegExp(`^(?:${alternatives})$`);

// ── Patterns used on their own ──────────────────────────────────────────────────────────────────────────

/** Carried-forward rows of multi-page tables: neither a line item nor a total. */
export const CARRIED = whole(any(CARRIED_FORWARD));

const PREPAID_TOTALS = `(?:${any(PREPAID.totals)})`;
const PREPAID_WORDS = `(?:(?:${any(PREPAID.qualifiers)}) )?(?:${any(PREPAID.payments)})`;
/** "Summe der Anzahlungen", "Total prepaid", "Deposits total": a sum of prepayments, deducted from the total. */
export const PREPAID_SUM = new RegExp(
  [
    String.raw`\b${PREPAID_TOTALS} (?:(?:${any(PREPAID.of)}) )?${PREPAID_WORDS}\b`, // "Summe der Anzahlungen"
    String.raw`\b${PREPAID_WORDS} ${PREPAID_TOTALS}\b`, // "Deposits total"
  ].join('|'),
);

const NAMES_AMOUNT_DUE = anywhere(any(AMOUNT_DUE));
/** Whether a printed total label names the amount left to pay ("Zahlbetrag", "Balance due") rather than the gross total. */
export const namesAmountDue = (printed: string): boolean => NAMES_AMOUNT_DUE.test(normaliseLabel(printed));

// ── The rules of the net ────────────────────────────────────────────────────────────────────────────────

const TAX_NAME = `(?:${any(TAX_ID_PARTS.taxNames)})`;
const REGISTRATION = `(?: ?(?:${any(TAX_ID_PARTS.registration)}))?`;
const TAX_NUMBER = `(?:${any(TAX_ID_PARTS.numberWords)})`;
/** "VAT Reg. No.", "USt-IdNr.", "TVA intracom.", "NIF", "Partita IVA": at the start of the text. */
const VENDOR_TAX_ID = new RegExp(
  `^(?:${[
    String.raw`${TAX_NAME}${REGISTRATION} ?${TAX_NUMBER}\b`, // a tax's name, then a number word
    any(TAX_ID_PARTS.prefixes), // "USt-IdNr", "TVA intracom.": with any ending
    String.raw`(?:${wordsOf('vendorTaxId')})\b`, // "Steuernummer", "NIF", "Partita IVA"
  ].join('|')})`,
);

const { totals, including } = TOTAL_INCLUDING_TAX;
/** "Total inkl. MWST", "Totaal incl. BTW", "Total TVAC": a total that names the tax it includes. */
const TOTAL_INCLUDING = new RegExp(
  String.raw`\b(?:${any(totals)})\b.*\b(?:${any(including)})\b|\btvac\b`, // "TVAC" alone too
);

/** "Gesamtbetrag der Abschläge", "Total des remises": the sum of the discounts or charges. */
const ADJUSTMENTS = anywhere(
  `(?:${any(ADJUSTMENT_SUM.totals)}) (?:${any(ADJUSTMENT_SUM.of)}) (?:${any(ADJUSTMENT_SUM.adjustments)})`,
);

const events: ByLang = OTHER_DATE.events;
/** "Lieferdatum", "Ship Date", "Date de livraison": a date that is neither the invoice's nor the due date. */
const OTHER_DATES = new RegExp(
  [
    String.raw`\b(?:${any(events)})\w* ?(?:${any(OTHER_DATE.dateWords)})\b`,
    ...Object.entries(OTHER_DATE.dateFirst).map(([lang, first]) => `${first} (?:${any(events[lang as Lang] ?? [])})`),
  ].join('|'),
);

/** "Invoice Date", "Date of Issue", "Fecha de emisión", "Dated": the whole text. */
const INVOICE_DATE = whole(
  [
    // "Invoice Date", "Datum", "Date of Issue", "Fecha de la factura"
    `(?:${any(DATE_LABEL.before)})? ?(?:${any(DATE_LABEL.dateWords)})(?: (?:of )?(?:${any(DATE_LABEL.after)}))?`,
    any(DATE_LABEL.others), // "Dated", "Ausgestellt am"
  ].join('|'),
);

const { documents, numberWords, numberFirst, others, alone } = NUMBER_LABEL;
/** "Invoice No.", "N° de facture", "Rechnungsnummern", "Folio": at the start of the text. */
const INVOICE_NUMBER = new RegExp(
  `^(?:${[
    `(?:${any(documents)})s? ?(?:${any(numberWords)})(?![a-z0-9])`, // "Invoice No.", "Credit notes #"
    // "N° de facture", "Número de factura"
    `(?:${any(numberFirst.numberWords)}) (?:(?:${any(numberFirst.of)}) )?(?:${any(numberFirst.documents)})`,
    any(others), // "Rechnungsnummern", "Re.-Nr.", "Fattura n.", "Folio"
    `(?:${any(alone)})$`, // "Nummer" alone
  ].join('|')})`,
);

type Rule = [WordField | 'adjustmentSum', RegExp];
// Order matters: the first rule that fits wins ("Total VAT" is tax, "Balance due" a total, "Tax ID" an id).
const RULES: Rule[] = [
  ['carried', CARRIED],
  ['invoiceDate', whole(any(TAX_POINT))],
  ['vendorTaxId', VENDOR_TAX_ID],
  ['total', TOTAL_INCLUDING],
  // a sum of the discounts, charges or prepayments, never the invoice's total
  ['adjustmentSum', ADJUSTMENTS],
  ['adjustmentSum', PREPAID_SUM],
  ['subtotal', anywhere(wordsOf('subtotal'))],
  // "Btw-bedrag" run together with the word before it
  ['tax', new RegExp(String.raw`\b(?:${wordsOf('tax')})\b|btw bedrag`)],
  ['total', anywhere(wordsOf('total'))],
  ['dueDate', anywhere(wordsOf('dueDate'))],
  ['otherDate', OTHER_DATES],
  ['invoiceDate', INVOICE_DATE],
  ['invoiceNumber', INVOICE_NUMBER],
  ['poNumbers', anywhere(wordsOf('poNumbers'))],
  ['paymentTerms', anywhere(wordsOf('paymentTerms'))],
  ['currency', whole(wordsOf('currency'))],
  ['billTo', whole(wordsOf('billTo'))],
];

// Values that read like labels: payment terms ("Due on receipt"), not the label before them.
// Nor is an address ("P.O. Box 1190", "Postfach 12 34") or the vendor's own order number ("Sales Order
// SO-771408", "Unsere Auftragsnummer"): neither is the customer's purchase order.
const NOT_A_LABEL = anywhere(any(Object.values(NOT_A_LABEL_WORDS).flatMap((kind) => Object.values(kind).flat())));

// "Conditions / Voorwaarden": alone each word is too vague to be a label, in two languages it names the terms
const BILINGUAL_TERMS = whole(any(TERMS_IN_TWO_LANGUAGES));

// "Auftrag-Nr-Lief", "Supplier order no.": a word naming the seller makes an order number the seller's own
const SELLERS_OWN = anywhere(wordsOf('vendorName'));

export type WordField = LabelledField | 'carried' | 'otherDate';

/** The field a short label text names, by its words; null when it names none or is too long to be a label. */
export function classifyLabel(text: string): WordField | null {
  const label = normaliseLabel(
    text.replace(/(?:^|\s)\(?\d{1,2}(?:[.,]\d{1,2})?\s*%\)?/g, ' ').replace(/[@à]\s*$/u, ''),
  );
  if (!label || label.split(' ').length > 6 || label.length > 60 || /\d{3,}/.test(label) || NOT_A_LABEL.test(label))
    return null;
  // "Invoice date / tax point": two names for one field
  const parts = label.split(' / ');
  if (parts.length > 1) {
    // a part naming nothing is a word the line wrapped off ("Votre commande / Uw" over "bestelling")
    const named = parts.map(
      (part) => RULES.find(([, rule]) => rule.test(part))?.[0] ?? (BILINGUAL_TERMS.test(part) ? 'paymentTerms' : null),
    );
    const fields = new Set(named.filter((f) => f !== null));
    const unnamed = named.filter((f) => f === null).length;
    const only = fields.size === 1 ? [...fields][0]! : null;
    return only !== null &&
      only !== 'adjustmentSum' &&
      (unnamed === 0 ||
        (named[0] !== null && parts.filter((_, i) => named[i] === null).every((p) => /^[a-z]{1,4}$/.test(p))))
      ? only
      : null;
  }
  const field = RULES.find(([, rule]) => rule.test(label))?.[0] ?? null;
  if (field === 'adjustmentSum') return null;
  // "Auftrag-Nr-Lief", "Supplier order no.": the seller's own order number is not the customer's purchase order
  return field === 'poNumbers' && SELLERS_OWN.test(label) ? null : field;
}
