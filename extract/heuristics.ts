// Template-free reading of positioned text (from the PDF text layer or from OCR) into the Extraction
// contract: label–value pairs, the line-item table, and the arithmetic cross-checks that set confidence.
import {
  Extraction,
  HEADER_FIELD_NAMES,
  SYNC_FIELDS,
  type AmountField,
  type HeaderFields,
  type LineItem,
  type Provenance,
} from '../domain/extraction.js';
import { checkDates, checkInvoiceNumber, checkPoNumbers, corroborate } from './checks.js';
import { settleAmountDue } from './amount-due.js';
import { headerCandidates, readHeaderFields, type AmountReading, type TaxPart } from './fields.js';
import { pickVendor, selfNamedPoNumbers, WEAK_EVIDENCE, type Picked } from './header.js';
import { scanIbans } from './iban.js';
import { readLineItems } from './line-items.js';
import { formatCents, parseAmount, parsePoNumbers, toCents } from './normalize.js';
import { describe, sumOf, type Adjustment } from './totals.js';
import type { PageText, TextLine, TextSegment } from './pdf-text.js';

/** An extraction's overall confidence: the weakest of the fields a Plex sync cannot do without. */
export const overallConfidence = (fields: Record<(typeof SYNC_FIELDS)[number], { confidence: number }>): number =>
  Math.min(...SYNC_FIELDS.map((name) => fields[name].confidence));
const MISSING: Record<(typeof SYNC_FIELDS)[number], string> = {
  invoiceNumber: 'No invoice number found.',
  vendorName: 'No vendor name found.',
  total: 'No total found.',
  poNumbers: 'No PO number found: the invoice cannot be matched to a purchase order automatically.',
  invoiceDate: 'No invoice date found.',
};

export interface PagesInput {
  pages: PageText[];
  pageCount: number;
  warnings: string[];
  extractor: string;
}

/** Reads header fields and line items from positioned text; pure and synchronous. */
export function extractFromPages({ pages, pageCount, warnings: incoming, extractor }: PagesInput): Extraction {
  const warnings = [...incoming];
  const sizes = pages.map((p) => ({ width: p.width, height: p.height }));
  const table = readLineItems(pages);
  const sumRow = subtotalRow(table.items);
  if (sumRow) table.items.pop();
  const { fields, taxParts, adjustments, readings } = readHeaderFields(pages, table.lines);
  if (fields.poNumbers.value === null)
    fields.poNumbers = poNumbersFromLines(table.items) ?? selfNamedPoNumbers(pages, table.lines) ?? fields.poNumbers;
  if (fields.subtotal.value === null)
    fields.subtotal = unlabelledSubtotal(fields, pages, table.items, table.lines, sumRow) ?? fields.subtotal;
  taxWithTheTotalsSign(fields);
  crossCheck(fields, taxParts, table.items, adjustments, readings, warnings);
  checkDates(fields, warnings);
  checkPoNumbers(fields, warnings);
  checkInvoiceNumber(fields, warnings);
  // one segment a line: a name ends where its cell does ("Acme Tools Inc." beside a title "Invoice")
  corroborate(
    fields,
    pages.map((p) => p.lines.flatMap((l) => l.segments.map((s) => s.text)).join('\n')),
  );
  for (const name of SYNC_FIELDS) if (fields[name].value === null) warnings.push(MISSING[name]);
  for (const name of HEADER_FIELD_NAMES) fields[name].confidence = Math.round(fields[name].confidence * 100) / 100;
  const confidence = overallConfidence(fields);
  const ibans = scanIbans(pages);
  return Extraction.parse({
    fields,
    lineItems: table.items,
    confidence,
    pageCount,
    pages: sizes,
    warnings,
    extractor,
    ...(ibans.length ? { ibans } : {}),
  });
}

/**
 * What the vendor is chosen from on these pages, as extractFromPages reads them: the layout reading (labels,
 * letterhead) and the customer's segments. Fitting the vendor evidence weights reads it (vendor/choose.ts).
 */
