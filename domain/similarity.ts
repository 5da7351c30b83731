// Text similarity for names and line descriptions: Dice coefficients over character trigrams and over
// word sets, both symmetric and in 0..1. Callers normalise first (supplier.ts, three-way.ts).

function trigrams(text: string): Map<string, number> {
  const padded = `  ${text} `;
  const grams = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const gram = padded.slice(i, i + 3);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

/** Dice over trigram multisets: 2·|A∩B| / (|A|+|B|). */
export function trigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  const x = trigrams(a);
  const y = trigrams(b);
  let shared = 0;
  let size = 0;
  for (const [gram, n] of x) {
    shared += Math.min(n, y.get(gram) ?? 0);
    size += n;
  }
  for (const n of y.values()) size += n;
  return (2 * shared) / size;
}

/** Dice over word sets; word order does not matter ("Steel Great Lakes" = "Great Lakes Steel"). */
export function tokenSimilarity(a: string, b: string): number {
  const x = new Set(a.split(' ').filter(Boolean));
  const y = new Set(b.split(' ').filter(Boolean));
  if (x.size === 0 || y.size === 0) return a === b ? 1 : 0;
  let shared = 0;
  for (const word of x) if (y.has(word)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** The better of the two, so both spelling slips and reordered words score high. */
export function textSimilarity(a: string, b: string): number {
  return Math.max(trigramSimilarity(a, b), tokenSimilarity(a, b));
}

/** Lower case, accents folded, '&' as "and", punctuation as spaces, dots inside abbreviations dropped. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.'’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
