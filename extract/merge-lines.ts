// Choosing between the line items read from the text and the AI model's, by the cross-check the heuristics
// use: the set whose amounts add up to the subtotal (without a subtotal and a tax, the total) wins. Both
// adding up keeps the text reading (it has page boxes) and raises its confidence; only the model's adding
// up takes the model's, with a warning; neither keeps the text reading, with a warning. Exact line items
// (an e-invoice's) are never replaced.
import type { AmountField, Extraction, HeaderFieldName, LineItem, Provenance } from '../domain/extraction.js';
import { LINE_SUM_CONFIRMED, LINE_SUM_WARNING } from './heuristics.js';
import { compactText, locateValue } from './locate.js';
import { formatCents, lineAmountCents, toCents } from './normalize.js';
import type { PageText } from './pdf-text.js';
import type { ModelLineItem } from './model/schema.js';

/** A confidence after a second, independent reading agreed with it. */
export const agreedConfidence = (confidence: number) =>
  Math.round(Math.min(0.99, Math.max(confidence, 1 - (1 - confidence) * 0.4)) * 100) / 100;

// The heuristics' own verdict on the subtotal (LINE_SUM_CONFIRMED, also when the lines plus charges printed
// above it make it) and its warning when the lines do not add up (LINE_SUM_WARNING, replaced by ours when
// the model's lines are taken) are recognised by the patterns kept next to those messages.

const abs = (n: bigint) => (n < 0n ? -n : n);
const sumOf = (lines: Array<{ amount: string | null }>) =>
  lines.reduce((sum, l) => sum + (l.amount === null ? 0n : toCents(l.amount)), 0n);
const plural = (n: number) => `${n} line${n === 1 ? '' : 's'}`;

export function mergeModelLines(extraction: Extraction, modelLines: ModelLineItem[], pages: PageText[]): Extraction {
  const textItems = extraction.lineItems;
  if (modelLines.length === 0) return extraction;
  if (textItems.some((item) => item.amount.provenance?.source === 'einvoice')) return extraction;
  const pageCount = Math.max(extraction.pageCount, 1);
  const stray = modelLines.find((line) => line.page > pageCount);
  if (stray) {
    const warning = `The AI model put a line item on page ${stray.page} of a ${pageCount}-page document; its line items were ignored.`;
    return { ...extraction, warnings: [...extraction.warnings, warning] };
  }

  const { fields } = extraction;
  const target: { field: AmountField; name: 'subtotal' | 'total' } | null =
    fields.subtotal.value !== null
      ? { field: fields.subtotal, name: 'subtotal' }
      : fields.tax.value === null && fields.total.value !== null
        ? { field: fields.total, name: 'total' }
        : null;
  const textSum = sumOf(textItems.map((item) => ({ amount: item.amount.value })));
  const modelSum = sumOf(modelLines);
  const textShown = `${plural(textItems.length)}, ${formatCents(textSum)}`;
  const modelShown = `${plural(modelLines.length)}, ${formatCents(modelSum)}`;
  if (!target?.field.value) {
    if (abs(textSum - modelSum) <= 1n && textItems.length === modelLines.length)
      return confirmAgreement(extraction, modelLines);
    const warning = `The line items cannot be checked without a subtotal or total; the text reading's (${textShown}) were kept, the AI model read ${modelShown}.`;
    return { ...extraction, warnings: [...extraction.warnings, warning] };
  }

  const targetCents = toCents(target.field.value);
  const counted = textItems.filter((item) => item.amount.value !== null).length;
  // Lines plus charges printed above the subtotal (freight) also make it: the heuristics noted that.
  const textPasses =
    counted > 0 &&
    (abs(textSum - targetCents) <= 1n ||
      target.field.notes.some((n) => Number(LINE_SUM_CONFIRMED.exec(n)?.[1]) === counted));
  // A subtotal only the model read, and found nowhere in the text, is no check of the model's own lines.
  const independent = target.field.provenance?.source !== 'model' || target.field.provenance.box !== undefined;
  const modelPasses = independent && abs(modelSum - (textPasses ? textSum : targetCents)) <= 1n;
  const printed = `the ${target.name} ${target.field.value}`;

  if (textPasses && modelPasses) return confirmAgreement(extraction, modelLines);
  if (textPasses) return extraction; // the arithmetic holds for the text reading: the model misread the table
  if (!modelPasses) {
    const why = independent
      ? ''
      : ` (the ${target.name} was read by the AI model only and is not in the document text, so it cannot check the model's lines)`;
    const warning = `Neither the line items read from the text (${textShown}) nor the AI model's (${modelShown}) add up to ${printed}${why}; the text reading's were kept: check the lines.`;
    return { ...extraction, warnings: [...extraction.warnings, warning] };
  }

  const lineItems = modelLines.map((line) => modelLineItem(line, pages, modelLines.length, target.name));
  const found = lineItems.filter((item) => item.description.provenance?.box).length;
  const before = textItems.length
    ? `The line items read from the text (${textShown}) do not add up to ${printed}`
    : 'No line items were read from the text';
  const warning = `${before}; the AI model's ${plural(modelLines.length)} add up to it and were taken instead (${found} of ${modelLines.length} found on the page): check them.`;
  const notes = [...target.field.notes, `Matches the sum of the AI model's ${plural(modelLines.length)}.`];
  return {
    ...extraction,
    fields: { ...fields, [target.name]: { ...target.field, notes } },
    lineItems,
    warnings: [...extraction.warnings.filter((w) => !LINE_SUM_WARNING.test(w)), warning],
  };
}

