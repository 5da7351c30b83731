// Cross-checks beyond arithmetic: a due date before the invoice date, and PO numbers that cannot be PO
// numbers (the invoice number again, a date, a tax id, too few digits). Agreement raises a field's
// confidence, disagreement lowers it and says why, in the field's notes and in the warnings.
import type { HeaderFields } from '../domain/extraction.js';
import { parseDate } from './normalize.js';

type Field = { value: unknown; confidence: number; notes: string[] };
const raise = (field: Field, to: number, note: string) => {
  field.confidence = Math.max(field.confidence, Math.min(to, field.confidence + 0.02));
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
    // a day/month guess stays a guess: both readings of an ambiguous pair are usually in order
    const guessed = (field: Field) => field.notes.some((n) => / read as /.test(n));
    if (!guessed(fields.invoiceDate)) raise(fields.invoiceDate, 0.99, `The due date ${due} is on or after it.`);
    if (!guessed(fields.dueDate)) raise(fields.dueDate, 0.99, `On or after the invoice date ${issued}.`);
    return;
  }
  const why = `The due date ${due} is before the invoice date ${issued}: one of them is misread (day and month swapped?).`;
  lower(fields.invoiceDate, 0.5, why);
  lower(fields.dueDate, 0.5, why);
  warnings.push(why);
}

/** Why a value read next to a PO label is unlikely to be a PO number, or null when it looks fine. */
export function poNumberDoubt(poNumber: string, fields: HeaderFields): string | null {
  const compact = (s: string) => s.replace(/[^A-Z0-9]/gi, '').toUpperCase();
  const digits = poNumber.replace(/\D/g, '').length;
  if (digits < 3) return `"${poNumber}" has fewer than three digits.`;
  if (poNumber.length > 24) return `"${poNumber}" is longer than PO numbers are.`;
  if (fields.invoiceNumber.value && compact(fields.invoiceNumber.value) === compact(poNumber)) return `"${poNumber}" is also the invoice number.`;
  if (fields.vendorTaxId.value && compact(fields.vendorTaxId.value).endsWith(compact(poNumber))) return `"${poNumber}" is the vendor's tax id.`;
  if (/\d{4}/.test(poNumber) && parseDate(poNumber)?.value === poNumber.replace(/\//g, '-')) return `"${poNumber}" is a date.`;
  return null;
}

export function checkPoNumbers(fields: HeaderFields, warnings: string[]): void {
  const poNumbers = fields.poNumbers.value;
  if (!poNumbers?.length) return;
  const doubts = poNumbers.map((po) => poNumberDoubt(po, fields)).filter((d): d is string => d !== null);
  if (!doubts.length) {
    fields.poNumbers.notes.push(poNumbers.length > 1 ? `${poNumbers.length} PO numbers, each shaped like one.` : 'Shaped like a PO number.');
    return;
  }
  for (const doubt of doubts) {
    lower(fields.poNumbers, 0.5, `Not like a PO number: ${doubt}`);
    warnings.push(`A PO number looks wrong: ${doubt}`);
  }
}

const ALONE = 0.05; // what a value without a rival gains: no other reading of the invoice disputes it

/** Label values nobody disputes gain a little; a vendor name the e-mail domain or a second mention confirms gains more. */
export function corroborate(fields: HeaderFields, pageTexts: string[]): void {
  for (const name of ['invoiceNumber', 'invoiceDate', 'poNumbers'] as const) {
    const field = fields[name];
    if (field.value === null || field.confidence >= 0.97 || field.confidence < 0.85) continue;
    if (field.notes.some((n) => /^Also found|^Not like|misread|read as/.test(n))) continue;
    field.confidence = Math.min(0.97, field.confidence + ALONE);
    field.notes.push('No other value on the invoice competes with it.');
  }
  const vendor = fields.vendorName;
  // a logo mark ("ACME") is not confirmed by a domain or a footer that spells it: the full name is elsewhere
  if (!vendor.value || vendor.confidence >= 0.98 || vendor.notes.some((n) => n.includes('logo mark'))) return;
  const words = significantWords(vendor.value);
  const domain = fields.vendorEmailDomain.value?.split('.')[0] ?? '';
  const inDomain = words.length > 0 && words.some((w) => w.length >= 3 && domain.replace(/-/g, '').includes(w));
  // a mention counts when the name ends there: "Acme Tools" inside "Acme Tools Europe SAS" is a longer name
  const printed = new RegExp(`${vendor.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![ \\t]*\\p{Ll}|[ \\t]+(?!${LEGAL_WORD})\\p{Lu}\\p{Ll})`, 'gu');
  const mentions = pageTexts.reduce((n, text) => n + (text.match(printed)?.length ?? 0), 0);
  if (inDomain || mentions > 1) {
    vendor.confidence = Math.max(vendor.confidence, 0.97);
    vendor.notes.push(inDomain ? `The e-mail domain ${fields.vendorEmailDomain.value} carries the name.` : 'The name is printed again elsewhere on the invoice.');
  }
}

const LEGAL_WORD = '(?:GmbH|Inc|Ltd|LLC|Limited|Corp|Co|Company|AG|KG|SAS|SARL|SA|SL|BV|B\\.V|NV|Plc|PLC|S\\.A|S\\.L)\\b';
const LEGAL = new Set(['inc', 'llc', 'ltd', 'limited', 'corp', 'corporation', 'co', 'gmbh', 'ag', 'kg', 'sa', 'sas', 'sarl', 'bv', 'nv', 'sl', 'slu', 'plc', 'llp', 'vof', 'ek']);
function significantWords(name: string): string[] {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/ß/g, 'ss')
    .replace(/[^a-z0-9 ]+/g, '').split(' ').filter((w) => w && !LEGAL.has(w));
}
