// What an e-invoice says, independent of its syntax: the EN 16931 business terms PlexSync uses, each
// with the XPath of the element it came from. The CII and UBL readers fill this; checks and the mapping
// to the Extraction contract read it. Values are checked here (xs:decimal, dates) and never guessed:
// "1.234,56" in an amount element is reported, not reinterpreted.
import type { EInvoiceProfile, EInvoiceSyntax } from './detect.js';
import type { XmlElement } from './xml.js';

export interface Located<T = string> {
  value: T;
  xpath: string;
}

export interface EInvoiceLine {
  id?: Located; // BT-126
  name?: Located; // BT-153
  quantity?: Located; // BT-129
  unit?: Located; // BT-130
  netPrice?: Located; // BT-146
  priceBaseQuantity?: Located; // BT-149
  amount?: Located; // BT-131
  orderLineReference?: Located; // BT-132
  sellerItemId?: Located; // BT-155
}

export interface EInvoiceData {
  syntax: EInvoiceSyntax;
  profile?: EInvoiceProfile;
  guideline?: Located; // BT-24 / UBL CustomizationID
  number?: Located; // BT-1
  issueDate?: Located; // BT-2, ISO
  typeCode?: Located; // BT-3
  creditNote: boolean;
  currency?: Located; // BT-5
  dueDate?: Located; // BT-9, ISO
  paymentTerms?: Located; // BT-20
  purchaseOrder?: Located; // BT-13
  sellerName?: Located; // BT-27
  sellerVatId?: Located; // BT-31
  sellerTaxRegistration?: Located; // BT-32
  buyerName?: Located; // BT-44
  totals: {
    lines?: Located; // BT-106
    allowances?: Located; // BT-107
    charges?: Located; // BT-108
    taxBasis?: Located; // BT-109
    tax?: Located; // BT-110
    grand?: Located; // BT-112
    prepaid?: Located; // BT-113
    rounding?: Located; // BT-114
    due?: Located; // BT-115
  };
  vatBreakdown: Array<{ basis?: Located; amount?: Located; rate?: Located; category?: Located }>; // BG-23
  allowancesCharges: Array<{ charge: boolean; amount?: Located }>; // BG-20 / BG-21
  lines: EInvoiceLine[]; // BG-25
  /** Values present in the XML that are not valid for their business term (read as absent). */
  problems: string[];
}

export function emptyData(syntax: EInvoiceSyntax): EInvoiceData {
  return { syntax, creditNote: false, totals: {}, vatBreakdown: [], allowancesCharges: [], lines: [], problems: [] };
}

/** The trimmed text of an element, or undefined when absent or blank. */
export function textOf(el: XmlElement | undefined): Located | undefined {
  const value = el?.text.replace(/\s+/g, ' ').trim();
  return el && value ? { value, xpath: el.xpath } : undefined;
}

const XS_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** An xs:decimal in canonical form ("+012.5" → "12.5"); anything else is a problem, never a guess. */
export function decimalOf(el: XmlElement | undefined, term: string, problems: string[]): Located | undefined {
  const raw = textOf(el);
  if (!raw) return undefined;
  const parts = XS_DECIMAL.exec(raw.value);
  if (!parts || (!parts[2] && !parts[3])) {
    problems.push(
      `${term} "${raw.value}" at ${raw.xpath} is not a decimal number (EN 16931 writes amounts like 1234.56, without thousands separators); it was not read.`,
    );
    return undefined;
  }
  const [, sign = '', whole = '', fraction = ''] = parts;
  const digits = whole.replace(/^0+(?=\d)/, '') || '0';
  const text = fraction ? `${digits}.${fraction}` : digits;
  const zero = /^[0.]*$/.test(text);
  return { value: sign === '-' && !zero ? `-${text}` : text, xpath: raw.xpath };
}

/** CII dates: format 102 (CCYYMMDD) is the only one EN 16931 allows for invoice dates. */
export function ciiDateOf(el: XmlElement | undefined, term: string, problems: string[]): Located | undefined {
  const raw = textOf(el);
  if (!raw || !el) return undefined;
  const format = el.attrs.format ?? '102';
  const parts = /^(\d{4})(\d{2})(\d{2})$/.exec(raw.value);
  if (format !== '102' || !parts) {
    problems.push(
      `${term} "${raw.value}" (format ${format}) at ${raw.xpath} is not a date in format 102 (CCYYMMDD); it was not read.`,
    );
    return undefined;
  }
  return isoDate(`${parts[1]}-${parts[2]}-${parts[3]}`, raw.xpath, term, problems);
}

/** UBL dates: xs:date, YYYY-MM-DD (a time zone suffix is allowed and ignored). */
export function ublDateOf(el: XmlElement | undefined, term: string, problems: string[]): Located | undefined {
  const raw = textOf(el);
  if (!raw) return undefined;
  const parts = /^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(raw.value);
  if (!parts) {
    problems.push(`${term} "${raw.value}" at ${raw.xpath} is not a date (YYYY-MM-DD); it was not read.`);
    return undefined;
  }
  return isoDate(parts[1]!, raw.xpath, term, problems);
}

function isoDate(iso: string, xpath: string, term: string, problems: string[]): Located | undefined {
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    problems.push(`${term} ${iso} at ${xpath} is not a calendar date; it was not read.`);
    return undefined;
  }
  return { value: iso, xpath };
}

/** UNTDID 1001 codes EN 16931 treats as credit notes. */
export const CREDIT_NOTE_TYPE_CODES = new Set([
  '81',
  '83',
  '261',
  '262',
  '296',
  '308',
  '381',
  '396',
  '420',
  '458',
  '532',
]);
