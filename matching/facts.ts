// What matching knows about one invoice: the effective fields (extraction + the clerk's corrections) plus
// what only the extraction has — every printed PO number, the subtotal, the vendor's tax id, the lines.
import type { Extraction } from '../domain/extraction.js';
import type { EffectiveFields } from '../domain/invoice.js';
import { parseDecimal } from '../domain/decimal.js';
import type { InvoiceLine } from './three-way.js';

export interface InvoiceFacts {
  invoiceNumber: string | null;
  vendorName: string | null;
  vendorTaxId: string | null;
  /** IBANs printed on the invoice (checksum-valid, compact). */
  ibans: string[];
  /** Decimal strings, or null when missing or not a number. */
  total: string | null;
  subtotal: string | null;
  currency: string | null;
  /** YYYY-MM-DD, or null. */
  invoiceDate: string | null;
  /** The clerk's PO number, when it differs from the first printed one. */
  clerkPoNumber: string | null;
  /** Every PO number printed on the invoice, in reading order. */
  printedPoNumbers: string[];
  lines: InvoiceLine[];
}

const decimalOrNull = (value: string | null | undefined) => (value && parseDecimal(value) ? value.trim() : null);
const dateOrNull = (value: string | null | undefined) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : null;

export function invoiceFacts(fields: EffectiveFields, extraction: Extraction | null): InvoiceFacts {
  const printed = extraction?.fields.poNumbers.value ?? [];
  const clerk = fields.poNumber?.trim() || null;
  const clerkPoNumber = clerk && clerk !== printed[0]?.trim() ? clerk : null;
  const subtotal = decimalOrNull(extraction?.fields.subtotal.value);
  return {
    invoiceNumber: fields.invoiceNumber?.trim() || null,
    vendorName: fields.vendorName?.trim() || null,
    vendorTaxId: extraction?.fields.vendorTaxId.value ?? null,
    ibans: extraction?.ibans ?? [],
    total: decimalOrNull(fields.total),
    subtotal,
    currency: fields.currency?.trim().toUpperCase() || null,
    invoiceDate: dateOrNull(fields.invoiceDate),
    clerkPoNumber,
    printedPoNumbers: printed.length ? printed : clerk && !clerkPoNumber ? [clerk] : [],
    lines: (extraction?.lineItems ?? []).map((line) => ({
      description: line.description.value,
      quantity: decimalOrNull(line.quantity.value),
      unitPrice: decimalOrNull(line.unitPrice.value),
      partNumber: line.partNumber?.value ?? null,
    })),
  };
}
