// Split glyph runs joined again. Some PDF producers place each glyph (or each few) themselves, and where
// the advance they used is wider than the font's own width by more than about a tenth of an em, pdf.js
// puts a space into the text it reports ("Br uttosumme", "Zahlbetr ag", "Liefer ant GmbH"). The text
// layer does not say how wide a gap was, so a real word space and a split look the same: the words decide.
// A run of two or three letter-only pieces is joined when, written together, it is made of the reader's
// own words (the label vocabulary, the party headings, the table's column heads) with every space inside
// one of those words: "Br uttosumme" is "brutto·summe" with the space inside "brutto", so it is joined;
// "Netto Betrag" is "netto·betrag" with the space between the two, so it stays as printed.
// A piece that is a short word of its own ("to", "de", "und") is never joined ("Net to pay" stays), nor a
// piece in title case after the first ("Unit Price"), nor pieces that are each a known word ("Unit price").
import * as labelVocabulary from './label-vocabulary.js';
import { withoutAccents } from './normalize.js';
import { COLUMN_WORDS } from './column-words.js';
import { BUYER_ROLE, LEGAL_FORM_ONLY, NAME_ROW, SELLER_ROLE } from './vendor/words.js';

/** The shortest word a joined run may be built from: shorter ones ("net", "tax", "nr") join too freely. */
const MIN_WORD = 4;
/** The most words one joined run may be made of ("gesamt·brutto·betrag"). */
const MAX_WORDS = 3;
/** The fewest letters of known words in a compound with unknown letters around them ("rechnungs"). */
const COMPOUND_KNOWN = 7;
/** The fewest known letters between a cut and unknown letters after it in a compound. */
const MARGIN = 3;
/** The most pieces joined into one word ("Rech nungs nummer"). */
const MAX_PIECES = 3;

/**
 * Short words that stand on their own in the languages read: a piece that is one is a word, not a split
 * ("Net to pay"). Single letters are not among them: "o hne" is a split, and a letter next to a word
 * rarely spells a known word with it ("à payer" stays).
 */
const SHORT_WORDS = new Set(
  (
    'al am an and at au aux by da das de del dem den der des di die du een el en et het il im in ' +
    'la las le les lo los of on op or per te the to um und van vom von zu zum zur'
  ).split(' '),
);

const fold = (text: string) => withoutAccents(text).toLowerCase();

/** The words a pattern or label is written with: a character class read as its first letter, the rest split at anything not a letter. */
function wordsOf(source: string): string[] {
  return fold(source.replace(/\[([^\]^\\])[^\]]*\]/g, '$1'))
    .split(/[^a-z]+/)
    .filter((w) => w.length >= MIN_WORD);
}

/** Every string inside a value of the vocabulary module (arrays, objects, sets, label groups), and regular expressions' sources. */
function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (value instanceof RegExp) into.push(value.source);
  else if (value instanceof Set || Array.isArray(value)) for (const v of value) stringsIn(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, into);
  return into;
}

export const KNOWN_WORDS: ReadonlySet<string> = new Set(
  stringsIn([labelVocabulary, COLUMN_WORDS, SELLER_ROLE, BUYER_ROLE, NAME_ROW]).flatMap(wordsOf),
);
const NONE: ReadonlySet<string> = new Set();
const LONGEST_WORD = Math.max(...[...KNOWN_WORDS].map((w) => w.length));

/**
 * Whether `word` (folded) reads as known words with every one of the `cuts` (offsets where a space was
 * printed) inside one of them, none between two: that is, whether the spaces split words the reader knows
 * rather than stand between words. Either the whole of it is one to MAX_WORDS known words, or it is a
 * compound whose known part (at least COMPOUND_KNOWN letters, holding every cut) has unknown letters before
 * or after it ("Handels·re chnung", "R echnungs·korrektur"), and at least MARGIN known letters between the
 * last cut and unknown ones after them: a short known word inside two unknown ones ("Rosa Lesser" holds
 * "sales") is no evidence, nor an inflected word that ends just past the space ("zuschlag·e inweg…").
 */
