// The real development corpus (test/fixtures/real-einvoices): hybrid PDFs whose embedded e-invoice XML,
// read by the project's own e-invoice reader, is the truth for what the visible page says. The visual
// reading (e-invoice stage off) is scored against it field by field, counting only the fields whose value
// the page actually shows (a few samples carry XML that differs from their picture, and many leave the PO
// empty). Shared by `npm run bench:real` and test/extract/real-corpus.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Extraction, HeaderFieldName } from '../domain/extraction.js';
import { readEInvoice } from '../extract/einvoice/index.js';
import type { PageText } from '../extract/pdf-text.js';
import { MONTH_NAMES } from './corpus-locales.js';
import { showValue as show } from './corpus-score.js';

export const REAL_CORPUS_DIR = fileURLToPath(new URL('../test/fixtures/real-einvoices/', import.meta.url));
export const REAL_FAMILIES = ['ZUGFeRDv1__Intarsys', 'ZUGFeRDv2__intarsys', 'XML-Rechnung__FX'] as const;
export type RealFamily = (typeof REAL_FAMILIES)[number];
/** The header fields scored: what a clerk would otherwise type. */
export const REAL_FIELDS = [
  'invoiceNumber',
  'invoiceDate',
  'dueDate',
  'vendorName',
  'currency',
  'subtotal',
  'tax',
  'total',
  'poNumbers',
] as const satisfies readonly HeaderFieldName[];
export type RealField = (typeof REAL_FIELDS)[number];
/** Scored apart from REAL_FIELDS, so the header figures stay comparable with those measured before it was read. */
export const APART_FIELD = 'amountDue' as const satisfies HeaderFieldName;
type ScoredField = RealField | typeof APART_FIELD;
/** The overall confidence at which an invoice may be approved without a clerk. */
export const AUTO_APPROVE = 0.95;

export interface RealInvoice {
  name: string;
  family: RealFamily;
  pdf: Uint8Array;
}

export function loadRealCorpus(): RealInvoice[] {
  return readdirSync(REAL_CORPUS_DIR)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((file) => {
      const family = REAL_FAMILIES.find((f) => file.startsWith(`${f}__`));
      if (!family) throw new Error(`${file} belongs to no known family`);
      return {
        name: file.replace(/\.pdf$/, ''),
        family,
        pdf: new Uint8Array(readFileSync(`${REAL_CORPUS_DIR}${file}`)),
      };
    });
}

/** The truth: the embedded e-invoice as the e-invoice reader maps it. */
export async function truthOf(invoice: RealInvoice): Promise<Extraction> {
  const read = await readEInvoice({ bytes: invoice.pdf, mimeType: 'application/pdf', fileName: `${invoice.name}.pdf` });
  if (read?.kind !== 'einvoice') throw new Error(`${invoice.name} carries no readable e-invoice`);
  return read.extraction;
}

/** All text of the pages, one string, for the "does the page show it" check. */
export const pageTextOf = (pages: PageText[]) => pages.flatMap((p) => p.lines.map((l) => l.text)).join('\n');

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, '');
const letters = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '');

/** Month names in the languages of the real corpus, lower case as the page text is compared. */
const MONTHS: Record<string, string[]> = Object.fromEntries(
  (['de', 'en', 'fr'] as const).map((lang) => [lang, MONTH_NAMES[lang].map((m) => m.toLowerCase())]),
);

/** The ways a page may print an ISO date, squashed (no spaces, lower case). */
function dateRenderings(iso: string): string[] {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const [dn, mn] = [String(Number(d)), String(Number(m))];
  const out = [
    iso,
    `${d}.${m}.${y}`,
    `${dn}.${mn}.${y}`,
    `${d}.${m}.${y.slice(2)}`,
    `${d}/${m}/${y}`,
    `${m}/${d}/${y}`,
    `${d}-${m}-${y}`,
  ];
  for (const months of Object.values(MONTHS)) {
    const name = months[Number(m) - 1]!;
    out.push(`${dn}.${name}${y}`, `${dn}${name}${y}`, `${name}${dn},${y}`, `${d}.${name}${y}`);
  }
  return out;
}

