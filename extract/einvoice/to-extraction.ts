// EInvoiceData → the Extraction contract. Every value comes from the XML with confidence 1.0 and its
// XPath as provenance; a value the calculation rules put in doubt drops to 0.5 with the rule's message,
// so the invoice goes to review instead of being booked on numbers that do not add up.
//
// Credit notes (BT-3 381 and the other credit codes, or a UBL CreditNote): the document's amounts are
// positive by EN 16931; PlexSync stores them negated (subtotal, tax, total, line amounts) so nothing
// downstream can mistake a credit for a bill. Quantities and unit prices keep their sign.
import {
  emptyField,
  Extraction,
  HEADER_FIELD_NAMES,
  SYNC_FIELDS,
  type HeaderFields,
  type LineItem,
} from '../../domain/extraction.js';
import { overallConfidence } from '../heuristics.js';
import type { RuleViolation } from './checks.js';
import type { EInvoiceData, EInvoiceLine, Located } from './model.js';

export const EINVOICE_SOURCE = 'einvoice' as const;
const DOUBTED = 0.5;

export function extractorName(data: EInvoiceData): string {
  return data.syntax === 'ubl-invoice' || data.syntax === 'ubl-credit-note' ? 'einvoice-ubl@1' : 'einvoice-cii@1';
}

export function syntaxLabel(data: EInvoiceData): string {
  switch (data.syntax) {
    case 'cii':
      return 'UN/CEFACT CII';
    case 'zugferd1':
      return 'ZUGFeRD 1.0 CII';
    default:
      return `UBL 2.1 ${data.syntax === 'ubl-credit-note' ? 'CreditNote' : 'Invoice'}`;
  }
}

export function toExtraction(
  data: EInvoiceData,
  violations: RuleViolation[],
  extra: { warnings?: string[]; pageCount?: number; pages?: Array<{ width: number; height: number }> } = {},
): Extraction {
  const field = <T>(located: Located<T> | undefined, label: string, notes: string[] = []) =>
    xmlField(located, label, notes, [`${label} is not in the e-invoice.`]);
  const money = (located: Located | undefined) =>
    located ? { ...located, value: signed(money2(located.value), data.creditNote) } : undefined;
  const t = data.totals;

  const vendorTaxId = data.sellerVatId ?? data.sellerTaxRegistration;
  const fields: HeaderFields = {
    invoiceNumber: field(data.number, 'BT-1 invoice number'),
    invoiceDate: field(data.issueDate, 'BT-2 invoice issue date'),
    dueDate: field(data.dueDate, 'BT-9 payment due date'),
    vendorName: field(data.sellerName, 'BT-27 seller name'),
    vendorTaxId: field(
      vendorTaxId,
      data.sellerVatId ? 'BT-31 seller VAT identifier' : 'BT-32 seller tax registration identifier',
      data.sellerVatId && data.sellerTaxRegistration
        ? [`Tax registration (BT-32): ${data.sellerTaxRegistration.value}.`]
        : [],
    ),
    currency: field(data.currency, 'BT-5 invoice currency code'),
    subtotal: field(
      money(t.taxBasis),
      'BT-109 invoice total amount without VAT',
      t.lines ? [`Sum of line net amounts (BT-106): ${money2(t.lines.value)}.`] : [],
    ),
    tax: field(
      money(t.tax),
      'BT-110 invoice total VAT amount',
      data.vatBreakdown.map((b) =>
        `VAT ${b.category?.value ?? ''} ${b.rate?.value ?? '?'}%: ${b.amount?.value ?? '?'} on ${b.basis?.value ?? '?'}.`.replace(
          /\s+/g,
          ' ',
        ),
      ),
    ),
    total: field(
      money(t.grand),
      'BT-112 invoice total amount with VAT',
      t.due && t.grand && t.due.value !== t.grand.value ? [`Amount due (BT-115): ${money2(t.due.value)}.`] : [],
    ),
    // what is left to pay after a prepayment (BT-113): its own field, the total stays the gross
    amountDue: field(
      money(t.due),
      'BT-115 amount due for payment',
      t.prepaid && Number(t.prepaid.value) !== 0 ? [`Paid in advance (BT-113): ${money2(t.prepaid.value)}.`] : [],
    ),
    poNumbers: field(
      data.purchaseOrder ? { value: [data.purchaseOrder.value], xpath: data.purchaseOrder.xpath } : undefined,
      'BT-13 purchase order reference',
    ),
    paymentTerms: field(data.paymentTerms, 'BT-20 payment terms'),
    billTo: field(data.buyerName, 'BT-44 buyer name'),
    vendorEmailDomain: emptyField(),
  };
  const lineItems = data.lines.map((line) => toLineItem(line, data.creditNote));

  const warnings = [...(extra.warnings ?? [])];
  if (data.creditNote)
    warnings.push(`Credit note (type code ${data.typeCode?.value ?? 'CreditNote'}): its amounts are shown negative.`);
  for (const violation of violations) {
    warnings.push(violation.message);
    const doubted = violation.affects.flatMap((a) =>
      a === 'subtotal'
        ? [fields.subtotal]
        : a === 'tax'
          ? [fields.tax]
          : a === 'total'
            ? [fields.total]
            : a === 'amountDue'
              ? [fields.amountDue]
              : [],
    );
    for (const f of doubted) {
      if (f.value === null) continue;
      f.confidence = Math.min(f.confidence, DOUBTED);
      f.notes.push(violation.message);
    }
  }
  warnings.push(...data.problems);
  if (data.profile === 'MINIMUM' || data.profile === 'BASIC WL') {
    warnings.push(`Profile ${data.profile} carries no invoice lines: the three-way check has nothing to compare.`);
  }
  for (const name of SYNC_FIELDS)
    if (fields[name].value === null) warnings.push(`The e-invoice has no ${describe(name)}.`);
  const confidence = overallConfidence(fields);
  for (const name of HEADER_FIELD_NAMES) if (fields[name].value === null) fields[name].confidence = 0;
  return Extraction.parse({
    fields,
    lineItems,
    confidence,
    pageCount: extra.pageCount ?? 0,
    pages: extra.pages ?? [],
    warnings,
    extractor: extractorName(data),
  });
}