export function vendorInputs(pages: PageText[]): { layout: Picked; customer: Set<TextSegment> } {
  const { all, parties } = headerCandidates(pages, readLineItems(pages).lines);
  return { layout: pickVendor(all, pages, parties.customer), customer: parties.customer };
}

/** The item table's last row when it is only an amount (no description, quantity or price) equal to the sum of the rows above it. */
function subtotalRow(items: LineItem[]): AmountField | null {
  const last = items[items.length - 1];
  if (
    !last ||
    items.length < 3 ||
    last.amount.value === null ||
    last.description.value ||
    last.quantity.value !== null ||
    last.unitPrice.value !== null
  )
    return null;
  const above = items.slice(0, -1).map((item) => (item.amount.value === null ? null : toCents(item.amount.value)));
  if (above.some((a) => a === null)) return null;
  return above.reduce((a, b) => a! + b!, 0n) === toCents(last.amount.value) ? last.amount : null;
}

/**
 * A subtotal printed without a label ("1,785.00" alone under the item table, then "Tax" and "Amount Due"): an
 * amount standing alone on its line, outside the item rows, above the tax and the total on their page, equal
 * to the sum of the line amounts. Only with a tax read: without one, the amount may just be the total again.
 */
function unlabelledSubtotal(
  fields: HeaderFields,
  pages: PageText[],
  items: LineItem[],
  itemLines: Set<TextLine>,
  sumRow: AmountField | null,
): AmountField | null {
  const { tax, total } = fields;
  const note = 'Printed without a label above the tax and the total; the line amounts add up to it.';
  // the item table's last row, an amount alone under the amount column: the lines' sum
  if (
    sumRow?.provenance &&
    tax.value !== null &&
    tax.provenance &&
    total.provenance &&
    printedAbove(sumRow.provenance, tax.provenance) &&
    printedAbove(sumRow.provenance, total.provenance)
  ) {
    return { ...sumRow, confidence: 0.85, notes: [note] };
  }
  const amounts = items.flatMap((item) => (item.amount.value === null ? [] : [toCents(item.amount.value)]));
  if (tax.value === null || total.value === null || !tax.provenance || !total.provenance || amounts.length < 2)
    return null;
  const lineSum = amounts.reduce((a, b) => a + b, 0n);
  const page = pages.find((p) => p.page === tax.provenance!.page);
  if (!page || lineSum === toCents(total.value)) return null;
  for (const line of page.lines) {
    if (itemLines.has(line) || line.segments.length !== 1) continue;
    const segment = line.segments[0]!;
    const amount = parseAmount(segment.text);
    if (!amount || /\p{L}{2}/u.test(segment.text.replace(/\b[A-Z]{3}\b/g, '')) || toCents(amount.value) !== lineSum)
      continue;
    const provenance: Provenance = { page: page.page, box: segment.box, source: page.source ?? 'text' };
    if (!printedAbove(provenance, tax.provenance) || !printedAbove(provenance, total.provenance)) continue;
    return { value: amount.value, confidence: 0.85, provenance, notes: [note] };
  }
  return null;
}

/**
 * The PO numbers of an invoice that prints them only in its item table ("PO Line": "4500031122/10"): each
 * line's order without its line number, in the order they first appear.
 */
export function poNumbersFromLines(items: LineItem[]): HeaderFields['poNumbers'] | null {
  const printed = items.flatMap((item) =>
    item.poLine?.value ? [{ value: item.poLine.value, provenance: item.poLine.provenance }] : [],
  );
  const poNumbers = [
    ...new Set(
      printed.flatMap(({ value }) =>
        parsePoNumbers(value)
          .slice(0, 1)
          .map((po) => PO_WITH_LINE.exec(po)?.[1] ?? po),
      ),
    ),
  ];
  if (!poNumbers.length) return null;
  const notes = [
    `Read from the item table's PO column (${printed.length} line${printed.length > 1 ? 's' : ''}); no PO label in the header.`,
  ];
  return {
    value: poNumbers,
    confidence: 0.9,
    ...(printed[0]!.provenance ? { provenance: printed[0]!.provenance } : {}),
    notes,
  };
}
// "4500031122/10", "4500031122-0020": an order number and its line
const PO_WITH_LINE = /^(.*\d.*?)\s*[/-]\s*\d{1,5}$/;

