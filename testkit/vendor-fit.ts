// The vendor evidence weights fitted on data (issue: "fit the weights on data rather than by hand, and check
// that it generalises the way a new vendor will test it"). Each name the vendor reader weighs on an invoice
// (extract/vendor/choose.ts) is one sample: its evidence kinds, and whether it is the invoice's seller. The
// weights are the noisy-OR model's maximum-likelihood fit (P(issuer) = 1 − Π(1 − w) over the kinds present,
// as the reader combines them), with a small pull towards w = 0.5 so that a kind seen rarely stays moderate.
// Data: the real development corpus (its three families) and a seeded generated corpus. Rotation: fit on two
// families plus the generated corpus, measure the vendor read on the third, for each family in turn.
// Shared by `npm run fit:vendor` (bench/vendor-weights.ts) and test/extract/vendor-weights.test.ts.
import { createExtractor } from '../extract/index.js';
import { vendorInputs } from '../extract/heuristics.js';
import type { Picked } from '../extract/header.js';
import type { PageText, TextSegment } from '../extract/pdf-text.js';
import { chooseVendor, vendorCandidates, type VendorWeights } from '../extract/vendor/choose.js';
import { PRIOR_WEIGHTS, type EvidenceKind } from '../extract/vendor/words.js';
import { generateCorpus } from './corpus.js';
import {
  loadRealCorpus,
  pageTextOf,
  REAL_FAMILIES,
  sameValue,
  shownOnPage,
  truthOf,
  type RealFamily,
} from './real-corpus.js';

export const EVIDENCE_KINDS = Object.keys(PRIOR_WEIGHTS) as EvidenceKind[];
/** The generated corpus the weights are fitted on besides the real families (not the seed the corpus test scores). */
export const GENERATED = { seed: 2027, count: 120 } as const;
export type Source = RealFamily | 'generated';

/** One invoice, read up to the vendor choice. */
export interface VendorCase {
  name: string;
  source: Source;
  /** The seller's name as the truth gives it. */
  truth: string;
  pages: PageText[];
  layout: Picked;
  customer: Set<TextSegment>;
}

/** One name weighed on one invoice: its evidence kinds, and whether it is the seller. */
export interface VendorSample {
  source: Source;
  kinds: EvidenceKind[];
  issuer: boolean;
}

/** The invoices whose seller the page shows, real (each family) and generated, read up to the vendor choice. */
export async function readVendorCases(): Promise<VendorCase[]> {
  const extractor = createExtractor({ einvoice: false, ocr: null, isolate: false });
  const cases: VendorCase[] = [];
  const add = (name: string, source: Source, truth: string | null, pages: PageText[]) => {
    if (truth === null || !shownOnPage('vendorName', truth, pageTextOf(pages))) return;
    cases.push({ name, source, truth, pages, ...vendorInputs(pages) });
  };
  for (const invoice of loadRealCorpus()) {
    const pages = await extractor.readPages({
      bytes: invoice.pdf,
      mimeType: 'application/pdf',
      fileName: `${invoice.name}.pdf`,
    });
    add(invoice.name, invoice.family, (await truthOf(invoice)).fields.vendorName.value, pages);
  }
  for (const invoice of await generateCorpus(GENERATED)) {
    const pages = await extractor.readPages({
      bytes: invoice.pdf,
      mimeType: 'application/pdf',
      fileName: `${invoice.name}.pdf`,
    });
    add(invoice.name, 'generated', invoice.truth.vendorName, pages);
  }
  await extractor.close?.();
  return cases;
}

/** Every name weighed on each invoice, with whether it is the seller (by any of its printings). */
export function samplesOf(cases: VendorCase[]): VendorSample[] {
  return cases.flatMap((c) =>
    vendorCandidates(c.pages, c.layout, c.customer).ranked.map((candidate) => ({
      source: c.source,
      kinds: [...candidate.kinds],
      issuer: candidate.evidence.some((e) => sameValue('vendorName', c.truth, e.name)),
    })),
  );
}

export interface FitOptions {
  iterations?: number;
  rate?: number;
  prior?: number;
}

/**
 * The noisy-OR weights that make the samples most likely (maximum a posteriori): gradient ascent on the
 * log-likelihood over each kind's log-odds, starting from and pulled towards the weights set by hand
 * (`PRIOR_WEIGHTS`, strength `prior`), so a kind the data never shows keeps its prior. Each source (a real
 * family, the generated corpus) counts as much as any other, however many names it gives: a hundred drawn
 * invoices do not outvote a real family. Deterministic; weights rounded to two decimals, as the reader keeps them.
 */
