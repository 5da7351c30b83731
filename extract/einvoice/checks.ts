// The EN 16931 calculation rules, applied to the invoice's own numbers: an e-invoice whose sums do not
// add up was produced by a broken system, and a clerk should see that before anything is booked.
import { compareDecimals, formatDecimal, parseDecimal, sumDecimals } from '../../domain/decimal.js';
import type { EInvoiceData, Located } from './model.js';

export type CheckedAmount = 'subtotal' | 'tax' | 'total' | 'amountDue' | 'lines';

export interface RuleViolation {
  rule: string;
  message: string;
  /** Which extracted amounts the disagreement casts doubt on. */
  affects: CheckedAmount[];
}

const negate = (v: string) => (v.startsWith('-') ? v.slice(1) : v === '0' ? v : `-${v}`);
const minus = (a: string, b: string) => sumDecimals([a, negate(b)]);
const equal = (a: string, b: string) => compareDecimals(a, b) === 0;
const withinCent = (a: string, b: string) => {
  const difference = minus(a, b);
  return compareDecimals(difference, '0.01') <= 0 && compareDecimals(difference, '-0.01') >= 0;
};

export function checkCalculations(data: EInvoiceData): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const t = data.totals;
  const v = (l: Located | undefined) => l?.value;
  const fail = (rule: string, affects: CheckedAmount[], message: string) => violations.push({ rule, message, affects });

  const lineAmounts = data.lines.map((l) => v(l.amount));
  if (t.lines && data.lines.length > 0 && lineAmounts.every((a) => a !== undefined)) {
    const sum = sumDecimals(lineAmounts);
    if (!equal(sum, t.lines.value)) {
      fail(
        'BR-CO-10',
        ['subtotal', 'lines'],
        `BR-CO-10: the ${data.lines.length} line net amounts add up to ${sum}, but the sum of line net amounts (BT-106) says ${t.lines.value}.`,
      );
    }
  }
  const allowances = data.allowancesCharges.filter((a) => !a.charge).map((a) => v(a.amount) ?? '0');
  const charges = data.allowancesCharges.filter((a) => a.charge).map((a) => v(a.amount) ?? '0');
  if (t.allowances && !equal(sumDecimals(allowances), t.allowances.value)) {
    fail(
      'BR-CO-11',
      ['subtotal'],
      `BR-CO-11: the document allowances add up to ${sumDecimals(allowances)}, but BT-107 says ${t.allowances.value}.`,
    );
  }
  if (t.charges && !equal(sumDecimals(charges), t.charges.value)) {
    fail(
      'BR-CO-12',
      ['subtotal'],
      `BR-CO-12: the document charges add up to ${sumDecimals(charges)}, but BT-108 says ${t.charges.value}.`,
    );
  }
  if (t.lines && t.taxBasis) {
    const expected = sumDecimals([t.lines.value, negate(v(t.allowances) ?? '0'), v(t.charges) ?? '0']);
    if (!equal(expected, t.taxBasis.value)) {
      fail(
        'BR-CO-13',
        ['subtotal'],
        `BR-CO-13: lines ${t.lines.value} − allowances ${v(t.allowances) ?? '0'} + charges ${v(t.charges) ?? '0'} = ${expected}, but the total without VAT (BT-109) says ${t.taxBasis.value}.`,
      );
    }
  }
  const categoryTax = data.vatBreakdown.map((b) => v(b.amount));
  if (t.tax && data.vatBreakdown.length > 0 && categoryTax.every((a) => a !== undefined)) {
    const sum = sumDecimals(categoryTax);
    if (!equal(sum, t.tax.value))
      fail(
        'BR-CO-14',
        ['tax'],
        `BR-CO-14: the VAT breakdown adds up to ${sum}, but the VAT total (BT-110) says ${t.tax.value}.`,
      );
  }
  for (const [i, b] of data.vatBreakdown.entries()) {
    if (!b.basis || !b.amount || !b.rate) continue;
    const expected = vatOf(b.basis.value, b.rate.value);
    if (!withinCent(expected, b.amount.value)) {
      fail(
        'BR-CO-17',
        ['tax'],
        `BR-CO-17: VAT category ${i + 1} (${b.category?.value ?? '?'} ${b.rate.value}%): ${b.basis.value} × ${b.rate.value}% = ${expected}, but its tax amount says ${b.amount.value}.`,
      );
    }
  }
  if (t.taxBasis && t.grand) {
    const expected = sumDecimals([t.taxBasis.value, v(t.tax) ?? '0']);
    if (!equal(expected, t.grand.value)) {
      fail(
        'BR-CO-15',
        ['subtotal', 'tax', 'total'],
        `BR-CO-15: total without VAT ${t.taxBasis.value} + VAT ${v(t.tax) ?? '0'} = ${expected}, but the total with VAT (BT-112) says ${t.grand.value}.`,
      );
    }
  }
  if (t.grand && t.due) {
    const expected = sumDecimals([t.grand.value, negate(v(t.prepaid) ?? '0'), v(t.rounding) ?? '0']);
    if (!equal(expected, t.due.value)) {
      fail(
        'BR-CO-16',
        ['total', 'amountDue'],
        `BR-CO-16: total ${t.grand.value} − paid ${v(t.prepaid) ?? '0'} + rounding ${v(t.rounding) ?? '0'} = ${expected}, but the amount due (BT-115) says ${t.due.value}.`,
      );
    }
  }
  return violations;
}

/** basis × rate / 100, rounded half away from zero to cents, exactly (scaled bigints). */
function vatOf(basis: string, rate: string): string {
  const b = parseDecimal(basis)!;
  const r = parseDecimal(rate)!;
  const scale = b.scale + r.scale + 2; // ÷ 100
  const product = b.units * r.units;
  const divisor = 10n ** BigInt(scale - 2);
  const magnitude = product < 0n ? -product : product;
  const cents = (magnitude + divisor / 2n) / divisor;
  return formatDecimal({ units: product < 0n ? -cents : cents, scale: 2 });
}
