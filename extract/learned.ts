// Learning from clerks' corrections, pure logic (the store lives in db/vendor-knowledge.ts):
// - who the vendor is (tax id, e-mail domain, normalised name, a fingerprint of the page's static words),
// - learnPattern(): where a corrected value was printed (the label before it, or its region; every place when
//   it was printed more than once) and its shape,
// - applyPatterns(): on the next invoice of that vendor, read the field there first (source "learned").
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  HEADER_FIELD_NAMES,
  type Extraction,
  type HeaderFieldName,
  type HeaderFields,
  type PickedBox,
  type Provenance,
} from '../domain/extraction.js';
import { isSameSupplierName, normaliseSupplierName, normaliseTaxId } from '../domain/supplier-name.js';
import { locateAll, locateValue, valueKind, type Located } from './locate.js';
import { currenciesIn, parseAmount, parseDate, parsePoNumbers } from './normalize.js';
import type { PageText, TextLine, TextSegment } from './pdf-text.js';
import { recomputeConfidence, resolveMissingWarning } from './merge.js';
import { isAmountField, settleLearnedAmounts, type AmountField } from './learned-amounts.js';
import { wordsIn } from './words.js';

/** The correction keys a clerk may send, and the extraction field each one corrects. */
export const CORRECTED_FIELD: Record<string, HeaderFieldName> = {
  invoiceNumber: 'invoiceNumber',
  invoiceDate: 'invoiceDate',
  dueDate: 'dueDate',
  vendorName: 'vendorName',
  total: 'total',
  amountDue: 'amountDue',
  tax: 'tax',
  subtotal: 'subtotal',
  currency: 'currency',
  poNumber: 'poNumbers',
};

export const VendorIdentity = z.object({
  taxId: z.string().nullable(),
  emailDomain: z.string().nullable(),
  nameKey: z.string().nullable(),
  /** Hash of the digit-free words in the top half of page 1 and their rounded positions. */
  layout: z.string().nullable(),
});
export type VendorIdentity = z.infer<typeof VendorIdentity>;

const Region = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const Relation = z.enum(['inline', 'right', 'below']);
const Place = z.object({
  page: z.number().int().min(1),
  region: Region,
  label: z.string().nullable(),
  relation: Relation.nullable(),
});
type Place = z.infer<typeof Place>;

export const VendorPattern = z.object({
  field: z.enum(HEADER_FIELD_NAMES as [HeaderFieldName, ...HeaderFieldName[]]),
  /** The value the clerk entered, and what had been extracted instead. */
  value: z.string(),
  wrongValue: z.string().nullable(),
  /** Where the right value was printed; null when it is not on the page (then only `constant` applies). */
  page: z.number().int().min(1).nullable(),
  /** The value's box as fractions of the page (0..1, origin bottom-left), so page sizes may differ. */
  region: Region.nullable(),
  /**
   * The text before the value: the label on its left, above it, or in front of it in the same cell; words
   * with digits in it are "#" ("Nr. 471102 vom" → "nr. # vom"), so no value of the taught invoice is in it.
   */
  label: z.string().nullable(),
  relation: Relation.nullable(),
  /**
   * The other places the same value was printed on the taught invoice ("37,62" under the VAT table's
   * "Steuerbetrag" and beside "Steuerbetrag in EUR"): which one the clerk meant is unknown, so the next
   * invoice decides: the places agree, or the one that agrees with the text reading is taken.
   */
  elsewhere: z.array(Place).default([]),
  /** A regular expression the value's spelling follows ("VCH-\d{4,6}"); null for dates and amounts. */
  shape: z.string().nullable(),
  dateOrder: z.enum(['MDY', 'DMY']).nullable(),
  /** Vendor name and currency that are not printed as such: the vendor's constant. */
  constant: z.boolean(),
});
export type VendorPattern = z.infer<typeof VendorPattern>;

export interface StoredPattern {
  pattern: VendorPattern;
  identity: VendorIdentity;
  decisionId: string;
  invoiceId: string;
}

const EMAIL = /[A-Z0-9._%+-]+@([A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,})/i;

