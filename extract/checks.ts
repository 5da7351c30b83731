// Cross-checks beyond arithmetic: a due date before the invoice date, and PO numbers that cannot be PO
// numbers (the invoice number again, a date, a tax id, too few digits). Agreement raises a field's
// confidence, disagreement lowers it and says why, in the field's notes and in the warnings.
import type { HeaderFields } from '../domain/extraction.js';
import { isLegalForm } from '../domain/supplier-name.js';
import { isDateOrderGuess, WEAK_EVIDENCE } from './header.js';
import { parseDate, withoutAccents } from './normalize.js';
import { DISPUTED_VENDOR, MAY_CONTINUE } from './vendor/choose.js';
import { LEGAL_FORM } from './vendor/words.js';

type Field = { value: unknown; confidence: number; notes: string[] };
const raise = (field: Field, to: number, note: string) => {
  field.confidence = Math.max(field.confidence, Math.min(to, field.confidence + 0.02));
  field.notes.push(note);
};
/** Arithmetic agreement between printed values (the terms, the invoice date and the due date) settles both. */
const confirm = (field: Field, note: string) => {
  field.confidence = Math.max(field.confidence, 0.99);
  field.notes.push(note);
};
const lower = (field: Field, to: number, note: string) => {
  field.confidence = Math.min(field.confidence, to);
  field.notes.push(note);
};

export function checkDates(fields: HeaderFields, warnings: string[]): void {
  const [issued, due] = [fields.invoiceDate.value, fields.dueDate.value];
  if (!issued || !due) return;
  if (due >= issued) {
    const terms = fields.paymentTerms.value ? termsDays(fields.paymentTerms.value) : null;
    if (terms && datesFollowTerms(fields, terms)) {
      const [days, said] = [daysBetween(issued, due), `as the terms "${fields.paymentTerms.value}" say`];
      confirm(fields.invoiceDate, `The due date ${due} is ${days} days after it, ${said}.`);
      confirm(fields.dueDate, `${days} days after the invoice date ${issued}, ${said}.`);
      return;
    }
    // a day/month guess stays a guess: both readings of an ambiguous pair are usually in order
    const guessed = (field: Field) => field.notes.some(isDateOrderGuess);
    if (!guessed(fields.invoiceDate)) raise(fields.invoiceDate, 0.99, `The due date ${due} is on or after it.`);
    if (!guessed(fields.dueDate)) raise(fields.dueDate, 0.99, `On or after the invoice date ${issued}.`);
    return;
  }
  const why = `The due date ${due} is before the invoice date ${issued}: one of them is misread (day and month swapped?).`;
  lower(fields.invoiceDate, 0.5, why);
  lower(fields.dueDate, 0.5, why);
  warnings.push(why);
}

/** Net days the payment terms give ("Net 30", "2% 10, Net 30", "30 Tage netto", "à 30 jours fin de mois"), or null. */
export function termsDays(terms: string): { days: number; endOfMonth: boolean } | null {
  const DAYS = '(?:days?|tagen?|jours?|dagen|d[ií]as)';
  // "2% 10, Net 30" and "10 Tage 2 %, 30 Tage netto": the days that go with "net" are the due date's
  const net =
    /\bnet(?:to)?\s*(\d{1,3})\b/iu.exec(terms) ??
    new RegExp(`\\b(\\d{1,3})\\s*(?:${DAYS}\\s*)?net(?:to)?\\b`, 'iu').exec(terms);
  const counts = [...terms.matchAll(new RegExp(`(?<![\\d%.,])(\\d{1,3})\\s*${DAYS}(?!\\p{L})`, 'giu'))].map((m) =>
    Number(m[1]),
  );
  // without "net", one count of days is the term; several ("2 % 10 days, 30 days") say nothing certain
  const days = net ? Number(net[1]) : new Set(counts).size === 1 ? counts[0]! : null;
  if (days === null || days > 180) return null;
  return {
    days,
    endOfMonth:
      /\b(?:end of (?:the )?month|eom|fin de mois|monatsende|ende des monats|einde (?:van de )?maand|fin de mes)\b/i.test(
        terms,
      ),
  };
}

/**
 * Whether the due date is where the terms put it from the invoice date, and (when the day/month order of
 * either was guessed) not also where they would put it with day and month swapped: then the terms settle it.
 */
