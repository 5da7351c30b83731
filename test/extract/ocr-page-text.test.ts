// OCR words into the page's lines: words printed sideways in the margin and specks read as punctuation are
// dropped, so they neither cut a table header in two nor join a line with the height of a whole column.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OcrWord } from '../../extract/ocr/engine.js';
import { ocrPageText } from '../../extract/ocr/page-text.js';
import type { PreparedImage } from '../../extract/ocr/preprocess.js';

// A page of 1000 × 1400 pixels, one point a pixel, not turned.
const prepared: PreparedImage = {
  png: Buffer.alloc(0),
  grey: Buffer.alloc(0),
  width: 1000,
  height: 1400,
  skewDegrees: 0,
  toInput: (x, y) => [x, y],
};
const geometry = { page: 1, widthPt: 1000, heightPt: 1400, pointsPerPixel: 1 };
let lineId = 0;
/** A horizontal word on a text line whose baseline is at `baseline` (pixels, y down), letters 10 pixels high. */
const word = (text: string, x0: number, baseline: number, width = 8 * text.length): OcrWord => ({
  text,
  confidence: 0.9,
  box: { x0, x1: x0 + width, y0: baseline - 10, y1: baseline },
  line: { id: lineId++, baseline: { x0, y0: baseline, x1: x0 + width, y1: baseline }, top: baseline - 10 },
});
/** A word running up the margin: 12 pixels wide, `height` tall, its lowest point at `bottom`. */
const upright = (text: string, x0: number, bottom: number, height: number): OcrWord => ({
  text,
  confidence: 0.6,
  box: { x0, x1: x0 + 12, y0: bottom - height, y1: bottom },
  line: { id: lineId++, baseline: null, top: bottom - height },
});

describe('OCR words into lines', () => {
  test('a word printed sideways in the margin and punctuation specks are no text of the lines they pass', () => {
    const page = ocrPageText(
      [
        word('Menge', 300, 100),
        word('Preis/', 420, 100),
        upright('2014', 20, 112, 40),
        word('Pos', 60, 112),
        word('Beschreibung', 180, 112),
        word(',', 250, 112, 3),
        word('Einheit', 420, 112),
        word('Betrag', 520, 112),
        upright('Beispielrechnung', 20, 400, 190),
        word('Rechnungssumme', 60, 390),
        word('473,00', 520, 390),
        word('|', 575, 390, 2),
      ],
      prepared,
      geometry,
    );
    const texts = page.lines.map((l) => l.segments.map((s) => s.text).join(' '));
    assert.deepEqual(texts, ['Menge Preis/', 'Pos Beschreibung Einheit Betrag', 'Rechnungssumme 473,00']);
    assert.ok(
      page.lines.every((l) => l.fontSize < 20),
      `font sizes ${page.lines.map((l) => l.fontSize.toFixed(1)).join(', ')}`,
    );
  });

  test('a box border read as a bracket, bar or underscore glued to a word is no part of it; a bracket inside or alone stays', () => {
    const page = ocrPageText(
      [
        word('[Rechnungsersteller', 60, 100),
        word('[_Ihr', 60, 140),
        word('Zeichen:', 110, 140),
        word('03.06.2013]', 420, 140),
        word('Art.[B]', 60, 180),
        word('(netto)', 160, 180),
        word('Summe|', 420, 180),
      ],
      prepared,
      geometry,
    );
    assert.deepEqual(
      page.lines.map((l) => l.segments.map((s) => s.text).join(' ')),
      ['Rechnungsersteller', 'Ihr Zeichen: 03.06.2013', 'Art.[B] (netto) Summe'],
    );
  });

  test("OCR'd words of one phrase stay one segment though their tight boxes stand 0.9 em apart; columns 2.5 em apart do not", () => {
    // letters 10 pixels high: a font size of about 14 pixels; "Globale" ends at 56, "Nummer:" starts 12 pixels later
    const page = ocrPageText(
      [word('Globale', 0, 100), word('Nummer:', 68, 100), word('4000001123452', 200, 100)],
      prepared,
      geometry,
    );
    assert.deepEqual(
      page.lines[0]!.segments.map((s) => s.text),
      ['Globale Nummer:', '4000001123452'],
    );
  });

  test("a word's size is its own when its line also holds something much taller (a logo read with it)", () => {
    const name = word('Musterhafter', 60, 100);
    const logo: OcrWord = { ...word('RD', 600, 100), box: { x0: 600, x1: 640, y0: 70, y1: 100 } };
    // tesseract put both in one line whose top is the logo's
    const line = { id: lineId++, baseline: { x0: 60, y0: 100, x1: 640, y1: 100 }, top: 70 };
    const page = ocrPageText(
      [
        { ...name, line },
        { ...logo, line },
      ],
      prepared,
      geometry,
    );
    const [nameSize, logoSize] = page.lines[0]!.segments.map((s) => s.fontSize);
    assert.ok(Math.abs(nameSize! - 10 / 0.72) < 0.5, `name ${nameSize}`);
    assert.ok(Math.abs(logoSize! - 30 / 0.72) < 0.5, `logo ${logoSize}`);
  });

  test('a word with a capital, a digit or a tall letter is sized by its own height, not by a line of two rows tesseract joined', () => {
    // "Chakan MIDC, Pune" and "Destination" (10 pixels) read into one line with a row 5 pixels higher: the
    // line's top stands 15 pixels over the baseline, 1.5 times the words' height
    const line = { id: lineId++, baseline: { x0: 40, y0: 100, x1: 600, y1: 100 }, top: 85 };
    const page = ocrPageText(
      [
        { ...word('Chakan', 40, 100), line },
        { ...word('Destination', 500, 100), line },
        { ...word('use', 300, 100), box: { x0: 300, x1: 324, y0: 91, y1: 100 }, line },
      ],
      prepared,
      geometry,
    );
    const sizes = Object.fromEntries(page.lines.flatMap((l) => l.segments.map((s) => [s.text, s.fontSize])));
    assert.ok(Math.abs(sizes.Chakan! - 10 / 0.72) < 0.5, `Chakan ${sizes.Chakan}`);
    assert.ok(Math.abs(sizes.Destination! - 10 / 0.72) < 0.5, `Destination ${sizes.Destination}`);
    // a word of small letters only stands lower than a capital: its line's height still sizes it
    assert.ok(Math.abs(sizes.use! - 15 / 0.72) < 0.5, `use ${sizes.use}`);
  });

  test('a scrap of a logo a fifth taller than a name read into its line does not size the name', () => {
    // "Versicherungsverein Musterstadt a.G." (10 pixels) with "A Ka" of the logo 12 pixels high in its line:
    // sized by the line, the name's second line stood 1.2 times the size of its first ("MVM Musterhafter")
    const line = { id: lineId++, baseline: { x0: 60, y0: 130, x1: 600, y1: 130 }, top: 118 };
    const page = ocrPageText(
      [
        word('MVM Musterhafter', 60, 100),
        { ...word('Versicherungsverein', 60, 130), line },
        { ...word('A Ka', 500, 130), box: { x0: 500, x1: 540, y0: 118, y1: 130 }, line },
      ],
      prepared,
      geometry,
    );
    const sizes = Object.fromEntries(page.lines.flatMap((l) => l.segments.map((s) => [s.text, s.fontSize])));
    assert.ok(Math.abs(sizes.Versicherungsverein! - sizes['MVM Musterhafter']!) < 0.5, JSON.stringify(sizes));
  });
});