/** The ways a page may print an amount (its absolute value), squashed. */
function amountRenderings(decimal: string): string[] {
  const [whole, fraction = ''] = decimal.replace(/^-/, '').split('.') as [string, string?];
  const cents = (fraction + '00').slice(0, Math.max(2, fraction.replace(/0+$/, '').length));
  const grouped = (sep: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return [
    `${whole},${cents}`,
    `${grouped('.')},${cents}`,
    `${whole}.${cents}`,
    `${grouped(',')}.${cents}`,
    `${grouped("'")}.${cents}`,
  ];
}

const CURRENCY_SIGNS: Record<string, string> = { EUR: '€', USD: '$', GBP: '£', JPY: '¥' };

/** Whether the page shows the field's value (so a reader of the page could find it). */
export function shownOnPage(field: ScoredField, value: string | string[], pageText: string): boolean {
  const page = squash(pageText);
  const pageWords = (s: string) =>
    new RegExp(`(^|[^\\p{L}\\p{N}])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'u').test(pageText);
  switch (field) {
    case 'invoiceDate':
    case 'dueDate':
      return dateRenderings(value as string).some((r) => page.includes(r));
    case 'subtotal':
    case 'tax':
    case 'total':
    case 'amountDue':
      return amountRenderings(value as string).some((r) => page.includes(r));
    case 'currency':
      return (
        pageWords(value as string) ||
        (CURRENCY_SIGNS[value as string] !== undefined && pageText.includes(CURRENCY_SIGNS[value as string]!))
      );
    case 'vendorName':
      return letters(pageText).includes(letters(value as string));
    case 'poNumbers':
      return (value as string[]).every((po) => page.includes(squash(po)));
    case 'invoiceNumber':
      return page.includes(squash(value as string));
  }
}

/** Whether a read value is the truth: exact, up to spacing (and punctuation for names, order for PO lists). */
export function sameValue(field: ScoredField, expected: string | string[], actual: string | string[]): boolean {
  switch (field) {
    case 'subtotal':
    case 'tax':
    case 'total':
    case 'amountDue':
      return Number(actual) === Number(expected);
    case 'vendorName': {
      // a seller name the XML prefixes with ids the page prints on lines of their own ("GLN 4333741000005 Lief-Nr: 549910 ACME GMBH")
      const [read, truth] = [letters(actual as string), letters(expected as string)];
      return read === truth || (read.length >= 4 && truth.endsWith(read) && /\d/.test(truth.slice(0, -read.length)));
    }
    case 'poNumbers': {
      const norm = (list: string | string[]) => [list].flat().map(squash).sort().join('|');
      return norm(actual) === norm(expected);
    }
    default:
      return squash(actual as string) === squash(expected as string);
  }
}

export interface RealFieldScore<F extends ScoredField = RealField> {
  field: F;
  expected: string | null;
  actual: string | null;
  confidence: number;
  /** The truth has a value and the page shows it: the field counts. */
  counted: boolean;
  ok: boolean;
}

function scoreField<F extends ScoredField>(
  field: F,
  measured: Extraction,
  truth: Extraction,
  pageText: string,
): RealFieldScore<F> {
  const expected = truth.fields[field].value;
  const actual = measured.fields[field].value;
  const counted = expected !== null && shownOnPage(field, expected, pageText);
  const ok = counted && actual !== null && sameValue(field, expected, actual);
  return {
    field,
    expected: show(expected),
    actual: show(actual),
    confidence: measured.fields[field].confidence,
    counted,
    ok,
  };
}

export function scoreRealHeader(measured: Extraction, truth: Extraction, pageText: string): RealFieldScore[] {
  return REAL_FIELDS.map((field) => scoreField(field, measured, truth, pageText));
}

/** The amount due (BT-115) when the page prints it, scored apart from the header fields. */
export const scoreRealAmountDue = (
  measured: Extraction,
  truth: Extraction,
  pageText: string,
): RealFieldScore<typeof APART_FIELD> => scoreField(APART_FIELD, measured, truth, pageText);

export interface RealLineScore {
  expected: number;
  exact: number;
  /** Each shown truth line not read exactly, with the read row of the same amount (or the row left in its place), for --misses. */
  misses?: string[];
}

/** Line items the page shows (their amount printed) and how many were read exactly: description, quantity, unit price, amount. */
export function scoreRealLines(measured: Extraction, truth: Extraction, pageText: string): RealLineScore {
  const page = squash(pageText);
  const shown = truth.lineItems.filter(
    (line) => line.amount.value !== null && amountRenderings(line.amount.value).some((r) => page.includes(r)),
  );
  const rows = [...measured.lineItems];
  const missed: typeof shown = [];
  let exact = 0;
  for (const line of shown) {
    const sameNumber = (a: string | null | undefined, b: string | null) =>
      b === null || (a !== null && a !== undefined && Number(a) === Number(b));
    const at = rows.findIndex(
      (row) =>
        sameNumber(row.amount.value, line.amount.value) &&
        sameNumber(row.quantity.value, line.quantity.value) &&
        sameNumber(row.unitPrice.value, line.unitPrice.value) &&
        row.description.value !== null &&
        line.description.value !== null &&
        letters(row.description.value).includes(letters(line.description.value)),
    );
    if (at < 0) {
      missed.push(line);
      continue;
    }
    rows.splice(at, 1);
    exact++;
  }
  const item = (l: Extraction['lineItems'][number]) =>
    `${l.description.value ?? '—'} | ${l.quantity.value ?? '—'} × ${l.unitPrice.value ?? '—'} = ${l.amount.value ?? '—'}`;
  const misses = missed.map((line) => {
    const near = rows.find(
      (row) => row.amount.value !== null && Number(row.amount.value) === Number(line.amount.value),
    );
    return `expected ${item(line)}\n      read ${near ? item(near) : `no row of that amount (${rows.length} rows left)`}`;
  });
  return { expected: shown.length, exact, misses };
}

export interface RealResult {
  invoice: RealInvoice;
  header: RealFieldScore[];
  /** Scored apart (APART_FIELD); absent when not measured. */
  amountDue?: RealFieldScore<typeof APART_FIELD>;
  lines: RealLineScore;
  confidence: number;
  pages: number;
  ms: number;
}

export interface RealSummary {
  invoices: number;
  pages: number;
  perField: Map<RealField, { ok: number; total: number }>;
  headerOk: number;
  headerTotal: number;
  lines: RealLineScore;
  /** The amount due, apart from the header figures: read right of those shown, and read wrong at ≥ AUTO_APPROVE. */
  amountDue: { ok: number; total: number; wrongConfident: number };
  /** Counted fields read wrong (or not at all) at confidence ≥ AUTO_APPROVE. */
  wrongConfident: Array<{
    invoice: string;
    field: ScoredField;
    expected: string | null;
    actual: string | null;
    confidence: number;
  }>;
  autoApprovable: number;
  autoApprovedWrong: string[];
  ms: number;
}

export function summariseReal(results: RealResult[]): RealSummary {
  const perField = new Map<RealField, { ok: number; total: number }>(REAL_FIELDS.map((f) => [f, { ok: 0, total: 0 }]));
  const summary: RealSummary = {
    invoices: results.length,
    pages: 0,
    perField,
    headerOk: 0,
    headerTotal: 0,
    lines: { expected: 0, exact: 0 },
    amountDue: { ok: 0, total: 0, wrongConfident: 0 },
    wrongConfident: [],
    autoApprovable: 0,
    autoApprovedWrong: [],
    ms: 0,
  };
  for (const result of results) {
    summary.pages += result.pages;
    summary.ms += result.ms;
    summary.lines.expected += result.lines.expected;
    summary.lines.exact += result.lines.exact;
    const due = result.amountDue;
    if (due?.counted) {
      summary.amountDue.total++;
      if (due.ok) summary.amountDue.ok++;
      else if (due.actual !== null && due.confidence >= AUTO_APPROVE) summary.amountDue.wrongConfident++;
    }
    for (const score of result.header) {
      if (!score.counted) continue;
      const entry = perField.get(score.field)!;
      entry.total++;
      summary.headerTotal++;
      if (score.ok) {
        entry.ok++;
        summary.headerOk++;
      } else if (score.actual !== null && score.confidence >= AUTO_APPROVE) {
        summary.wrongConfident.push({
          invoice: result.invoice.name,
          field: score.field,
          expected: score.expected,
          actual: score.actual,
          confidence: score.confidence,
        });
      }
    }
    if (result.confidence >= AUTO_APPROVE) {
      summary.autoApprovable++;
      // A wrong value believed without a clerk; a field left empty is a miss the clerk sees, not a wrong value.
      if (result.header.some((s) => s.counted && !s.ok && s.actual !== null))
        summary.autoApprovedWrong.push(result.invoice.name);
    }
  }
  return summary;
}

const pct = (ok: number, total: number) => (total ? `${((100 * ok) / total).toFixed(1)}%` : '-');
const ratio = (ok: number, total: number) =>
  `${String(ok).padStart(4)}/${String(total).padEnd(4)} ${pct(ok, total).padStart(6)}`;

export function formatRealSummary(summary: RealSummary): string {
  const rows = [...summary.perField].map(([field, { ok, total }]) => `${field.padEnd(18)} ${ratio(ok, total)}`);
  rows.push(`${'all header fields'.padEnd(18)} ${ratio(summary.headerOk, summary.headerTotal)}`);
  rows.push(`${'line items exact'.padEnd(18)} ${ratio(summary.lines.exact, summary.lines.expected)}`);
  rows.push(`wrong at ≥ ${AUTO_APPROVE}: ${summary.wrongConfident.length}`);
  if (summary.amountDue.total) {
    const { ok, total, wrongConfident } = summary.amountDue;
    rows.push(`apart: ${APART_FIELD.padEnd(11)} ${ratio(ok, total)}, wrong at ≥ ${AUTO_APPROVE}: ${wrongConfident}`);
  }
  for (const w of summary.wrongConfident)
    rows.push(`  ${w.invoice} ${w.field}: expected ${w.expected}, read ${w.actual} at ${w.confidence.toFixed(2)}`);
  rows.push(
    `auto-approvable (overall ≥ ${AUTO_APPROVE}): ${summary.autoApprovable} of ${summary.invoices}, with a wrong field: ${summary.autoApprovedWrong.length}${summary.autoApprovedWrong.length ? ` (${summary.autoApprovedWrong.join(', ')})` : ''}`,
  );
  rows.push(`time: ${summary.pages ? (summary.ms / summary.pages).toFixed(0) : '-'} ms/page (${summary.pages} pages)`);
  return rows.join('\n');
}

/** Every counted field read wrong, then every shown line item not read exactly, for finding the next kind of failure to fix. */
export function formatRealMisses(results: RealResult[]): string {
  const header = results.flatMap((r) =>
    [...r.header, ...(r.amountDue ? [r.amountDue] : [])]
      .filter((s: RealFieldScore<ScoredField>) => s.counted && !s.ok)
      .map(
        (s) =>
          `${r.invoice.name} ${s.field}: expected ${s.expected}, read ${s.actual ?? '—'} (${s.confidence.toFixed(2)})`,
      ),
  );
  const lines = results.flatMap((r) => (r.lines.misses ?? []).map((m) => `${r.invoice.name} line: ${m}`));
  return [...header, ...lines].join('\n');
}
