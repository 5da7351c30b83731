// Label–value detection: finds "Invoice No.: 1001"-style pairs (the value right of the label on the same
// line, or directly below it) in English, German, French, Dutch and Spanish, and turns them into
// candidate header values with a confidence and the box they were read from.
import type { HeaderFieldName, HeaderFields, Provenance } from '../domain/extraction.js';
import { currenciesIn, parseAmount, parseDate, parsePoNumbers, type CurrencyMention, type DateOrder } from './normalize.js';
import { subBox, type PageText, type TextLine, type TextSegment } from './pdf-text.js';

export type LabelledField = HeaderFieldName | 'billTo';
type Lang = 'en' | 'de' | 'fr' | 'nl' | 'es';
interface Label { field: LabelledField; lang: Lang; strength: number; regex: RegExp }

// Label syntax: '|' separates alternatives, a space matches any whitespace or none, '.' and '-' are optional.
function label(field: LabelledField, lang: Lang, strength: number, alternatives: string): Label {
  const toRegex = (alt: string) =>
    [...alt].map((c) => (c === ' ' ? '\\s*' : c === '.' ? '\\.?' : c === '-' ? '[-\\s]?' : c.replace(/[\\^$*+?()[\]{}|/]/, '\\$&'))).join('');
  const source = alternatives.split('|').sort((a, b) => b.length - a.length).map(toRegex).join('|');
  return { field, lang, strength, regex: new RegExp(`^(?:${source})`, 'iu') };
}

