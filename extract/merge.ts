// Merging the AI model's reading into the text reading, field by field. Agreement raises confidence;
// disagreement keeps the better-supported value, lowers confidence, records the other reading as an
// alternative and caps the overall confidence so the invoice goes to a clerk, who sees both. The line
// items are chosen as a set, by whether they add up (merge-lines.ts), once the header fields are merged.
import { HEADER_FIELD_NAMES, type Extraction, type HeaderFieldName, type Provenance } from '../domain/extraction.js';
import { overallConfidence } from './heuristics.js';
import { compactText, locateValue, valueKind } from './locate.js';
import { agreedConfidence, mergeModelLines } from './merge-lines.js';
import { toCents } from './normalize.js';
import type { PageText } from './pdf-text.js';
import type { ModelInvoice } from './model/schema.js';

/** Overall confidence when the model and the text reading disagree anywhere: below any auto-approve threshold. */
export const DISAGREEMENT_CONFIDENCE_CAP = 0.6;
/** A text reading at or above this confidence is kept when the model disagrees. */
const KEEP_TEXT_READING_FROM = 0.6;

type AnyField = {
  value: string | string[] | null;
  confidence: number;
  provenance?: Provenance;
  notes: string[];
  alternatives?: Array<{
    value: string | string[];
    source: Provenance['source'];
    confidence: number;
    provenance?: Provenance;
  }>;
};

const LABEL: Record<HeaderFieldName, string> = {
  invoiceNumber: 'invoice number',
  invoiceDate: 'invoice date',
  dueDate: 'due date',
  vendorName: 'vendor',
  vendorTaxId: 'vendor tax id',
  currency: 'currency',
  subtotal: 'subtotal',
  tax: 'tax',
  total: 'total',
  amountDue: 'amount due',
  poNumbers: 'PO numbers',
  paymentTerms: 'payment terms',
  billTo: 'bill-to',
  vendorEmailDomain: 'vendor e-mail domain',
};

/**
 * Fields a model takes one for the other: the gross total and the amount left to pay after prepayments, the
 * invoice date and the due date, the invoice number and the PO number. A model value the text reading gives the
 * other of the two is that one's reading, never taken in this one's place (nor added to a list of PO numbers).
 */
const CONFUSED_WITH: Partial<Record<HeaderFieldName, HeaderFieldName>> = {
  total: 'amountDue',
  amountDue: 'total',
  invoiceDate: 'dueDate',
  dueDate: 'invoiceDate',
  invoiceNumber: 'poNumbers',
  poNumbers: 'invoiceNumber',
};

/** The label of the field the text reading gives `value` to, when it is the one `name` is confused with. */
function textReadsAsOther(extraction: Extraction, name: HeaderFieldName, value: string): string | null {
  const other = CONFUSED_WITH[name];
  const read = other ? extraction.fields[other].value : null;
  if (!other || read === null) return null;
  return (Array.isArray(read) ? read : [read]).some((v) => sameReading(other, v, value)) ? LABEL[other] : null;
}

const MISSING_WARNING: Partial<Record<HeaderFieldName, RegExp>> = {
  invoiceNumber: /^No invoice number found/,
  vendorName: /^No vendor name found/,
  total: /^No total found/,
  poNumbers: /^No PO number found/,
  invoiceDate: /^No invoice date found/,
};

/** Drops the "No … found." warning of a field that a later stage did find. */
export function resolveMissingWarning(warnings: string[], field: HeaderFieldName): string[] {
  const missing = MISSING_WARNING[field];
  return missing ? warnings.filter((w) => !missing.test(w)) : warnings;
}

/** The overall confidence is the weakest of the fields a Plex sync needs (as in the heuristics). */
export function recomputeConfidence(extraction: Extraction): Extraction {
  return { ...extraction, confidence: Math.round(overallConfidence(extraction.fields) * 100) / 100 };
}

/** Same value, by meaning: money in cents, PO numbers as a set, text without case and spacing. */
export function sameReading(field: HeaderFieldName, a: string | string[], b: string | string[]): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const set = (v: string | string[]) =>
      new Set((Array.isArray(v) ? v : [v]).map((s) => s.toUpperCase().replace(/[\s\-./]/g, '')));
    const [x, y] = [set(a), set(b)];
    return x.size === y.size && [...x].every((v) => y.has(v));
  }
  switch (valueKind(field)) {
    case 'amount':
      return toCents(a) === toCents(b);
    case 'code':
      return a.toUpperCase().replace(/[\s\-./]/g, '') === b.toUpperCase().replace(/[\s\-./]/g, '');
    default:
      return compactText(a).replace(/[.,]/g, '') === compactText(b).replace(/[.,]/g, '');
  }
}

