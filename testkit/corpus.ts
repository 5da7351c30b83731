// A seeded corpus of realistic vendor invoices with ground truth, drawn with pdf-lib: six locales, many
// layouts (vendor block left or right, header fields as a label column, inline "Label: value", a row of
// labels with values below, address windows without a label), tables with and without borders and with
// wrapped descriptions, multi-page invoices with carried-forward totals, credit notes, several currencies,
// amount and date styles, PO number formats, tax ids and e-mail addresses. The same seed gives the same
// files, so tests generate it on the fly and nothing large is kept in git.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { LOCALES, type AmountStyle, type CorpusLang, type DateStyle, type Locale } from './corpus-locales.js';

export type { CorpusLang } from './corpus-locales.js';

export interface CorpusLineTruth {
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  partNumber: string | null;
}
export interface CorpusTruth {
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string | null;
  vendorName: string;
  vendorTaxId: string | null;
  currency: string;
  subtotal: string;
  tax: string;
  total: string;
  poNumbers: string[] | null;
  paymentTerms: string | null;
  billTo: string;
  vendorEmailDomain: string | null;
  lineItems: CorpusLineTruth[];
}
export const CORPUS_HEADER_FIELDS = [
  'invoiceNumber',
  'invoiceDate',
  'dueDate',
  'vendorName',
  'vendorTaxId',
  'currency',
  'subtotal',
  'tax',
  'total',
  'poNumbers',
  'paymentTerms',
  'billTo',
  'vendorEmailDomain',
] as const satisfies ReadonlyArray<keyof CorpusTruth>;

