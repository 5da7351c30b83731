// Turns what vendors print into canonical values: decimal strings for money, ISO dates, PO numbers as
// strings (leading zeros are part of a Plex PO number), ISO 4217 currency codes. Pure and locale-free.

const CURRENCY_CODES = [
  'USD',
  'EUR',
  'GBP',
  'CHF',
  'CAD',
  'MXN',
  'JPY',
  'CNY',
  'AUD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'INR',
  'BRL',
];
// Longest first, so "US$" wins over "$". "$" alone is read as USD; callers note that it is a guess.
const CURRENCY_SYMBOLS: Array<[string, string]> = [
  ['US$', 'USD'],
  ['$US', 'USD'],
  ['CA$', 'CAD'],
  ['$CA', 'CAD'],
  ['MX$', 'MXN'],
  ['£GB', 'GBP'],
  ['C$', 'CAD'],
  ['A$', 'AUD'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['₹', 'INR'],
];
// Currency words printed like a symbol: "Rs 1939", "Rs. 1,939.00" (Indian rupees).
const CURRENCY_WORDS: Array<[RegExp, string]> = [
  [/(?<![A-Za-z])Rs\.?(?![A-Za-z])/g, 'INR'],
  // the amount in words: "Rupees Eleven Thousand Only"
  [/\bRupees\b/gi, 'INR'],
];

// One pattern for every code, compiled once: amounts are parsed thousands of times per document.
const CODE_PATTERN = new RegExp(`(?<![A-Za-z])(?:${CURRENCY_CODES.join('|')})(?![A-Za-z])`, 'g');

export interface CurrencyMention {
  code: string;
  from: 'code' | 'symbol';
}

// A code glued to digits is a currency only where the digits are an amount: "EUR1,234.50", "1.234,50EUR".
// Inside a reference ("CHF305-000", "X0CAD-7", "PLN12A") it is part of that reference.
const AMOUNT_AFTER_CODE = /^-?\d{1,3}(?:[.,'\u00a0\u202f]?\d{3})*(?:[.,]\d{1,2})?(?![\p{L}\d\-/])/u;
const AMOUNT_BEFORE_CODE = /\d[.,]\d{2}$/;
function isCodeInReference(before: string, after: string): boolean {
  if (/\d$/.test(before)) return !AMOUNT_BEFORE_CODE.test(before);
  if (/^-?\d/.test(after)) return !AMOUNT_AFTER_CODE.test(after);
  return false;
}

/** The currencies named in a piece of text, in order of appearance (duplicates removed). */
export function currenciesIn(text: string): CurrencyMention[] {
  const found: Array<CurrencyMention & { at: number; end: number }> = [];
  for (const m of text.matchAll(CODE_PATTERN)) {
    const end = m.index + m[0].length;
    if (isCodeInReference(text.slice(0, m.index), text.slice(end))) continue;
    found.push({ code: m[0], from: 'code', at: m.index, end });
  }
  for (const [symbol, code] of CURRENCY_SYMBOLS) {
    for (let at = text.indexOf(symbol); at >= 0; at = text.indexOf(symbol, at + 1)) {
      const end = at + symbol.length;
      if (!found.some((f) => at < f.end && end > f.at)) found.push({ code, from: 'symbol', at, end });
    }
  }
  for (const [word, code] of CURRENCY_WORDS) {
    for (const m of text.matchAll(word)) found.push({ code, from: 'symbol', at: m.index, end: m.index + m[0].length });
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  return found.filter((f) => !seen.has(f.code) && seen.add(f.code)).map(({ code, from }) => ({ code, from }));
}

const GROUP_SEPARATORS = /[ \u00a0\u202f'’]/g;
// Indian digit grouping: thousands, then lakhs and crores in pairs ("1,00,000", "12,34,567").
const INDIAN_GROUPING = /^\d{1,2}(?:,\d{2})+,\d{3}$/;

/**
 * A printed number as a canonical decimal ("1234.5", "-3"), or null. Accepts 1,234.56 / 1.234,56 /
 * 1 234,56 / 1'234.56. A lone separator followed by exactly three digits is a thousands separator
 * ("1.234" is 1234), unless the integer part is 0 ("0,125").
 */
export function parseDecimal(printed: string): string | null {
  let text = printed.trim().replace(/−/g, '-');
  let negative = false;
  if (/^\(.*\)$/.test(text)) [negative, text] = [true, text.slice(1, -1).trim()];
  if (/^-/.test(text)) [negative, text] = [true, text.slice(1).trim()];
  else if (/-$/.test(text)) [negative, text] = [true, text.slice(0, -1).trim()];
  if (!/^\d[\d.,  \u00a0\u202f'’]*$/.test(text) || /[.,]{2}|[.,]$/.test(text)) return null;

  const separators = [...text.matchAll(/[.,]/g)].map((m) => ({ char: m[0], at: m.index }));
  const last = separators.at(-1);
  let integer = text;
  let fraction = '';
  if (last) {
    const digitsAfter = text.length - last.at - 1;
    const sameKind = separators.filter((s) => s.char === last.char).length;
    const mixed = separators.some((s) => s.char !== last.char);
    const leadingZero = /^0[.,]/.test(text);
    const isDecimal = mixed || (sameKind === 1 && (digitsAfter !== 3 || leadingZero));
    if (isDecimal) [integer, fraction] = [text.slice(0, last.at), text.slice(last.at + 1)];
  }
  const groups = integer.split(/[.,  \u00a0\u202f'’]/);
  if (
    groups.length > 1 &&
    !groups.every((g, i) => (i === 0 ? /^\d{1,3}$/ : /^\d{3}$/).test(g)) &&
    !INDIAN_GROUPING.test(integer)
  )
    return null;
  if (!/^\d*$/.test(fraction)) return null;
  const digits = integer
    .replace(/[.,]/g, '')
    .replace(GROUP_SEPARATORS, '')
    .replace(/^0+(?=\d)/, '');
  const value = fraction ? `${digits}.${fraction}` : digits;
  return negative && /[1-9]/.test(value) ? `-${value}` : value;
}

export interface ParsedAmount {
  value: string;
  currency: CurrencyMention | null;
}

// "120.00 CR": a credit, as accounting systems print it on credit memos and statements
export const CREDIT_MARK = /(?<=\d)\s*CR\.?\s*$/;

/** A printed money amount ("$1,234.56", "1.234,56 €", "EUR 1 234,56") with at least two decimals. */
export function parseAmount(printed: string): ParsedAmount | null {
  if (!/\d/.test(printed)) return null;
  const currencies = currenciesIn(printed);
  if (currencies.length > 1) return null;
  // "Rs. 1939/-": the dash after a slash closes the amount ("and no paise"), it is no minus sign
  let rest = printed.replace(CODE_PATTERN, '').replace(/\/-\s*$/, '');
  const credit = CREDIT_MARK.exec(rest);
  if (credit) {
    if (/-/.test(rest)) return null; // "-120.00 CR" says it twice: no reading
    rest = `-${rest.slice(0, credit.index)}`;
  }
  for (const [symbol] of CURRENCY_SYMBOLS) rest = rest.split(symbol).join('');
  for (const [word] of CURRENCY_WORDS) rest = rest.replace(word, '');
  const value = parseDecimal(rest);
  if (value === null) return null;
  const [integer, fraction = ''] = value.split('.');
  return { value: `${integer}.${fraction.padEnd(2, '0')}`, currency: currencies[0] ?? null };
}

/** A decimal string in integer cents, rounding half away from zero beyond two decimals. */
export function toCents(decimal: string): bigint {
  const negative = decimal.startsWith('-');
  const [integer = '0', fraction = ''] = decimal.replace('-', '').split('.');
  let cents = BigInt(integer) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
  if ((fraction[2] ?? '0') >= '5') cents += 1n;
  return negative ? -cents : cents;
}

export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** quantity × unit price in cents, exactly (both are decimal strings). */
export function lineAmountCents(quantity: string, unitPrice: string): bigint {
  const scaled = (d: string) => ({ units: BigInt(d.replace('.', '')), scale: d.split('.')[1]?.length ?? 0 });
  const [q, p] = [scaled(quantity), scaled(unitPrice)];
  const product = q.units * p.units;
  const scale = q.scale + p.scale;
  if (scale <= 2) return product * 10n ** BigInt(2 - scale);
  const divisor = 10n ** BigInt(scale - 2);
  const half = product < 0n ? -divisor / 2n : divisor / 2n;
  return (product + half) / divisor;
}

// Month names (and common abbreviations) in English, German, French, Dutch and Spanish.
const MONTHS = [
  'january jan januar jänner jän janvier janv januari enero ene',
  'february feb februar février févr fevrier februari febrero',
  'march mar märz mär mrz maerz mars maart mrt marzo',
  'april apr avril avr abril abr',
  'may mai mei mayo',
  'june jun juni juin junio',
  'july jul juli juillet juil julio',
  'august aug août aout augustus agosto ago',
  'september sep sept septembre septiembre setiembre',
  'october oct oktober okt octobre octubre',
  'november nov novembre noviembre',
  'december dec dezember dez décembre déc decembre diciembre dic',
];
// each name also without its accents: OCR often drops them ("11. Marz 2014", "3 fevrier 2015")
/** The letters without their accents ("März" → "Marz"); one letter stays one letter. */
export const withoutAccents = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');
/** Letters and digits only, lower case, accents left off: "Müller-Bau GmbH" → "mullerbaugmbh". */
export const lettersAndDigits = (text: string) =>
  withoutAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
const MONTH_BY_NAME = new Map(
  MONTHS.flatMap((names, i) =>
    names.split(' ').flatMap((n) => [[withoutAccents(n), i + 1] as const, [n, i + 1] as const]),
  ),
);

export type DateOrder = 'MDY' | 'DMY';
export interface ParsedDate {
  value: string;
  ambiguous: boolean;
}

/**
 * The first date in a piece of text as YYYY-MM-DD. Dotted dates are always day-first (DD.MM.YYYY);
 * slash and dash dates follow `order` when both readings are valid, and say so with `ambiguous`.
 */
export function parseDate(text: string, order: DateOrder = 'MDY'): ParsedDate | null {
  const iso = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/.exec(text);
  if (iso) return build(+iso[1]!, +iso[2]!, +iso[3]!, false);

  const numeric = /(?<!\d)(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)/.exec(text);
  if (numeric) {
    const [a, sep, b, year] = [+numeric[1]!, numeric[2], +numeric[3]!, +numeric[4]!];
    if (sep === '.' || a > 12) return build(year, b, a, false);
    if (b > 12) return build(year, a, b, false);
    return order === 'DMY' ? build(year, b, a, a !== b) : build(year, a, b, a !== b);
  }

  const word = '([A-Za-zÀ-ÿ]{3,10})\\.?';
  // "4th March 2024", "7 de marzo de 2024", "04/Mar/2024"; a two-digit year only in one token ("04-Mar-24",
  // "04.Mar.24"): "12 Mai 15 Stk" is no date
  const dayMonthYear = new RegExp(
    `(?<!\\d)(\\d{1,2})(?:st|nd|rd|th|er)?\\.?[\\s./-]*(?:de\\s+)?${word},?(?:[\\s/-]+|(?<=\\.))(?:de\\s+)?(\\d{4}(?!\\d)|(?<=\\S)\\d{2}(?![\\d:]))`,
    'i',
  ).exec(text);
  if (dayMonthYear) {
    const month = MONTH_BY_NAME.get(dayMonthYear[2]!.toLowerCase());
    if (month) return build(+dayMonthYear[3]!, month, +dayMonthYear[1]!, false);
  }
  const monthDayYear = new RegExp(`${word}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:\\s*,)?\\s+(\\d{4})`, 'i').exec(text);
  if (monthDayYear) {
    const month = MONTH_BY_NAME.get(monthDayYear[1]!.toLowerCase());
    if (month) return build(+monthDayYear[3]!, month, +monthDayYear[2]!, false);
  }
  return null;
}

/** Whether a date starts the text ("05.03.2025", "March 5, 2025", "le 5 mars 2025"), not a word before it ("vto. 18/07/2025"). */
export function startsWithDate(text: string): boolean {
  const first = /^\s*(\p{L}+)/u.exec(text)?.[1]?.toLowerCase();
  if (!first) return true;
  if (['am', 'le', 'du', 'den', 'vom', 'on', 'el', 'the', 'dated', 'op'].includes(first)) return true;
  return MONTH_BY_NAME.has(first);
}

function build(year: number, month: number, day: number, ambiguous: boolean): ParsedDate | null {
  const fullYear = year < 100 ? 2000 + year : year;
  if (fullYear < 1990 || fullYear > 2100 || month < 1 || month > 12 || day < 1) return null;
  if (day > new Date(Date.UTC(fullYear, month, 0)).getUTCDate()) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { value: `${fullYear}-${pad(month)}-${pad(day)}`, ambiguous };
}

// An order's abbreviation before its number: PO / P.O. (purchase order), BC (bon de commande), Cde and Cmde
// (commande), OC (orden de compra), Best. (Bestellung), Ord. (order, ordine).
const ORDER_ABBREVIATION = String.raw`(?:P\.?\s?O|B\.?\s?C|O\.?\s?C|Cm?de|Best|Ord)\.?`;
// "PO# 123", "P.O. 123", "PO: 123", "PO No. 123", "BC 123", "Cde n° 123" lose the prefix; "PO-2024-0042" and
// "PO801801" are numbers as printed (matching tries them with and without it).
const PO_PREFIX = new RegExp(
  String.raw`(?<![A-Z0-9])${ORDER_ABBREVIATION}(?:\s*(?:#|No\.?|Nr\.?|n°|nº|Number)(?:\s*:)?\s*|\s*:\s*|\s+)(?=\d)`,
  'gi',
);
const REPEATED_PREFIX = new RegExp(String.raw`^${ORDER_ABBREVIATION}(?:#|No\.?|Nr\.?|n°|nº)?:?$`, 'i');
// Words that may sit between PO numbers without ending the list.
const FILLERS = new Set(['and', 'und', 'et', 'en', 'y', '&', '+', '/', '|', 'no', 'nr', 'number', 'n°', 'nº']);

/**
 * PO numbers from the text next to a PO label: "PO# 062486, 062487" → ["062486", "062487"]. Stops at
 * the first word that is not a PO number ("4711 vom 01.11.2025" → ["4711"]); dates are never PO numbers.
 */
export function parsePoNumbers(text: string): string[] {
  const tokens = text
    .replace(PO_PREFIX, '')
    .replace(/^[\s:#]+/, '')
    .split(/[\s,;]+/)
    .filter(Boolean);
  const poNumbers: string[] = [];
  for (const raw of tokens) {
    const token = raw.replace(/^#/, '').replace(/[.)]$/, '');
    if (FILLERS.has(token.toLowerCase()) || REPEATED_PREFIX.test(token)) continue; // a repeated "PO#" between numbers
    // A date with a four-digit year ends the list ("4711 vom 01.11.2025"); "06-24-86" is a PO number.
    if (!/\d/.test(token) || !/^[A-Z0-9][A-Z0-9\-/_.]{0,39}$/i.test(token) || (parseDate(token) && /\d{4}/.test(token)))
      break;
    if (!poNumbers.includes(token)) poNumbers.push(token);
  }
  return poNumbers;
}