const show = (v: string | string[]) => (Array.isArray(v) ? v.join(', ') : v);

export interface ModelMergeInput {
  extraction: Extraction;
  reading: ModelInvoice;
  pages: PageText[];
  usage: { model: string; promptTokens: number; completionTokens: number };
}

export function mergeModelReading({ extraction, reading, pages, usage }: ModelMergeInput): Extraction {
  const fields = structuredClone(extraction.fields);
  let warnings = [...extraction.warnings];
  const disagreements: string[] = [];
  for (const name of HEADER_FIELD_NAMES) {
    const raw = reading[name];
    // A list keeps only values the text reading does not give the other field (the invoice number among the POs)
    const modelValue = Array.isArray(raw)
      ? raw.filter((v) => v.trim() && !textReadsAsOther(extraction, name, v.trim()))
      : typeof raw === 'string' && raw.trim()
        ? raw.trim()
        : null;
    if (modelValue === null || (Array.isArray(modelValue) && modelValue.length === 0)) continue;
    const field = fields[name] as AnyField;
    const located = locateValue(pages, name, Array.isArray(modelValue) ? modelValue[0]! : modelValue);
    const modelProvenance: Provenance = located
      ? { page: located.page, box: located.box, source: 'model' }
      : { page: 1, source: 'model' };
    const readAsOther = Array.isArray(modelValue) ? null : textReadsAsOther(extraction, name, modelValue);
    if (field.value === null || (Array.isArray(field.value) && field.value.length === 0)) {
      // Not the other's value either: the total given again as the amount due is no separate amount to pay, the
      // due date no invoice date, the PO number no invoice number
      if (readAsOther) {
        if (name !== 'amountDue')
          field.notes.push(
            `The AI model read "${show(modelValue)}", which the text reading reads as the ${readAsOther}; not taken.`,
          );
        continue;
      }
      // Only the model found it: printed on the page is good evidence, a value nowhere in the text is a guess.
      field.value = modelValue;
      field.confidence = located ? 0.8 : 0.5;
      field.provenance = modelProvenance;
      field.notes.push(
        located
          ? 'Read by the AI model; found in the document text.'
          : 'Read by the AI model only; not found in the document text, check it.',
      );
      warnings = resolveMissingWarning(warnings, name);
      continue;
    }
    if (sameReading(name, field.value, modelValue)) {
      field.confidence = agreedConfidence(field.confidence);
      field.notes.push('The AI model read the same value.');
      continue;
    }
    // Disagreement: the text reading stays unless it was weak and the model's value is on the page, and is not
    // what the text reads as the field it is confused with (the amount due as the total, after a prepayment).
    const takeModel = field.confidence < KEEP_TEXT_READING_FROM && located !== null && !readAsOther;
    const textReading = {
      value: field.value,
      source: field.provenance?.source ?? 'text',
      confidence: field.confidence,
      ...(field.provenance ? { provenance: field.provenance } : {}),
    } as const;
    const modelReading = {
      value: modelValue,
      source: 'model',
      confidence: located ? 0.6 : 0.4,
      provenance: modelProvenance,
    } as const;
    const [kept, other] = takeModel ? [modelReading, textReading] : [textReading, modelReading];
    field.value = kept.value;
    field.provenance = kept.provenance;
    field.confidence = Math.min(textReading.confidence, 0.5);
    field.alternatives = [...(field.alternatives ?? []), other];
    field.notes.push(
      takeModel
        ? `The AI model read "${show(modelValue)}" (found in the text); the uncertain text reading "${show(textReading.value)}" is shown as the alternative.`
        : readAsOther
          ? `The AI model read "${show(modelValue)}", which the text reading reads as the ${readAsOther}; the text reading was kept. Check which is right.`
          : `The AI model read "${show(modelValue)}" instead; the text reading was kept. Check which is right.`,
    );
    disagreements.push(name);
    warnings.push(
      `The AI model and the text reading disagree on the ${LABEL[name]}: "${show(textReading.value)}" (text) vs "${show(modelValue)}" (model).`,
    );
  }
  const merged = recomputeConfidence(
    mergeModelLines({ ...extraction, fields, warnings, model: { ...usage, disagreements } }, reading.lineItems, pages),
  );
  return disagreements.length
    ? { ...merged, confidence: Math.min(merged.confidence, DISAGREEMENT_CONFIDENCE_CAP) }
    : merged;
}
