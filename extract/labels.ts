// Label table: the printed labels ("Invoice No.", "Rechnungsnummer", …) per field and language, and
// labelOf(), which tells whether a piece of text is one of them and whether the value after it fits.
import type { HeaderFieldName } from '../domain/extraction.js';
import { classifyLabel, normaliseLabel } from './label-words.js';
import {
  currenciesIn,
  parseAmount,
  parseDate,
  parsePoNumbers,
  startsWithDate,
  withoutAccents,
  type CurrencyMention,
  type DateOrder,
} from './normalize.js';

/** A header field, or a label that names something we must not mistake for one (a delivery date, a carried-forward sum). */
export type LabelledField = HeaderFieldName | 'carried' | 'otherDate';
export type Lang = 'en' | 'de' | 'fr' | 'nl' | 'es' | 'it';
interface Label {
  field: LabelledField;
  lang: Lang;
  strength: number;
  regex: RegExp;
  words: string[];
}

const accented = (c: string) => c.length === 1 && withoutAccents(c).length === 1 && withoutAccents(c) !== c;

// Label syntax: '|' separates alternatives, a space matches any whitespace or none, '.' and '-' are optional.
function label(field: LabelledField, lang: Lang, strength: number, alternatives: string): Label {
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
  const source = alternatives
    .split('|')
    .sort((a, b) => b.length - a.length)
    .map(toRegex)
    .join('|');
  return {
    field,
    lang,
    strength,
    regex: new RegExp(`^(?:${source})`, 'iu'),
    words: alternatives.split(/[|\s.#°º/-]+/).filter(Boolean),
  };
}

const STRONG = 0.97;
const WEAK = 0.9; // generic words ("Date", "Net", "Summe") that are labels only most of the time
const TITLE_ONLY = 0.85; // a document title read as the invoice number's label: no rival to a label naming the number
// "Nummer:", "Nr.:", "No." alone: the number of whatever the block is about (the seller, the customer, an
// article) at least as often as the invoice's; a fallback only, never enough to book without a clerk
export const GENERIC_NUMBER = 0.6;
const GENERIC_NUMBER_LABEL = /^(?:number|nummer|numero|no|nr|n|num|#)$/;
export const isGenericNumberLabel = (printed: string) => GENERIC_NUMBER_LABEL.test(normaliseLabel(printed));
const LABELS: Label[] = [
  label('invoiceNumber', 'en', STRONG, 'Invoice No.|Invoice Number|Invoice Num.|Invoice #|Inv. No.|Inv. #|Invoice Nr.'),
  label('invoiceNumber', 'de', STRONG, 'Rechnungsnummer|Rechnung Nr.|Rechnungs-Nr.|Rechnung-Nr.|Re.-Nr.|Rechnung #'),
  label('invoiceNumber', 'fr', STRONG, 'Facture N°|Facture No.|N° de facture|Numéro de facture|No. de facture'),
  label('invoiceNumber', 'nl', STRONG, 'Factuurnummer|Factuurnr.|Factuur nr.'),
  label(
    'invoiceNumber',
    'es',
    STRONG,
    'Número de factura|Factura N°|Factura Nº|Factura No.|Nº de factura|Factura N.º|Serie y folio|Folio',
  ),
  label(
    'invoiceNumber',
    'it',
    STRONG,
    'Numero fattura|Fattura n.|Fattura nr.|N. fattura|Nr. fattura|Numero documento|N. documento',
  ),
  // the supplier's own reference is often its invoice number, but as often a sales order or job number (fields.ts)
  label('invoiceNumber', 'en', WEAK, 'Our Ref.|Our Reference'),
  // the title alone, a number typed beside it ("INVOICE   25-1187"): weaker than any label naming the number
  label('invoiceNumber', 'en', TITLE_ONLY, 'Invoice'),
  label('invoiceNumber', 'de', TITLE_ONLY, 'Rechnung'),
  label('invoiceNumber', 'fr', TITLE_ONLY, 'Facture'),
  label('invoiceNumber', 'nl', TITLE_ONLY, 'Factuur'),
  label('invoiceNumber', 'es', TITLE_ONLY, 'Factura'),
  label('invoiceNumber', 'it', TITLE_ONLY, 'Fattura'),
  label('invoiceDate', 'en', STRONG, 'Invoice Date|Date of Invoice|Invoice Dated'),
  label('invoiceDate', 'en', WEAK, 'Date|Dated'),
  label('invoiceDate', 'de', STRONG, 'Rechnungsdatum'),
  label('invoiceDate', 'de', WEAK, 'Datum'),
  label('invoiceDate', 'fr', STRONG, 'Date de facture|Date de la facture|Date facture'),
  label('invoiceDate', 'nl', STRONG, 'Factuurdatum'),
  label('invoiceDate', 'es', STRONG, 'Fecha de factura|Fecha de la factura|Fecha factura'),
  label('invoiceDate', 'es', WEAK, 'Fecha'),
  label('invoiceDate', 'es', STRONG, 'Fecha de emisión|Fecha emisión'),
  label('invoiceDate', 'it', STRONG, 'Data fattura|Data documento|Data emissione|Data doc.'),
  label('invoiceDate', 'it', WEAK, 'Data'),
  label('dueDate', 'en', STRONG, 'Due Date|Payment Due|Payment Due Date|Date Due|Due'),
  label(
    'dueDate',
    'de',
    STRONG,
    'Fällig am|Fällig|Fälligkeitsdatum|Fälligkeitstag|Fälligkeitstermin|Fälligkeit|Zahlbar bis',
  ),
  label('dueDate', 'fr', STRONG, "Date d'échéance|Échéance|Date échéance"),
  label('dueDate', 'nl', STRONG, 'Vervaldatum|Te betalen voor'),
  label('dueDate', 'es', STRONG, 'Fecha de vencimiento|Vencimiento'),
  label('dueDate', 'it', STRONG, 'Scadenza|Data scadenza|Scadenze'),
  label(
    'poNumbers',
    'en',
    STRONG,
    'PO Number|PO No.|PO #|PO Nr.|P.O. Number|P.O. No.|P.O. #|P.O.|PO|Purchase Order No.|Purchase Order Number|Purchase Order #|Purchase Order|Customer PO|Customer PO No.',
  ),
  label(
    'poNumbers',
    'en',
    0.93,
    'Your Order No.|Your Order Number|Your Order|Your Ref.|Your Reference|Customer Order Ref.|Customer Order Reference|Customer Order No.|Customer Order Number|Customer Order',
  ),
  label(
    'poNumbers',
    'de',
    STRONG,
    'Bestellnummer|Bestell-Nr.|Bestellung Nr.|Ihre Bestellnummer|Ihre Bestell-Nr.|Ihre Bestellung',
  ),
  label('poNumbers', 'fr', STRONG, 'Bon de commande|N° de commande|Numéro de commande|Votre commande|Commande N°'),
  label('poNumbers', 'nl', STRONG, 'Inkoopordernummer|Inkooporder|Uw bestelling|Uw ordernummer|Bestelnummer'),
  label('poNumbers', 'es', STRONG, 'Orden de compra|Nº de pedido|Número de pedido|Su pedido'),
  label(
    'poNumbers',
    'it',
    STRONG,
    "Vs. ordine|Vs. ordine n.|Vostro ordine|Vostro ordine n.|Rif. ordine|Rif. vs. ordine|Ordine cliente|Ordine d'acquisto|N. ordine",
  ),
  label(
    'subtotal',
    'en',
    STRONG,
    'Subtotal|Sub-total|Sub Total|Net Amount|Net Total|Total Net|Total Nett|Nett Total|Total excl. VAT|Total before tax|Taxable Value|Taxable Amount|Total Taxable Value',
  ),
  label('subtotal', 'en', WEAK, 'Net'),
  label(
    'subtotal',
    'de',
    STRONG,
    'Zwischensumme|Nettobetrag|Summe netto|Gesamt netto|Nettosumme|Gesamtbeitrag|Nettobeitrag',
  ),
  // the goods' value before the invoice's discounts and charges, which the net amount (the tax basis) is after
  label('subtotal', 'de', WEAK, 'Netto|Warenwert'),
  label('subtotal', 'fr', STRONG, 'Sous-total|Total HT|Montant HT'),
  label('subtotal', 'nl', STRONG, 'Subtotaal|Totaal excl. BTW'),
  label('subtotal', 'es', STRONG, 'Base imponible|Importe neto'),
  label('subtotal', 'it', STRONG, 'Imponibile|Totale imponibile|Totale netto|Totale merce'),
  label(
    'tax',
    'en',
    STRONG,
    'Tax|Sales Tax|VAT|GST|HST|Tax Total|Total Tax|Tax Amount|VAT Amount|IGST|CGST|SGST|UTGST|Total GST',
  ),
  label(
    'tax',
    'de',
    STRONG,
    'MwSt.|Mehrwertsteuer|USt.|Umsatzsteuer|zzgl. MwSt.|zzgl. USt.|Steuerbetrag|Umsatzsteuerbetrag|MwSt.-Betrag|USt.-Betrag|Gesamtsteuerbetrag|Versicherungsteuer|Versicherungssteuer',
  ),
  label('tax', 'fr', STRONG, 'TVA|Montant TVA|Total TVA'),
  label('tax', 'nl', STRONG, 'BTW|Btw-bedrag'),
  label('tax', 'es', STRONG, 'IVA|Impuestos|Impuesto'),
  label('tax', 'it', STRONG, 'Imposta|Totale IVA|Totale imposta'),
  label(
    'total',
    'en',
    STRONG,
    'Total|Invoice Total|Total Due|Amount Due|Balance Due|Total Amount|Grand Total|Total Amount Due|Total incl. VAT|Amount Payable',
  ),
  label(
    'total',
    'de',
    STRONG,
    'Gesamtbetrag|Rechnungsbetrag|Gutschriftsbetrag|Gutschriftbetrag|Gesamtsumme|Endbetrag|Summe brutto|Bruttobetrag|Bruttosumme|Zahlbetrag|Rechnungsbeitrag',
  ),
  label('total', 'de', WEAK, 'Summe|Gesamt'),
  label('total', 'fr', STRONG, 'Total TTC|Montant TTC|Net à payer|Total à payer|Montant total'),
  label('total', 'nl', STRONG, 'Totaal|Totaal incl. BTW|Te betalen|Totaalbedrag|Factuurbedrag|Totaal factuurbedrag'),
  label('total', 'es', STRONG, 'Total factura|Importe total|Total a pagar'),
  label(
    'total',
    'it',
    STRONG,
    'Totale|Totale documento|Totale fattura|Totale da pagare|Netto a pagare|Totale a pagare',
  ),
  label('vendorName', 'en', 0.95, 'From|Vendor|Vendor Name|Supplier|Supplier Name|Seller'),
  label('vendorName', 'en', WEAK, 'Remit to|Remit Payment to|Please remit to|Make checks payable to'),
  label('vendorName', 'de', 0.95, 'Lieferant|Verkäufer|Rechnungssteller'),
  label('vendorName', 'fr', 0.95, 'Fournisseur|Vendeur'),
  label('vendorName', 'nl', 0.95, 'Leverancier'),
  label('vendorName', 'es', 0.95, 'Proveedor'),
  label(
    'vendorTaxId',
    'en',
    WEAK,
    'VAT ID|VAT No.|VAT Number|VAT Reg. No.|VAT Registration No.|Tax ID|Tax No.|Federal Tax ID|EIN|GST No.',
  ),
  // India: the GST identification number (15 characters: state code, PAN, entity, "Z", check character)
  label('vendorTaxId', 'en', WEAK, 'GSTIN|GSTIN No.|GSTIN/UIN|GST IN|GSTIN Number'),
  label('vendorTaxId', 'de', WEAK, 'USt-IdNr.|USt.-IdNr.|USt-ID|USt-Id-Nr.|Steuernummer|St.-Nr.|Steuer-Nr.'),
  label('vendorTaxId', 'fr', WEAK, 'N° TVA|TVA intracommunautaire|Numéro de TVA|SIRET'),
  label('vendorTaxId', 'nl', WEAK, 'BTW-nummer|BTW-nr.|Btw-id'),
  label('vendorTaxId', 'es', WEAK, 'NIF|CIF|RFC'),
  label('vendorTaxId', 'it', WEAK, 'Partita IVA|P. IVA|P.IVA|Codice fiscale|Cod. fiscale|C.F.'),
  label('paymentTerms', 'en', 0.95, 'Payment Terms|Terms|Terms of Payment'),
  label('paymentTerms', 'de', 0.95, 'Zahlungsbedingungen|Zahlungsbedingung|Zahlungsziel'),
  label('paymentTerms', 'fr', 0.95, 'Conditions de paiement|Conditions de règlement'),
  label('paymentTerms', 'nl', 0.95, 'Betalingsvoorwaarden|Betalingstermijn'),
  label('paymentTerms', 'es', 0.95, 'Condiciones de pago'),
  // how the money moves (a transfer, "99 Por definir"), which often carries the terms: below a terms label
  label('paymentTerms', 'es', WEAK, 'Forma de pago'),
  label('paymentTerms', 'it', 0.95, 'Condizioni di pagamento|Modalità di pagamento|Termini di pagamento|Pagamento'),
  // "Rechnungswährung: GBP" beside "Währung der Umsatzsteuerbuchung: EUR": the invoice's own currency is named as such
  label('currency', 'en', 0.98, 'Invoice Currency'),
  label('currency', 'de', 0.98, 'Rechnungswährung'),
  label('currency', 'fr', 0.98, 'Devise de facturation|Devise de la facture'),
  label('currency', 'en', STRONG, 'Currency'),
  label('currency', 'de', STRONG, 'Währung'),
  label('currency', 'fr', STRONG, 'Devise'),
  label('currency', 'nl', STRONG, 'Valuta'),
  label('currency', 'es', STRONG, 'Moneda|Divisa'),
  label('currency', 'it', STRONG, 'Valuta'),
  label('billTo', 'en', 0, 'Bill To|Billed To|Sold To|Ship To|Invoice To|Deliver To|Customer'),
  label('billTo', 'de', 0, 'Rechnungsadresse|Lieferadresse|Rechnungsempfänger|Kunde'),
  label('billTo', 'fr', 0, 'Facturé à|Adresse de facturation|Livré à|Client'),
  label('billTo', 'nl', 0, 'Factuuradres|Afleveradres|Klant'),
  label('billTo', 'es', 0, 'Facturar a|Enviar a|Cliente|Receptor'),
  label('billTo', 'it', 0, 'Spett.le|Spettabile|Destinatario|Destinazione merce|Cliente'),
];

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

function matchTable(text: string): LabelMatch | null {
  let best: LabelMatch | null = null;
  for (const label of LABELS) {
    const printed = label.regex.exec(text)?.[0];
    // a label ends where a word ends: "PO801801" is a PO number, not the label "PO" before "801801"
    if (!printed || (/[\p{L}\d]$/u.test(printed) && /^[\p{L}\d]/u.test(text.slice(printed.length)))) continue;
    if (
      best &&
      (printed.length < best.printed.length ||
        (printed.length === best.printed.length && label.strength <= best.label.strength))
    )
      continue;
    const after = text.slice(printed.length);
    // "Steuerbetrag in EUR  56,87", "Total in €": the currency the amount is in is part of the label
    const skipped =
      /^(?:\s+in(?:\s+(?:[A-Z]{3}|[€$£]))?(?=\s|$))?[\s:#]*(?:(?:@|at|à)?\s*\(?\s*\d{1,2}(?:[.,]\d{1,2})?\s*%\s*\)?[\s:]*)?/.exec(
        after,
      )![0];
    const keepRate = label.field !== 'tax' && /%/.test(skipped); // a rate is noise only after a tax label
    const cut = keepRate ? /^[\s:#]*/.exec(after)![0].length : skipped.length;
    best = { label, printed: printed.trim(), rest: after.slice(cut).trim(), restStart: printed.length + cut };
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
      if (!amount || (strength < STRONG && !amount.currency && !/[.,]\d{2}$/.test(text.trim()))) return null;
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

function readLabel(text: string, dates: DateReading): LabelMatch | null {
  const match = matchLabel(text, dates);
  return !match || (match.rest && !parseValue(match.label.field, match.rest, match.label.strength, dates))
    ? null
    : match;
}

/** A value beside a label read with a letter corrected is never read at the auto-approval confidence on the label alone. */
const MISREAD_LABEL = 0.85;
/** The label words of eight letters or more, accents left off: what a letter misread by OCR is checked against. */
const LONG_LABEL_WORDS = [
  ...new Set(
    LABELS.flatMap((l) => l.words.map((w) => withoutAccents(w.toLowerCase())).filter((w) => /^\p{L}{8,}$/u.test(w))),
  ),
];

/**
 * A label with one letter misread by OCR ("Steuerbetrac in EUR 0,00", "Rechnungsnurnmer"): the text's first
 * word of eight letters or more that differs from exactly one label word in one letter is read as that word.
 * Same length, so the value's place in the text does not move; only when the text then reads as a label.
 */
function misreadLabel(text: string, dates: DateReading): LabelMatch | null {
  const word = /^[^\p{L}]*(\p{L}{8,})/u.exec(text);
  if (!word) return null;
  const printed = withoutAccents(word[1]!.toLowerCase());
  if (LONG_LABEL_WORDS.includes(printed)) return null;
  const near = LONG_LABEL_WORDS.filter(
    (w) => w.length === printed.length && [...w].filter((c, i) => c !== printed[i]).length === 1,
  );
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
