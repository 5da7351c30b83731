// A second look at ink OCR left unread. Tesseract's page layout analysis now and then drops a lone cell of
// a row it reads otherwise: the amount beside "Bruttosumme" in a totals table, a position number, a "19 %"
// cell. Cut out of the page on its own, the same ink reads at once. So after the page is read, every run of
// ink on a read line's band that no word covers is cut out, the cuts are stacked into one small image read
// by one more OCR run (one line each), and the words found are put back where the ink stands.
import { loadSharp } from '../native.js';
import { DARK } from './deskew.js';
import type { OcrWord } from './engine.js';
import type { PreparedImage } from './preprocess.js';

// The top and bottom of a line's band (shares of its height) hold the borders of a table's row.
const EDGE = 0.2;
// A column of a line's band is ink when at least this many of its pixels are dark (a lone speck is not).
const INK_PIXELS = 2;
// Ink columns closer than this (in band heights) are one run: the letters and words of one cell.
const JOIN_GAP = 0.9;
// A run narrower than this (band heights) is a rule, a bracket, the stroke of a letter a word box missed.
const MIN_WIDTH = 0.8;
// A run whose ink stands on fewer of the band's rows than this share is a rule or an underline, not type.
const MIN_ROWS = 0.4;
// At most this many cuts a page; more is a page OCR mostly failed on, which a second look does not mend.
const MAX_CUTS = 40;
const PAD = 12;
const GAP = 24;

/** A part of the page to read again, in its pixels: a box as OCR gives a word's. */
export type Cut = OcrWord['box'];

/** The runs of ink on the bands of the page's read lines that no recognised word covers. */
export function unreadInk(image: Pick<PreparedImage, 'grey' | 'width' | 'height'>, words: OcrWord[]): Cut[] {
  const { grey, width, height } = image;
  const lines = new Map<number, OcrWord[]>();
  for (const word of words) {
    const line = lines.get(word.line.id);
    if (line) line.push(word);
    else lines.set(word.line.id, [word]);
  }
  const cuts: Cut[] = [];
  for (const lineWords of lines.values()) {
    const y0 = Math.max(0, Math.floor(Math.min(...lineWords.map((w) => w.box.y0))));
    const y1 = Math.min(height, Math.ceil(Math.max(...lineWords.map((w) => w.box.y1))));
    const band = y1 - y0;
    if (band < 6) continue;
    // every word on this band, of any line, covers its columns
    const covered = new Uint8Array(width);
    for (const word of words) {
      if (word.box.y1 <= y0 || word.box.y0 >= y1) continue;
      for (let x = Math.max(0, Math.floor(word.box.x0) - 2); x < Math.min(width, Math.ceil(word.box.x1) + 2); x++)
        covered[x] = 1;
    }
    // ink in the band's middle rows, where type has its strokes and an underline or a row's border does not
    const [mid0, mid1] = [y0 + Math.round(EDGE * band), y1 - Math.round(EDGE * band)];
    const ink = new Uint8Array(width);
    for (let x = 0; x < width; x++) {
      if (covered[x]) continue;
      let dark = 0;
      for (let y = mid0; y < mid1 && dark < INK_PIXELS; y++) if (grey[y * width + x]! < DARK) dark++;
      ink[x] = dark >= INK_PIXELS ? 1 : 0;
    }
    let x = 0;
    while (x < width) {
      if (!ink[x]) {
        x++;
        continue;
      }
      let end = x + 1;
      let last = x;
      while (end < width && !covered[end] && end - last <= JOIN_GAP * band) {
        if (ink[end]) last = end;
        end++;
      }
      const run = { x0: x, x1: last + 1 };
      x = last + 1;
      if (run.x1 - run.x0 < MIN_WIDTH * band) continue;
      let rows = 0;
      for (let y = y0; y < y1; y++) {
        let dark = false;
        for (let cx = run.x0; cx < run.x1 && !dark; cx++) dark = grey[y * width + cx]! < DARK;
        if (dark) rows++;
      }
      if (rows < MIN_ROWS * band) continue;
      cuts.push({ x0: run.x0, y0, x1: run.x1, y1 });
    }
  }
  return cuts.length > MAX_CUTS ? [] : cuts;
}

/**
 * Reads the page's unread ink (see unreadInk) in one more OCR run; the words found, in pixels of the page.
 * None when there is no such ink.
 */
export async function readUnreadInk(
  prepared: PreparedImage,
  words: OcrWord[],
  recognize: (png: Uint8Array) => Promise<OcrWord[]>,
): Promise<OcrWord[]> {
  const cuts = unreadInk(prepared, words);
  if (!cuts.length) return [];
  const lineIds = Math.max(0, ...words.map((w) => w.line.id)) + 1;
  return (await readCuts(prepared, cuts, recognize)).map(({ word }) => ({
    ...word,
    line: { ...word.line, id: lineIds + word.line.id },
  }));
}

/**
 * Reads `cuts` of the page in one OCR run: each cut at the left of one image, one under the other, white
 * between them. The words found, each in pixels of the page, with the cut it stands in.
 */
export async function readCuts(
  prepared: PreparedImage,
  cuts: Cut[],
  recognize: (png: Uint8Array) => Promise<OcrWord[]>,
): Promise<Array<{ word: OcrWord; cut: Cut }>> {
  const sharp = await loadSharp();
  const width = Math.max(...cuts.map((c) => c.x1 - c.x0)) + 2 * PAD;
  // each cut at the left, one under the other, white between them
  let top = GAP;
  const placed = cuts.map((cut) => {
    const at = { cut, top };
    top += cut.y1 - cut.y0 + 2 * PAD + GAP;
    return at;
  });
  const raw = { width: prepared.width, height: prepared.height, channels: 1 as const };
  const pieces = await Promise.all(
    placed.map(async ({ cut, top: at }) => ({
      input: await sharp(prepared.grey, { raw })
        .extract({ left: cut.x0, top: cut.y0, width: cut.x1 - cut.x0, height: cut.y1 - cut.y0 })
        .png()
        .toBuffer(),
      left: PAD,
      top: at + PAD,
    })),
  );
  const png = await sharp({ create: { width, height: top, channels: 3, background: '#ffffff' } })
    .composite(pieces)
    .greyscale()
    .png({ compressionLevel: 1 })
    .toBuffer();
  const found = await recognize(png);
  return found.flatMap((word) => {
    const middle = (word.box.y0 + word.box.y1) / 2;
    const home = placed.find(({ cut, top: at }) => middle >= at && middle < at + cut.y1 - cut.y0 + 2 * PAD);
    if (!home) return [];
    const [dx, dy] = [home.cut.x0 - PAD, home.cut.y0 - PAD - home.top];
    const baseline = word.line.baseline;
    const moved: OcrWord = {
      ...word,
      box: { x0: word.box.x0 + dx, x1: word.box.x1 + dx, y0: word.box.y0 + dy, y1: word.box.y1 + dy },
      line: {
        id: word.line.id,
        top: word.line.top + dy,
        baseline: baseline && {
          x0: baseline.x0 + dx,
          x1: baseline.x1 + dx,
          y0: baseline.y0 + dy,
          y1: baseline.y1 + dy,
        },
      },
    };
    return [{ word: moved, cut: home.cut }];
  });
}