const STRONG = 0.97;
const WEAK = 0.9; // generic words ("Date", "Net", "Summe") that are labels only most of the time
const LABELS: Label[] = [
  label('invoiceNumber', 'en', STRONG, 'Invoice No.|Invoice Number|Invoice Num.|Invoice #|Inv. No.|Inv. #|Invoice Nr.'),
  label('invoiceNumber', 'de', STRONG, 'Rechnungsnummer|Rechnung Nr.|Rechnungs-Nr.|Rechnung-Nr.|Re.-Nr.|Rechnung #'),
  label('invoiceNumber', 'fr', STRONG, 'Facture N°|Facture No.|N° de facture|Numéro de facture|No. de facture'),
  label('invoiceNumber', 'nl', STRONG, 'Factuurnummer|Factuurnr.|Factuur nr.'),
  label('invoiceNumber', 'es', STRONG, 'Número de factura|Factura N°|Factura Nº|Factura No.|Nº de factura|Factura N.º'),
  label('invoiceDate', 'en', STRONG, 'Invoice Date|Date of Invoice|Invoice Dated'),
  label('invoiceDate', 'en', WEAK, 'Date|Dated'),
  label('invoiceDate', 'de', STRONG, 'Rechnungsdatum'),
  label('invoiceDate', 'de', WEAK, 'Datum'),
  label('invoiceDate', 'fr', STRONG, 'Date de facture|Date de la facture|Date facture'),
  label('invoiceDate', 'nl', STRONG, 'Factuurdatum'),
  label('invoiceDate', 'es', STRONG, 'Fecha de factura|Fecha de la factura|Fecha factura'),
  label('invoiceDate', 'es', WEAK, 'Fecha'),
  label('dueDate', 'en', STRONG, 'Due Date|Payment Due|Payment Due Date|Date Due|Due'),
  label('dueDate', 'de', STRONG, 'Fällig am|Fällig|Fälligkeitsdatum|Fälligkeit|Zahlbar bis'),
  label('dueDate', 'fr', STRONG, "Date d'échéance|Échéance|Date échéance"),
  label('dueDate', 'nl', STRONG, 'Vervaldatum|Te betalen voor'),
  label('dueDate', 'es', STRONG, 'Fecha de vencimiento|Vencimiento'),
  label('poNumbers', 'en', STRONG, 'PO Number|PO No.|PO #|PO Nr.|P.O. Number|P.O. No.|P.O. #|P.O.|PO|Purchase Order No.|Purchase Order Number|Purchase Order #|Purchase Order|Customer PO|Customer PO No.'),
  label('poNumbers', 'en', 0.93, 'Your Order No.|Your Order Number|Your Order|Your Ref.|Your Reference'),
  label('poNumbers', 'de', STRONG, 'Bestellnummer|Bestell-Nr.|Bestellung Nr.|Ihre Bestellnummer|Ihre Bestell-Nr.|Ihre Bestellung'),
  label('poNumbers', 'fr', STRONG, 'Bon de commande|N° de commande|Numéro de commande|Votre commande|Commande N°'),
  label('poNumbers', 'nl', STRONG, 'Inkoopordernummer|Inkooporder|Uw bestelling|Uw ordernummer|Bestelnummer'),
  label('poNumbers', 'es', STRONG, 'Orden de compra|Nº de pedido|Número de pedido|Su pedido'),
  label('subtotal', 'en', STRONG, 'Subtotal|Sub-total|Sub Total|Net Amount|Net Total|Total Net|Total excl. VAT|Total before tax'),
  label('subtotal', 'en', WEAK, 'Net'),
  label('subtotal', 'de', STRONG, 'Zwischensumme|Nettobetrag|Summe netto|Gesamt netto|Nettosumme|Warenwert'),
  label('subtotal', 'de', WEAK, 'Netto'),
  label('subtotal', 'fr', STRONG, 'Sous-total|Total HT|Montant HT'),
  label('subtotal', 'nl', STRONG, 'Subtotaal|Totaal excl. BTW'),
  label('subtotal', 'es', STRONG, 'Base imponible|Importe neto'),
  label('tax', 'en', STRONG, 'Tax|Sales Tax|VAT|GST|HST|Tax Total|Total Tax|Tax Amount|VAT Amount'),
  label('tax', 'de', STRONG, 'MwSt.|Mehrwertsteuer|USt.|Umsatzsteuer|zzgl. MwSt.|zzgl. USt.'),
  label('tax', 'fr', STRONG, 'TVA|Montant TVA|Total TVA'),
  label('tax', 'nl', STRONG, 'BTW|Btw-bedrag'),
  label('tax', 'es', STRONG, 'IVA|Impuestos|Impuesto'),
  label('total', 'en', STRONG, 'Total|Invoice Total|Total Due|Amount Due|Balance Due|Total Amount|Grand Total|Total Amount Due|Total incl. VAT|Amount Payable'),
  label('total', 'de', STRONG, 'Gesamtbetrag|Rechnungsbetrag|Gesamtsumme|Endbetrag|Summe brutto|Bruttobetrag|Zahlbetrag'),
  label('total', 'de', WEAK, 'Summe|Gesamt'),
  label('total', 'fr', STRONG, 'Total TTC|Montant TTC|Net à payer|Total à payer|Montant total'),
  label('total', 'nl', STRONG, 'Totaal|Totaal incl. BTW|Te betalen|Totaalbedrag'),
  label('total', 'es', STRONG, 'Total factura|Importe total|Total a pagar'),
  label('vendorName', 'en', 0.95, 'From|Vendor|Vendor Name|Supplier|Supplier Name|Seller'),
  label('vendorName', 'en', WEAK, 'Remit to|Remit Payment to|Please remit to|Make checks payable to'),
  label('vendorName', 'de', 0.95, 'Lieferant|Verkäufer|Rechnungssteller'),
  label('vendorName', 'fr', 0.95, 'Fournisseur|Vendeur'),
  label('vendorName', 'nl', 0.95, 'Leverancier'),
  label('vendorName', 'es', 0.95, 'Proveedor'),
  label('vendorTaxId', 'en', WEAK, 'VAT ID|VAT No.|VAT Number|VAT Reg. No.|VAT Registration No.|Tax ID|Tax No.|Federal Tax ID|EIN|GST No.'),
  label('vendorTaxId', 'de', WEAK, 'USt-IdNr.|USt.-IdNr.|USt-ID|USt-Id-Nr.|Steuernummer|St.-Nr.|Steuer-Nr.'),
  label('vendorTaxId', 'fr', WEAK, 'N° TVA|TVA intracommunautaire|Numéro de TVA|SIRET'),
  label('vendorTaxId', 'nl', WEAK, 'BTW-nummer|BTW-nr.|Btw-id'),
  label('vendorTaxId', 'es', WEAK, 'NIF|CIF|RFC'),
  label('paymentTerms', 'en', 0.95, 'Payment Terms|Terms|Terms of Payment'),
  label('paymentTerms', 'de', 0.95, 'Zahlungsbedingungen|Zahlungsbedingung|Zahlungsziel'),
  label('paymentTerms', 'fr', 0.95, 'Conditions de paiement|Conditions de règlement'),
  label('paymentTerms', 'nl', 0.95, 'Betalingsvoorwaarden|Betalingstermijn'),
  label('paymentTerms', 'es', 0.95, 'Condiciones de pago|Forma de pago'),
  label('currency', 'en', STRONG, 'Currency'),
  label('currency', 'de', STRONG, 'Währung'),
  label('currency', 'fr', STRONG, 'Devise'),
  label('currency', 'nl', STRONG, 'Valuta'),
  label('currency', 'es', STRONG, 'Moneda|Divisa'),
  label('billTo', 'en', 0, 'Bill To|Billed To|Sold To|Ship To|Invoice To|Deliver To|Customer'),
  label('billTo', 'de', 0, 'Rechnungsadresse|Lieferadresse|Rechnungsempfänger|Kunde'),
  label('billTo', 'fr', 0, 'Facturé à|Adresse de facturation|Livré à|Client'),
  label('billTo', 'nl', 0, 'Factuuradres|Afleveradres|Klant'),
  label('billTo', 'es', 0, 'Facturar a|Enviar a|Cliente'),
];

