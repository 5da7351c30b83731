// The flat shape `plexsync extract` prints: one JSON object with every field as
// {value, confidence, page, bbox, source} — dates as YYYY-MM-DD, money as numbers, PO numbers as a string
// array — the line items, the overall confidence and the warnings. The same mapping serves every source
// (text layer, OCR, e-invoice, learned, model), so scripts reading it need not care where a value came from.
import { z } from 'zod';
import {
  FieldSource,
  HEADER_FIELD_NAMES,
  unionBox,
  type Extraction,
  type HeaderFieldName,
  type LineItem,
} from '../domain/extraction.js';

/** A box in PDF points, origin bottom-left of the page (as pdf.js reports positions). */
const Bbox = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
});

const contractField = <T extends z.ZodType>(value: T) =>
  z.object({
    value: value.nullable(),
    confidence: z.number().min(0).max(1),
    page: z.number().int().min(1).nullable(),
    bbox: Bbox.nullable(),
    source: FieldSource.nullable(),
    /** The printed label the value stood next to, when there was one. */
    label: z.string().nullable(),
    notes: z.array(z.string()),
  });

const Text = contractField(z.string());
const Day = contractField(z.string().regex(/^\d{4}-\d{2}-\d{2}$/));
const Money = contractField(z.number());
const MONEY = new Set<HeaderFieldName>(['subtotal', 'tax', 'total', 'amountDue']);

export const ContractFields = z
  .object({
    invoiceNumber: Text,
    invoiceDate: Day,
    dueDate: Day,
    vendorName: Text,
    vendorTaxId: Text,
    vendorEmailDomain: Text,
    billTo: Text,
    currency: Text,
    subtotal: Money,
    tax: Money,
    total: Money,
    amountDue: Money,
    poNumbers: contractField(z.array(z.string())),
    paymentTerms: Text,
  })
  .strict();

export const ContractLineItem = z.object({
  description: z.string().nullable(),
  quantity: z.number().nullable(),
  unitPrice: z.number().nullable(),
  amount: z.number().nullable(),
  partNumber: z.string().nullable(),
  poLine: z.string().nullable(),
  unit: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  page: z.number().int().min(1).nullable(),
  bbox: Bbox.nullable(),
});

export const ExtractionContract = z.object({
  fields: ContractFields,
  lineItems: z.array(ContractLineItem),
  confidence: z.number().min(0).max(1),
  warnings: z.array(z.string()),
  pageCount: z.number().int().min(0),
  extractor: z.string(),
});
export type ExtractionContract = z.infer<typeof ExtractionContract>;

type AnyField = {
  value: unknown;
  confidence: number;
  notes: string[];
  provenance?: Extraction['fields']['total']['provenance'];
};

// Money is a decimal string inside PlexSync; the printed contract gives numbers, converted here, once.
const money = (decimal: unknown) => (typeof decimal === 'string' ? Number(decimal) : null);

function fieldOf(name: HeaderFieldName, field: AnyField) {
  const value = field.value === null ? null : MONEY.has(name) ? money(field.value) : field.value;
  return {
    value,
    confidence: field.confidence,
    page: field.provenance?.page ?? null,
    bbox: field.provenance?.box ?? null,
    source: field.provenance?.source ?? null,
    label: field.provenance?.label ?? null,
    notes: field.notes,
  };
}

function lineOf(item: LineItem) {
  const confidence = Math.min(
    ...[item.description, item.quantity, item.unitPrice, item.amount]
      .filter((f) => f.value !== null)
      .map((f) => f.confidence),
    1,
  );
  const anchor = item.amount.provenance ?? item.description.provenance;
  const boxes = [item.description, item.quantity, item.unitPrice, item.amount, item.partNumber].flatMap((f) =>
    f?.provenance?.box ? [f.provenance.box] : [],
  );
  const bbox = boxes.length ? unionBox(boxes) : null;
  return {
    description: item.description.value,
    quantity: money(item.quantity.value),
    unitPrice: money(item.unitPrice.value),
    amount: money(item.amount.value),
    partNumber: item.partNumber?.value ?? null,
    poLine: item.poLine?.value ?? null,
    unit: item.unit?.value ?? null,
    confidence,
    page: anchor?.page ?? null,
    bbox,
  };
}

/** The printed contract of an extraction; parsing it checks every value has the promised type. */
export function toContract(extraction: Extraction): ExtractionContract {
  const fields = Object.fromEntries(
    HEADER_FIELD_NAMES.map((name) => [name, fieldOf(name, extraction.fields[name] as AnyField)]),
  );
  return ExtractionContract.parse({
    fields,
    lineItems: extraction.lineItems.map(lineOf),
    confidence: extraction.confidence,
    warnings: extraction.warnings,
    pageCount: extraction.pageCount,
    extractor: extraction.extractor,
  });
}

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
};

/** The contract as a table for people: one field per row with its confidence and page, then the lines. */
export function formatContract(contract: ExtractionContract): string {
  const rows = Object.entries(contract.fields).map(([name, f]) => [
    name,
    cell(f.value),
    f.confidence.toFixed(2),
    f.page ? `p.${f.page}` : '',
    f.source ?? '',
  ]);
  const widths = [0, 1].map((i) => Math.min(48, Math.max(...rows.map((r) => r[i]!.length))));
  const lines = rows.map((r) =>
    `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.slice(0, 48).padEnd(widths[1]!)}  ${r[2]}  ${r[3]!.padEnd(4)}  ${r[4]}`.trimEnd(),
  );
  lines.push('', `Line items: ${contract.lineItems.length}`);
  for (const item of contract.lineItems) {
    lines.push(
      `  ${cell(item.partNumber).padEnd(12)} ${cell(item.description).slice(0, 40).padEnd(40)} ${cell(item.quantity).padStart(8)} × ${cell(item.unitPrice).padStart(10)} = ${cell(item.amount).padStart(11)}`,
    );
  }
  lines.push(
    '',
    `Confidence: ${contract.confidence.toFixed(2)} (${contract.extractor}, ${contract.pageCount} page${contract.pageCount === 1 ? '' : 's'})`,
  );
  for (const warning of contract.warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}
