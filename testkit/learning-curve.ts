// The learning curve on the real development corpus (testkit/real-corpus.ts): per vendor, a clerk
// corrects the first invoice (every header field the page shows that was read wrong or not at all), the
// learning stage learns from those corrections exactly as the review decision's activity does
// (patternsFromCorrections), and the vendor's other invoices are read again with that knowledge.
// A family is one vendor software's layout, but the sample families mix several sellers: the vendor is the
// seller's name within a family (what a clerk sees and the product keys by), so each vendor's knowledge is
// kept apart. Shared by `npm run bench:learning` and test/extract/learning-curve.test.ts.
import type { Extraction, HeaderFieldName } from '../domain/extraction.js';
import type { Extractor } from '../extract/index.js';
import { CORRECTED_FIELD, createVendorKnowledge, patternsFromCorrections } from '../extract/learned.js';
import type { PageText } from '../extract/pdf-text.js';
import { normaliseSupplierName } from '../domain/supplier-name.js';
import { memoryKnowledgeStore } from './knowledge-store.js';
import {
  AUTO_APPROVE,
  loadRealCorpus,
  pageTextOf,
  REAL_FAMILIES,
  REAL_FIELDS,
  scoreRealHeader,
  truthOf,
  type RealFamily,
  type RealField,
  type RealFieldScore,
  type RealInvoice,
} from './real-corpus.js';

/** The review's correction key for each scored field (the clerk corrects one PO, the first). */
const CORRECTION_KEY: Record<RealField, string> = {
  invoiceNumber: 'invoiceNumber',
  invoiceDate: 'invoiceDate',
  dueDate: 'dueDate',
  vendorName: 'vendorName',
  currency: 'currency',
  subtotal: 'subtotal',
  tax: 'tax',
  total: 'total',
  poNumbers: 'poNumber',
};

/**
 * The seller's name as the page prints it: some samples' XML prefixes it with ids the page shows on lines of
 * their own ("GLN 4333741000005 Lief-Nr: 549910 MUSTERLIEFERANT GMBH"); the name is what follows them.
 */
export function printedSellerName(name: string): string {
  const tail = /^.*\d\S*\s+(\P{N}+)$/u.exec(name)?.[1];
  return tail && /\p{L}{4}/u.test(tail) ? tail.trim() : name;
}

export interface ReadInvoice {
  invoice: RealInvoice;
  truth: Extraction;
  extraction: Extraction;
  pages: PageText[];
  pageText: string;
}

export interface VendorGroup {
  family: RealFamily;
  /** The normalised seller name: the vendor key. */
  vendor: string;
  invoices: ReadInvoice[];
}

