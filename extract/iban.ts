// Finding the IBANs printed on an invoice's pages; what counts as an IBAN is domain/iban.ts.
import { compactIban, isValidIban } from '../domain/iban.js';
import type { PageText } from './pdf-text.js';

/** Every valid IBAN in a piece of text, compact, in reading order, each once. */
export function findIbans(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    // "IBAN:DE89…" glued to its label, and separators between groups, come apart into tokens.
    const tokens = line
      .replace(/IBAN\s*[:.]?/gi, ' ')
      .split(/[\s,;|·]+/)
      .map((t) => t.replace(/[.:)]+$/, ''))
      .filter(Boolean);
    for (let start = 0; start < tokens.length; start++) {
      if (!/^[A-Z]{2}\d{2}/i.test(tokens[start]!)) continue;
      // the longest run of tokens from here that is a valid IBAN ("DE89 3704 0044 0532 0130 00 BIC …")
      let best: { iban: string; end: number } | null = null;
      let joined = '';
      for (let end = start; end < tokens.length && joined.length <= 34; end++) {
        joined = compactIban(joined + tokens[end]!);
        if (isValidIban(joined)) best = { iban: joined, end };
      }
      if (best) {
        if (!found.includes(best.iban)) found.push(best.iban);
        start = best.end;
      }
    }
  }
  return found;
}

/** The IBANs printed anywhere on the document's pages. */
export function scanIbans(pages: readonly PageText[]): string[] {
  return [
    ...new Set(
      pages.flatMap((page) =>
        findIbans(page.lines.map((line) => line.segments.map((s) => s.text).join(' ')).join('\n')),
      ),
    ),
  ];
}