/**
 * A negative tax on an invoice whose total is positive: "(35,13 €)" beside the total is the tax that total
 * contains, printed as an aside, not a credit; read positive. (A credit note's tax printed without its minus,
 * the other way round, is settled by the arithmetic in crossCheck.)
 */
function taxWithTheTotalsSign(fields: HeaderFields): void {
  const { tax, total } = fields;
  if (tax.value === null || total.value === null) return;
  const [taxCents, totalCents] = [toCents(tax.value), toCents(total.value)];
  if (taxCents >= 0n || totalCents <= 0n) return;
  tax.value = formatCents(-taxCents);
  tax.notes.push(`Printed as ${formatCents(taxCents)}: a positive invoice's tax is positive.`);
}

/**
 * Arithmetic is the best evidence we have: amounts that add up are almost certainly read right. The totals
 * block may print charges and discounts between the subtotal and the total (subtotal ± charges + tax =
 * total), charges above the subtotal (lines + freight = subtotal), and payments after it (total − deposit =
 * amount due); each equation that holds names its parts in the notes. When the invoice prints both its
 * total and what is left to pay, the total is the amount the sum makes (see chooseInvoiceTotal), and what is left
 * to pay is the amount due (amount-due.ts).
 */
function crossCheck(
  fields: HeaderFields,
  taxParts: TaxPart[],
  items: LineItem[],
  adjustments: Adjustment[],
  readings: Record<'total' | 'subtotal', AmountReading[]>,
  warnings: string[],
): void {
  const cents = (field: AmountField) => (field.value === null ? null : toCents(field.value));
  // a value read as weak evidence (one row of several under its label) is not raised by a sum: each row adds up
  const confirm = (field: AmountField, note: string) => {
    if (!field.notes.some((n) => n.startsWith(WEAK_EVIDENCE))) field.confidence = Math.max(field.confidence, 0.99);
    field.notes.push(note);
  };
  const doubt = (field: AmountField, note: string) => {
    if (field.value === null) return;
    field.confidence = Math.min(field.confidence, 0.5);
    field.notes.push(note);
  };
  chooseSubtotal(fields, readings, adjustments, warnings);
  const [subtotal, picked] = [cents(fields.subtotal), cents(fields.total)];
  // no sales tax, VAT or GST rate reaches MAX_TAX_RATE: such a "tax" is some other amount (a tax table's base)
  const plausibleTax = (t: bigint) =>
    subtotal === null || subtotal === 0n || abs(t) * 100n <= abs(subtotal) * BigInt(MAX_TAX_RATE_PERCENT);
  let tax = cents(fields.tax);
  if (tax !== null && !plausibleTax(tax)) {
    const rate = (Number(abs(tax)) * 100) / Number(abs(subtotal!));
    doubt(
      fields.tax,
      `The tax ${fields.tax.value} would be ${rate.toFixed(0)} % of the subtotal ${formatCents(subtotal!)}: no tax rate is that high, so it is some other amount.`,
    );
    warnings.push(
      `The tax read (${fields.tax.value}) is ${rate.toFixed(0)} % of the subtotal: it is left out of the sums; a clerk checks it.`,
    );
    tax = null;
  }
  // a tax as large as the total is some other amount read under a tax label (an item table's "USt." column)
  if (tax !== null && tax !== 0n && picked !== null && picked !== 0n && abs(tax) >= abs(picked)) {
    doubt(fields.tax, `The tax ${formatCents(tax)} is not less than the total ${formatCents(picked)}.`);
  }
  // charges and discounts above the subtotal's label belong to it; those below it lead to the total
  const priceAdjustments = adjustments.filter((a) => a.kind !== 'paid');
  const between = subtotal === null ? priceAdjustments : afterSubtotal(priceAdjustments, fields.subtotal.provenance);
  const intoSubtotal = priceAdjustments.filter((a) => !between.includes(a));
  const paid = adjustments.filter((a) => a.kind === 'paid');
  const [betweenSum, paidSum] = [sumOf(between), sumOf(paid)];
  const parts = (list: Adjustment[]) => list.map((a) => ` ${describe(a, formatCents)}`).join('');
  const fits = (t: bigint) =>
    subtotal !== null &&
    picked !== null &&
    [0n, betweenSum, betweenSum + paidSum].some((extra) => abs(subtotal + extra + t - picked) <= 1n);
  if (!fits(tax ?? 0n)) {
    const other = taxThatFits(
      taxParts,
      (t) => plausibleTax(t) && fits(t),
      subtotal !== null && picked !== null && subtotal < 0n && picked < 0n,
    );
    if (other) {
      [fields.tax.value, tax] = [formatCents(other.cents), other.cents];
      fields.tax.notes.push(other.note);
    }
  }
  const sums = subtotal === null ? [] : [subtotal + (tax ?? 0n), subtotal + (tax ?? 0n) + betweenSum];
  chooseInvoiceTotal(fields, readings.total, sums, paid, parts, warnings);
  const total = cents(fields.total);
  let grossNotPrinted: bigint | null = null;
  let headerDoesNotAddUp = false;
  if (subtotal !== null && total !== null) {
    // a tax read but left out of the sums (implausible, and no other tax fits) is no part of what they confirm
    const taxLeftOut = tax === null && fields.tax.value !== null;
    const amounts = taxLeftOut ? [fields.subtotal, fields.total] : [fields.subtotal, fields.tax, fields.total];
    const taxed = subtotal + (tax ?? 0n);
    const plain = `subtotal ${formatCents(subtotal)} + tax ${formatCents(tax ?? 0n)} = ${formatCents(taxed)}`;
    const gross = taxed + betweenSum;
    const withParts = `subtotal ${formatCents(subtotal)}${parts(between)} + tax ${formatCents(tax ?? 0n)} = ${formatCents(gross)}`;
    if (abs(taxed - total) <= 1n && !between.length) {
      for (const field of amounts) if (field.value !== null) confirm(field, `Adds up: ${plain}.`);
    } else if (abs(gross - total) <= 1n) {
      for (const field of amounts) if (field.value !== null) confirm(field, `Adds up: ${withParts}.`);
    } else if (abs(taxed - total) <= 1n) {
      // the adjustments read do not belong to this sum (printed for information): the plain sum still holds
      for (const field of amounts)
        if (field.value !== null) confirm(field, `Adds up: ${plain} (without${parts(between)}).`);
    } else if (paid.length && abs(gross + paidSum - total) <= 1n) {
      // only what is left after the payments is printed: that is the amount due, the total is the gross the sum makes
      const sum = `${withParts}${parts(paid)} = ${formatCents(gross + paidSum)} due`;
      for (const field of amounts) if (field.value !== null) confirm(field, `Adds up: ${sum}.`);
      if (paidSum !== 0n) grossNotPrinted = gross;
    } else {
      const sum =
        between.length || paid.length
          ? `${withParts}${paid.length ? `, ${formatCents(gross + paidSum)} after${parts(paid)}` : ''}`
          : plain;
      for (const field of amounts) doubt(field, `Does not add up: ${sum}, total ${formatCents(total)}.`);
      headerDoesNotAddUp = true;
      warnings.push(`The amounts do not add up: ${sum}, but the total reads ${formatCents(total)}.`);
    }
  }
  settleAmountDue({ fields, paid, grossNotPrinted, readings: readings.total, parts });
  const lineAmounts = items.flatMap((item) => (item.amount.value === null ? [] : [toCents(item.amount.value)]));
  const lineSum = lineAmounts.reduce((a, b) => a + b, 0n);
  if (subtotal === null && tax !== null && taxParts.length > 1)
    settleTaxWithoutSubtotal(fields.tax, taxParts, lineAmounts.length ? lineSum : null, total, confirm, doubt);
  const [target, name] =
    subtotal !== null ? [fields.subtotal, 'subtotal'] : tax === null ? [fields.total, 'total'] : [null, ''];
  if (!lineAmounts.length || !target?.value) return;
  const added = target === fields.subtotal ? intoSubtotal : priceAdjustments;
  const targetCents = toCents(target.value);
  if (abs(lineSum - targetCents) <= 1n && headerDoesNotAddUp) {
    // the subtotal is the lines' sum, but not the sum the tax and total are figured on: a "Zwischensumme" above a discount
    target.confidence = LINES_BUT_NOT_TOTALS;
    target.notes.push(
      `Matches the sum of ${lineAmounts.length} line amounts, but subtotal, tax and total do not add up.`,
    );
  } else if (abs(lineSum - targetCents) <= 1n)
    confirm(target, `Matches the sum of ${lineAmounts.length} line amounts.`);
  // The wording of these three messages is matched by LINE_SUM_CONFIRMED and LINE_SUM_WARNING below.
  else if (added.length && abs(lineSum + sumOf(added) - targetCents) <= 1n) {
    confirm(target, `Matches the sum of ${lineAmounts.length} line amounts ${formatCents(lineSum)}${parts(added)}.`);
  } else {
    const also = added.length ? ` (${formatCents(lineSum + sumOf(added))} with${parts(added)})` : '';
    doubt(target, `The ${lineAmounts.length} line amounts add up to ${formatCents(lineSum)}${also}.`);
    // lines that do not make the subtotal are no line items to trust either: a clerk checks them
    for (const item of items) {
      for (const f of [item.description, item.quantity, item.unitPrice, item.amount]) {
        if (f.value === null) continue;
        f.confidence = Math.min(f.confidence, LINES_DO_NOT_ADD_UP);
        f.notes.push(`The line amounts do not add up to the ${name}.`);
      }
    }
    warnings.push(
      `The ${lineAmounts.length} line amounts add up to ${formatCents(lineSum)}${also}, but the ${name} reads ${target.value}.`,
    );
  }
}

