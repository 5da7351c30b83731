// A hybrid PDF says everything twice: in its XML and on its pages. When the two disagree on what the
// match and the sync depend on (invoice number, total, PO), the clerk decides: the XML value stays, its
// confidence drops, and a warning names both values. Never a silent choice.
import { overallConfidence } from '../heuristics.js';
import { compareDecimals } from '../../domain/decimal.js';
import type { Extraction } from '../../domain/extraction.js';

const DOUBTED = 0.5;
const compact = (s: string) => s.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
const magnitude = (s: string) => s.replace(/^-/, '');

export function crossCheckWithVisual(einvoice: Extraction, visual: Extraction): Extraction {
  const result: Extraction = structuredClone(einvoice);
  result.pageCount = visual.pageCount;
  result.pages = visual.pages;
  const { fields, warnings } = result;
  const seen = visual.fields;
  const doubt = (field: { confidence: number; notes: string[] }, message: string) => {
    field.confidence = Math.min(field.confidence, DOUBTED);
    field.notes.push(message);
    warnings.push(message);
  };
  const agree = (field: { notes: string[] }, what: string) => field.notes.push(`The PDF text shows the same ${what}.`);

  const hasText = visual.confidence > 0 || Object.values(seen).some((f) => f.value !== null);
  if (!hasText) {
    fields.invoiceNumber.notes.push('The PDF has no readable text to compare the XML with.');
    return result;
  }
  const number = fields.invoiceNumber.value;
  const printedNumber = seen.invoiceNumber.value;
  if (number && printedNumber) {
    if (compact(number) === compact(printedNumber)) agree(fields.invoiceNumber, 'invoice number');
    else
      doubt(
        fields.invoiceNumber,
        `The PDF shows invoice number ${printedNumber}, but its embedded XML says ${number}.`,
      );
  }
  const total = fields.total.value;
  const printedTotal = seen.total.value;
  if (total && printedTotal) {
    // Credit notes often print a positive total; the XML's sign rule is ours, so compare magnitudes.
    if (compareDecimals(magnitude(total), magnitude(printedTotal)) === 0) agree(fields.total, 'total');
    else doubt(fields.total, `The PDF shows the total ${printedTotal}, but its embedded XML says ${total}.`);
  }
  const po = fields.poNumbers.value?.[0];
  const printedPos = seen.poNumbers.value ?? [];
  if (po && printedPos.length > 0) {
    if (printedPos.some((p) => compact(p).includes(compact(po)) || compact(po).includes(compact(p))))
      agree(fields.poNumbers, 'PO number');
    else doubt(fields.poNumbers, `The PDF shows PO ${printedPos.join(', ')}, but its embedded XML says ${po}.`);
  }
  result.confidence = overallConfidence(fields);
  return result;
}