/** Both readings add up: the text reading stays, and every line the model read alike gains confidence. */
function confirmAgreement(extraction: Extraction, modelLines: ModelLineItem[]): Extraction {
  const unused = [...modelLines];
  const lineItems = structuredClone(extraction.lineItems).map((item) => {
    if (item.amount.value === null) return item;
    const cents = toCents(item.amount.value);
    const at = unused.findIndex((line) => toCents(line.amount) === cents);
    if (at < 0) return item;
    const [line] = unused.splice(at, 1);
    agree(item.amount, 'The AI model read the same amount.');
    if (item.quantity.value !== null && line!.quantity !== null && sameDecimal(item.quantity.value, line!.quantity))
      agree(item.quantity, 'The AI model read the same quantity.');
    if (item.unitPrice.value !== null && line!.unitPrice !== null && sameDecimal(item.unitPrice.value, line!.unitPrice))
      agree(item.unitPrice, 'The AI model read the same unit price.');
    if (item.description.value !== null && sameText(item.description.value, line!.description))
      agree(item.description, 'The AI model read the same description.');
    return item;
  });
  return { ...extraction, lineItems };
}

function agree(field: { confidence: number; notes: string[] }, note: string): void {
  field.confidence = agreedConfidence(field.confidence);
  field.notes.push(note);
}

const sameText = (a: string, b: string) => compactText(a).replace(/[.,]/g, '') === compactText(b).replace(/[.,]/g, '');
const sameDecimal = (a: string, b: string) => canonicalDecimal(a) === canonicalDecimal(b);
const canonicalDecimal = (d: string) =>
  (d.includes('.') ? d.replace(/0+$/, '').replace(/\.$/, '') : d).replace(/^(-?)0+(?=\d)/, '$1');

// Descriptions are compared as text; amounts in the row as money (locateValue picks by a field's kind).
const AS_TEXT: HeaderFieldName = 'vendorName';
const AS_MONEY: HeaderFieldName = 'total';

/** A model line as a LineItem: source "model", a box where its description (and numbers on that row) are printed. */
function modelLineItem(line: ModelLineItem, pages: PageText[], count: number, targetName: string): LineItem {
  const page = pages.find((p) => p.page === line.page);
  const located = page ? locateDescription(page, line.description) : null;
  const row = located && page ? [{ ...page, lines: [located.line] }] : [];
  const inRow = (value: string) => (row.length ? locateValue(row, AS_MONEY, value) : null);
  const provenance = (box: Provenance['box'] | undefined): Provenance =>
    box ? { page: line.page, box, source: 'model' } : { page: line.page, source: 'model' };
  const amountBox = inRow(line.amount)?.box;
  const multiplies =
    line.quantity !== null &&
    line.unitPrice !== null &&
    abs(lineAmountCents(line.quantity, line.unitPrice) - toCents(line.amount)) <= 1n;
  const numberField = (value: string | null) => {
    if (value === null) return { value: null, confidence: 0, notes: [] };
    const box = inRow(value)?.box;
    return {
      value,
      confidence: multiplies ? 0.85 : 0.6,
      provenance: provenance(box),
      notes: [
        multiplies
          ? 'Read by the AI model; quantity × unit price = amount.'
          : 'Read by the AI model; quantity × unit price does not give the amount.',
      ],
    };
  };
  const optional = (value: string | null) =>
    value?.trim()
      ? { value: value.trim(), confidence: 0.6, provenance: provenance(undefined), notes: ['Read by the AI model.'] }
      : undefined;
  const partNumber = optional(line.partNumber);
  const poLine = optional(line.poLine);
  return {
    description: {
      value: line.description.trim(),
      confidence: located ? 0.8 : 0.5,
      provenance: provenance(located?.box),
      notes: [
        located
          ? 'Read by the AI model; found in the document text.'
          : 'Read by the AI model only; not found in the document text, check it.',
      ],
    },
    quantity: numberField(line.quantity),
    unitPrice: numberField(line.unitPrice),
    amount: {
      value: line.amount,
      confidence: amountBox ? 0.9 : 0.8,
      provenance: provenance(amountBox),
      notes: [`Read by the AI model; its ${plural(count)} add up to the ${targetName}.`],
    },
    ...(partNumber ? { partNumber } : {}),
    ...(poLine ? { poLine } : {}),
  };
}

/** Where a description is printed: the whole of it, else its first words (the model joins continuation lines). */
function locateDescription(page: PageText, description: string) {
  const words = description.trim().split(/\s+/);
  for (let n = words.length; n >= 1; n--) {
    const prefix = words.slice(0, n).join(' ');
    if (n < words.length && prefix.length < 8) break;
    const located = locateValue([page], AS_TEXT, prefix);
    if (located) return located;
  }
  return null;
}