/**
 * Without a subtotal nothing checks the tax. When the page prints several tax lines (CGST and SGST, two VAT
 * rates), the tax picked may be one part of the tax, or the part may be all of it and the other lines a
 * breakdown: the line items decide (lines + tax = total), and when they cannot, a clerk does.
 */
function settleTaxWithoutSubtotal(
  tax: AmountField,
  parts: TaxPart[],
  lineSum: bigint | null,
  total: bigint | null,
  confirm: (field: AmountField, note: string) => void,
  doubt: (field: AmountField, note: string) => void,
): void {
  const partsSum = parts.reduce((sum, part) => sum + toCents(part.value), 0n);
  const listed = `${parts.length} tax lines (${parts.map((p) => `"${p.label}" ${p.value}`).join(', ')})`;
  const lines = (t: bigint) => lineSum !== null && total !== null && abs(lineSum + t - total) <= 1n;
  if (lines(toCents(tax.value!))) {
    confirm(
      tax,
      `Adds up: the line amounts ${formatCents(lineSum!)} + tax ${tax.value} = total ${formatCents(total!)}.`,
    );
  } else if (lines(partsSum)) {
    tax.value = formatCents(partsSum);
    confirm(
      tax,
      `The sum of ${listed}: the line amounts ${formatCents(lineSum!)} + ${tax.value} = total ${formatCents(total!)}.`,
    );
  } else {
    doubt(tax, `One of ${listed}; with no subtotal printed nothing says whether the tax is one of them or their sum.`);
  }
}