export interface CorpusTraits {
  lang: CorpusLang;
  credit: boolean;
  pages: number;
  vendorSide: 'left' | 'right';
  metaStyle: 'columns' | 'inline' | 'row' | 'right-labels';
  billTo: 'left' | 'right' | 'window';
  borders: 'none' | 'rules' | 'grid';
  amountStyle: AmountStyle;
  dateStyle: DateStyle;
  currencyDisplay: 'symbol' | 'code-before' | 'code-after' | 'label-only';
  font: 'Helvetica' | 'Times' | 'Courier';
}
export interface CorpusInvoice {
  name: string;
  pdf: Uint8Array;
  truth: CorpusTruth;
  traits: CorpusTraits;
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CorpusOptions {
  seed: number;
  count: number;
  langs?: CorpusLang[];
  only?: Partial<CorpusTraits>;
}

export async function generateCorpus({ seed, count, langs, only }: CorpusOptions): Promise<CorpusInvoice[]> {
  const invoices: CorpusInvoice[] = [];
  const all = langs ?? (Object.keys(LOCALES) as CorpusLang[]);
  for (let i = 0; i < count; i++) {
    const next = seededRandom(seed * 7919 + i);
    const lang = all[i % all.length]!;
    invoices.push(await drawInvoice(next, LOCALES[lang], only ?? {}, `${lang}-${String(i).padStart(3, '0')}`));
  }
  return invoices;
}

// ---------------------------------------------------------------------------------------------------
// Values

type Next = () => number;
const pickOne = <T>(next: Next, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const int = (next: Next, min: number, max: number) => min + Math.floor(next() * (max - min + 1));
const digits = (next: Next, n: number) => Array.from({ length: n }, () => int(next, 0, 9)).join('');

const fill = (next: Next, pattern: string, year: number) =>
  pattern.replace('{Y}', String(year)).replace(/\{(\d)\}/g, (_, n: string) => digits(next, Number(n)));
const INVOICE_NUMBERS = [
  'INV-{Y}-{4}',
  '{6}',
  'RE-{Y}/{4}',
  'F{Y}-{5}',
  '{Y}.{4}',
  'A-{5}',
  'FV/{Y}/{3}',
  '{2}-{5}',
  'SI-{6}',
  '{Y}{5}',
  '9{7}',
];
const PO_NUMBERS = ['{2}-{2}-{2}', '4500{6}', 'PO-{Y}-{4}', '0{5}', 'P{7}', '45{6}', '{6}', 'PO{6}'];

const decimal = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

function groupDigits(whole: string, separator: string): string {
  return whole.replace(/\B(?=(\d{3})+$)/g, separator);
}

interface MoneyStyle {
  style: AmountStyle;
  currency: string;
  display: CorpusTraits['currencyDisplay'];
  negative: 'minus' | 'trailing' | 'parens';
  grouping: boolean;
}
const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', CAD: 'CA$' };

/** An amount in cents as the vendor prints it; `fractionDigits` lets unit prices carry three decimals. */
function formatNumber(value: string, money: MoneyStyle): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const [group, point] = {
    'comma-dot': [',', '.'],
    'dot-comma': ['.', ','],
    'space-comma': ['\u00a0', ','],
    'apostrophe-dot': ["'", '.'],
  }[money.style];
  const number = `${money.grouping ? groupDigits(whole, group!) : whole}${fraction ? point + fraction : ''}`;
  if (!negative) return number;
  return money.negative === 'trailing' ? `${number}-` : money.negative === 'parens' ? `(${number})` : `-${number}`;
}

function formatMoney(value: string, money: MoneyStyle, withCurrency: boolean): string {
  const number = formatNumber(value, money);
  if (!withCurrency || money.display === 'label-only') return number;
  const symbol = SYMBOLS[money.currency];
  if (money.display === 'code-before' || (money.display === 'symbol' && !symbol)) return `${money.currency} ${number}`;
  if (money.display === 'code-after') return `${number} ${money.currency}`;
  const before = money.style === 'comma-dot' || money.style === 'apostrophe-dot';
  return before ? `${symbol}${number}` : `${number} ${symbol}`;
}

function formatDate(iso: string, style: DateStyle, locale: Locale): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const month = locale.months[Number(m) - 1]!;
  const short = locale.lang.startsWith('en') ? month.slice(0, 3) : month;
  switch (style) {
    case 'us-slash':
      return `${m}/${d}/${y}`;
    case 'dmy-slash':
      return `${d}/${m}/${y}`;
    case 'dmy-dot':
      return `${d}.${m}.${y}`;
    case 'dmy-dot-short':
      return `${d}.${m}.${y.slice(2)}`;
    case 'dmy-dash':
      return `${d}-${m}-${y}`;
    case 'iso':
      return iso;
    case 'long-mdy':
      return `${month} ${Number(d)}, ${y}`;
    case 'short-dmy-dash':
      return `${d}-${short}-${y}`;
    case 'long-dmy':
      if (locale.lang === 'de') return `${Number(d)}. ${month} ${y}`;
      if (locale.lang === 'es') return `${Number(d)} de ${month} de ${y}`;
      return `${Number(d)} ${month} ${y}`;
  }
}

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function companyName(next: Next, locale: Locale): string {
  const { first, second, legal } = locale.companies;
  const a = pickOne(next, first);
  let b = pickOne(next, second);
  if (b === a) b = second[(second.indexOf(b) + 1) % second.length]!;
  const form = pickOne(next, legal);
  return form ? `${a} ${b} ${form}` : `${a} ${b}`;
}

