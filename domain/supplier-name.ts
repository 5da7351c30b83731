// Are two supplier names the same company? Similarity that ignores legal forms (Inc, LLC, GmbH, Co.…),
// case, accents and punctuation; tax ids compared without their separators.
import { normaliseText, textSimilarity } from './similarity.js';

/** Names at or above this similarity are taken to be the same supplier. */
export const SAME_SUPPLIER_THRESHOLD = 0.8;

const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'se',
  'sa',
  'sas',
  'sarl',
  'bv',
  'nv',
  'sl',
  'spa',
  'srl',
  'plc',
  'llp',
  'lp',
  'pty',
  'ab',
  'oy',
  'as',
  'aps',
  'kft',
  'sro',
  'slu',
  'vof',
  'ek',
  'the',
]);

/** "llc", "gmbh", "the"…: words that say what kind of company, not which (lower case, without dots: "e.K." is "ek"). */
export const isLegalForm = (word: string): boolean => LEGAL_FORMS.has(word);

/** "ACME Fasteners, Inc." → "acme fasteners"; a name made only of legal forms keeps them. */
export function normaliseSupplierName(name: string): string {
  const words = normaliseText(name).split(' ').filter(Boolean);
  // A trailing "& Co. KG" goes with its "and"; legal forms elsewhere ("The …") go alone.
  let end = words.length;
  while (end > 0 && (LEGAL_FORMS.has(words[end - 1]!) || words[end - 1] === 'and')) end--;
  const kept = words.slice(0, end).filter((word) => !LEGAL_FORMS.has(word));
  return (kept.length ? kept : words).join(' ');
}

/** 0..1, symmetric; 0 when either name is missing. */
export function supplierSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  if (!a?.trim() || !b?.trim()) return 0;
  return textSimilarity(normaliseSupplierName(a), normaliseSupplierName(b));
}

export function isSameSupplierName(a: string | null | undefined, b: string | null | undefined): boolean {
  return supplierSimilarity(a, b) >= SAME_SUPPLIER_THRESHOLD;
}

/** Tax ids compared without spaces, dots, dashes or case ("DE 811 234 567" = "de811234567"). */
export function normaliseTaxId(id: string | null | undefined): string | null {
  const compact = (id ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length >= 4 ? compact : null;
}