/**
 * When the tax picked does not make the sum add up, the tax the page prints that does, tried in this order:
 * the sum of every tax line (two VAT rates print two), the sum of the lines under one tax label (a tax
 * breakdown table: "Umsatzsteuer 19 % −0.92", "Umsatzsteuer 7 % −0.20"), each amount read beside a tax
 * label, and on a credit note (subtotal and total both negative) an amount printed without its minus sign.
 */
function taxThatFits(
  parts: TaxPart[],
  fits: (t: bigint) => boolean,
  credit: boolean,
): { cents: bigint; note: string } | null {
  const sum = (list: TaxPart[]) => list.reduce((total, part) => total + toCents(part.value), 0n);
  const labels = [...new Set(parts.map((p) => p.label))];
  const options: Array<{ cents: bigint; note: string }> = [
    ...(parts.length > 1 ? [{ cents: sum(parts), note: `The sum of ${parts.length} tax lines.` }] : []),
    ...labels.flatMap((label) => {
      const own = parts.filter((p) => p.label === label);
      return own.length > 1
        ? [{ cents: sum(own), note: `The sum of ${own.length} tax lines labelled "${label}".` }]
        : [];
    }),
    ...parts.map((p) => ({
      cents: toCents(p.value),
      note: `Read beside "${p.label}": the tax that makes the amounts add up.`,
    })),
    ...(credit
      ? parts
          .filter((p) => toCents(p.value) > 0n)
          .map((p) => ({
            cents: -toCents(p.value),
            note: `Read beside "${p.label}" without its minus sign; on this credit note it is ${formatCents(-toCents(p.value))}, which makes the amounts add up.`,
          }))
      : []),
  ];
  return options.find((option) => option.cents !== 0n && fits(option.cents)) ?? null;
}

