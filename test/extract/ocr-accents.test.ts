// Names read again in the document's language (extract/ocr/accents.ts): read with English first, tesseract
// took "Müller Präzisionsteile GmbH" for "Muller Prazisionsteile GmbH" on a German scan. A second reading
// may add accents to a word, never change a letter.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import { addsAccents, wordsToAccent } from '../../extract/ocr/accents.js';
import type { OcrWord } from '../../extract/ocr/engine.js';
import { OCR_LANGUAGES } from '../../extract/ocr/languages.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';
import { scanOf } from '../../testkit/scan.js';

const word = (text: string, y: number): OcrWord => ({
  text,
  confidence: 0.9,
  box: { x0: 100, x1: 200, y0: y, y1: y + 30 },
  line: { id: 1, baseline: null, top: y },
});

describe("accents read again in the document's language", () => {
  test('a second reading adds accents and changes no letter', () => {
    assert.ok(addsAccents('Muller', 'Müller'));
    assert.ok(addsAccents('Prazisionsteile', 'Präzisionsteile'));
    assert.ok(addsAccents('Strasse', 'Straße'));
    assert.ok(addsAccents('Cablage', 'Câblage'));
    assert.ok(!addsAccents('Müller', 'Muller'), 'never takes accents away');
    assert.ok(!addsAccents('Muller', 'Mailer'), 'never changes a letter');
    assert.ok(!addsAccents('Muller', 'Muller'));
    assert.ok(!addsAccents('Muller', 'Mülier'));
  });

  test('only capitalised words where names stand, with a letter the language accents, are read again', () => {
    const height = 3000;
    const words = [
      word('Muller', 100),
      word('Rechnungsnummer', 1900),
      word('fur', 100),
      word('GmbH', 100),
      word('Nurnberg', 2900),
    ];
    assert.deepEqual(
      wordsToAccent(words, 'deu', height).map((w) => w.text),
      ['Muller', 'Nurnberg'],
    );
    assert.deepEqual(wordsToAccent(words, 'eng', height), [], 'English has no accents to add');
  });

  const extractor = createExtractor({
    einvoice: false,
    ocr: { languages: [...OCR_LANGUAGES], deskew: true, engine: 'tesseract' },
  });
  after(() => extractor.close?.());

  test('a German scan reads the vendor with its umlauts', async () => {
    const names = ['Müller Präzisionsteile GmbH', 'Nürnberg, Düsseldorf, Lüdenscheid', 'Jürgen Böhm, Höhenstraße'];
    const puts: Put[] = [
      ...names.map((text, i): Put => [text, 50, 780 - 30 * i]),
      ['Rechnungsnummer: 2024-118', 50, 500],
      ['Rechnungsdatum: 03.10.2024', 50, 480],
      ['Gesamtbetrag', 330, 440],
      ['119,00', 545, 440, { right: true }],
    ];
    const scan = await scanOf(await pagePdf(puts), { seed: 5, rotateDeg: 0.5, noise: 0.03, dpi: 300 });
    const extraction = await extractor.extract({ bytes: scan.pdf, mimeType: 'application/pdf', fileName: 'scan.pdf' });
    assert.equal(extraction.fields.vendorName.value, 'Müller Präzisionsteile GmbH');
  });
});