function datesFollowTerms(fields: HeaderFields, terms: { days: number; endOfMonth: boolean }): boolean {
  const [issued, due] = [fields.invoiceDate.value!, fields.dueDate.value!];
  const fits = (from: string, to: string) => dueDates(from, terms).includes(to);
  if (!fits(issued, due)) return false;
  const swapped = (field: Field & { value: string | null }) =>
    field.notes.some((n) => / read as (?:day|month)\//.test(n)) ? swapDayMonth(field.value!) : field.value!;
  const [otherIssued, otherDue] = [swapped(fields.invoiceDate), swapped(fields.dueDate)];
  return (otherIssued === issued && otherDue === due) || !fits(otherIssued, otherDue);
}

/** The due dates the terms allow: N days on, and for "end of month" terms the month's end after or before adding them. */
function dueDates(issued: string, { days, endOfMonth }: { days: number; endOfMonth: boolean }): string[] {
  const plain = addDays(issued, days);
  return endOfMonth ? [monthEnd(plain), addDays(monthEnd(issued), days)] : [plain];
}

const DAY_MS = 86_400_000;
const toTime = (iso: string) =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const addDays = (iso: string, days: number) => new Date(toTime(iso) + days * DAY_MS).toISOString().slice(0, 10);
const monthEnd = (iso: string) =>
  new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), 0)).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((toTime(to) - toTime(from)) / DAY_MS);
const swapDayMonth = (iso: string) =>
  Number(iso.slice(8, 10)) <= 12 ? `${iso.slice(0, 4)}-${iso.slice(8, 10)}-${iso.slice(5, 7)}` : iso;