export function vendorIdentity(extraction: Extraction, pages: PageText[], correctedName?: string): VendorIdentity {
  const f = extraction.fields;
  const firstPage = pages[0];
  const printedEmail = firstPage?.lines.map((l) => EMAIL.exec(l.text)?.[1]).find(Boolean);
  const emailDomain = (f.vendorEmailDomain?.value ?? printedEmail ?? null)?.toLowerCase() ?? null;
  // The name as read identifies the next invoice, which will be read the same way; the clerk's if none was read.
  const name = f.vendorName.value ?? correctedName ?? null;
  return {
    taxId: normaliseTaxId(f.vendorTaxId.value),
    emailDomain,
    nameKey: name ? normaliseSupplierName(name) || null : null,
    layout: firstPage ? layoutFingerprint(firstPage) : null,
  };
}

/** Letterhead, labels and headings: the words that stay put from one invoice of a vendor to the next. */
export function layoutFingerprint(page: PageText): string | null {
  const words = page.lines
    .filter((line) => line.baseline > page.height / 2)
    .flatMap((line) => line.segments)
    .filter((s) => !/\d/.test(s.text) && /\p{L}{2}/u.test(s.text))
    .map((s) => `${s.text.toLowerCase()}@${Math.round(s.box.x / 10)},${Math.round(s.box.y / 10)}`)
    .sort();
  if (words.length < 3) return null;
  return createHash('sha256').update(words.join('\n')).digest('hex').slice(0, 32);
}

/** Whether a stored pattern's vendor is this one: a differing tax id or e-mail domain says no. */
export function sameVendor(a: VendorIdentity, b: VendorIdentity): boolean {
  if (a.taxId && b.taxId) return a.taxId === b.taxId;
  if (a.emailDomain && b.emailDomain) return a.emailDomain === b.emailDomain;
  return Boolean((a.nameKey && a.nameKey === b.nameKey) || (a.layout && a.layout === b.layout));
}

/** "VCH-20417" → "[A-Z]{3}-\d{4,6}": letters and digit runs by length (digits may grow), the rest literal. */
export function shapeOf(value: string): string {
  return value.replace(/\p{L}+|\d+|[^\p{L}\d]/gu, (run) => {
    if (/^\p{L}/u.test(run)) return `\\p{L}{${run.length}}`;
    if (/^\d/.test(run)) return `\\d{${Math.max(1, run.length - 1)},${run.length + 2}}`;
    return run.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replace(/ /g, '\\s?');
  });
}

const fits = (shape: string | null, value: string) => shape === null || new RegExp(`^(?:${shape})$`, 'u').test(value);

/** What the clerk's correction teaches: where the right value is printed, or null when it was not wrong. */
export function learnPattern(input: {
  field: HeaderFieldName;
  value: string;
  extraction: Extraction;
  pages: PageText[];
  picked?: PickedBox;
}): VendorPattern | null {
  const { field, value, extraction, pages, picked } = input;
  const current = extraction.fields[field].value;
  const wrongValue = Array.isArray(current) ? (current[0] ?? null) : current;
  if (wrongValue === value) return null;
  const kind = valueKind(field);
  const shape = kind === 'code' || field === 'paymentTerms' ? shapeOf(value) : null;
  const base = {
    field,
    value,
    wrongValue,
    shape,
    constant: false,
    page: null,
    region: null,
    label: null,
    relation: null,
    dateOrder: null,
  } as const;
  // Picked off the document by the clerk: that place, not a search for the value (which finds a value printed
  // twice in either place); the words there give the label, and nothing is "elsewhere".
  if (picked) {
    const place = pickedPlace(pages, field, value, picked);
    if (place) return { ...base, ...place.place, elsewhere: [], dateOrder: place.dateOrder };
  }
  const located = locateValue(pages, field, value);
  if (!located) return { ...base, elsewhere: [], constant: field === 'vendorName' || field === 'currency' };
  const primary = placeOf(pages, located);
  const key = (p: Place) =>
    `${p.label ?? `@${p.page}:${p.region.x.toFixed(2)},${p.region.y.toFixed(2)}`}|${p.relation}`;
  const elsewhere = locateAll(pages, field, value)
    .map((at) => placeOf(pages, at))
    .filter((p, i, all) => key(p) !== key(primary) && all.findIndex((q) => key(q) === key(p)) === i)
    .slice(0, MAX_PLACES - 1);
  return { ...base, ...primary, elsewhere, dateOrder: located.dateOrder ?? null };
}