/**
 * An invoice that prints its total and, after a deposit or a payment, the balance left to pay ("Total
 * 1,000.00 / Paid −200.00 / Balance due 800.00") labels both as totals, and the later one was picked. The
 * total is the invoice's: the amount subtotal + tax (± charges) makes, or without a subtotal, the amount
 * from which the payments read lead to the other. The balance is the amount due (amount-due.ts).
 */
function chooseInvoiceTotal(
  fields: HeaderFields,
  readings: AmountReading[],
  sums: bigint[],
  paid: Adjustment[],
  parts: (list: Adjustment[]) => string,
  warnings: string[],
): void {
  const picked = fields.total.value === null ? null : toCents(fields.total.value);
  if (picked === null || readings.length < 2) return;
  const paidSum = sumOf(paid);
  const addsUp = (amount: bigint) => sums.some((sum) => abs(sum - amount) <= 1n);
  // an amount printed above the subtotal (a line's amount under a "Total" column head) is not the invoice total
  const others = readings.filter(
    (r) =>
      toCents(r.value) !== picked &&
      r.confidence >= MIN_TOTAL_READING &&
      !printedAbove(r.provenance, fields.subtotal.provenance),
  );
  if (sums.some((sum) => abs(sum - picked) <= 1n)) return;
  const bySum = others.find((r) => addsUp(toCents(r.value)));
  // nothing adds up to either (a subtotal misread): the payments printed still lead from the total to the balance
  const byPayments = paid.length ? others.find((r) => abs(toCents(r.value) + paidSum - picked) <= 1n) : undefined;
  const invoiceTotal = bySum ?? byPayments;
  if (!invoiceTotal) return;
  const balance = readings.find((r) => toCents(r.value) === picked)!;
  const why = bySum ? 'subtotal and tax add up to it' : `it less${parts(paid)} is the other`;
  const after = paid.length ? ` after${parts(paid)}` : '';
  fields.total = {
    value: invoiceTotal.value,
    confidence: invoiceTotal.confidence,
    provenance: invoiceTotal.provenance,
    notes: [
      ...invoiceTotal.notes,
      `The invoice total, not "${balance.provenance.label ?? 'balance'}" ${balance.value} printed with it: ${why}; ${balance.value} is what is left to pay${after}.`,
    ],
  };
  warnings.push(
    `The invoice prints a total of ${invoiceTotal.value} and ${balance.value} to pay ("${balance.provenance.label ?? 'balance'}"${after}): the total read is ${invoiceTotal.value}.`,
  );
}

