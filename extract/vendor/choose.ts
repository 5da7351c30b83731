// The vendor: the name the evidence of the issuing party points to (extract/vendor/evidence.ts), weighed
// with the layout reading (a seller label, or the letterhead's largest name). The customer's names are never
// candidates; a title, stamp, caption or column head is no name. When two names both have evidence, the
// confidence says the vendor is disputed.
import type { Picked } from '../header.js';
import type { PageText, TextSegment } from '../pdf-text.js';
import { domainCarries, gatherEvidence, type Evidence } from './evidence.js';
import { isName, nameKey, withoutHonorific } from './names.js';
import { DISPUTED_CONFIDENCE, LEGAL_FORM, LEGAL_FORM_ONLY, RIVAL_SCORE, WEIGHTS, type EvidenceKind } from './words.js';

/** Starts the note on a vendor whose evidence names another party too; nothing may raise its confidence. */
export const DISPUTED_VENDOR = 'Disputed:';
/** Starts the note on a vendor whose block goes on with a line that may finish the name; nothing may raise it either. */
export const MAY_CONTINUE = 'Cut short?';
const MAY_CONTINUE_CONFIDENCE = 0.9;

export interface VendorCandidate {
  name: string;
  key: string;
  evidence: Evidence[];
  kinds: Set<EvidenceKind>;
  score: number;
}

/** Each evidence kind's weight, 0..1, combined as independent evidence: 1 − Π(1 − w). */
export type VendorWeights = Record<EvidenceKind, number>;

export interface VendorCandidates {
  /** The names with evidence other than a domain, best first. */
  ranked: VendorCandidate[];
  /** The layout reading as evidence; null when it is no name or the customer's. */
  fromLayout: Evidence | null;
  isCustomer: (key: string) => boolean;
}

/**
 * Every name the evidence on the pages and `layout` (the reading by labels and letterhead, header.ts) point
 * to, each with its evidence kinds and score. `customer`: segments already known to be the customer's (bill-to
 * blocks, parties.ts). Fitting the weights (testkit/vendor-fit.ts) reads the same candidates.
 */
export function vendorCandidates(
  pages: PageText[],
  layout: Picked,
  customer: Set<TextSegment>,
  weights: VendorWeights = WEIGHTS,
): VendorCandidates {
  const found = gatherEvidence(pages, customer);
  const fromLayout = layoutEvidence(layout);
  const all = fromLayout ? [...found.vendor, fromLayout] : found.vendor;
  const isCustomer = (key: string) => found.customerNames.has(key);
  const candidates = new Map<string, VendorCandidate>();
  const eligible = (key: string) => key.length >= 2 && !isCustomer(key);
  const start = (key: string, evidence: Evidence) =>
    candidates.set(key, { name: evidence.name, key, evidence: [evidence], kinds: new Set(), score: 0 });
  for (const evidence of all) {
    const key = nameKey(evidence.name);
    if (!eligible(key)) continue;
    const known = [...candidates.values()].find((c) => sameName(c.key, key));
    if (known) known.evidence.push(evidence);
    else start(key, evidence);
  }
  // a name a domain spells, at the top of page 1, that nothing else names: a candidate of its own
  for (const evidence of found.spelled) {
    const key = nameKey(evidence.name);
    if (eligible(key) && !candidates.has(key)) start(key, evidence);
  }
  for (const candidate of candidates.values()) {
    const domain = found.domains.find((d) => domainCarries(d.domain, candidate.name));
    if (domain)
      candidate.evidence.push({
        kind: 'domain',
        name: candidate.name,
        provenance: domain.provenance,
        why: `the domain ${domain.domain}`,
      });
    candidate.name = fullestPrinting(candidate.evidence, weights);
    candidate.kinds = new Set(candidate.evidence.map((e) => e.kind));
    candidate.score = noisyOr(candidate.kinds, weights);
  }
  const ranked = [...candidates.values()]
    .filter((c) => c.evidence.some((e) => e.kind !== 'domain'))
    .sort((a, b) => b.score - a.score);
  return { ranked, fromLayout, isCustomer };
}

/** Independent evidence combined: 1 − Π(1 − w). */
export const noisyOr = (kinds: Iterable<EvidenceKind>, weights: VendorWeights) =>
  1 - [...kinds].reduce((rest, kind) => rest * (1 - weights[kind]), 1);

/**
 * The vendor from the evidence on the pages and `layout`, the reading by labels and letterhead (header.ts).
 * `customer`: segments already known to be the customer's (bill-to blocks, parties.ts).
 */
export function chooseVendor(
  pages: PageText[],
  layout: Picked,
  customer: Set<TextSegment>,
  weights: VendorWeights = WEIGHTS,
): Picked {
  return withAmpersand(withoutTitle(weighEvidence(pages, layout, customer, weights)));
}

function withoutTitle(picked: Picked): Picked {
  const value = picked.value && withoutHonorific(picked.value);
  if (!value || value === picked.value) return picked;
  return {
    ...picked,
    value,
    notes: [...picked.notes, `"${picked.value}" without the courtesy title before the name.`],
  };
}