/**
 * The place of a value the clerk picked: the label before the first word in the box (as for a found value),
 * the box as the region. Null when the page was not read (learning then searches as before).
 */
function pickedPlace(
  pages: PageText[],
  field: HeaderFieldName,
  value: string,
  picked: PickedBox,
): { place: Place; dateOrder: VendorPattern['dateOrder'] } | null {
  const page = pages.find((p) => p.page === picked.page);
  if (!page || page.width <= 0 || page.height <= 0) return null;
  const { box } = picked;
  const region = {
    x: box.x / page.width,
    y: box.y / page.height,
    width: box.width / page.width,
    height: box.height / page.height,
  };
  const words = wordsIn(page, box);
  const first = words[0];
  if (!first) return { place: { page: page.page, region, label: null, relation: null }, dateOrder: null };
  const sameSegment = words.filter((w) => w.segment === first.segment);
  const at: Located = {
    page: page.page,
    box,
    line: first.line,
    lineIndex: first.lineIndex,
    segment: first.segment,
    segmentIndex: first.segmentIndex,
    start: first.start,
    end: sameSegment.at(-1)!.end,
  };
  const text = words.map((w) => w.text).join(' ');
  const dateOrder =
    valueKind(field) === 'date'
      ? ((['MDY', 'DMY'] as const).find((o) => parseDate(text, o)?.value === value) ?? null)
      : null;
  return { place: { ...placeOf(pages, at), region }, dateOrder };
}

/** Places kept per pattern: a value printed more often than this is no evidence of where it belongs anyway. */
const MAX_PLACES = 6;

function placeOf(pages: PageText[], located: Located): Place {
  const page = pages.find((p) => p.page === located.page)!;
  const { label, relation } = labelBefore(page, located);
  return {
    page: located.page,
    region: {
      x: located.box.x / page.width,
      y: located.box.y / page.height,
      width: located.box.width / page.width,
      height: located.box.height / page.height,
    },
    label,
    relation,
  };
}

const normaliseLabel = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\s:#.]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();

/** A label as kept and compared: normalised, each word with a digit in it a wildcard "#". */
export function labelKey(text: string): string {
  return normaliseLabel(text)
    .split(' ')
    .map((word) => (/\d/.test(word) ? '#' : word))
    .join(' ');
}

function labelBefore(page: PageText, at: Located): { label: string | null; relation: VendorPattern['relation'] } {
  const inline = at.segment.text.slice(0, at.start).trim();
  if (/\p{L}{2}/u.test(inline)) return { label: labelKey(inline), relation: 'inline' };
  const left = at.line.segments[at.segmentIndex - 1];
  if (left && /\p{L}{2}/u.test(left.text) && !/\d{3}/.test(left.text))
    return { label: labelKey(left.text), relation: 'right' };
  const above = page.lines
    .slice(0, at.lineIndex)
    .reverse()
    .find((line) => overlapping(line, at.segment) !== undefined);
  const cell = above && overlapping(above, at.segment);
  if (
    cell &&
    at.segment.box.y + at.segment.box.height + 3 * at.segment.box.height > cell.box.y &&
    /\p{L}{2}/u.test(cell.text)
  ) {
    return { label: labelKey(cell.text), relation: 'below' };
  }
  return { label: null, relation: null };
}

const overlapping = (line: TextLine, segment: TextSegment) =>
  line.segments.find(
    (s) => s.box.x < segment.box.x + segment.box.width + 5 && s.box.x + s.box.width > segment.box.x - 5,
  );

export interface AppliedReading {
  value: string;
  confidence: number;
  provenance?: Provenance;
  note: string;
  /** The values read at the learned places when they disagree, first the one taken. */
  disagreeing?: Array<{ value: string; provenance: Provenance }>;
}

/**
 * The field read the way the pattern says, or null when this invoice does not show it there. `current` is
 * what the text reading found; it decides between the places of a value the taught invoice printed twice.
 */
