// PO numbers as printed vs as Plex stores them: normalisation (case, spaces, dashes, "PO#"/"P.O."/"PO-"
// prefixes), OCR confusions (O/0, I/l/1, S/5, B/8), the spellings worth asking Plex for, and which Plex PO
// a printed number means — accepted only when exactly one PO fits at the best level.
import type { PurchaseOrderSummary } from '../domain/plex.js';
import { isSameSupplierName } from '../domain/supplier-name.js';

export type PoNumberFit = 'exact' | 'normalised' | 'ocr';
const FIT_ORDER: readonly PoNumberFit[] = ['exact', 'normalised', 'ocr'];

const SEPARATORS = /[\s\-–—_./\\:#]+/g;
// "PO", "P.O.", "PONO", "PURCHASEORDER…" in front of a digit, after separators are gone.
const PREFIX = /^(?:PURCHASEORDER|PO)(?:NUMBER|NO|NR)?(?=\d)/;

/** Upper case, separators removed, "PO#"-style prefixes stripped (repeatedly, so it is idempotent). */
export function normalisePoNumber(raw: string): string {
  let text = raw.normalize('NFKC').toUpperCase().replace(SEPARATORS, '');
  for (let before = ''; before !== text;) {
    before = text;
    text = text.replace(PREFIX, '');
  }
  return text;
}

const OCR_DIGIT: Record<string, string> = { O: '0', I: '1', L: '1', S: '5', B: '8' };

/**
 * The normalised number with every OCR-confusable letter read as its digit: "0624B6" → "062486". A "P0"
 * in front of a digit is a misread "PO" prefix and goes too.
 */
export function ocrKey(raw: string): string {
  let text = normalisePoNumber(raw).replace(/[OILSB]/g, (c) => OCR_DIGIT[c]!);
  for (let before = ''; before !== text;) {
    before = text;
    text = text.replace(/^P0(?=\d)/, '');
  }
  return text;
}

/** The letters/digits an OCR engine swaps, both ways (used by tests and the variants below). */
export const OCR_CONFUSIONS: Readonly<Record<string, readonly string[]>> = {
  '0': ['O'],
  O: ['0'],
  '1': ['I', 'l'],
  I: ['1', 'l'],
  l: ['1', 'I'],
  '5': ['S'],
  S: ['5'],
  '8': ['B'],
  B: ['8'],
};

/** How a Plex PO number fits a printed one, or null when it does not. */
export function poNumberFit(printed: string, plexPoNumber: string): PoNumberFit | null {
  if (printed.trim() === plexPoNumber.trim()) return 'exact';
  const a = normalisePoNumber(printed);
  if (!a) return null;
  if (a === normalisePoNumber(plexPoNumber)) return 'normalised';
  return ocrKey(printed) === ocrKey(plexPoNumber) ? 'ocr' : null;
}

/**
 * The spellings to look up in Plex (its filter is exact), most literal first: as printed, without the
 * prefix, compact, and with OCR letters read as digits. Plex POs are usually zero-padded digits.
 */
export function poLookupVariants(printed: string): string[] {
  const trimmed = printed.trim();
  const withoutPrefix = trimmed.replace(
    /^(?:P\.?\s*O\.?|purchase\s+order)\s*(?:#|no\.?|nr\.?|number)?[\s:#-]*(?=\d)/i,
    '',
  );
  const variants = [trimmed, withoutPrefix, normalisePoNumber(trimmed), ocrKey(trimmed)];
  return [...new Set(variants.filter((v) => v.length > 0))];
}

export interface PoNumberResolution<T> {
  fit: PoNumberFit;
  /** Every PO that fits at that level; the number is resolved only when there is exactly one. */
  purchaseOrders: T[];
}

/** The POs that fit the printed number at the best level any of them reaches. */
export function resolvePoNumber<T extends { id: string; poNumber: string }>(
  printed: string,
  found: readonly T[],
): PoNumberResolution<T> | null {
  const unique = [...new Map(found.map((po) => [po.id, po])).values()];
  for (const fit of FIT_ORDER) {
    const fitting = unique.filter((po) => poNumberFit(printed, po.poNumber) === fit);
    if (fitting.length) return { fit, purchaseOrders: fitting };
  }
  return null;
}

/** The numbers to try, in order: the clerk's correction, then each printed one, deduplicated. */
export function poNumbersToTry(
  clerkPoNumber: string | null,
  printed: readonly string[],
): { value: string; source: 'clerk' | 'invoice' }[] {
  const seen = new Set<string>();
  const list: { value: string; source: 'clerk' | 'invoice' }[] = [];
  const add = (value: string | null | undefined, source: 'clerk' | 'invoice') => {
    const v = value?.trim();
    if (v && !seen.has(v)) {
      seen.add(v);
      list.push({ value: v, source });
    }
  };
  add(clerkPoNumber, 'clerk');
  for (const p of printed) add(p, 'invoice');
  return list;
}

/**
 * A PO number printed with inner spaces ("062 486") reaches us as two tokens; adjacent tokens joined are
 * tried only when no single one is found.
 */
export function joinedNeighbours(printed: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i + 1 < printed.length; i++) joined.push(`${printed[i]}${printed[i + 1]}`);
  return joined;
}

export interface PoLookup {
  printed: string;
  source: 'clerk' | 'invoice' | 'joined';
  found: PurchaseOrderSummary[];
}

export type PoResolution =
  | {
      kind: 'resolved';
      printed: string;
      source: PoLookup['source'];
      fit: PoNumberFit;
      purchaseOrder: PurchaseOrderSummary;
      bySupplier: boolean;
    }
  | { kind: 'ambiguous'; purchaseOrders: { purchaseOrder: PurchaseOrderSummary; printed: string; fit: PoNumberFit }[] }
  | { kind: 'none' };

/**
 * Which PO the invoice means. The clerk's number wins when it fits exactly one PO. Otherwise every printed
 * number is resolved at its best level and the fitting POs pooled: one PO → resolved; several → narrowed
 * to the vendor's own POs (by supplier name), and still several → ambiguous.
 */
export function resolvePoLookups(lookups: readonly PoLookup[], vendorName: string | null): PoResolution {
  const pooled = (group: readonly PoLookup[]) => {
    const pool = new Map<string, { purchaseOrder: PurchaseOrderSummary; printed: string; fit: PoNumberFit }>();
    for (const lookup of group) {
      const resolution = resolvePoNumber(lookup.printed, lookup.found);
      for (const po of resolution?.purchaseOrders ?? []) {
        if (!pool.has(po.id)) pool.set(po.id, { purchaseOrder: po, printed: lookup.printed, fit: resolution!.fit });
      }
    }
    return [...pool.values()];
  };
  const decide = (group: readonly PoLookup[]): PoResolution | null => {
    const pool = pooled(group);
    if (pool.length === 0) return null;
    const own =
      pool.length > 1 && vendorName
        ? pool.filter((p) => isSameSupplierName(vendorName, p.purchaseOrder.supplierName))
        : pool;
    if (own.length === 1) {
      const [only] = own;
      const source = group.find((l) => l.printed === only!.printed)!.source;
      return {
        kind: 'resolved',
        printed: only!.printed,
        source,
        fit: only!.fit,
        purchaseOrder: only!.purchaseOrder,
        bySupplier: pool.length > 1,
      };
    }
    return { kind: 'ambiguous', purchaseOrders: own.length > 1 ? own : pool };
  };
  const clerk = decide(lookups.filter((l) => l.source === 'clerk'));
  if (clerk?.kind === 'resolved') return clerk;
  return (
    decide(lookups.filter((l) => l.source === 'invoice')) ??
    decide(lookups.filter((l) => l.source === 'joined')) ??
    clerk ?? { kind: 'none' }
  );
}