export function joinsAcrossWords(word: string, cuts: number[]): boolean {
  const length = word.length;
  const firstCut = Math.min(...cuts);
  const lastCut = Math.max(...cuts);
  // earliest[i][n]: the earliest start of n known words ending at i, with no boundary at a cut; a start is
  // 0 or, for a compound, any offset before the first cut
  const earliest = Array.from({ length: length + 1 }, () => new Array<number>(MAX_WORDS + 1).fill(Infinity));
  for (let start = 0; start < firstCut; start++) earliest[start]![0] = start;
  for (let start = 0; start < length; start++) {
    if (start > 0 && cuts.includes(start)) continue;
    const from = earliest[start]!;
    for (let n = 0; n < MAX_WORDS; n++) {
      if (from[n] === Infinity) continue;
      for (let end = start + MIN_WORD; end <= Math.min(length, start + LONGEST_WORD); end++) {
        if (end < length && cuts.includes(end)) continue;
        if (KNOWN_WORDS.has(word.slice(start, end))) earliest[end]![n + 1] = Math.min(earliest[end]![n + 1]!, from[n]!);
      }
    }
  }
  for (let end = lastCut + 1; end <= length; end++)
    for (let n = 1; n <= MAX_WORDS; n++) {
      const start = earliest[end]![n]!;
      if (start === Infinity) continue;
      if (start === 0 && end === length) return true;
      if (end - start < COMPOUND_KNOWN) continue;
      // unknown letters after the known part are held off the cuts by MARGIN letters: "Zuschlag Einweg…"
      // reads "zuschlage·inweg…" with the space one letter before the end of "zuschlage", and is no split
      if (end === length || end - lastCut >= MARGIN) return true;
    }
  return false;
}

/** A piece in title case ("Price" in "Unit Price", "Einweg…" in "Zuschlag Einweg…") begins a word: a split leaves the rest of a word in its own case. */
const STARTS_A_WORD = /^\p{Lu}\p{Ll}/u;
/** A capital after a small letter begins a word too ("Rapid MRO", even where the page prints "RAPIDMRO"). */
const ENDS_LOWER = /\p{Ll}$/u;
const STARTS_UPPER = /^\p{Lu}/u;