export function readWithPattern(
  pattern: VendorPattern,
  pages: PageText[],
  current: readonly string[] = [],
): AppliedReading | null {
  const learnedFrom = `Learned from a clerk's correction (was "${pattern.wrongValue ?? 'not found'}", corrected to "${pattern.value}")`;
  if (pattern.constant)
    return {
      value: pattern.value,
      confidence: 0.9,
      note: `${learnedFrom}: this vendor's ${pattern.field} is not printed as such.`,
    };
  if (pattern.page === null || pattern.region === null) return null;
  const places: Place[] = [
    { page: pattern.page, region: pattern.region, label: pattern.label, relation: pattern.relation },
    ...pattern.elsewhere,
  ];
  const all = places.map((place) => readAt(pattern, place, pages)).filter((r): r is Reading => r !== null);
  // Where a learned label still leads to a value, a place known only by its position has nothing to add.
  const readings = all.some((r) => r.label) ? all.filter((r) => r.label) : all;
  if (!readings.length && pattern.field === 'vendorName') readings.push(...printedName(pattern.value, pages));
  const [first] = readings;
  if (!first) return null;
  const values = new Set(readings.map((r) => r.value));
  const reading = (at: Reading, confidence: number, why: string): AppliedReading => ({
    value: at.value,
    confidence,
    note: `${learnedFrom}: ${at.where}${why}.`,
    provenance: { page: at.page, box: at.segment.box, source: 'learned', ...(at.label ? { label: at.label } : {}) },
  });
  if (values.size === 1) return reading(first, first.confidence, '');
  // The taught invoice printed the value in several places and this one prints different values there: the
  // place that agrees with the text reading is the likelier one, but neither is sure enough to skip a clerk.
  const agreeing = readings.find((r) => current.includes(r.value));
  const why = `; the places it was printed on the taught invoice disagree here (${[...values].join(', ')})`;
  const taken = agreeing
    ? reading(agreeing, Math.min(agreeing.confidence, 0.9), `${why}, this one agrees with the text reading`)
    : reading(first, Math.min(first.confidence, 0.7), why);
  const others = readings.filter(
    (r, i) => r.value !== taken.value && readings.findIndex((q) => q.value === r.value) === i,
  );
  return {
    ...taken,
    disagreeing: [
      { value: taken.value, provenance: taken.provenance! },
      ...others.map((r) => ({ value: r.value, provenance: reading(r, 0, '').provenance! })),
    ],
  };
}

interface Reading {
  value: string;
  confidence: number;
  page: number;
  segment: TextSegment;
  label: string | null;
  where: string;
}

function readAt(pattern: VendorPattern, place: Place, pages: PageText[]): Reading | null {
  if (place.label && place.relation) {
    const found = byLabel(pages, place);
    const parsed = found && parseAs(pattern, found.text);
    if (found && parsed && (pattern.field !== 'vendorName' || isSameSupplierName(parsed, pattern.value))) {
      const shaped = fits(pattern.shape, parsed);
      return {
        value: parsed,
        confidence: shaped ? 0.96 : 0.75,
        page: found.page,
        segment: found.segment,
        label: place.label,
        where: `next to "${place.label}"${shaped ? '' : ', but the value looks different'}`,
      };
    }
  }
  const page = pages.find((p) => p.page === place.page);
  if (!page) return null;
  const r = place.region;
  const [cx, cy] = [(r.x + r.width / 2) * page.width, (r.y + r.height / 2) * page.height];
  const segment = page.lines
    .flatMap((l) => l.segments)
    .find(
      (s) =>
        cx >= s.box.x - 4 && cx <= s.box.x + s.box.width + 4 && cy >= s.box.y - 4 && cy <= s.box.y + s.box.height + 4,
    );
  const parsed = segment && parseAs(pattern, segment.text);
  if (!segment || !parsed) return null;
  // A region alone is weak evidence: a code of the learned shape is taken from it; an amount or a date, which
  // have no shape, only as a guess for the clerk (a layout's unlabelled totals row, say); nothing else.
  const kind = valueKind(pattern.field);
  if (pattern.shape === null && (kind === 'amount' || kind === 'date'))
    return {
      value: parsed,
      confidence: 0.7,
      page: page.page,
      segment,
      label: null,
      where: 'at the same place on the page',
    };
  if (pattern.shape === null || !fits(pattern.shape, parsed)) return null;
  return {
    value: parsed,
    confidence: 0.85,
    page: page.page,
    segment,
    label: null,
    where: 'at the same place on the page',
  };
}

/**
 * A vendor's name is the vendor's own: where its label no longer leads to it (the block gained a line, the
 * layout changed), the learned name printed anywhere on the page is still this vendor's name.
 */