/** A value of the XML with confidence 1 and its XPath as provenance; empty, with `missing` as notes, when absent. */
function xmlField<T>(located: Located<T> | undefined, label: string, notes: string[] = [], missing: string[] = []) {
  return located
    ? {
        value: located.value,
        confidence: 1,
        provenance: { page: 1, source: EINVOICE_SOURCE, label, xpath: located.xpath },
        notes,
      }
    : { ...emptyField<T>(), notes: missing };
}

function toLineItem(line: EInvoiceLine, creditNote: boolean): LineItem {
  // BT-146 is the price per BT-149 units ("12.00 per 100"); the per-unit price is what a PO line holds.
  const base = line.priceBaseQuantity?.value;
  const perUnit =
    line.netPrice && base && Number(base) !== 1 && Number(base) > 0
      ? { value: divide(line.netPrice.value, base), xpath: line.netPrice.xpath }
      : line.netPrice;
  const item: LineItem = {
    description: xmlField(line.name, 'BT-153 item name', line.id ? [`Line ${line.id.value} (BT-126).`] : []),
    quantity: xmlField(
      line.quantity ? { ...line.quantity, value: quantity(line.quantity.value) } : undefined,
      'BT-129 invoiced quantity',
    ),
    unitPrice: xmlField(
      perUnit ? { ...perUnit, value: money2(perUnit.value) } : undefined,
      'BT-146 item net price',
      perUnit !== line.netPrice ? [`${line.netPrice!.value} per ${base} units (BT-149).`] : [],
    ),
    amount: xmlField(
      line.amount ? { ...line.amount, value: signed(money2(line.amount.value), creditNote) } : undefined,
      'BT-131 invoice line net amount',
    ),
  };
  if (line.unit) item.unit = xmlField(line.unit, 'BT-130 invoiced quantity unit of measure code');
  if (line.sellerItemId) item.partNumber = xmlField(line.sellerItemId, 'BT-155 item seller identifier');
  if (line.orderLineReference)
    item.poLine = xmlField(line.orderLineReference, 'BT-132 referenced purchase order line reference');
  return item;
}

const DESCRIPTIONS: Record<(typeof SYNC_FIELDS)[number], string> = {
  invoiceNumber: 'invoice number (BT-1)',
  vendorName: 'seller name (BT-27)',
  total: 'total with VAT (BT-112)',
  poNumbers: 'purchase order reference (BT-13): it cannot be matched to a PO automatically',
  invoiceDate: 'issue date (BT-2)',
};
const describe = (name: (typeof SYNC_FIELDS)[number]) => DESCRIPTIONS[name];

/** Money with at least two decimals, extra trailing zeros dropped: "12.5" → "12.50", "3.1400" → "3.14". */
export function money2(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed.padEnd(2, '0')}`;
}

/** Quantities without trailing zeros: "10.000" → "10", "2.50" → "2.5". */
export function quantity(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

function signed(value: string, creditNote: boolean): string {
  if (!creditNote || /^-?0(\.0+)?$/.test(value)) return value;
  return value.startsWith('-') ? value.slice(1) : `-${value}`;
}

/** price ÷ base quantity to 4 decimals (half up), exactly. */
function divide(price: string, base: string): string {
  const scale = 4;
  const [p, b] = [price, base].map((v) => {
    const [whole, fraction = ''] = v.replace('-', '').split('.');
    return { units: BigInt(whole + fraction), scale: fraction.length, negative: v.startsWith('-') };
  }) as [{ units: bigint; scale: number; negative: boolean }, { units: bigint; scale: number; negative: boolean }];
  // (p.units / 10^p.scale) / (b.units / 10^b.scale) × 10^scale
  const numerator = p.units * 10n ** BigInt(b.scale + scale);
  const denominator = b.units * 10n ** BigInt(p.scale);
  const q = (numerator * 2n + denominator) / (denominator * 2n);
  const digits = q.toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/0+$/, '').replace(/\.$/, '');
  return p.negative !== b.negative ? `-${text}` : text;
}
