// Three-way match: each invoice line against its PO line (ordered quantity, unit price) and what was
// received against that PO line, with the quantity and price tolerances. Explains every mismatch per line.
import type { ThreeWayCheck, ThreeWayLine } from '../domain/match.js';
import type { PurchaseOrderLine, ReceiptSummary } from '../domain/plex.js';
import { compareDecimals, displayDecimal, sumDecimals, tolerancePercent, withinTolerance } from '../domain/decimal.js';
import { normaliseText, textSimilarity } from '../domain/similarity.js';

export interface InvoiceLine {
  description: string | null;
  quantity: string | null;
  unitPrice: string | null;
  partNumber: string | null;
}

/** Descriptions at least this similar pair an invoice line with a PO line (part numbers pair outright). */
export const LINE_PAIRING_THRESHOLD = 0.5;

const partKey = (part: string | null | undefined) => (part ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');

interface Pair {
  invoiceIndex: number;
  poLine: PurchaseOrderLine;
  by: 'part_number' | 'description';
  strength: number;
}

/** Best pairs first, each PO line used once: part-number equality, then description similarity. */
export function pairLines(
  invoiceLines: readonly InvoiceLine[],
  poLines: readonly PurchaseOrderLine[],
): Map<number, Pair> {
  const options: Pair[] = [];
  invoiceLines.forEach((line, invoiceIndex) => {
    for (const poLine of poLines) {
      const part = partKey(line.partNumber);
      if (part && part === partKey(poLine.supplierPartNumber)) {
        options.push({ invoiceIndex, poLine, by: 'part_number', strength: 2 });
        continue;
      }
      const strength = textSimilarity(normaliseText(line.description ?? ''), normaliseText(poLine.description ?? ''));
      if (strength >= LINE_PAIRING_THRESHOLD) options.push({ invoiceIndex, poLine, by: 'description', strength });
    }
  });
  options.sort((a, b) => b.strength - a.strength || a.invoiceIndex - b.invoiceIndex);
  const pairs = new Map<number, Pair>();
  const used = new Set<string>();
  for (const option of options) {
    if (pairs.has(option.invoiceIndex) || used.has(option.poLine.id)) continue;
    pairs.set(option.invoiceIndex, option);
    used.add(option.poLine.id);
  }
  return pairs;
}

export function threeWayCheck(input: {
  invoiceLines: readonly InvoiceLine[];
  poLines: readonly PurchaseOrderLine[];
  receipts: readonly ReceiptSummary[];
  quantityTolerance: number;
  priceTolerance: number;
}): ThreeWayCheck {
  const { invoiceLines, poLines, receipts } = input;
  if (invoiceLines.length === 0)
    return { status: 'not_checked', summary: 'The invoice has no readable line items.', lines: [] };
  if (poLines.length === 0)
    return { status: 'not_checked', summary: 'Plex returned no line items for the PO.', lines: [] };
  const pairs = pairLines(invoiceLines, poLines);
  const lines = invoiceLines.map((line, index): ThreeWayLine => {
    const pair = pairs.get(index);
    const base = {
      invoiceLine: index + 1,
      description: line.description,
      invoicedQuantity: line.quantity,
      invoicePrice: line.unitPrice,
    };
    if (!pair) {
      return {
        ...base,
        poLine: null,
        pairedBy: 'none',
        orderedQuantity: null,
        receivedQuantity: null,
        poPrice: null,
        status: 'mismatch',
        issues: ['no PO line matches this line (part number or description)'],
      };
    }
    const received = sumDecimals(
      receipts.filter((r) => r.poLineItemId === pair.poLine.id && r.quantity).map((r) => r.quantity!),
    );
    const issues = lineIssues(line, pair.poLine, received, input.quantityTolerance, input.priceTolerance);
    return {
      ...base,
      poLine: pair.poLine.lineItemNumber,
      pairedBy: pair.by,
      orderedQuantity: pair.poLine.quantity,
      receivedQuantity: received,
      poPrice: pair.poLine.unitPrice,
      status: issues.length ? 'mismatch' : 'ok',
      issues,
    };
  });
  const bad = lines.filter((l) => l.status === 'mismatch').length;
  return {
    status: bad ? 'mismatch' : 'ok',
    summary: bad
      ? `${bad} of ${lines.length} invoice lines differ from the PO or the receipts.`
      : `All ${lines.length} invoice lines agree with the PO and the receipts (quantity ±${tolerancePercent(input.quantityTolerance)}, price ±${tolerancePercent(input.priceTolerance)}).`,
    lines,
  };
}

function lineIssues(
  line: InvoiceLine,
  poLine: PurchaseOrderLine,
  received: string,
  qtyTolerance: number,
  priceTolerance: number,
): string[] {
  const issues: string[] = [];
  const show = (v: string) => displayDecimal(v);
  if (line.quantity === null) issues.push('the invoice line shows no quantity');
  else {
    const vsReceived = withinTolerance(line.quantity, received, qtyTolerance);
    if (compareDecimals(received, '0') === 0) issues.push(`invoiced ${show(line.quantity)} but nothing was received`);
    else if (vsReceived && !vsReceived.within) {
      const more = compareDecimals(line.quantity, received) > 0;
      issues.push(
        `invoiced ${show(line.quantity)} but ${show(received)} received (${more ? 'more' : 'fewer'} than received, tolerance ${tolerancePercent(qtyTolerance)})`,
      );
    }
    const vsOrdered = withinTolerance(line.quantity, poLine.quantity, qtyTolerance);
    if (vsOrdered && !vsOrdered.within && compareDecimals(line.quantity, poLine.quantity!) > 0) {
      issues.push(`invoiced ${show(line.quantity)} but only ${show(poLine.quantity!)} ordered`);
    }
  }
  const price = withinTolerance(line.unitPrice, poLine.unitPrice, priceTolerance);
  if (line.unitPrice === null) issues.push('the invoice line shows no unit price');
  else if (price && !price.within) {
    issues.push(
      `unit price ${show(line.unitPrice)} vs PO ${show(poLine.unitPrice!)} (${price.deviationPercent ?? '?'} %, tolerance ${tolerancePercent(priceTolerance)})`,
    );
  }
  return issues;
}

/** One warning per mismatched line (at most `max`, then a count), for MatchResult.warnings. */
export function threeWayWarnings(check: ThreeWayCheck, max = 5): string[] {
  const bad = check.lines.filter((l) => l.status === 'mismatch');
  const warnings = bad.slice(0, max).map((l) => {
    const what = l.description ? ` "${l.description}"` : '';
    const po = l.poLine !== null ? ` (PO line ${l.poLine})` : '';
    return `Three-way match: invoice line ${l.invoiceLine}${what}${po}: ${l.issues.join('; ')}.`;
  });
  if (bad.length > max) warnings.push(`Three-way match: ${bad.length - max} more lines differ; see the table.`);
  return warnings;
}
