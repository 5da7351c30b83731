// The amount left to pay as a field of its own beside the total. The total is the gross (EN 16931 BT-112),
// as the e-invoice reader defines it; the amount due (BT-115) is the total less what was paid in advance
// ("Bruttosumme 197,65 / Erhaltene Anzahlungen -50,00 / Zahlbetrag 147,65"). On most invoices nothing was
// paid and the two are one amount. When the payments printed lead from the one to the other, each confirms
// the other; when nothing printed explains a difference, the amount due is doubted, never the total.
import type { AmountField, HeaderFields } from '../domain/extraction.js';
import type { Candidate } from './fields.js';
import { pick, type Picked } from './header.js';
import { namesAmountDue } from './label-words.js';
import { formatCents, toCents } from './normalize.js';
import { sumOf, type Adjustment } from './totals.js';

/** An amount next to a total label; `label` is the label it was read beside. */
interface Reading {
  value: string;
  confidence: number;
  provenance: AmountField['provenance'];
  notes: string[];
}

/** The amount printed next to a label naming what is left to pay ("Zahlbetrag", "Balance due", "Net à payer"), the last one printed. */
export function pickAmountDue(all: Candidate[]): Picked {
  const due = all.filter((c) => c.field === 'total' && namesAmountDue(c.provenance.label ?? ''));
  if (!due.length) return { value: null, confidence: 0, notes: ['No amount to pay is printed apart from the total.'] };
  return pick('total', due, 'last');
}

// Not printed, made by the sum of printed amounts: certain arithmetic, yet no place on the page a clerk can check
const COMPUTED = 0.9;
const CONFIRMED = 0.99;
const UNEXPLAINED = 0.7;
const DOES_NOT_ADD_UP = 0.5;

export interface AmountDueInput {
  fields: HeaderFields;
  /** The payments printed in the totals block (negative: they lower what is owed). */
  paid: Adjustment[];
  /**
   * The gross the subtotal, tax and charges make, when the only total printed is what is left after the payments
   * ("Subtotal 1,000.00 / Tax 80.00 / Deposit −280.00 / Balance due 800.00"): the total is then this sum.
   */
  grossNotPrinted: bigint | null;
  /** Every distinct amount read next to a total label. */
  readings: Reading[];
  /** "− Anzahlung 300.00" for the notes. */
  parts: (list: Adjustment[]) => string;
}

/** Sets `fields.amountDue` and, when only the balance is printed, the total to the gross; checks one against the other. */
export function settleAmountDue({ fields, paid, grossNotPrinted, readings, parts }: AmountDueInput): void {
  const paidSum = sumOf(paid);
  if (grossNotPrinted !== null && fields.total.value !== null) {
    const balance = fields.total;
    const [due, gross] = [formatCents(toCents(balance.value!)), formatCents(grossNotPrinted)];
    fields.amountDue = {
      ...(fields.amountDue.value !== null && toCents(fields.amountDue.value) === toCents(due)
        ? fields.amountDue
        : balance),
      value: due,
      confidence: Math.max(balance.confidence, CONFIRMED),
      notes: [...balance.notes, `The amount left to pay: the total ${gross}${parts(paid)} = ${due}.`],
    };
    fields.total = {
      value: gross,
      confidence: COMPUTED,
      notes: [
        `Not printed as such: subtotal and tax make ${gross}, the total before${parts(paid)} paid in advance; ${due} is what the invoice asks to pay.`,
      ],
    };
    return;
  }
  const total = fields.total.value === null ? null : toCents(fields.total.value);
  if (total === null) return;
  if (fields.amountDue.value === null) {
    // a balance under a label that names no payment ("Total" again after the deposit): the payments lead to it
    const balance = paid.length
      ? readings.find((r) => toCents(r.value) !== total && abs(total + paidSum - toCents(r.value)) <= 1n)
      : undefined;
    if (balance)
      fields.amountDue = {
        value: balance.value,
        confidence: balance.confidence,
        ...(balance.provenance ? { provenance: balance.provenance } : {}),
        notes: [...balance.notes],
      };
    else if (paid.length) fields.total.notes.push(`Paid in advance:${parts(paid)}; no amount left to pay is printed.`);
    if (!balance) return;
  }
  const amountDue = fields.amountDue;
  const due = toCents(amountDue.value!);
  if (abs(due - total) <= 1n) {
    // one amount, printed twice or under a label that says it is to be paid: as sure as the total
    amountDue.confidence =
      fields.total.confidence >= CONFIRMED ? CONFIRMED : Math.min(amountDue.confidence, fields.total.confidence);
    amountDue.notes.push(
      paid.length
        ? `The same as the total, although${parts(paid)} is printed as paid.`
        : 'The same as the total: nothing paid in advance is printed.',
    );
    return;
  }
  if (paid.length && abs(total + paidSum - due) <= 1n) {
    // total − prepaid = amount due: three printed amounts that agree. Not when the total's own sum failed: a
    // misread subtotal or a misread total, the payments cannot tell which, and the amount due goes with the total
    const sum = `total ${formatCents(total)}${parts(paid)} = ${formatCents(due)}`;
    const totalDoubted = fields.total.notes.some((n) => n.startsWith('Does not add up'));
    for (const field of totalDoubted ? [] : [fields.total, amountDue])
      field.confidence = Math.max(field.confidence, CONFIRMED);
    if (totalDoubted) amountDue.confidence = Math.min(amountDue.confidence, fields.total.confidence);
    amountDue.notes.push(`Adds up: ${sum}.`);
    fields.total.notes.push(`Paid in advance:${parts(paid)}; ${formatCents(due)} is left to pay (the amount due).`);
    return;
  }
  const why = paid.length
    ? `Does not add up: total ${formatCents(total)}${parts(paid)} = ${formatCents(total + paidSum)}, but the amount due reads ${formatCents(due)}.`
    : `Differs from the total ${formatCents(total)} by ${formatCents(due - total)}, and no payment printed explains the difference.`;
  amountDue.confidence = Math.min(amountDue.confidence, paid.length ? DOES_NOT_ADD_UP : UNEXPLAINED);
  amountDue.notes.push(why);
}

const abs = (n: bigint) => (n < 0n ? -n : n);