/**
 * When the subtotal picked does not lead to the total (with the tax, the charges and discounts printed below
 * it, the payments), another subtotal the page prints that does: a "Zwischensumme" of the lines above a
 * discount and shipping, and the net sum after them ("Rechnungssumme Netto"). Only one may fit.
 */
function chooseSubtotal(
  fields: HeaderFields,
  readings: Record<'total' | 'subtotal', AmountReading[]>,
  adjustments: Adjustment[],
  warnings: string[],
): void {
  if (fields.subtotal.value === null || fields.total.value === null || readings.subtotal.length < 2) return;
  const tax = fields.tax.value === null ? 0n : toCents(fields.tax.value);
  const totals = [
    toCents(fields.total.value),
    ...readings.total.filter((r) => r.confidence >= MIN_TOTAL_READING).map((r) => toCents(r.value)),
  ];
  const paid = sumOf(adjustments.filter((a) => a.kind === 'paid'));
  const priceAdjustments = adjustments.filter((a) => a.kind !== 'paid');
  const fits = (value: string, at: Provenance | undefined) => {
    const between = sumOf(afterSubtotal(priceAdjustments, at));
    const net = toCents(value) + tax;
    return [0n, between, paid, between + paid].some((extra) => totals.some((total) => abs(net + extra - total) <= 1n));
  };
  if (fits(fields.subtotal.value, fields.subtotal.provenance)) return;
  const others = readings.subtotal.filter(
    (r) => r.value !== fields.subtotal.value && r.confidence >= MIN_TOTAL_READING && fits(r.value, r.provenance),
  );
  if (others.length !== 1) return;
  const [other, picked] = [others[0]!, fields.subtotal];
  fields.subtotal = {
    value: other.value,
    confidence: other.confidence,
    provenance: other.provenance,
    notes: [
      ...other.notes,
      `The subtotal the tax and total are figured on, not "${picked.provenance?.label ?? 'subtotal'}" ${picked.value}, which does not add up to the total.`,
    ],
  };
  warnings.push(
    `The invoice prints two subtotals, ${picked.value} and ${other.value}: the subtotal read is ${other.value}, the one that adds up to the total.`,
  );
}

/**
 * The charges and discounts that lead from a subtotal printed at `at` to the total: those printed below it, and
 * rounding and withholding wherever printed. Those above it are the subtotal's own.
 */
function afterSubtotal(priceAdjustments: Adjustment[], at: Provenance | undefined): Adjustment[] {
  return priceAdjustments.filter(
    (a) => a.kind === 'rounding' || a.kind === 'withheld' || !printedAbove(a.provenance, at),
  );
}

// a weak word ("Summe") next to some other amount is no evidence of a second total
const MIN_TOTAL_READING = 0.85;

/** Whether a value was printed above another (an earlier page, or higher on the same page). */
function printedAbove(a: Provenance | undefined, b: Provenance | undefined): boolean {
  if (!a?.box || !b?.box) return false;
  return a.page < b.page || (a.page === b.page && a.box.y > b.box.y + 1);
}

const abs = (n: bigint) => (n < 0n ? -n : n);
/** Above this share of the subtotal a "tax" is no tax: the highest VAT rates are 27 % (standard) and GST 28 %. */
const MAX_TAX_RATE_PERCENT = 30;
/** The most a line item's field is trusted when the lines do not add up to the subtotal (or total). */
const LINES_DO_NOT_ADD_UP = 0.6;
/** A subtotal that is the lines' sum while subtotal, tax and total do not add up: it may be an intermediate sum. */
const LINES_BUT_NOT_TOTALS = 0.9;

/** Recognises the Σ lines check's note on the subtotal (or total) it confirmed; group 1 is the line count. */
export const LINE_SUM_CONFIRMED = /^Matches the sum of (\d+) line amounts/;
/** Recognises the Σ lines check's warning when the lines do not add up. */
export const LINE_SUM_WARNING = /^The \d+ line amounts add up to .*, but the (?:subtotal|total) reads/;
