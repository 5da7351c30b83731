// Exact decimal arithmetic for money and quantities: decimal strings become scaled bigints, so sums,
// comparisons and tolerance checks never go through binary floating point.

export interface Decimal {
  /** The value times 10^scale. */
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "1,842.50" is not accepted: callers pass canonical decimal strings ("1842.50", "-3", "0.125"). */
export function parseDecimal(text: string | null | undefined): Decimal | null {
  const parts = text ? DECIMAL.exec(text.trim()) : null;
  if (!parts) return null;
  const [, sign, whole = '0', fraction = ''] = parts;
  const units = BigInt(whole + fraction);
  return { units: sign === '-' ? -units : units, scale: fraction.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function formatDecimal({ units, scale }: Decimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** The shortest readable form: "2500.00" → "2500", "0.4200" → "0.42". For messages, not for storage. */
export function displayDecimal(text: string): string {
  return /\./.test(text) ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export function compareDecimals(a: string, b: string): number {
  const [x, y] = align(parseDecimal(a)!, parseDecimal(b)!);
  return x === y ? 0 : x < y ? -1 : 1;
}

export function sumDecimals(values: readonly string[]): string {
  let total: Decimal = { units: 0n, scale: 0 };
  for (const value of values) {
    const d = parseDecimal(value);
    if (!d) continue;
    const [x, y, scale] = align(total, d);
    total = { units: x + y, scale };
  }
  return formatDecimal(total);
}

/** |a − b| as a decimal string; null when either is not a decimal. */
export function absoluteDifference(a: string | null, b: string | null): string | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return null;
  const [u, v, scale] = align(x, y);
  return formatDecimal({ units: u > v ? u - v : v - u, scale });
}

export interface ToleranceCheck {
  within: boolean;
  exact: boolean;
  /** (actual − expected) / expected in percent, two decimals, signed ("6.38", "-0.50"); null when expected is 0. */
  deviationPercent: string | null;
}

/** Tolerances are configuration numbers (0.05); they become parts per million once, here. */
const ppm = (tolerance: number): bigint => BigInt(Math.round(Math.max(0, tolerance) * 1_000_000));

/** |actual − expected| ≤ |expected| × tolerance, exactly. Null when either side is not a decimal. */
export function withinTolerance(
  actual: string | null,
  expected: string | null,
  tolerance: number,
): ToleranceCheck | null {
  const a = parseDecimal(actual);
  const e = parseDecimal(expected);
  if (!a || !e) return null;
  const [x, y] = align(a, e);
  const diff = x - y;
  const magnitude = (v: bigint) => (v < 0n ? -v : v);
  const within = magnitude(diff) * 1_000_000n <= magnitude(y) * ppm(tolerance);
  return { within, exact: diff === 0n, deviationPercent: y === 0n ? null : percent(diff, y) };
}

/** diff / base as a signed percentage with two decimals, rounded half away from zero. */
function percent(diff: bigint, base: bigint): string {
  const scaled = (diff * 100_000n) / (base < 0n ? -base : base); // thousandths of a percent
  const rounded = (scaled + (scaled < 0n ? -5n : 5n)) / 10n;
  return formatDecimal({ units: rounded, scale: 2 });
}

/** "5 %" for 0.05, "0.5 %" for 0.005: tolerances as people write them. */
export function tolerancePercent(tolerance: number): string {
  return `${displayDecimal(formatDecimal({ units: ppm(tolerance), scale: 4 }))} %`;
}