function printedName(name: string, pages: PageText[]): Reading[] {
  const at = locateValue(pages, 'vendorName', name);
  if (!at) return [];
  const whole = at.start === 0 && at.end === at.segment.text.trim().length;
  return [
    {
      value: at.segment.text.slice(at.start, at.end),
      confidence: whole ? 0.96 : 0.85,
      page: at.page,
      segment: at.segment,
      label: null,
      where: 'printed as it was corrected',
    },
  ];
}

/**
 * The value beside the place's label. The label may stand more than once (a column head and a totals row)
 * and may have moved (more line items push the totals down, even onto another page): the occurrence nearest
 * the learned place wins.
 */
function byLabel(pages: PageText[], place: Place): { text: string; segment: TextSegment; page: number } | null {
  const label = labelKey(place.label!);
  let best: { text: string; segment: TextSegment; page: number; distance: number } | null = null;
  for (const page of pages) {
    const [px, py] = [
      (place.region.x + place.region.width / 2) * page.width,
      (place.region.y + place.region.height / 2) * page.height,
    ];
    page.lines.forEach((line, lineIndex) =>
      line.segments.forEach((_, segmentIndex) => {
        const found = valueBeside(page, lineIndex, segmentIndex, label, place.relation!);
        if (!found) return;
        const box = found.segment.box;
        const distance =
          Math.abs(page.page - place.page) * 10 * page.height +
          Math.hypot(box.x + box.width / 2 - px, box.y + box.height / 2 - py);
        if (!best || distance < best.distance) best = { ...found, page: page.page, distance };
      }),
    );
  }
  return best;
}

function valueBeside(
  page: PageText,
  lineIndex: number,
  segmentIndex: number,
  label: string,
  relation: Place['relation'] & string,
): { text: string; segment: TextSegment } | null {
  const line = page.lines[lineIndex]!;
  const segment = line.segments[segmentIndex]!;
  if (relation === 'inline') {
    const rest = afterLabel(segment.text, label);
    return rest ? { text: rest, segment } : null;
  }
  if (labelKey(segment.text) !== label) return null;
  if (relation === 'right') {
    const next = line.segments[segmentIndex + 1];
    return next ? { text: next.text, segment: next } : null;
  }
  const below = page.lines
    .slice(lineIndex + 1, lineIndex + 4)
    .map((l) => overlapping(l, segment))
    .find(Boolean);
  return below ? { text: below.text, segment: below } : null;
}

