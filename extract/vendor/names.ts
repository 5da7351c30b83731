// Whether a piece of printed text can be a party's name at all, and a key to compare two printings of one
// name. A title, stamp, caption, column head, salutation, currency line, address line, sentence or a legal
// form alone is never a name, however large or high on the page it is printed.
import { columnOf } from '../column-words.js';
import { labelOf } from '../labels.js';
import { parseAmount, parseDate, withoutAccents } from '../normalize.js';
import { BUYER_ROLE, CURRENCY_ONLY, LEGAL_FORM, LEGAL_FORM_ONLY, NAME_ROW, NOT_A_NAME, SELLER_ROLE } from './words.js';

// words a name may carry in lower case ("Ateliers Mécaniques du Rhône", "Bakkerij van Dam")
const LINKING = new Set([
  'und',
  'and',
  'of',
  'the',
  'der',
  'die',
  'das',
  'des',
  'für',
  'fur',
  'von',
  'vom',
  'zu',
  'am',
  'an',
  'im',
  'et',
  'de',
  'du',
  'la',
  'le',
  'les',
  'en',
  'van',
  'het',
  'y',
  'del',
  'di',
  'da',
  'e',
  'mbh',
  '&',
  '+',
  '-',
  '–',
]);
const STREET =
  /(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|ring|damm|ufer|road|rd\.|street|st\.|avenue|ave\.|lane|drive|rue|chemin|boulevard|bd|laan|straat|plein|gracht|calle|avenida|via|viale|piazza|corso|plot|unit|suite|floor|flat|building|bldg|sector|block|phase|nagar|marg|postfach|p\.?\s?o\.?\s?box)\b/iu;

/** "F A C T U U R" → "FACTUUR"; other text trimmed. */
export const unspaced = (text: string) =>
  /^(?:\p{L}{1,2} )+\p{L}{1,2}$/u.test(text.trim()) ? text.replace(/\s+/g, '') : text.trim();

/** Whether `text` can be a company's or a person's name. */
export function isName(printed: string): boolean {
  const text = unspaced(printed).replace(/[\s,;]+$/, '');
  if (text.length < 2 || text.length > 90 || !/\p{L}{2}/u.test(text)) return false;
  if (!/^[\p{Lu}\d]/u.test(text) || /^\d+[\s.,/-]*(?:\d|$)/u.test(text)) return false; // "80333 München", "(Selbst …", "des Versicherers"
  if (/[:!?]/.test(text) || CURRENCY_ONLY.test(text) || LEGAL_FORM_ONLY.test(text)) return false;
  if (SELLER_ROLE.test(text) || BUYER_ROLE.test(text) || NAME_ROW.test(text)) return false;
  if (parseDate(text) || parseAmount(text)) return false;
  const company = LEGAL_FORM.test(text);
  const patterns = company ? NOT_A_NAME.slice(1) : NOT_A_NAME;
  if (patterns.some((p) => p.test(text))) return false;
  // a label and nothing else: a column head ("Käufer", "Kunde", "Total")
  const label = labelOf(text);
  if (label && !label.rest) return false;
  const letters = text.replace(/[^\p{L}]/gu, '').length;
  if (letters < 0.5 * text.replace(/\s/g, '').length) return false; // OCR noise, codes
  if (!company && /\d{4,}/.test(text)) return false; // a postcode, a phone or an id
  if (!company && STREET.test(text) && /\d/.test(text)) return false; // "Lieferantenstraße 20"
  // a sentence or a slogan ("Dat betaal ik zelf wel.", "Thank you for your business"): words in lower case
  const words = text.split(/\s+/);
  // a table's column head ("Beschreibung", "Menge", "Unit Price"): each of its words names a column
  if (!company && words.every((w) => columnOf(w) !== null)) return false;
  const lower = words.filter((w) => /^\p{Ll}/u.test(w) && !LINKING.has(w.toLowerCase()) && !LEGAL_FORM.test(` ${w}`));
  if ((lower.length >= 2 && !company) || words.length > 9) return false;
  return !/\p{Ll}{3,}\.$/u.test(text) || company;
}

// "M/s. Ganesh Traders", "Messrs. Patel & Co.": the courtesy title Indian and British invoices print before a firm
const HONORIFIC = /^(?:m\/s\.?|messrs\.?)\s*(?=\p{L})/iu;

/** A name without the courtesy title printed before it ("M/s. Ganesh Traders" is "Ganesh Traders"). */
export const withoutHonorific = (name: string) => name.replace(HONORIFIC, '');

/** Letters and digits only, lower case, accents and legal form left off: two printings of one name compare equal. */
export function nameKey(name: string): string {
  return withoutAccents(withoutHonorific(name).replace(LEGAL_FORM, ''))
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '');
}

/** The words of a name worth finding in a domain ("musterlieferant" in musterlieferant.de). */
export function domainWords(name: string): string[] {
  return withoutAccents(name.replace(LEGAL_FORM, ''))
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 4 && !LINKING.has(w));
}