/** Why a value read next to a PO label is unlikely to be a PO number, or null when it looks fine. */
export function poNumberDoubt(poNumber: string, fields: HeaderFields): string | null {
  const compact = (s: string) => s.replace(/[^A-Z0-9]/gi, '').toUpperCase();
  const digits = poNumber.replace(/\D/g, '').length;
  if (digits < 3) return `"${poNumber}" has fewer than three digits.`;
  if (poNumber.length > 24) return `"${poNumber}" is longer than PO numbers are.`;
  if (fields.invoiceNumber.value && compact(fields.invoiceNumber.value) === compact(poNumber))
    return `"${poNumber}" is also the invoice number.`;
  if (fields.vendorTaxId.value && compact(fields.vendorTaxId.value).endsWith(compact(poNumber)))
    return `"${poNumber}" is the vendor's tax id.`;
  if (/\d{4}/.test(poNumber) && parseDate(poNumber)?.value === poNumber.replace(/\//g, '-'))
    return `"${poNumber}" is a date.`;
  return null;
}

export function checkPoNumbers(fields: HeaderFields, warnings: string[]): void {
  const poNumbers = fields.poNumbers.value;
  if (!poNumbers?.length) return;
  const doubts = poNumbers.map((po) => poNumberDoubt(po, fields)).filter((d): d is string => d !== null);
  if (!doubts.length) {
    // the shape is evidence of its own, apart from the label: a little, never past what a label earns
    raise(
      fields.poNumbers,
      0.97,
      poNumbers.length > 1 ? `${poNumbers.length} PO numbers, each shaped like one.` : 'Shaped like a PO number.',
    );
    return;
  }
  for (const doubt of doubts) {
    lower(fields.poNumbers, 0.5, `Not like a PO number: ${doubt}`);
    warnings.push(`A PO number looks wrong: ${doubt}`);
  }
}

/** Why a value read as the invoice number is unlikely to be one, or null when it is shaped like one. */
export function invoiceNumberDoubt(invoiceNumber: string, fields: HeaderFields): string | null {
  const compact = (s: string) => s.replace(/[^A-Z0-9]/gi, '').toUpperCase();
  if (!/\d/.test(invoiceNumber)) return `"${invoiceNumber}" has no digits.`;
  if (compact(invoiceNumber).length < 3) return `"${invoiceNumber}" is shorter than invoice numbers are.`;
  if (invoiceNumber.length > 30) return `"${invoiceNumber}" is longer than invoice numbers are.`;
  if (/^-?[\d\s.,']+[.,]\d{2}$/.test(invoiceNumber)) return `"${invoiceNumber}" is an amount.`;
  if (parseDate(invoiceNumber)) return `"${invoiceNumber}" is a date.`;
  if (fields.poNumbers.value?.some((po) => compact(po) === compact(invoiceNumber)))
    return `"${invoiceNumber}" is also a PO number.`;
  if (fields.vendorTaxId.value && compact(fields.vendorTaxId.value).endsWith(compact(invoiceNumber)))
    return `"${invoiceNumber}" is the vendor's tax id.`;
  return null;
}

/** An invoice number shaped like one gains a little; one shaped like something else (a date, an amount) is doubted. */
export function checkInvoiceNumber(fields: HeaderFields, warnings: string[]): void {
  const invoiceNumber = fields.invoiceNumber.value;
  if (!invoiceNumber) return;
  const doubt = invoiceNumberDoubt(invoiceNumber, fields);
  if (!doubt) return raise(fields.invoiceNumber, 0.97, 'Shaped like an invoice number.');
  lower(fields.invoiceNumber, 0.5, `Not like an invoice number: ${doubt}`);
  warnings.push(`The invoice number looks wrong: ${doubt}`);
}

const ALONE = 0.05; // what a value without a rival gains: no other reading of the invoice disputes it

/** Label values nobody disputes gain a little; a vendor name the e-mail domain or a second mention confirms gains more. */
export function corroborate(fields: HeaderFields, pageTexts: string[]): void {
  for (const name of ['invoiceNumber', 'invoiceDate', 'poNumbers'] as const) {
    const field = fields[name];
    if (field.value === null || field.confidence >= 0.97 || field.confidence < 0.85) continue;
    if (
      field.notes.some(
        (n) => /^Also found|^Not like|misread/.test(n) || n.startsWith(WEAK_EVIDENCE) || isDateOrderGuess(n),
      )
    )
      continue;
    field.confidence = Math.min(0.97, field.confidence + ALONE);
    field.notes.push('No other value on the invoice competes with it.');
  }
  const vendor = fields.vendorName;
  // a logo mark ("ACME") is not confirmed by a domain or a footer that spells it: the full name is elsewhere;
  // nor is a name another candidate disputes ("But … is also a candidate", or another party's evidence in
  // extract/vendor): a second mention does not settle which
  if (
    !vendor.value ||
    vendor.confidence >= 0.98 ||
    vendor.notes.some(
      (n) =>
        n.includes('logo mark') ||
        n.startsWith(DISPUTED_VENDOR) ||
        n.startsWith(MAY_CONTINUE) ||
        disputedBy(n, vendor.value!),
    )
  )
    return;
  const words = significantWords(vendor.value);
  const domain = fields.vendorEmailDomain.value?.split('.')[0] ?? '';
  // "albion-precision.co.uk" spells a word of the name; "amr-lyon.fr" its initials (Ateliers Mécaniques du Rhône)
  const initials = words
    .filter((w) => !LINKING.has(w))
    .map((w) => w[0])
    .join('');
  const inDomain =
    (words.length > 0 && words.some((w) => w.length >= 3 && !LINKING.has(w) && domain.replace(/-/g, '').includes(w))) ||
    (initials.length >= 3 && domain.split('-').includes(initials));
  // a mention counts when the name ends there: "Acme Tools" inside "Acme Tools Europe SAS" is a longer name
  const printed = new RegExp(
    `${vendor.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![ \\t]*\\p{Ll}|[ \\t]+(?!${LEGAL_WORD})\\p{Lu}\\p{Ll})`,
    'gu',
  );
  // a caption repeated at the head of every page ("Stylesheet zur Lesbarmachung …") is one mention, not two
  const runningHeads = pageTexts.slice(1).filter((text) => text.split('\n', 1)[0]!.trim() === vendor.value).length;
  // nor when the rest of its line ends in a legal form the name lacks ("Taxiunternehmen" in "Taxiunternehmen TX
  // GmbH"): that is a longer name too
  const hasLegalForm = LEGAL_FORM.test(vendor.value);
  const longer = (text: string, end: number) => {
    const rest = text.slice(end).split('\n', 1)[0]!.trim();
    return rest !== '' && !hasLegalForm && LEGAL_FORM.test(` ${rest}`);
  };
  const mentions =
    pageTexts.reduce(
      (n, text) => n + [...text.matchAll(printed)].filter((m) => !longer(text, m.index + m[0].length)).length,
      0,
    ) - runningHeads;
  if (inDomain || mentions > 1) {
    vendor.confidence = Math.max(vendor.confidence, 0.97);
    vendor.notes.push(
      inDomain
        ? `The e-mail domain ${fields.vendorEmailDomain.value} carries the name.`
        : 'The name is printed again elsewhere on the invoice.',
    );
  }
}

/** Whether a note names another vendor candidate that is not this name again (with its address run on). */
function disputedBy(note: string, name: string): boolean {
  const other = /^But "(.*)" is also a candidate\.$/s.exec(note)?.[1];
  const key = (s: string) => significantWords(s).join(' ');
  return other !== undefined && !key(other).startsWith(key(name));
}

const LEGAL_WORD =
  '(?:GmbH|Inc|Ltd|LLC|Limited|Corp|Co|Company|AG|KG|SAS|SARL|SA|SL|BV|B\\.V|NV|Plc|PLC|S\\.A|S\\.L)\\b';
// words an acronym skips: "Fonderie et Usinage du Nord" is FUN
const LINKING = new Set([
  'and',
  'of',
  'the',
  'und',
  'der',
  'die',
  'das',
  'fur',
  'zur',
  'zum',
  'von',
  'et',
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'en',
  'van',
  'het',
  'y',
  'del',
  'los',
  'las',
]);
function significantWords(name: string): string[] {
  return withoutAccents(name)
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9 ]+/g, '')
    .split(' ')
    .filter((w) => w && !isLegalForm(w));
}