export function fitWeights(
  samples: VendorSample[],
  { iterations = 4000, rate = 2, prior = 0.05 }: FitOptions = {},
): VendorWeights {
  const logit = (p: number) => Math.log(p / (1 - p));
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const centre = new Map<EvidenceKind, number>(EVIDENCE_KINDS.map((k) => [k, logit(PRIOR_WEIGHTS[k])]));
  const theta = new Map(centre);
  const sources = new Map<Source, number>();
  for (const s of samples) sources.set(s.source, (sources.get(s.source) ?? 0) + 1);
  const weightOf = (s: VendorSample) => 1 / (sources.size * sources.get(s.source)!);
  for (let step = 0; step < iterations; step++) {
    const gradient = new Map<EvidenceKind, number>(
      EVIDENCE_KINDS.map((k) => [k, -prior * (theta.get(k)! - centre.get(k)!)]),
    );
    for (const sample of samples) {
      const w = sample.kinds.map((k) => sigmoid(theta.get(k)!));
      const q = Math.max(
        1e-9,
        w.reduce((rest, wk) => rest * (1 - wk), 1),
      );
      const p = Math.max(1e-9, 1 - q);
      // d log L / d θk = (y·q/p − (1 − y))·wk
      const factor = (sample.issuer ? q / p : -1) * weightOf(sample);
      sample.kinds.forEach((k, i) => gradient.set(k, gradient.get(k)! + factor * w[i]!));
    }
    for (const k of EVIDENCE_KINDS) theta.set(k, theta.get(k)! + rate * gradient.get(k)!);
  }
  return Object.fromEntries(
    EVIDENCE_KINDS.map((k) => [k, Math.round(sigmoid(theta.get(k)!) * 100) / 100]),
  ) as VendorWeights;
}

export interface VendorScore {
  invoices: number;
  right: number;
  wrongConfident: number;
}

/** The vendor each invoice reads with `weights`: right, and wrong at confidence ≥ 0.95. */
export function scoreVendor(cases: VendorCase[], weights: VendorWeights): VendorScore {
  const score: VendorScore = { invoices: cases.length, right: 0, wrongConfident: 0 };
  for (const c of cases) {
    const read = chooseVendor(c.pages, c.layout, c.customer, weights);
    if (read.value !== null && sameValue('vendorName', c.truth, read.value)) score.right++;
    else if (read.value !== null && read.confidence >= 0.95) score.wrongConfident++;
  }
  return score;
}

export interface Rotation {
  heldOut: RealFamily;
  trainedOn: number;
  weights: VendorWeights;
  fitted: VendorScore;
  byHand: VendorScore;
}

/** For each family in turn: fit on the other two and the generated corpus, score the held-out family with those weights and with the hand-set ones. */
export function rotate(cases: VendorCase[], options?: FitOptions): Rotation[] {
  return REAL_FAMILIES.map((heldOut) => {
    const training = samplesOf(cases.filter((c) => c.source !== heldOut));
    const weights = fitWeights(training, options);
    const test = cases.filter((c) => c.source === heldOut);
    return {
      heldOut,
      trainedOn: training.length,
      weights,
      fitted: scoreVendor(test, weights),
      byHand: scoreVendor(test, PRIOR_WEIGHTS),
    };
  });
}

const pct = (s: VendorScore) => `${s.right}/${s.invoices} (${((100 * s.right) / Math.max(1, s.invoices)).toFixed(1)}%)`;

export function formatRotations(rotations: Rotation[]): string {
  const rows = rotations.map(
    (r) =>
      `| ${r.heldOut} | ${r.trainedOn} | ${pct(r.byHand)} | ${r.byHand.wrongConfident} | ${pct(r.fitted)} | ${r.fitted.wrongConfident} |`,
  );
  return [
    '| held-out family | names trained on | vendor, hand weights | wrong ≥ 0.95 | vendor, fitted weights | wrong ≥ 0.95 |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function formatWeights(columns: Array<[string, VendorWeights]>): string {
  const head = `| evidence | ${columns.map(([name]) => name).join(' | ')} |`;
  const rows = EVIDENCE_KINDS.map((k) => `| ${k} | ${columns.map(([, w]) => w[k].toFixed(2)).join(' | ')} |`);
  return [head, `|---|${columns.map(() => '---|').join('')}`, ...rows].join('\n');
}

/** How many samples carry each kind, and how many of those are the seller. */
export function kindCounts(samples: VendorSample[]): Record<EvidenceKind, { samples: number; issuer: number }> {
  return Object.fromEntries(
    EVIDENCE_KINDS.map((k) => {
      const with_ = samples.filter((s) => s.kinds.includes(k));
      return [k, { samples: with_.length, issuer: with_.filter((s) => s.issuer).length }];
    }),
  ) as Record<EvidenceKind, { samples: number; issuer: number }>;
}
