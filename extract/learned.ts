// Learning from clerks' corrections, pure logic (the store lives in db/vendor-knowledge.ts):
// - who the vendor is (tax id, e-mail domain, normalised name, a fingerprint of the page's static words),
// - learnPattern(): where a corrected value was printed (the label before it, or its region) and its shape,
// - applyPatterns(): on the next invoice of that vendor, read the field there first (source "learned").
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HEADER_FIELD_NAMES, type Extraction, type HeaderFieldName, type HeaderFields, type Provenance } from '../domain/extraction.js';
import { normaliseSupplierName, normaliseTaxId } from '../domain/supplier-name.js';
import { locateValue, valueKind, type Located } from './locate.js';
import { currenciesIn, parseAmount, parseDate, parsePoNumbers } from './normalize.js';
import type { PageText, TextLine, TextSegment } from './pdf-text.js';
import { recomputeConfidence, resolveMissingWarning } from './merge.js';

/** The correction keys a clerk may send, and the extraction field each one corrects. */
export const CORRECTED_FIELD: Record<string, HeaderFieldName> = {
  invoiceNumber: 'invoiceNumber', invoiceDate: 'invoiceDate', dueDate: 'dueDate', vendorName: 'vendorName',
  total: 'total', amountDue: 'amountDue', tax: 'tax', subtotal: 'subtotal', currency: 'currency', poNumber: 'poNumbers',
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

export const VendorPattern = z.object({
  field: z.enum(HEADER_FIELD_NAMES as [HeaderFieldName, ...HeaderFieldName[]]),
  /** The value the clerk entered, and what had been extracted instead. */
  value: z.string(),
  wrongValue: z.string().nullable(),
  /** Where the right value was printed; null when it is not on the page (then only `constant` applies). */
  page: z.number().int().min(1).nullable(),
  /** The value's box as fractions of the page (0..1, origin bottom-left), so page sizes may differ. */
  region: Region.nullable(),
  /** The text before the value: the label on its left, above it, or in front of it in the same cell. */
  label: z.string().nullable(),
  relation: z.enum(['inline', 'right', 'below']).nullable(),
  /** A regular expression the value's spelling follows ("VCH-\d{4,6}"); null for dates and amounts. */
  shape: z.string().nullable(),
  dateOrder: z.enum(['MDY', 'DMY']).nullable(),
  /** Vendor name and currency that are not printed as such: the vendor's constant. */
  constant: z.boolean(),
});
export type VendorPattern = z.infer<typeof VendorPattern>;

export interface StoredPattern { pattern: VendorPattern; identity: VendorIdentity; decisionId: string; invoiceId: string }

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
export function learnPattern(input: { field: HeaderFieldName; value: string; extraction: Extraction; pages: PageText[] }): VendorPattern | null {
  const { field, value, extraction, pages } = input;
  const current = extraction.fields[field].value;
  const wrongValue = Array.isArray(current) ? (current[0] ?? null) : current;
  if (wrongValue === value) return null;
  const kind = valueKind(field);
  const shape = kind === 'code' || field === 'paymentTerms' ? shapeOf(value) : null;
  const base = { field, value, wrongValue, shape, constant: false, page: null, region: null, label: null, relation: null, dateOrder: null } as const;
  const located = locateValue(pages, field, value);
  if (!located) return field === 'vendorName' || field === 'currency' ? { ...base, constant: true } : { ...base };
  const page = pages.find((p) => p.page === located.page)!;
  const { label, relation } = labelBefore(page, located);
  return {
    ...base,
    page: located.page,
    region: { x: located.box.x / page.width, y: located.box.y / page.height, width: located.box.width / page.width, height: located.box.height / page.height },
    label,
    relation,
    dateOrder: located.dateOrder ?? null,
  };
}

const normaliseLabel = (text: string) => text.toLowerCase().replace(/[\s:#.]+$/u, '').replace(/\s+/g, ' ').trim();

function labelBefore(page: PageText, at: Located): { label: string | null; relation: VendorPattern['relation'] } {
  const inline = at.segment.text.slice(0, at.start).trim();
  if (/\p{L}{2}/u.test(inline)) return { label: normaliseLabel(inline), relation: 'inline' };
  const left = at.line.segments[at.segmentIndex - 1];
  if (left && /\p{L}{2}/u.test(left.text) && !/\d{3}/.test(left.text)) return { label: normaliseLabel(left.text), relation: 'right' };
  const above = page.lines.slice(0, at.lineIndex).reverse().find((line) => overlapping(line, at.segment) !== undefined);
  const cell = above && overlapping(above, at.segment);
  if (cell && at.segment.box.y + at.segment.box.height + 3 * at.segment.box.height > cell.box.y && /\p{L}{2}/u.test(cell.text)) {
    return { label: normaliseLabel(cell.text), relation: 'below' };
  }
  return { label: null, relation: null };
}

const overlapping = (line: TextLine, segment: TextSegment) =>
  line.segments.find((s) => s.box.x < segment.box.x + segment.box.width + 5 && s.box.x + s.box.width > segment.box.x - 5);

export interface AppliedReading { value: string; confidence: number; provenance?: Provenance; note: string }

/** The field read the way the pattern says, or null when this invoice does not show it there. */
export function readWithPattern(pattern: VendorPattern, pages: PageText[]): AppliedReading | null {
  const learnedFrom = `Learned from a clerk's correction (was "${pattern.wrongValue ?? 'not found'}", corrected to "${pattern.value}")`;
  if (pattern.constant) return { value: pattern.value, confidence: 0.9, note: `${learnedFrom}: this vendor's ${pattern.field} is not printed as such.` };
  if (pattern.page === null) return null;
  const page = pages.find((p) => p.page === pattern.page) ?? pages[0];
  if (!page) return null;
  if (pattern.label && pattern.relation) {
    const found = byLabel(page, pattern);
    if (found) {
      const parsed = parseAs(pattern, found.text);
      if (parsed) {
        const shaped = fits(pattern.shape, parsed);
        return {
          value: parsed,
          confidence: shaped ? 0.96 : 0.75,
          provenance: { page: page.page, box: found.segment.box, source: 'learned', label: pattern.label },
          note: `${learnedFrom}: next to "${pattern.label}"${shaped ? '' : ', but the value looks different'}.`,
        };
      }
    }
  }
  if (!pattern.region) return null;
  const r = pattern.region;
  const [cx, cy] = [(r.x + r.width / 2) * page.width, (r.y + r.height / 2) * page.height];
  const segment = page.lines.flatMap((l) => l.segments).find((s) => cx >= s.box.x - 4 && cx <= s.box.x + s.box.width + 4 && cy >= s.box.y - 4 && cy <= s.box.y + s.box.height + 4);
  const parsed = segment && parseAs(pattern, segment.text);
  // A region alone is weak evidence: only a value of the learned shape is taken from it.
  if (!segment || !parsed || pattern.shape === null || !fits(pattern.shape, parsed)) return null;
  return { value: parsed, confidence: 0.85, provenance: { page: page.page, box: segment.box, source: 'learned' }, note: `${learnedFrom}: at the same place on the page.` };
}

function byLabel(page: PageText, pattern: VendorPattern): { text: string; segment: TextSegment } | null {
  const label = pattern.label!;
  for (const [lineIndex, line] of page.lines.entries()) {
    for (const [segmentIndex, segment] of line.segments.entries()) {
      const text = segment.text.toLowerCase().replace(/\s+/g, ' ');
      if (!text.startsWith(label)) continue;
      if (pattern.relation === 'inline') {
        const rest = segment.text.slice(label.length).replace(/^[\s:#.]+/, '');
        if (rest) return { text: rest, segment };
      } else if (normaliseLabel(segment.text) === label) {
        if (pattern.relation === 'right') {
          const next = line.segments[segmentIndex + 1];
          if (next) return { text: next.text, segment: next };
        } else {
          const below = page.lines.slice(lineIndex + 1, lineIndex + 4).map((l) => overlapping(l, segment)).find(Boolean);
          if (below) return { text: below.text, segment: below };
        }
      }
    }
  }
  return null;
}

/** The printed text as the field's canonical value, the pattern's shape choosing among several tokens. */
function parseAs(pattern: VendorPattern, text: string): string | null {
  switch (valueKind(pattern.field)) {
    case 'date':
      return parseDate(text, pattern.dateOrder ?? 'MDY')?.value ?? null;
    case 'amount':
      return parseAmount(text)?.value ?? null;
    case 'code': {
      const tokens = pattern.field === 'poNumbers' ? parsePoNumbers(text) : text.split(/\s+/).map((t) => t.replace(/^[#:]+|[,;:.]+$/g, ''));
      return tokens.find((t) => fits(pattern.shape, t)) ?? tokens.find((t) => /\d/.test(t)) ?? null;
    }
    default:
      if (pattern.field === 'currency') return currenciesIn(text)[0]?.code ?? null;
      return text.trim() || null;
  }
}

/** The extraction with what was learned about this vendor applied first, field by field. */
export function applyPatterns(extraction: Extraction, pages: PageText[], patterns: VendorPattern[]): Extraction {
  const fields = structuredClone(extraction.fields) as HeaderFields;
  let warnings = [...extraction.warnings];
  const done = new Set<HeaderFieldName>();
  for (const pattern of patterns) {
    if (done.has(pattern.field)) continue; // the newest pattern for a field wins (callers pass newest first)
    const reading = readWithPattern(pattern, pages);
    if (!reading) continue;
    done.add(pattern.field);
    const field = fields[pattern.field] as { value: string | string[] | null; confidence: number; provenance?: Provenance; notes: string[]; alternatives?: unknown[] };
    const current = Array.isArray(field.value) ? field.value : field.value === null ? [] : [field.value];
    if (current.includes(reading.value)) {
      field.confidence = Math.max(field.confidence, reading.confidence);
      field.notes.push(`${reading.note} The text reading agrees.`);
      continue;
    }
    if (field.value !== null) {
      field.alternatives = [...(field.alternatives ?? []), { value: field.value, source: field.provenance?.source ?? 'text', confidence: field.confidence, ...(field.provenance ? { provenance: field.provenance } : {}) }];
    }
    field.value = pattern.field === 'poNumbers' ? [reading.value, ...current] : reading.value;
    field.confidence = reading.confidence;
    field.provenance = reading.provenance ?? { page: 1, source: 'learned' };
    field.notes.push(reading.note);
    warnings = resolveMissingWarning(warnings, pattern.field);
  }
  if (done.size === 0) return extraction;
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
      return applyPatterns(extraction, pages, stored.map((s) => s.pattern));
    },
  };
}

/** The patterns a review decision's corrections teach (pure); the caller stores them. */
export function patternsFromCorrections(input: {
  decisionId: string;
  invoiceId: string;
  corrections: Record<string, string>;
  extraction: Extraction;
  pages: PageText[];
}): StoredPattern[] {
  const identity = vendorIdentity(input.extraction, input.pages, input.corrections.vendorName);
  if (!identity.taxId && !identity.emailDomain && !identity.nameKey && !identity.layout) return [];
  return Object.entries(input.corrections).flatMap(([key, value]) => {
    const field = CORRECTED_FIELD[key];
    const pattern = field && learnPattern({ field, value, extraction: input.extraction, pages: input.pages });
    return pattern ? [{ pattern, identity, decisionId: input.decisionId, invoiceId: input.invoiceId }] : [];
  });
}