const slug = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(
      /\b(?:inc|llc|corp|co|corporation|ltd|limited|plc|llp|gmbh|ag|kg|e\.k|sas|sarl|sa|s\.a\.s|b\.v|bv|n\.v|v\.o\.f|s\.l|s\.a|sl|s\.l\.u)\b\.?/g,
      '',
    )
    .replace(/&/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
const TLD: Record<CorpusLang, string> = { 'en-US': 'com', 'en-GB': 'co.uk', de: 'de', fr: 'fr', nl: 'nl', es: 'es' };

// ---------------------------------------------------------------------------------------------------
// Drawing

interface Pen {
  page: PDFPage;
  regular: PDFFont;
  bold: PDFFont;
  width: number;
  height: number;
}

function write(
  pen: Pen,
  value: string,
  x: number,
  y: number,
  opts: { size?: number; bold?: boolean; align?: 'left' | 'right' } = {},
) {
  const size = opts.size ?? 9;
  const font = opts.bold ? pen.bold : pen.regular;
  const left = opts.align === 'right' ? x - font.widthOfTextAtSize(value, size) : x;
  pen.page.drawText(value, { x: left, y, size, font });
}
const widthOf = (pen: Pen, value: string, size = 9, bold = false) =>
  (bold ? pen.bold : pen.regular).widthOfTextAtSize(value, size);
const rule = (pen: Pen, x1: number, x2: number, y: number, thickness = 0.5) =>
  pen.page.drawLine({ start: { x: x1, y }, end: { x: x2, y }, thickness, color: rgb(0.4, 0.4, 0.4) });
const vrule = (pen: Pen, x: number, y1: number, y2: number) =>
  pen.page.drawLine({ start: { x, y: y1 }, end: { x, y: y2 }, thickness: 0.5, color: rgb(0.4, 0.4, 0.4) });

/** Splits a description into lines that fit the column. */
function wrap(pen: Pen, text: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && widthOf(pen, candidate, size) > width) {
      lines.push(current);
      current = word;
    } else current = candidate;
  }
  return [...lines, current];
}

const FONTS = {
  Helvetica: [StandardFonts.Helvetica, StandardFonts.HelveticaBold],
  Times: [StandardFonts.TimesRoman, StandardFonts.TimesRomanBold],
  Courier: [StandardFonts.Courier, StandardFonts.CourierBold],
} as const;