/** The letters of a piece without the punctuation around it ("ag:" → "ag"), or null when it holds anything else. */
function lettersOf(piece: string, first: boolean, last: boolean): string | null {
  const match = /^([("'„“]*)(\p{L}+)([.:,;)"'“”]*)$/u.exec(piece);
  if (!match) return null;
  if ((match[1] && !first) || (match[3] && !last)) return null;
  return fold(match[2]!);
}

/**
 * Letter-spaced text joined: where a producer sets character spacing (or places every glyph apart) wider than
 * about a tenth of an em, pdf.js reports a space between every two characters ("N a m e :", "R e c h n u n g
 * s n u m m e r : 4 7 1 1"). A segment holding three single letters in a row, or made of nothing but single
 * characters with a decimal mark or four digits among them (an amount, a date or a number cell: "1 . 2 3 4 ,
 * 5 6", ": B 1 2 3 4 5 6 7 8 9"), is read as such:
 * each run of single letters, and each run of single digits and marks, is one word. The spaces between its
 * words are lost with the rest ("Z a h l b a r b i s" becomes "Zahlbarbis"); labels match with or without
 * them, a number keeps its space from the words beside it, and a name stays run together as it was spaced.
 */
export function joinLetterSpaced(text: string): string {
  // a spaced abbreviation of two letters, each with its dot ("a . G .", "B . V ."), is one: a legal form
  text = text.replace(SPACED_ABBREVIATION, '$1.$2.');
  // a kerned pair of capitals next to spaced capitals ("FA C T U U R") is two more of them
  const tokens = text
    .split(' ')
    .flatMap((t, i, all) =>
      /^\p{Lu}{2}$/u.test(t) && [all[i - 1], all[i + 1]].some((n) => n !== undefined && /^\p{Lu}$/u.test(n))
        ? [...t]
        : [t],
    );
  const single = tokens.map((t) => /^[\p{L}\d.,/:;-]$/u.test(t));
  const spaced =
    /(?:^| )\p{L} \p{L} \p{L}(?= |$)/u.test(text) ||
    (tokens.length >= 4 &&
      single.every(Boolean) &&
      (tokens.some((t) => /[.,]/.test(t)) || tokens.filter((t) => /\d/.test(t)).length >= 4));
  if (!spaced) return text;
  const out: string[] = [];
  // the kind of word the last token was joined into: a run of letters, of digits and marks, or none
  let state: 'letter' | 'number' | null = null;
  const join = (token: string) => (out[out.length - 1] += token);
  tokens.forEach((token, i) => {
    const last = out[out.length - 1] ?? '';
    if (!single[i]) {
      out.push(token);
      state = null;
    } else if (/\p{L}/u.test(token)) {
      if (state === 'letter') join(token);
      else out.push(token);
      state = 'letter';
    } else if (/\d/.test(token)) {
      // capitals run into digits: an identifier's prefix ("R 1 8" is "R18"); a word does not ("v o m 0 3")
      if (state === 'number' || (state === 'letter' && /^\p{Lu}{1,4}[-/]?$/u.test(last))) join(token);
      else out.push(token);
      state = 'number';
    } else if (state !== null) {
      join(token);
      // "Nr." and "Name:" end with their mark; "Öko-Kontr-", "RE-" and "12," go on
      if (/[:;]/.test(token) || (token === '.' && state === 'letter')) state = null;
    } else {
      out.push(token);
    }
  });
  return out.join(' ');
}

const SPACED_ABBREVIATION = /(?<=^| )(\p{L}) \. (\p{L}) \.(?= |$)/gu;

/** The words of four letters or more a page prints (folded): a name printed whole elsewhere on it joins its split printing. */
export function wordsPrinted(texts: Iterable<string>): Set<string> {
  const words = new Set<string>();
  for (const text of texts)
    for (const piece of text.split(' ')) {
      const letters = lettersOf(piece, true, true);
      if (letters && letters.length >= MIN_WORD) words.add(letters);
    }
  return words;
}

/**
 * A text with its split glyph runs joined; unchanged when nothing in it reads as one. `printed` are the
 * words printed elsewhere on the page (wordsPrinted): a run that spells one of them whole is joined too
 * ("MUS TERLIEFERANT GMBH" where the footer prints "MUSTERLIEFERANT GMBH").
 */
export function joinSplitRuns(text: string, printed: ReadonlySet<string> = NONE): string {
  if (!text.includes(' ')) return text;
  const pieces = text.split(' ');
  const out: string[] = [];
  for (let i = 0; i < pieces.length;) {
    let joined = 1;
    for (let n = Math.min(MAX_PIECES, pieces.length - i); n >= 2 && joined === 1; n--) {
      const run = pieces.slice(i, i + n);
      // a legal form split ("Gmb H", "Gm bH"): one, whatever its case says
      if (/^\p{L}+$/u.test(run.join('')) && LEGAL_FORM_ONLY.test(run.join(''))) {
        joined = n;
        continue;
      }
      const letters = run.map((p, k) => lettersOf(p, k === 0, k === n - 1));
      if (letters.some((l) => l === null || SHORT_WORDS.has(l))) continue;
      if (
        run.some((p, k) => k > 0 && (STARTS_A_WORD.test(p) || (ENDS_LOWER.test(run[k - 1]!) && STARTS_UPPER.test(p))))
      )
        continue;
      // "Unit price", "NETTO BETRAG": words, each known (the page's own words would include the split pieces)
      if (letters.every((l) => KNOWN_WORDS.has(l!))) continue;
      const cuts: number[] = [];
      let word = '';
      for (const l of letters) {
        if (word) cuts.push(word.length);
        word += l;
      }
      if (word.length > 40) continue;
      if (printed.has(word) || joinsAcrossWords(word, cuts)) joined = n;
    }
    out.push(pieces.slice(i, i + joined).join(''));
    i += joined;
  }
  return out.join(' ');
}