/** The text after a label at the start of a cell, the label's "#" standing for any word with a digit. */
function afterLabel(text: string, label: string): string | null {
  for (const word of text.matchAll(/\S+/g)) {
    const end = word.index + word[0].length;
    const key = labelKey(text.slice(0, end));
    if (key === label) return text.slice(end).replace(/^[\s:#.]+/, '') || null;
    if (key.length > label.length + 2) break;
  }
  // A label glued to its value ("Nr.471102"): the label's own spelling at the start.
  const glued = label.includes('#')
    ? null
    : text.toLowerCase().replace(/\s+/g, ' ').startsWith(label) && text.slice(label.length).replace(/^[\s:#.]+/, '');
  return glued || null;
}

/** The printed text as the field's canonical value, the pattern's shape choosing among several tokens. */
function parseAs(pattern: VendorPattern, text: string): string | null {
  switch (valueKind(pattern.field)) {
    case 'date':
      return parseDate(text, pattern.dateOrder ?? 'MDY')?.value ?? null;
    case 'amount':
      return parseAmount(text)?.value ?? null;
    case 'code': {
      const tokens =
        pattern.field === 'poNumbers'
          ? parsePoNumbers(text)
          : text.split(/\s+/).map((t) => t.replace(/^[#:]+|[,;:.]+$/g, ''));
      return tokens.find((t) => fits(pattern.shape, t)) ?? tokens.find((t) => /\d/.test(t)) ?? null;
    }
    default:
      if (pattern.field === 'currency') return currenciesIn(text)[0]?.code ?? null;
      return text.trim() || null;
  }
}

/** The extraction with what was learned about this vendor applied first, field by field. */
export function applyPatterns(extraction: Extraction, pages: PageText[], patterns: VendorPattern[]): Extraction {
  const fields = structuredClone<HeaderFields>(extraction.fields);
  let warnings = [...extraction.warnings];
  const done = new Set<HeaderFieldName>();
  const inDoubt = new Map<AmountField, NonNullable<AppliedReading['disagreeing']>>();
  for (const pattern of patterns) {
    if (done.has(pattern.field)) continue; // the newest pattern for a field wins (callers pass newest first)
    const field = fields[pattern.field] as {
      value: string | string[] | null;
      confidence: number;
      provenance?: Provenance;
      notes: string[];
      alternatives?: unknown[];
    };
    const current = Array.isArray(field.value) ? field.value : field.value === null ? [] : [field.value];
    const reading = readWithPattern(pattern, pages, current);
    if (!reading) continue;
    done.add(pattern.field);
    if (reading.disagreeing && isAmountField(pattern.field)) inDoubt.set(pattern.field, reading.disagreeing);
    if (current.includes(reading.value)) {
      field.confidence = Math.max(field.confidence, reading.confidence);
      field.notes.push(`${reading.note} The text reading agrees.`);
      continue;
    }
    // A learned place that reads unsurely does not overrule a surer text reading (the clerk sees both); a
    // constant is the clerk's own spelling and always does.
    if (!pattern.constant && field.value !== null && reading.confidence < field.confidence) {
      field.notes.push(`${reading.note} It reads "${reading.value}"; the text reading is kept.`);
      continue;
    }
    if (field.value !== null) {
      field.alternatives = [
        ...(field.alternatives ?? []),
        {
          value: field.value,
          source: field.provenance?.source ?? 'text',
          confidence: field.confidence,
          ...(field.provenance ? { provenance: field.provenance } : {}),
        },
      ];
    }
    field.value = pattern.field === 'poNumbers' ? [reading.value, ...current] : reading.value;
    field.confidence = reading.confidence;
    field.provenance = reading.provenance ?? { page: 1, source: 'learned' };
    field.notes.push(reading.note);
    warnings = resolveMissingWarning(warnings, pattern.field);
  }
  if (done.size === 0) return extraction;
  if (inDoubt.size) settleLearnedAmounts(fields, inDoubt);
  return recomputeConfidence({ ...extraction, fields, warnings });
}

/** Where learned patterns are kept (Postgres in production, db/vendor-knowledge.ts). */
export interface KnowledgeStore {
  /** Patterns stored under any of these identity keys, newest first. */
  find(identity: VendorIdentity): Promise<StoredPattern[]>;
  /** Stores patterns; one per decision and field, so saving a decision twice adds nothing. Returns how many were new. */
  save(patterns: StoredPattern[]): Promise<number>;
}

/** Stage 4 of the extractor: what clerks taught us about this vendor, applied before the model is asked. */
export interface VendorKnowledge {
  apply(input: { extraction: Extraction; pages: PageText[] }): Promise<Extraction>;
}

export function createVendorKnowledge(store: KnowledgeStore): VendorKnowledge {
  return {
    async apply({ extraction, pages }) {
      const identity = vendorIdentity(extraction, pages);
      const stored = (await store.find(identity)).filter((s) => sameVendor(identity, s.identity));
      return applyPatterns(
        extraction,
        pages,
        stored.map((s) => s.pattern),
      );
    },
  };
}

/** The patterns a review decision's corrections teach (pure); the caller stores them. */
export function patternsFromCorrections(input: {
  decisionId: string;
  invoiceId: string;
  corrections: Record<string, string>;
  /** The boxes the clerk picked values from on the review page, by correction key. */
  picked?: Partial<Record<string, PickedBox>>;
  extraction: Extraction;
  pages: PageText[];
}): StoredPattern[] {
  const identity = vendorIdentity(input.extraction, input.pages, input.corrections.vendorName);
  if (!identity.taxId && !identity.emailDomain && !identity.nameKey && !identity.layout) return [];
  return Object.entries(input.corrections).flatMap(([key, value]) => {
    const field = CORRECTED_FIELD[key];
    const pattern =
      field &&
      learnPattern({ field, value, extraction: input.extraction, pages: input.pages, picked: input.picked?.[key] });
    return pattern ? [{ pattern, identity, decisionId: input.decisionId, invoiceId: input.invoiceId }] : [];
  });
}
