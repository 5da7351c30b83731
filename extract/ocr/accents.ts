// A second reading of names in the document's own language. Read with all its languages, English first,
// tesseract keeps to the first language's letters where a word reads well enough in them: "Müller
// Präzisionsteile" came out "Muller Prazisionsteile" on a German scan. The words that may carry the language's
// accents, where a company's name stands (the letterhead, the address blocks, the footer), are read again
// with the document's language alone, and a word takes the new reading only when that adds accents to the
// same letters: it never changes a letter.
import { withoutAccents } from '../normalize.js';
import type { OcrWord } from './engine.js';
import type { OcrLanguage } from './languages.js';
import type { PreparedImage } from './preprocess.js';
import { readCuts, type Cut } from './reread.js';

// The letters each language puts accents on; a word without one has nothing to gain.
const ACCENTABLE: Partial<Record<OcrLanguage, RegExp>> = {
  deu: /[aous]/i,
  fra: /[aeiouyc]/i,
  nld: /[aeiou]/i,
  spa: /[aeioun]/i,
};
// Names stand in the upper part of a page (letterhead, address window, seller block) and in its footer.
const UPPER = 0.5;
const FOOTER = 0.2;
// Words read again at most, a page: a name's words, not the page again.
const MAX_WORDS = 60;
const PAD_X = 3;
// the accent above a capital reaches this share of the word's height over its box
const PAD_TOP = 0.35;

/** Letters without their accents, "ß" as "ss": two readings that differ only in accents compare equal. */
const bare = (text: string) => withoutAccents(text).replace(/ß/g, 'ss');
const accents = (text: string) =>
  text.normalize('NFD').length - withoutAccents(text).length + (text.match(/ß/g)?.length ?? 0);

/** Whether `after` is `before` with accents added and no letter changed ("Muller" → "Müller", "Strasse" → "Straße"). */
export const addsAccents = (before: string, after: string) =>
  bare(after) === bare(before) && accents(after) > accents(before);

/** The words worth a second reading in `language`: capitalised, three letters or more, where names stand. */
export function wordsToAccent(words: OcrWord[], language: OcrLanguage, pageHeight: number): OcrWord[] {
  const accentable = ACCENTABLE[language];
  if (!accentable) return [];
  return words
    .filter((word) => {
      const middle = (word.box.y0 + word.box.y1) / 2;
      const where = middle < UPPER * pageHeight || middle > (1 - FOOTER) * pageHeight;
      return (
        where && /^\P{L}*\p{Lu}/u.test(word.text) && /\p{L}{3}/u.test(word.text) && accentable.test(bare(word.text))
      );
    })
    .slice(0, MAX_WORDS);
}

/**
 * `words` with the accents a reading in `language` alone finds (see the head of this file); the same array
 * when there is nothing to read again or nothing changes.
 */
export async function withAccents(
  prepared: PreparedImage,
  words: OcrWord[],
  language: OcrLanguage,
  recognize: (png: Uint8Array) => Promise<OcrWord[]>,
): Promise<OcrWord[]> {
  const chosen = wordsToAccent(words, language, prepared.height);
  if (!chosen.length) return words;
  const cuts = new Map<Cut, OcrWord>();
  for (const word of chosen) {
    const { x0, y0, x1, y1 } = word.box;
    const cut: Cut = {
      x0: Math.max(0, Math.floor(x0 - PAD_X)),
      x1: Math.min(prepared.width, Math.ceil(x1 + PAD_X)),
      y0: Math.max(0, Math.floor(y0 - PAD_TOP * (y1 - y0))),
      y1: Math.min(prepared.height, Math.ceil(y1 + 1)),
    };
    cuts.set(cut, word);
  }
  const found = await readCuts(prepared, [...cuts.keys()], recognize);
  const readings = new Map<OcrWord, string[]>();
  for (const { word, cut } of found) {
    const original = cuts.get(cut)!;
    readings.set(original, [...(readings.get(original) ?? []), word.text]);
  }
  let changed = false;
  const mended = words.map((word) => {
    const reading = readings.get(word);
    // one word read in the cut, the same letters, more accents
    const text = reading?.length === 1 ? reading[0]! : null;
    if (text === null || !addsAccents(word.text, text)) return word;
    changed = true;
    return { ...word, text };
  });
  return changed ? mended : words;
}
