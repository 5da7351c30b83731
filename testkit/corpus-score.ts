// Scores an Extraction against a corpus invoice's ground truth, field by field, the way a clerk would:
// a field is right when its value is exactly the printed one (after canonical normalisation: ISO dates,
// decimal amounts, compact tax ids), and a field the invoice does not print is right when left empty.
import type { Extraction } from '../domain/extraction.js';
import { CORPUS_HEADER_FIELDS, type CorpusTruth } from './corpus.js';

export type CorpusField = (typeof CORPUS_HEADER_FIELDS)[number];
export interface FieldScore {
  field: CorpusField;
  expected: string | null;
  actual: string | null;
  ok: boolean;
}
export interface LineScore {
  rows: number;
  expectedRows: number;
  exactRows: number;
}

/** A field's value as text for comparison: arrays joined, nothing as null. */
export function showValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.join(' | ');
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}
const show = showValue;
// Money may legitimately carry more decimals than two ("0.125"); compare it as a number of cents-or-finer.
const sameAmount = (a: string, b: string) => Number(a) === Number(b) && /^-?\d+(\.\d+)?$/.test(a);

export function scoreHeader(extraction: Extraction, truth: CorpusTruth): FieldScore[] {
  return CORPUS_HEADER_FIELDS.map((field) => {
    const expected = show(truth[field]);
    const actual = show(extraction.fields[field].value);
    const amount = field === 'subtotal' || field === 'tax' || field === 'total';
    const ok =
      expected === null
        ? actual === null
        : actual !== null && (amount ? sameAmount(actual, expected) : actual === expected);
    return { field, expected, actual, ok };
  });
}

/** Rows read exactly: description, quantity, unit price, amount, and the part number when printed. */
export function scoreLines(extraction: Extraction, truth: CorpusTruth): LineScore {
  const rows = extraction.lineItems;
  let exactRows = 0;
  truth.lineItems.forEach((expected, i) => {
    const row = rows[i];
    if (!row) return;
    const same = (a: string | null | undefined, b: string) => a !== null && a !== undefined && Number(a) === Number(b);
    const ok =
      row.description.value === expected.description &&
      same(row.quantity.value, expected.quantity) &&
      same(row.unitPrice.value, expected.unitPrice) &&
      same(row.amount.value, expected.amount) &&
      (expected.partNumber === null || row.partNumber?.value === expected.partNumber);
    if (ok) exactRows++;
  });
  return { rows: rows.length, expectedRows: truth.lineItems.length, exactRows };
}

export interface CorpusReport {
  perField: Map<CorpusField, { ok: number; total: number }>;
  headerOk: number;
  headerTotal: number;
  lines: LineScore;
}

export function summarise(scores: Array<{ header: FieldScore[]; lines: LineScore }>): CorpusReport {
  const perField = new Map<CorpusField, { ok: number; total: number }>(
    CORPUS_HEADER_FIELDS.map((f) => [f, { ok: 0, total: 0 }]),
  );
  const lines: LineScore = { rows: 0, expectedRows: 0, exactRows: 0 };
  for (const score of scores) {
    for (const { field, ok } of score.header) {
      const entry = perField.get(field)!;
      entry.total++;
      if (ok) entry.ok++;
    }
    lines.rows += score.lines.rows;
    lines.expectedRows += score.lines.expectedRows;
    lines.exactRows += score.lines.exactRows;
  }
  const all = [...perField.values()];
  return {
    perField,
    headerOk: all.reduce((n, e) => n + e.ok, 0),
    headerTotal: all.reduce((n, e) => n + e.total, 0),
    lines,
  };
}

export function formatReport(report: CorpusReport): string {
  const pct = (ok: number, total: number) => (total ? `${((100 * ok) / total).toFixed(1)}%` : '-');
  const rows = [...report.perField].map(
    ([field, { ok, total }]) =>
      `${field.padEnd(18)} ${String(ok).padStart(4)}/${String(total).padEnd(4)} ${pct(ok, total).padStart(6)}`,
  );
  rows.push(
    `${'all header fields'.padEnd(18)} ${String(report.headerOk).padStart(4)}/${String(report.headerTotal).padEnd(4)} ${pct(report.headerOk, report.headerTotal).padStart(6)}`,
  );
  rows.push(
    `${'line items exact'.padEnd(18)} ${String(report.lines.exactRows).padStart(4)}/${String(report.lines.expectedRows).padEnd(4)} ${pct(report.lines.exactRows, report.lines.expectedRows).padStart(6)}`,
  );
  return rows.join('\n');
}