async function drawInvoice(
  next: Next,
  locale: Locale,
  only: Partial<CorpusTraits>,
  name: string,
): Promise<CorpusInvoice> {
  const traits: CorpusTraits = {
    lang: locale.lang,
    credit: next() < 0.12,
    pages: 1,
    vendorSide: next() < 0.6 ? 'left' : 'right',
    metaStyle: pickOne(next, ['columns', 'columns', 'inline', 'row', 'right-labels'] as const),
    billTo:
      locale.lang === 'de' || locale.lang === 'nl'
        ? pickOne(next, ['window', 'window', 'left', 'right'] as const)
        : pickOne(next, ['left', 'right', 'left'] as const),
    borders: pickOne(next, ['none', 'rules', 'grid'] as const),
    amountStyle: pickOne(next, locale.amountStyles),
    dateStyle: pickOne(next, locale.dateStyles),
    currencyDisplay: pickOne(next, ['symbol', 'symbol', 'code-before', 'code-after', 'label-only'] as const),
    font: next() < 0.1 ? 'Courier' : next() < 0.3 ? 'Times' : 'Helvetica',
    ...only,
  };
  const many = next() < 0.15;
  const currency = pickOne(next, locale.currencies);
  const swiss = next() < 0.5;
  if (!only.amountStyle && currency === 'CHF' && swiss) traits.amountStyle = 'apostrophe-dot';
  if (!only.amountStyle && currency !== 'CHF' && traits.amountStyle === 'apostrophe-dot')
    traits.amountStyle = locale.amountStyles[0]!;
  const money: MoneyStyle = {
    style: traits.amountStyle,
    currency,
    display: traits.currencyDisplay,
    negative: locale.lang === 'de' && next() < 0.4 ? 'trailing' : next() < 0.2 ? 'parens' : 'minus',
    grouping: next() < 0.85,
  };
  const sign = traits.credit ? -1 : 1;

  // Header values
  const year = int(next, 2024, 2026);
  const invoiceDate = `${year}-${String(int(next, 1, 12)).padStart(2, '0')}-${String(int(next, 1, 28)).padStart(2, '0')}`;
  const termsText = next() < 0.8 ? pickOne(next, locale.terms) : null;
  const dueDate = next() < 0.75 ? addDays(invoiceDate, pickOne(next, [10, 14, 30, 30, 45, 60])) : null;
  const invoiceNumber = fill(next, pickOne(next, INVOICE_NUMBERS), year);
  const vendorName = companyName(next, locale);
  let customer = companyName(next, locale);
  if (customer === vendorName) customer = `${customer.split(' ')[0]} Manufacturing`;
  const poCount = traits.credit ? (next() < 0.5 ? 0 : 1) : next() < 0.1 ? 0 : next() < 0.75 ? 1 : int(next, 2, 3);
  const poPattern = pickOne(next, PO_NUMBERS);
  const poNumbers = Array.from({ length: poCount }, () => fill(next, poPattern, year));
  const tax = next() < 0.85 ? locale.taxId()(next) : null;
  const emailDomain = next() < 0.7 ? `${slug(vendorName)}.${TLD[locale.lang]}` : null;
  const taxRate = traits.credit && next() < 0.5 ? locale.taxRates[0]! : pickOne(next, locale.taxRates);

  // Lines, amounts in integer cents
  const lineCount = many ? int(next, 24, 34) : int(next, 1, 7);
  const withParts = next() < 0.55;
  const lines = Array.from({ length: lineCount }, (_, i) => {
    const hours = next() < 0.12;
    const quantity = hours ? int(next, 1, 16) / 2 : pickOne(next, [1, 1, 2, 4, 5, 10, 12, 25, 50, 100, 250, 500, 1000]);
    const fine = next() < 0.12; // cheap parts priced to a tenth of a cent
    const maxCents = quantity >= 100 ? 2_000 : quantity >= 10 ? 50_000 : 400_000; // bulk items are cheap
    const priceMills = fine ? int(next, 12, 999) : int(next, 50, maxCents) * 10;
    const amountCents = Math.round((quantity * priceMills) / 10) * sign;
    const unitPrice = fine
      ? `${Math.trunc(priceMills / 1000)}.${String(priceMills % 1000).padStart(3, '0')}`
      : decimal(priceMills / 10);
    const description = `${pickOne(next, locale.products)}${next() < 0.25 ? ` ${pickOne(next, ['(drawing 4471-B)', 'per spec', 'Lot 2291', 'rev. D'])}` : ''}`;
    const partNumber = withParts
      ? `${pickOne(next, ['', 'A', 'HX-', '10-', 'P'])}${digits(next, int(next, 4, 6))}${next() < 0.3 ? `-${digits(next, 2)}` : ''}`
      : null;
    return {
      description,
      quantity: quantity * sign,
      unitPrice,
      amountCents,
      partNumber,
      unit: pickOne(next, locale.units),
      pos: i + 1,
    };
  });
  const subtotalCents = lines.reduce((sum, l) => sum + l.amountCents, 0);
  const taxCents = Math.round((subtotalCents * Math.round(Number(taxRate) * 100)) / 10_000);
  const totalCents = subtotalCents + taxCents;

  // Document and fonts
  const pdf = await PDFDocument.create();
  const [regularFont, boldFont] = FONTS[traits.font];
  const regular = await pdf.embedFont(regularFont);
  const bold = await pdf.embedFont(boldFont);
  const size: [number, number] = locale.page === 'letter' ? [612, 792] : [595.28, 841.89];
  const newPen = (): Pen => ({ page: pdf.addPage(size), regular, bold, width: size[0], height: size[1] });
  let pen = newPen();
  const W = pen.width;
  const H = pen.height;
  const margin = 50;
  const right = W - margin;
  const body = traits.font === 'Courier' ? 8 : 9;

  // Vendor block
  let vendorSize = pickOne(next, [14, 16, 18, 20, 22]);
  while (vendorSize > 11 && widthOf(pen, vendorName, vendorSize, true) > W / 2 - margin - 20) vendorSize--;
  const address = [pickOne(next, locale.streets), pickOne(next, locale.cities)];
  const contact: string[] = [];
  const emailLabel = pickOne(next, locale.labels.email);
  const email = emailDomain
    ? `${pickOne(next, ['invoices', 'billing', 'info', 'accounts', 'ar', 'buchhaltung', 'factures'])}@${emailDomain}`
    : null;
  const taxIdPlace = tax ? pickOne(next, ['header', 'footer', 'footer'] as const) : null;
  const emailPlace = email ? pickOne(next, ['header', 'footer'] as const) : null;
  const taxLabel = pickOne(next, locale.labels.taxId);
  const taxLine = tax ? `${taxLabel}${next() < 0.7 ? ':' : ''} ${tax.printed}` : '';
  if (next() < 0.5) contact.push(`Tel. +${int(next, 1, 49)} ${digits(next, 3)} ${digits(next, 4)}`);
  if (emailPlace === 'header') contact.push(emailLabel ? `${emailLabel}: ${email}` : email!);
  if (taxIdPlace === 'header') contact.push(taxLine);
  const vendorLines = [...address, ...contact];
  const blockWidth = Math.max(
    widthOf(pen, vendorName, vendorSize, true),
    ...vendorLines.map((line) => widthOf(pen, line, 8)),
  );
  const vendorX = traits.vendorSide === 'left' ? margin : Math.min(W - 230, right - blockWidth);
  let y = H - 60;
  write(pen, vendorName, vendorX, y, { size: vendorSize, bold: true });
  y -= vendorSize * 0.6 + 10;
  for (const line of vendorLines) {
    write(pen, line, vendorX, y, { size: 8 });
    y -= 10;
  }
  const vendorBottom = y;

  // Title on the other side
  const title = pickOne(next, traits.credit ? locale.creditTitle : locale.title);
  let titleSize = pickOne(next, [16, 20, 24]);
  // the title stays clear of the vendor block
  const vendorRight = vendorX + widthOf(pen, vendorName, vendorSize, true);
  while (
    traits.vendorSide === 'right' &&
    titleSize > 12 &&
    margin + widthOf(pen, title, titleSize, true) > vendorX - 24
  )
    titleSize--;
  while (
    traits.vendorSide === 'left' &&
    titleSize > 12 &&
    right - widthOf(pen, title, titleSize, true) < vendorRight + 24
  )
    titleSize--;
  if (traits.vendorSide === 'left') write(pen, title, right, H - 60, { size: titleSize, bold: true, align: 'right' });
  else write(pen, title, margin, H - 60, { size: titleSize, bold: true });

  // Header fields
  const money1 = (cents: number, withCurrency = true) => formatMoney(decimal(cents), money, withCurrency);
  const date = (iso: string) => formatDate(iso, traits.dateStyle, locale);
  const meta: Array<[string, string]> = [];
  const numberLabel = pickOne(next, traits.credit ? locale.labels.creditNumber : locale.labels.invoiceNumber);
  meta.push([numberLabel, invoiceNumber]);
  meta.push([pickOne(next, locale.labels.invoiceDate), date(invoiceDate)]);
  if (dueDate) meta.push([pickOne(next, locale.labels.dueDate), date(dueDate)]);
  const poLabel = pickOne(next, locale.labels.po);
  if (poNumbers.length) {
    const joiner = pickOne(next, [', ', ' / ', ', ', ' & ', '; ']);
    const prefix = /PO#|PO Number|P\.O\./.test(poLabel) || /^P/.test(poPattern) || next() < 0.8 ? '' : 'PO# ';
    meta.push([poLabel, poNumbers.map((po) => `${prefix}${po}`).join(joiner)]);
  }
  const termsPlace = termsText ? pickOne(next, ['meta', 'footer'] as const) : null;
  const termsLabel = pickOne(next, locale.labels.terms);
  if (termsPlace === 'meta') meta.push([termsLabel, termsText!]);
  if (money.display === 'label-only' && next() < 0.5) meta.push([pickOne(next, locale.labels.currency), currency]);
  const colon = next() < 0.6 ? ':' : '';

  let metaX = traits.vendorSide === 'left' ? W - 250 : margin;
  let metaY = H - 60 - titleSize - 14;
  const rowStep = (W - 2 * margin) / meta.length;
  if (
    traits.metaStyle === 'row' &&
    meta.some(([label, value]) => Math.max(widthOf(pen, label, 7, true), widthOf(pen, value, body)) > rowStep - 12)
  )
    traits.metaStyle = 'columns';
  if (traits.metaStyle === 'row') {
    // labels in a row across the page under the address blocks, values below them
    metaY = Math.min(vendorBottom, H - 200) - 100;
    const step = (W - 2 * margin) / meta.length;
    meta.forEach(([label, value], i) => {
      write(pen, label, margin + i * step, metaY, { size: 7, bold: true });
      write(pen, value, margin + i * step, metaY - 11, { size: body });
    });
    metaY -= 30;
  } else {
    const labelWidth = Math.max(...meta.map(([label]) => widthOf(pen, `${label}:`, body, true)));
    const valueWidth = Math.max(
      ...meta.map(([label, value]) => widthOf(pen, traits.metaStyle === 'inline' ? `${label}: ${value}` : value, body)),
    );
    metaX = Math.min(
      metaX,
      right - valueWidth - (traits.metaStyle === 'inline' ? 0 : traits.metaStyle === 'columns' ? labelWidth + 10 : 102),
    ); // values stay on the page
    const valueX = metaX + labelWidth + 10;
    for (const [label, value] of meta) {
      if (traits.metaStyle === 'inline')
        write(pen, `${label}${label.endsWith(':') ? '' : ':'} ${value}`, metaX, metaY, { size: body });
      else if (traits.metaStyle === 'columns') {
        write(pen, `${label}${label.endsWith(':') ? '' : colon}`, metaX, metaY, { size: body, bold: true });
        write(pen, value, valueX, metaY, { size: body });
      } else {
        write(pen, `${label}${label.endsWith(':') ? '' : colon}`, metaX + 95, metaY, {
          size: body,
          bold: true,
          align: 'right',
        });
        write(pen, value, metaX + 102, metaY, { size: body });
      }
      metaY -= 13;
    }
  }

  // Bill-to block
  const customerLines = [customer, pickOne(next, locale.streets), pickOne(next, locale.cities)];
  if (locale.lang !== 'en-US' && next() < 0.3)
    customerLines.push(`${pickOne(next, locale.labels.taxId)}: ${locale.taxId()(next).printed}`);
  const blockTop = Math.min(vendorBottom, traits.metaStyle === 'row' ? vendorBottom : metaY) - 20;
  let billLabel = pickOne(next, locale.labels.billTo);
  if (traits.billTo === 'window' || !billLabel) {
    traits.billTo = 'window';
    billLabel = '';
    const sender = `${vendorName} · ${address.join(' · ')}`;
    write(pen, sender, margin, blockTop, { size: 6 });
    rule(pen, margin, margin + widthOf(pen, sender, 6), blockTop - 2, 0.3);
    customerLines.forEach((line, i) => write(pen, line, margin, blockTop - 16 - i * 11, { size: body + 1 }));
  } else {
    const x =
      traits.billTo === 'left'
        ? margin
        : traits.vendorSide === 'left' && traits.metaStyle !== 'row'
          ? margin + 200
          : W - 250;
    write(pen, `${billLabel}${next() < 0.5 ? ':' : ''}`, x, blockTop, { size: body, bold: true });
    customerLines.forEach((line, i) =>
      write(pen, line, x, blockTop - 13 - i * 11, { size: body, bold: i === 0 && next() < 0.3 }),
    );
  }
  const rowLayout = traits.metaStyle === 'row' ? metaY : Infinity;
  y = Math.min(blockTop - 16 - customerLines.length * 11, rowLayout) - 24;

  // Line table: columns right to left
  const cols = locale.columns;
  const showPos = next() < 0.4;
  const showUnit = next() < 0.35 && traits.font !== 'Courier';
  const currencyInHeader = money.display === 'label-only' && !meta.some(([, v]) => v === currency);
  const headers = {
    pos: pickOne(next, cols.pos),
    part: pickOne(next, cols.part),
    description: pickOne(next, cols.description),
    quantity: pickOne(next, cols.quantity),
    unit: pickOne(next, cols.unit),
    unitPrice: pickOne(next, cols.unitPrice),
    amount: `${pickOne(next, cols.amount)}${currencyInHeader ? ` (${currency})` : ''}`,
  };
  const amountRight = right;
  const priceRight = amountRight - 85;
  const unitLeft = priceRight - 110;
  const qtyRight = showUnit ? unitLeft - 10 : priceRight - 90;
  const posX = margin;
  const partX = showPos ? margin + 36 : margin;
  const descX = withParts ? partX + 72 : partX;
  const descWidth = qtyRight - 45 - descX;
  const tableLeft = margin - 4;
  const headerSize = body - 1;
  const moneyInTable = next() < 0.5;

  const drawHeaderRow = () => {
    if (traits.borders !== 'none') rule(pen, tableLeft, right + 4, y + 11);
    if (showPos) write(pen, headers.pos, posX, y, { size: headerSize, bold: true });
    if (withParts) write(pen, headers.part, partX, y, { size: headerSize, bold: true });
    write(pen, headers.description, descX, y, { size: headerSize, bold: true });
    write(pen, headers.quantity, qtyRight, y, { size: headerSize, bold: true, align: 'right' });
    if (showUnit) write(pen, headers.unit, unitLeft, y, { size: headerSize, bold: true });
    write(pen, headers.unitPrice, priceRight, y, { size: headerSize, bold: true, align: 'right' });
    write(pen, headers.amount, amountRight, y, { size: headerSize, bold: true, align: 'right' });
    rule(pen, tableLeft, right + 4, y - 4);
    y -= 17;
  };
  const gridTop: number[] = [];
  const drawGrid = (top: number, bottom: number) => {
    if (traits.borders !== 'grid') return;
    for (const x of [
      tableLeft,
      ...(withParts ? [descX - 4] : []),
      qtyRight - 40,
      priceRight - 75,
      amountRight - 78,
      right + 4,
    ])
      vrule(pen, x, top, bottom);
  };
  const pageCount = many ? 2 : 1;
  const pageOf = (n: number) => locale.labels.page.replace('{n}', String(n)).replace('{m}', String(pageCount));
  const forward = (label: string, cents: number, bottomRule: boolean) => {
    write(pen, label, descX, y, { size: body, bold: true });
    write(pen, money1(cents, moneyInTable), amountRight, y, { size: body, bold: true, align: 'right' });
    if (bottomRule) rule(pen, tableLeft, right + 4, y - 4);
    y -= 16;
  };

  gridTop.push(y + 11);
  drawHeaderRow();
  let running = 0;
  const lineTruth: CorpusLineTruth[] = [];
  const splitAt = many ? Math.ceil(lines.length * 0.6) : Infinity;
  for (const [index, line] of lines.entries()) {
    if (index === splitAt) {
      forward(pickOne(next, locale.labels.carried), running, true);
      drawGrid(gridTop.at(-1)!, y + 12);
      write(pen, pageOf(1), W / 2, 30, { size: 7 });
      pen = newPen();
      traits.pages = 2;
      y = H - 60;
      write(pen, vendorName, margin, y, { size: 10, bold: true });
      write(pen, `${numberLabel} ${invoiceNumber}`, right, y, { size: body, align: 'right' });
      y -= 40;
      gridTop.push(y + 11);
      drawHeaderRow();
      forward(pickOne(next, locale.labels.broughtForward), running, false);
    }
    const descLines = wrap(pen, line.description, descWidth, body);
    if (showPos) write(pen, String(line.pos), posX, y, { size: body });
    if (line.partNumber) write(pen, line.partNumber, partX, y, { size: body });
    descLines.forEach((text, i) => write(pen, text, descX, y - i * 11, { size: body }));
    const quantity = formatNumber(String(line.quantity), { ...money, grouping: false });
    write(pen, quantity, qtyRight, y, { size: body, align: 'right' });
    if (showUnit) write(pen, line.unit, unitLeft, y, { size: body });
    write(pen, formatMoney(line.unitPrice, money, moneyInTable), priceRight, y, { size: body, align: 'right' });
    write(pen, money1(line.amountCents, moneyInTable), amountRight, y, { size: body, align: 'right' });
    y -= 11 * descLines.length + 5;
    if (traits.borders === 'grid') rule(pen, tableLeft, right + 4, y + 11);
    running += line.amountCents;
    lineTruth.push({
      description: line.description,
      quantity: String(line.quantity),
      unitPrice: line.unitPrice,
      amount: decimal(line.amountCents),
      partNumber: line.partNumber,
    });
  }
  if (traits.borders !== 'none') rule(pen, tableLeft, right + 4, y + 11);
  drawGrid(gridTop.at(-1)!, y + 11);

  // Totals
  y -= 10;
  const rate = taxRate.replace('.', money.style === 'comma-dot' || money.style === 'apostrophe-dot' ? '.' : ',');
  const taxLabel2 = pickOne(next, locale.labels.tax).replace('%', `${rate}${next() < 0.5 ? ' ' : ''}%`);
  const totalLabel = `${pickOne(next, locale.labels.total)}${money.display === 'label-only' && !currencyInHeader && !meta.some(([, v]) => v === currency) ? ` ${currency}` : ''}`;
  const rows: Array<[string, number, boolean]> = [
    [pickOne(next, locale.labels.subtotal), subtotalCents, false],
    [taxLabel2, taxCents, false],
    [totalLabel, totalCents, true],
  ];
  const labelsRight = next() < 0.5;
  for (const [label, cents, strong] of rows) {
    if (strong) rule(pen, right - 200, right + 4, y + 11);
    if (labelsRight) write(pen, `${label}${colon}`, right - 100, y, { size: body, bold: strong, align: 'right' });
    else write(pen, `${label}${colon}`, right - 220, y, { size: body, bold: strong });
    write(pen, money1(cents), right, y, { size: body, bold: strong, align: 'right' });
    y -= 15;
  }

  // Footer: terms, tax id, e-mail, bank, page number
  let footerY = 95;
  const footer: string[] = [];
  if (termsPlace === 'footer') footer.push(`${termsLabel}: ${termsText}`);
  const bank = `IBAN ${locale.lang === 'en-US' ? 'US' : locale.lang.slice(0, 2).toUpperCase()}${digits(next, 2)} ${digits(next, 4)} ${digits(next, 4)} ${digits(next, 4)} · BIC ${pickOne(next, ['COBADEFFXXX', 'BNPAFRPP', 'INGBNL2A', 'CAIXESBB', 'NWBKGB2L'])}`;
  const legal = [
    taxIdPlace === 'footer' ? taxLine : '',
    emailPlace === 'footer' ? (emailLabel ? `${emailLabel}: ${email}` : email!) : '',
  ].filter(Boolean);
  if (legal.length) footer.push(next() < 0.5 ? legal.join(' · ') : legal.join('   '));
  footer.push(bank);
  for (const line of footer) {
    write(pen, line, margin, footerY, { size: 7 });
    footerY -= 10;
  }
  if (pageCount > 1) write(pen, pageOf(2), W / 2, 30, { size: 7 });

  const truth: CorpusTruth = {
    invoiceNumber,
    invoiceDate,
    dueDate,
    vendorName,
    vendorTaxId: tax?.canonical ?? null,
    currency,
    subtotal: decimal(subtotalCents),
    tax: decimal(taxCents),
    total: decimal(totalCents),
    poNumbers: poNumbers.length ? poNumbers : null,
    paymentTerms: termsText,
    billTo: customer,
    vendorEmailDomain: emailDomain,
    lineItems: lineTruth,
  };
  return { name, pdf: await pdf.save(), truth, traits };
}