/** Each invoice of the corpus read once, without knowledge, grouped by family and seller in file-name order. */
export async function readVendorGroups(extractor: Extractor): Promise<VendorGroup[]> {
  const groups = new Map<string, VendorGroup>();
  for (const invoice of loadRealCorpus()) {
    const doc = { bytes: invoice.pdf, mimeType: 'application/pdf', fileName: `${invoice.name}.pdf` };
    const [truth, extraction, pages] = [
      await truthOf(invoice),
      await extractor.extract(doc),
      await extractor.readPages(doc),
    ];
    const seller = truth.fields.vendorName.value;
    const vendor = seller ? normaliseSupplierName(printedSellerName(seller)) : '(no seller)';
    const key = `${invoice.family}\n${vendor}`;
    const group = groups.get(key) ?? { family: invoice.family, vendor, invoices: [] };
    group.invoices.push({ invoice, truth, extraction, pages, pageText: pageTextOf(pages) });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * How the first invoice teaches: `corrections` — what a clerk types for every field the page shows that was
 * read wrong or not at all; `every field` — the stress case: every field the page shows taught as if it had
 * been missed and typed by the clerk, so every learned pattern is exercised on the vendor's other invoices
 * (this is what measures that learned patterns do not produce wrong values); `learned alone` — taught every
 * field, and the other invoices' text reading of the scored fields blanked before the knowledge is applied,
 * as for a layout the text rules cannot read at all: what learning reaches on its own ("before" is then 0).
 */
export type Teaching = 'corrections' | 'every field' | 'learned alone';

export function clerkCorrections(read: ReadInvoice, teaching: Teaching = 'corrections'): Record<string, string> {
  const corrections: Record<string, string> = {};
  for (const score of scoreRealHeader(read.extraction, read.truth, read.pageText)) {
    if (!score.counted || (score.ok && teaching === 'corrections')) continue;
    const truth = read.truth.fields[score.field].value!;
    const value = Array.isArray(truth) ? truth[0]! : score.field === 'vendorName' ? printedSellerName(truth) : truth;
    corrections[CORRECTION_KEY[score.field]] = value;
  }
  return corrections;
}

export interface Tally {
  /** Fields the pages show, and how many of them were read exactly. */
  shown: number;
  exact: number;
  /** Shown fields read wrong (a value, not a miss) at confidence ≥ AUTO_APPROVE. */
  wrongConfident: number;
}

export interface VendorCurve {
  family: RealFamily;
  vendor: string;
  taught: string;
  corrections: number;
  patterns: number;
  /** The vendor's other invoices, read without and with what was learned. */
  rest: number;
  before: Tally;
  after: Tally;
  /** Fields of the other invoices still not read exactly after learning, for finding the next fix. */
  misses: string[];
  /** Fields that were right before learning and wrong after it. */
  broken: string[];
}

function tally(scores: RealFieldScore[][]): Tally {
  const counted = scores.flat().filter((s) => s.counted);
  return {
    shown: counted.length,
    exact: counted.filter((s) => s.ok).length,
    wrongConfident: counted.filter((s) => !s.ok && s.actual !== null && s.confidence >= AUTO_APPROVE).length,
  };
}

/** The reading with these fields blanked, as if the text rules had not found them. */
function blanked(extraction: Extraction, fields: readonly HeaderFieldName[]): Extraction {
  const copy = structuredClone(extraction);
  for (const name of fields) {
    const field = copy.fields[name] as { value: unknown; confidence: number };
    field.value = Array.isArray(field.value) ? [] : null;
    field.confidence = 0;
  }
  return copy;
}

/** One vendor's curve: the first invoice taught, learned from and applied to the rest. */
export async function learningCurve(group: VendorGroup, teaching: Teaching = 'corrections'): Promise<VendorCurve> {
  const [first, ...rest] = group.invoices as [ReadInvoice, ...ReadInvoice[]];
  const store = memoryKnowledgeStore();
  const corrections = clerkCorrections(first, teaching);
  // Beyond the clerk's corrections, the taught fields count as missed, so each one is learned.
  const extraction =
    teaching === 'corrections'
      ? first.extraction
      : blanked(
          first.extraction,
          Object.keys(corrections).map((k) => CORRECTED_FIELD[k]!),
        );
  await store.save(
    patternsFromCorrections({
      decisionId: `${first.invoice.name}:review`,
      invoiceId: first.invoice.name,
      corrections,
      extraction,
      pages: first.pages,
    }),
  );
  const knowledge = createVendorKnowledge(store);
  const before: RealFieldScore[][] = [];
  const after: RealFieldScore[][] = [];
  const misses: string[] = [];
  const broken: string[] = [];
  for (const read of rest) {
    const text = teaching === 'learned alone' ? blanked(read.extraction, REAL_FIELDS) : read.extraction;
    const learned = await knowledge.apply({ extraction: text, pages: read.pages });
    const [was, now] = [
      scoreRealHeader(text, read.truth, read.pageText),
      scoreRealHeader(learned, read.truth, read.pageText),
    ];
    before.push(was);
    after.push(now);
    now.forEach((s, i) => {
      if (!s.counted || s.ok) return;
      const line = `${read.invoice.name} ${s.field}: expected ${s.expected}, read ${s.actual ?? '—'} (${s.confidence.toFixed(2)}${learned.fields[s.field].provenance?.source === 'learned' ? ', learned' : ''})`;
      misses.push(line);
      if (was[i]!.ok) broken.push(line);
    });
  }
  return {
    family: group.family,
    vendor: group.vendor,
    taught: first.invoice.name,
    corrections: Object.keys(corrections).length,
    patterns: store.rows.length,
    rest: rest.length,
    before: tally(before),
    after: tally(after),
    misses,
    broken,
  };
}

export interface CurveSummary {
  family: RealFamily | 'all';
  vendors: number;
  corrections: number;
  patterns: number;
  rest: number;
  before: Tally;
  after: Tally;
}

export function summariseCurves(curves: VendorCurve[]): CurveSummary[] {
  const sum = (family: CurveSummary['family'], own: VendorCurve[]): CurveSummary => {
    const add = (pick: (c: VendorCurve) => Tally): Tally => ({
      shown: own.reduce((n, c) => n + pick(c).shown, 0),
      exact: own.reduce((n, c) => n + pick(c).exact, 0),
      wrongConfident: own.reduce((n, c) => n + pick(c).wrongConfident, 0),
    });
    return {
      family,
      vendors: own.length,
      corrections: own.reduce((n, c) => n + c.corrections, 0),
      patterns: own.reduce((n, c) => n + c.patterns, 0),
      rest: own.reduce((n, c) => n + c.rest, 0),
      before: add((c) => c.before),
      after: add((c) => c.after),
    };
  };
  return [
    ...REAL_FAMILIES.map((f) =>
      sum(
        f,
        curves.filter((c) => c.family === f),
      ),
    ),
    sum('all', curves),
  ];
}

const pct = (t: Tally) => (t.shown ? `${((100 * t.exact) / t.shown).toFixed(1)}%` : '-');
const figures = (t: Tally) => `${t.exact}/${t.shown} ${pct(t)}`.padEnd(17);

export function formatCurves(curves: VendorCurve[]): string {
  const rows = [
    `${'family'.padEnd(22)} ${'vendors'.padStart(7)} ${'corr.'.padStart(5)} ${'learned'.padStart(7)} ${'read'.padStart(4)}  ${'exact before'.padEnd(17)} ${'exact after'.padEnd(17)} wrong ≥ ${AUTO_APPROVE} before/after`,
  ];
  for (const s of summariseCurves(curves)) {
    rows.push(
      `${s.family.padEnd(22)} ${String(s.vendors).padStart(7)} ${String(s.corrections).padStart(5)} ${String(s.patterns).padStart(7)} ${String(s.rest).padStart(4)}  ${figures(s.before)} ${figures(s.after)} ${s.before.wrongConfident}/${s.after.wrongConfident}`,
    );
  }
  return rows.join('\n');
}

export function formatVendorCurves(curves: VendorCurve[]): string {
  return curves
    .map(
      (c) =>
        `${c.family} / ${c.vendor}: taught by ${c.taught.slice(c.family.length + 2)} (${c.corrections} corrections, ${c.patterns} patterns); ` +
        `${c.rest} more: ${figures(c.before).trim()} → ${figures(c.after).trim()}, wrong ≥ ${AUTO_APPROVE} ${c.before.wrongConfident}/${c.after.wrongConfident}`,
    )
    .join('\n');
}