// OCR reads a name's "&" as "€" ("Midwest Rack € Shelving, Inc."): no name carries a currency sign
const EURO_FOR_AMPERSAND = /(?<=\S) € (?=\S)/gu;
function withAmpersand(picked: Picked): Picked {
  const value = picked.value?.replace(EURO_FOR_AMPERSAND, ' & ');
  if (!value || value === picked.value) return picked;
  return {
    ...picked,
    value,
    notes: [
      ...picked.notes,
      'A "€" between the words of the name is its "&" misread: no name carries a currency sign.',
    ],
  };
}

function weighEvidence(pages: PageText[], layout: Picked, customer: Set<TextSegment>, weights: VendorWeights): Picked {
  const { ranked, fromLayout, isCustomer } = vendorCandidates(pages, layout, customer, weights);
  const [best, rival] = ranked;
  // the layout's name is also the customer's (printed beside "Customer" on a payment advice): never the vendor
  const rejected = layout.value !== null && (!fromLayout || isCustomer(nameKey(fromLayout.name)));
  if (!best) {
    if (!rejected) return layout;
    return {
      value: null,
      confidence: 0,
      notes: [
        `"${layout.value}" is no vendor name (${whyRejected(layout.value!, isCustomer)}), and nothing else on the invoice names the issuing party.`,
      ],
    };
  }
  // the layout reading alone, agreeing with nothing else: it stands as it was read
  if (best.evidence.every((e) => e === fromLayout) && !rival) return layout;
  const byLayout = fromLayout && best.evidence.includes(fromLayout);
  const first = best.evidence.find((e) => e.kind !== 'domain')!;
  const notes = [`The issuing party by ${[...new Set(best.evidence.map((e) => e.why))].join('; ')}.`];
  if (rejected) notes.push(`"${layout.value}" is no vendor name (${whyRejected(layout.value!, isCustomer)}).`);
  let confidence = best.kinds.size >= 2 ? Math.min(0.97, 0.6 + 0.4 * best.score) : Math.min(0.9, best.score + 0.05);
  if (byLayout) confidence = Math.max(confidence, layout.confidence);
  if (rival && rival.score >= RIVAL_SCORE) {
    confidence = Math.min(confidence, DISPUTED_CONFIDENCE);
    notes.unshift(
      `${DISPUTED_VENDOR} "${rival.name}" is named by ${[...new Set(rival.evidence.map((e) => e.why))].join('; ')}.`,
    );
  }
  const continuedBy = best.evidence.find((e) => e.continuedBy && e.name === best.name)?.continuedBy;
  if (continuedBy) {
    confidence = Math.min(confidence, MAY_CONTINUE_CONFIDENCE);
    notes.push(`${MAY_CONTINUE} the line under it, "${continuedBy}", may be the rest of the name.`);
  }
  const provenance = byLayout && layout.provenance ? layout.provenance : first.provenance;
  return { value: best.name, confidence, provenance, notes: byLayout ? [...layout.notes, ...notes] : notes };
}

/** The layout reading as evidence, or null when what it read is no name or the customer's. */
function layoutEvidence(layout: Picked): Evidence | null {
  if (layout.value === null || !layout.provenance) return null;
  let name = layout.value;
  // "Lieferant GmbH" read as the label "Lieferant" and the value "GmbH": the label's word is part of the name
  if (LEGAL_FORM_ONLY.test(name) && layout.provenance.label) name = `${layout.provenance.label} ${name}`;
  if (!isName(name)) return null;
  const labelled = layout.notes.some((n) => n.startsWith('Next to the label')) && name === layout.value;
  const kind: EvidenceKind = labelled ? 'sellerLabel' : layout.confidence >= 0.85 ? 'letterhead' : 'letterheadWeak';
  return {
    kind,
    name,
    provenance: layout.provenance,
    why: labelled ? `the label "${layout.provenance.label}"` : 'the letterhead',
  };
}

function whyRejected(value: string, isCustomer: (key: string) => boolean): string {
  if (isCustomer(nameKey(value))) return "it is the customer's name";
  if (LEGAL_FORM_ONLY.test(value)) return 'a legal form alone';
  return 'a title, caption, stamp, column head or other text that is not a name';
}

/** One name printed twice: the same letters, or one with a legal form the other leaves off. */
const sameName = (a: string, b: string) => a === b; // keys leave legal forms, case and punctuation off

/** Of a name's printings, the one from the strongest evidence; of equals, a printing with a legal form. */
function fullestPrinting(evidence: Evidence[], weights: VendorWeights): string {
  const named = evidence.filter((e) => e.kind !== 'domain');
  const sorted = [...named].sort(
    (a, b) => weights[b.kind] - weights[a.kind] || Number(LEGAL_FORM.test(b.name)) - Number(LEGAL_FORM.test(a.name)),
  );
  return sorted[0]!.name;
}