export interface LabelMatch { label: Label; printed: string; rest: string; restStart: number }

/** The longest label a segment starts with, and what follows it ("Invoice No.: 1001" → "1001"). */
function matchLabel(text: string): LabelMatch | null {
  let best: LabelMatch | null = null;
  for (const label of LABELS) {
    const printed = label.regex.exec(text)?.[0];
    if (!printed || (/\p{L}$/u.test(printed) && /^\p{L}/u.test(text.slice(printed.length)))) continue;
    if (best && (printed.length < best.printed.length || (printed.length === best.printed.length && label.strength <= best.label.strength))) continue;
    const after = text.slice(printed.length);
    const skipped = /^[\s:#]*(?:\(?\s*\d{1,2}(?:[.,]\d{1,2})?\s*%\s*\)?[\s:]*)?/.exec(after)![0];
    const keepRate = label.field !== 'tax' && /%/.test(skipped); // a rate is noise only after a tax label
    const cut = keepRate ? /^[\s:#]*/.exec(after)![0].length : skipped.length;
    best = { label, printed: printed.trim(), rest: after.slice(cut).trim(), restStart: printed.length + cut };
  }
  return best;
}

export const AMOUNT_FIELDS = new Set<LabelledField>(['subtotal', 'tax', 'total']);

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
export interface DateReading { order: DateOrder; penalty: number; why: string }

type Parsed = { value: string | string[]; currency?: CurrencyMention | null; penalty?: number; note?: string };

function parseValue(field: LabelledField, text: string, strength: number, dates: DateReading): Parsed | null {
  switch (field) {
    case 'invoiceNumber': {
      const token = text.replace(/^(?:#|No\.?|Nr\.?|N°)\s*/i, '').split(/\s+/)[0] ?? '';
      return /\d/.test(token) && /^[A-Z0-9][A-Z0-9\-/_.]{0,39}$/i.test(token) ? { value: token } : null;
    }
    case 'invoiceDate':
    case 'dueDate': {
      const date = parseDate(text, dates.order);
      if (!date) return null;
      return date.ambiguous ? { value: date.value, penalty: dates.penalty, note: `"${text}" read as ${dates.order === 'MDY' ? 'month/day' : 'day/month'}: ${dates.why}` } : { value: date.value };
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
      const end = tokens.findIndex((t, i) => !(/^[A-Z0-9\-/.]+$/i.test(t) && (/\d/.test(t) || (i === 0 && /^[A-Z]{2}$/.test(t)))));
      const id = tokens.slice(0, end < 0 ? tokens.length : end).join('');
      return /\d/.test(id) && id.length >= 5 && id.length <= 25 ? { value: id } : null;
    }
    case 'currency': {
      const mention = currenciesIn(text)[0];
      return mention ? { value: mention.code, currency: mention } : null;
    }
    default: // vendorName, paymentTerms, billTo
      return /\p{L}/u.test(text) && text.length <= 120 && !parseDate(text) && !parseAmount(text) ? { value: text } : null;
  }
}

const MAX_TEXT_GAP_PT = 250; // beyond this a value on the same line belongs to another column (amounts excepted)

// For deciding whether a segment is a label, any date order will do: both readings parse or neither does.
const ANY_ORDER: DateReading = { order: 'MDY', penalty: 0, why: '' };

/**
 * A label standing as a label: alone ("Total:") or followed by a value it accepts ("Total: 12.00").
 * "Net 30" starts with the label "Net" but is not one.
 */
export function labelOf(text: string, dates: DateReading = ANY_ORDER): LabelMatch | null {
  const match = matchLabel(text);
  if (!match || (match.rest && !parseValue(match.label.field, match.rest, match.label.strength, dates))) return null;
  return match;
}

/** Every label on every page paired with the value next to it (inline, to the right, or below). */
export function findCandidates(pages: PageText[], dates: DateReading, skipLines: Set<TextLine>): Candidate[] {
  const candidates: Candidate[] = [];
  for (const page of pages) {
    page.lines.forEach((line, lineIndex) => {
      if (skipLines.has(line)) return;
      line.segments.forEach((segment, segmentIndex) => {
        const match = labelOf(segment.text, dates);
        if (!match || match.label.field === 'billTo') return;
        const { field, strength } = match.label;
        const accept = (text: string, source: TextSegment, start: number, below: boolean): boolean => {
          const parsed = parseValue(field, text, strength, dates);
          if (!parsed) return false;
          const notes = [`Next to the label "${match.printed}"${below ? ' (value below it)' : ''}.`];
          if (parsed.note) notes.push(parsed.note);
          candidates.push({
            field, value: parsed.value, currency: parsed.currency ?? null, notes,
            confidence: Math.max(0, strength - (below ? 0.01 : 0) - (parsed.penalty ?? 0)),
            provenance: { page: page.page, box: subBox(source, start, source.text.length), source: 'text', label: match.printed },
            order: page.page * 10_000 + lineIndex,
          });
          return true;
        };
        if (match.rest) accept(match.rest, segment, match.restStart, false);
        else if (!lookRight(line.segments.slice(segmentIndex + 1), segment, field, accept)) lookBelow(page.lines.slice(lineIndex + 1), segment, accept);
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

const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', de: 'German', fr: 'French', nl: 'Dutch', es: 'Spanish' };

/** Whether "03/11/2025" means March or November: other dates first, then the language and currency. */
export function readDateOrder(pages: PageText[]): DateReading {
  let dayFirst = 0;
  let monthFirst = 0;
  const languages = new Map<Lang, number>();
  const currencies = new Set<string>();
  for (const line of pages.flatMap((p) => p.lines)) {
    for (const m of line.text.matchAll(/(?<!\d)(\d{1,2})[/-](\d{1,2})[/-](?:\d{4}|\d{2})(?!\d)/g)) {
      if (+m[1]! > 12) dayFirst++;
      else if (+m[2]! > 12) monthFirst++;
    }
    for (const segment of line.segments) {
      const lang = labelOf(segment.text)?.label.lang;
      if (lang) languages.set(lang, (languages.get(lang) ?? 0) + 1);
    }
    for (const mention of currenciesIn(line.text)) currencies.add(mention.code);
  }
  if (dayFirst > monthFirst) return { order: 'DMY', penalty: 0, why: 'other dates on the invoice are written day first' };
  if (monthFirst > dayFirst) return { order: 'MDY', penalty: 0, why: 'other dates on the invoice are written month first' };
  const language = [...languages].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (language && language !== 'en') return { order: 'DMY', penalty: 0.02, why: `the invoice is in ${LANGUAGE_NAMES[language]}` };
  if (language === 'en' && currencies.size === 1 && currencies.has('USD')) return { order: 'MDY', penalty: 0.01, why: 'a US invoice (English, USD)' };
  if (language === 'en' && currencies.size > 0 && !currencies.has('USD')) return { order: 'DMY', penalty: 0.05, why: 'English without US dollars' };
  return { order: 'MDY', penalty: 0.15, why: 'nothing on the invoice shows the date order, so US month/day is assumed' };
}

export interface Picked { value: string | null; confidence: number; provenance?: Provenance; notes: string[] }

const FIELD_WORDS: Record<LabelledField, string> = {
  invoiceNumber: 'invoice number', invoiceDate: 'invoice date', dueDate: 'due date', vendorName: 'vendor name',
  vendorTaxId: 'vendor tax ID', currency: 'currency', subtotal: 'subtotal', tax: 'tax amount', total: 'total',
  poNumbers: 'PO number', paymentTerms: 'payment terms', billTo: 'customer',
};

/** The best candidate for a field; a different value found next to an equally good label lowers confidence. */
export function pick(field: LabelledField, all: Candidate[], prefer: 'first' | 'last'): Picked {
  const found = all
    .filter((c) => c.field === field)
    .sort((a, b) => b.confidence - a.confidence || (prefer === 'first' ? a.order - b.order : b.order - a.order));
  const best = found[0];
  if (!best) return { value: null, confidence: 0, notes: [`No ${FIELD_WORDS[field]} found next to a label.`] };
  const rivals = found.filter((c) => String(c.value) !== String(best.value) && c.confidence >= best.confidence - 0.1);
  const notes = [...best.notes, ...rivals.map((r) => `Also found "${r.value}" next to "${r.provenance.label}" on page ${r.provenance.page}.`)];
  const confidence = rivals.length ? Math.min(best.confidence, 0.7) : best.confidence;
  return { value: String(best.value), confidence, provenance: best.provenance, notes };
}

function pickPoNumbers(all: Candidate[]): HeaderFields['poNumbers'] {
  const found = all.filter((c) => c.field === 'poNumbers').sort((a, b) => a.order - b.order);
  const poNumbers = [...new Set(found.flatMap((c) => c.value))];
  const first = found[0];
  if (!first) return { value: null, confidence: 0, notes: ['No PO number found next to a label.'] };
  const notes = found.length > 1 ? [...first.notes, `PO numbers collected from ${found.length} labels.`] : first.notes;
  return { value: poNumbers, confidence: Math.max(...found.map((c) => c.confidence)), provenance: first.provenance, notes };
}

const TITLE = /^(?:tax\s+|commercial\s+|pro[\s-]?forma\s+)?(?:invoice|rechnung|facture|factuur|factura|credit\s+note|gutschrift|avoir)\b/i;
const LEGAL_FORM = /\b(?:inc|llc|ltd|limited|corp|corporation|co|company|gmbh|ag|kg|ohg|se|s\.?a|sas|sarl|b\.?v|n\.?v|s\.?l|s\.?p\.?a|s\.?r\.?l|plc|llp|lp|pty)\.?(?:\s*&\s*co\.?(?:\s*kg)?)?$/i;

/** Without a "From:" label, the vendor is usually the largest name at the top of page 1 (a letterhead). */
function prominentName(page: PageText): Picked | null {
  const sizes = page.lines.flatMap((l) => l.segments.map((s) => s.fontSize)).sort((a, b) => a - b);
  const body = sizes[Math.floor(sizes.length / 2)] ?? 0;
  const customer = new Set<TextSegment>(); // the line under "Bill To:" names the customer, not the vendor
  const eligible: TextSegment[] = [];
  page.lines.forEach((line, index) => {
    line.segments.forEach((segment, position) => {
      const match = labelOf(segment.text);
      const next = page.lines[index + 1]?.segments.find((s) => Math.abs(s.box.x - segment.box.x) < 5);
      if (match?.label.field === 'billTo' && !match.rest && next) customer.add(next);
      const afterLabel = position > 0 && labelOf(line.segments[position - 1]!.text);
      if (match || afterLabel || segment.box.y < page.height * 0.55 || TITLE.test(segment.text)) return;
      if (!/\p{L}{2}/u.test(segment.text) || parseDate(segment.text) || parseAmount(segment.text)) return;
      eligible.push(segment);
    });
  });
  const best = eligible.filter((s) => !customer.has(s)).sort((a, b) => b.fontSize - a.fontSize || b.box.y - a.box.y)[0];
  if (!best) return null;
  const larger = best.fontSize >= 1.25 * body;
  const legalForm = LEGAL_FORM.test(best.text);
  const confidence = larger ? (legalForm ? 0.95 : 0.88) : legalForm ? 0.7 : 0.5;
  const why = larger ? 'the largest name at the top of page 1' : 'the first name at the top of page 1 (nothing stands out)';
  const notes = [`No vendor label; taken from ${why}${legalForm ? ', with a company legal form' : ''}.`];
  return { value: best.text, confidence, provenance: { page: page.page, box: best.box, source: 'text' }, notes };
}

function pickVendor(all: Candidate[], pages: PageText[]): Picked {
  const labelled = pick('vendorName', all, 'first');
  const prominent = pages[0] ? prominentName(pages[0]) : null;
  if (!prominent) return labelled;
  if (labelled.value === null) return prominent;
  if (labelled.value.toLowerCase() === prominent.value?.toLowerCase()) {
    return { ...labelled, confidence: Math.max(labelled.confidence, 0.98), notes: [...labelled.notes, 'The same name heads page 1.'] };
  }
  const [winner, other] = labelled.confidence >= 0.95 ? [labelled, prominent] : [prominent, labelled];
  return { ...winner, confidence: Math.min(winner.confidence, 0.75), notes: [...winner.notes, `But "${other.value}" is also a candidate.`] };
}

function pickCurrency(all: Candidate[]): Picked {
  const labelled = pick('currency', all, 'first');
  if (labelled.value) return labelled;
  const priced = all.filter((c) => AMOUNT_FIELDS.has(c.field) && c.currency).sort((a, b) => (a.field === 'total' ? -1 : 0) - (b.field === 'total' ? -1 : 0));
  const first = priced[0];
  if (!first?.currency) return { value: null, confidence: 0, notes: ['No currency symbol or code printed next to the amounts.'] };
  const codes = new Set(priced.map((c) => c.currency!.code));
  const dollar = first.currency.from === 'symbol' && first.currency.code === 'USD';
  const notes = [dollar ? '"$" read as US dollars (it could also be CAD, AUD or MXN).' : 'Printed with the amounts.'];
  if (codes.size > 1) notes.push(`The amounts name several currencies: ${[...codes].join(', ')}.`);
  const confidence = codes.size > 1 ? 0.5 : dollar ? 0.85 : 0.95;
  return { value: first.currency.code, confidence, provenance: first.provenance, notes };
}

/** Header fields from labels, plus every distinct tax amount (invoices with two VAT rates print two). */
export function readHeaderFields(pages: PageText[], skipLines: Set<TextLine>): { fields: HeaderFields; taxParts: string[] } {
  const all = findCandidates(pages, readDateOrder(pages), skipLines);
  const first = (field: LabelledField) => pick(field, all, 'first');
  const last = (field: LabelledField) => pick(field, all, 'last');
  const taxParts = [...new Map(all.filter((c) => c.field === 'tax').map((c) => [c.order, String(c.value)])).values()];
  const fields = {
    invoiceNumber: first('invoiceNumber'), invoiceDate: first('invoiceDate'), dueDate: first('dueDate'),
    vendorName: pickVendor(all, pages), vendorTaxId: first('vendorTaxId'), currency: pickCurrency(all),
    subtotal: last('subtotal'), tax: last('tax'), total: last('total'),
    poNumbers: pickPoNumbers(all), paymentTerms: first('paymentTerms'),
  };
  return { fields, taxParts };
}
