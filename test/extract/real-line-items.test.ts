// Line items as German and French ERP renderings print them (the kinds found on the real corpus, each on a
// small PDF drawn here): column heads stacked over two lines ("Positions-" over "betrag"), heads run
// together into one text run ("Pos Art-Nr-Kunde Beschreibung"), a row over several lines (the amount on
// the line under the position, the description wrapped), a position-number column that is no quantity,
// quantities with their unit ("20 Stk", "2 Tag(e)") and German numbers ("9,9000").
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';

const extractor = createExtractor({ einvoice: false });
after(() => extractor.close?.());
/** The page drawn with text of `size` points where a put gives none (8, as the ERP tables print). */
const read = async (puts: Put[], size = 8) =>
  extractor.extract({ bytes: await pagePdf(puts, size), mimeType: 'application/pdf', fileName: 'lines.pdf' });
const lines = (extraction: Awaited<ReturnType<typeof read>>) =>
  extraction.lineItems.map((l) => [l.description.value, l.quantity.value, l.unitPrice.value, l.amount.value]);

const HEAD: Put[] = [
  ['Lieferant GmbH', 50, 780, { size: 14 }],
  ['Rechnung Nr. 471102', 50, 750, { size: 10 }],
  ['Rechnungsdatum: 05.03.2018', 50, 736, { size: 10 }],
];

/** One ERP's table heads: article numbers over "Pos | Beschreibung | Nettopreis | Menge | Steuersatz", then the amount's head as the page prints it. */
const erpHeads = (amountHead: Put[]): Put[] => [
  ['Art-Nr-Kunde', 119, 643],
  ['Pos', 70, 630],
  ['Beschreibung', 191, 630],
  ['Nettopreis', 375, 630, { right: true }],
  ['Menge', 400, 630],
  ['Steuersatz', 437, 630],
  ...amountHead,
  ['Art-Nr', 119, 625],
];

/** A totals block: each label at labelX with its amount right-aligned at amountX, the rows `step` points apart from y down. */
const totals = (labelX: number, amountX: number, y: number, step: number, rows: Array<[string, string]>): Put[] =>
  rows.flatMap(([label, amount], i): Put[] => [
    [label, labelX, y - i * step],
    [amount, amountX, y - i * step, { right: true }],
  ]);

describe('line items in German ERP layouts', () => {
  test('heads stacked over two lines, the amount on the line under the position, a wrapped description', async () => {
    const extraction = await read([
      ...HEAD,
      ...erpHeads([
        ['Positions-', 534, 636, { right: true }],
        ['betrag', 534, 627, { right: true }],
      ]),
      ['1', 70, 601],
      ['TB100A4', 119, 601],
      ['Trennblätter', 191, 601],
      ['9,9000', 375, 601, { right: true }],
      ['20 Stk', 423, 601, { right: true }],
      ['19 %', 471, 601, { right: true }],
      ['4012345001235', 119, 592],
      ['A4', 191, 592],
      ['198,00', 534, 592, { right: true }],
      ['Bruttopreis : 9,9000', 191, 577],
      ['2', 70, 540],
      ['ARNR2', 119, 540],
      ['Joghurt Banane', 191, 540],
      ['5,5000', 375, 540, { right: true }],
      ['2 Tag(e)', 423, 540, { right: true }],
      ['7 %', 471, 540, { right: true }],
      ['4000050986428', 119, 531],
      ['11,00', 534, 531, { right: true }],
      ['Umsatzsteueraufschlüsselung', 65, 480, { size: 10 }],
      ...totals(213, 534, 400, 15, [
        ['Rechnungssumme ohne USt.', '209,00'],
        ['Umsatzsteuer', '38,39'],
        ['Zahlbetrag', '247,39'],
      ]),
    ]);
    assert.deepEqual(lines(extraction), [
      ['Trennblätter A4', '20', '9.9000', '198.00'],
      ['Joghurt Banane', '2', '5.5000', '11.00'],
    ]);
    assert.ok(
      extraction.lineItems.every((l) => l.amount.confidence >= 0.95),
      'quantity × unit price = amount on both rows',
    );
  });

  test('position and article number in one run of text under "Pos Art.Nr.", a unit column, the tax rate under "MwSt-% Nettowert"', async () => {
    const extraction = await read([
      ...HEAD,
      ['Unsere', 57, 653],
      ['Menge', 293, 653],
      ['Meng.-', 324, 653],
      ['Preis/', 427, 653, { right: true }],
      ['Pos Art.Nr.', 44, 643],
      ['Artikelbeschreibung', 180, 643],
      ['einheit', 324, 643],
      ['Einheit', 427, 643, { right: true }],
      ['MwSt-% Nettowert', 568, 643, { right: true }],
      ['1 KR3M', 50, 620],
      ['Kunstrasen grün 3m breit', 180, 620],
      ['3,00', 311, 620, { right: true }],
      ['m²', 324, 620],
      ['4,00', 427, 620, { right: true }],
      ['19,0', 515, 620, { right: true }],
      ['12,00', 568, 620, { right: true }],
      ['300 cm x 100 cm', 180, 610],
      ['2 SFK5', 50, 590],
      ['Schweinesteak', 180, 590],
      ['5,00', 311, 590, { right: true }],
      ['kg', 324, 590],
      ['5,50', 427, 590, { right: true }],
      ['7,0', 515, 590, { right: true }],
      ['27,50', 568, 590, { right: true }],
      ['Rechnungssumme Netto (exkl. USt.)', 57, 540],
      ['39,50', 568, 540, { right: true }],
      ['zzgl. Umsatzsteuer', 180, 526],
      ['4,21', 568, 526, { right: true }],
      ['Rechnungssumme Brutto (inkl. USt.)', 57, 512],
      ['43,71', 568, 512, { right: true }],
    ]);
    assert.deepEqual(lines(extraction), [
      ['Kunstrasen grün 3m breit 300 cm x 100 cm', '3.00', '4.00', '12.00'],
      ['Schweinesteak', '5.00', '5.50', '27.50'],
    ]);
  });

  test("position number on a later line, beside the row's notes (centred on a tall row); a discount line under a row is no row", async () => {
    const extraction = await read([
      ...HEAD,
      ...erpHeads([['Nettobetrag', 534, 630, { right: true }]]),
      ['KR3M', 119, 601],
      ['Kunstrasen grün 3m breit', 191, 601],
      ['3,3333', 375, 601, { right: true }],
      ['3 m²', 423, 601, { right: true }],
      ['19 %', 471, 601, { right: true }],
      ['4012345001235', 119, 592],
      ['10,00', 534, 592, { right: true }],
      ['1', 70, 568],
      ['Wir erlauben uns Ihnen folgende Positionen in', 191, 568],
      ['Rechnung zu stellen:', 191, 559],
      ['Bruttopreis : 4,0000', 191, 544],
      ['SFK5', 119, 510],
      ['Schweinesteak', 191, 510],
      ['5,5000', 375, 510, { right: true }],
      ['4 kg', 423, 510, { right: true }],
      ['7 %', 471, 510, { right: true }],
      ['4000050986428', 119, 501],
      ['22,00', 534, 501, { right: true }],
      ['abzgl. 10% Rabatt', 380, 490],
      ['-2,20', 534, 490, { right: true }],
      ['2', 70, 477],
      ['Bestellt wurden 5 kg, geliefert 4 kg.', 191, 477],
      ['3', 70, 450],
      ['PFA5', 119, 450],
      ['Pfand', 191, 450],
      ['2,7700', 375, 450, { right: true }],
      ['20', 423, 450, { right: true }],
      ['19 %', 471, 450, { right: true }],
      ['4000001234578', 119, 441],
      ['55,40', 534, 441, { right: true }],
      ['Umsatzsteueraufschlüsselung', 65, 400, { size: 10 }],
      ...totals(213, 534, 360, 15, [
        ['Rechnungssumme ohne USt.', '87,40'],
        ['Umsatzsteuer', '13,90'],
        ['Zahlbetrag', '101,30'],
      ]),
    ]);
    assert.deepEqual(
      lines(extraction).map(([d, ...numbers]) => [d?.split(' Wir ')[0]?.split(' Bestellt ')[0], ...numbers]),
      [
        ['Kunstrasen grün 3m breit', '3', '3.3333', '10.00'],
        ['Schweinesteak', '4', '5.5000', '22.00'],
        ['Pfand', '20', '2.7700', '55.40'],
      ],
    );
  });

  test('descriptions starting left of their head (cells centred in a wide column) and wrapped under it; a heading under the table ends it', async () => {
    const extraction = await read(
      [
        ...HEAD,
        ['Art-Nr-Kunde', 74, 536],
        ['Positions-', 544, 536, { right: true }],
        ['Art-Nr-Lief.', 74, 525],
        ['betrag', 544, 525, { right: true }],
        ['Pos', 53, 519],
        ['Beschreibung', 151, 519],
        ['Nettopreis', 304, 519, { right: true }],
        ['Menge', 358, 519],
        ['USt.', 440, 519],
        ['Art-Nr', 74, 514],
        ['ohne', 544, 514, { right: true }],
        ['(Art)', 74, 502],
        ['USt.', 544, 502, { right: true }],
        ['1', 59, 489],
        ['Miettage', 157, 489],
        ['86,5500', 288, 489, { right: true }],
        ['2 Stk', 378, 489, { right: true }],
        ['19 %', 461, 489, { right: true }],
        ['173,10', 544, 489, { right: true }],
        ['2', 57, 393],
        ['Navigationssystem', 139, 393],
        ['5,0400', 321, 393, { right: true }],
        ['2 Stk', 401, 393, { right: true }],
        ['19 %', 471, 393, { right: true }],
        ['10,08', 544, 393, { right: true }],
        ['- Garantie', 139, 382],
        ['3', 57, 269],
        ['minimale', 140, 269],
        ['15,5500', 319, 269, { right: true }],
        ['2 Stk', 399, 269, { right: true }],
        ['19 %', 470, 269, { right: true }],
        ['31,10', 544, 269, { right: true }],
        ['Selbstbeteiligung', 140, 257],
        ['Zahlungsbedingungen: 30 Tage netto ohne Abzug', 50, 220],
        ...totals(288, 544, 180, 13, [
          ['Rechnungssumme ohne USt.', '214,28'],
          ['Steuerbetrag', '40,71'],
          ['Bruttosumme', '254,99'],
        ]),
      ],
      10,
    );
    assert.deepEqual(lines(extraction), [
      ['Miettage', '2', '86.5500', '173.10'],
      ['Navigationssystem - Garantie', '2', '5.0400', '10.08'],
      ['minimale Selbstbeteiligung', '2', '15.5500', '31.10'],
    ]);
  });

  test('the article number and the description\'s wrapped words in one run of text ("4012345001235 breit"); a wrapped "2 Nächte" stays description', async () => {
    const extraction = await read(
      [
        ...HEAD,
        ['Pos Art-Nr-Kunde Beschreibung', 53, 637],
        ['Nettopreis', 305, 637, { right: true }],
        ['Menge', 358, 637],
        ['USt.', 440, 637],
        ['Positions-', 545, 637, { right: true }],
        ['Art-Nr-Lief.', 75, 626],
        ['betrag', 545, 626, { right: true }],
        ['Art-Nr', 74, 612],
        ['ohne', 544, 612, { right: true }],
        ['(Art)', 74, 601],
        ['USt.', 544, 601, { right: true }],
        ['1', 58, 587],
        ['Kunstrasen', 157, 587],
        ['3,3333', 298, 587, { right: true }],
        ['3 m²', 385, 587, { right: true }],
        ['19 %', 464, 587, { right: true }],
        ['10,00', 544, 587, { right: true }],
        ['KR3M', 74, 576],
        ['grün 3m', 157, 576],
        ['4012345001235 breit', 74, 565],
        ['2', 58, 530],
        ['Übernachtung.', 147, 530],
        ['158,8800', 305, 530, { right: true }],
        ['1 Stk', 390, 530, { right: true }],
        ['7 %', 465, 530, { right: true }],
        ['158,88', 544, 530, { right: true }],
        ['2 Nächte', 147, 519],
        ['Hotel', 147, 508],
        ...totals(288, 544, 460, 13, [
          ['Rechnungssumme ohne USt.', '168,88'],
          ['Steuerbetrag', '13,02'],
          ['Bruttosumme', '181,90'],
        ]),
      ],
      10,
    );
    assert.deepEqual(lines(extraction), [
      ['Kunstrasen grün 3m breit', '3', '3.3333', '10.00'],
      ['Übernachtung. 2 Nächte Hotel', '1', '158.8800', '158.88'],
    ]);
  });

  test('"5,000 kg" in a document writing decimal commas is five kilograms; "5,000 pcs" in one writing decimal points is five thousand', async () => {
    const table = (quantity: string, price: string, amount: string, total: [string, string, string]): Put[] => [
      ...HEAD,
      ['Pos', 50, 643],
      ['Artikelbeschreibung', 180, 643],
      ['Menge', 293, 643],
      ['Einheit', 324, 643],
      ['Preis', 427, 643, { right: true }],
      ['Betrag', 545, 643, { right: true }],
      ['1', 50, 620],
      ['Schweinesteak', 180, 620],
      [quantity, 317, 620, { right: true }],
      ['kg', 324, 620],
      [price, 427, 620, { right: true }],
      [amount, 545, 620, { right: true }],
      ...totals(57, 545, 560, 14, [
        ['Rechnungssumme Netto', total[0]],
        ['Umsatzsteuer', total[1]],
        ['Rechnungssumme Brutto', total[2]],
      ]),
    ];
    const german = await read(table('5,000', '5,50', '27,50', ['27,50', '1,93', '29,43']));
    assert.deepEqual(lines(german), [['Schweinesteak', '5.000', '5.50', '27.50']]);
    assert.equal(german.fields.total.value, '29.43');
    const english = await read(table('5,000', '0.55', '2,750.00', ['2,750.00', '192.50', '2,942.50']));
    assert.deepEqual(lines(english), [['Schweinesteak', '5000', '0.55', '2750.00']]);
  });

  test('an attribute line under a wrapped description ends it also when its colon stands apart ("Bruttopreis" | ": 5,5000", as OCR splits it)', async () => {
    const extraction = await read([
      ...HEAD,
      ['Pos', 50, 643],
      ['Beschreibung', 180, 643],
      ['Nettopreis', 375, 643, { right: true }],
      ['Menge', 400, 643],
      ['Nettobetrag', 534, 643, { right: true }],
      ['1', 50, 620],
      ['Schweinesteak', 180, 620],
      ['5,5000', 375, 620, { right: true }],
      ['1 kg', 423, 620, { right: true }],
      ['5,50', 534, 620, { right: true }],
      ['aus Deutschland', 180, 611],
      ['Bruttopreis', 180, 602],
      [': 5,8850', 240, 602],
      ['2', 50, 580],
      ['Pfand', 180, 580],
      ['2,7700', 375, 580, { right: true }],
      ['20', 423, 580, { right: true }],
      ['55,40', 534, 580, { right: true }],
      ...totals(213, 534, 540, 14, [
        ['Rechnungssumme ohne USt.', '60,90'],
        ['Umsatzsteuer', '10,91'],
        ['Zahlbetrag', '71,81'],
      ]),
    ]);
    assert.deepEqual(lines(extraction), [
      ['Schweinesteak aus Deutschland', '1', '5.5000', '5.50'],
      ['Pfand', '20', '2.7700', '55.40'],
    ]);
  });

  test('a wrapped description word that reads like a totals label ("HT") does not end the table; a totals label with its amount does', async () => {
    const extraction = await read([
      ...HEAD,
      ['Pos', 53, 643],
      ['Art-Nr', 73, 643],
      ['Beschreibung', 151, 643],
      ['Nettopreis', 304, 643, { right: true }],
      ['Menge', 358, 643],
      ['Nettobetrag', 544, 643, { right: true }],
      ['1', 58, 620],
      ['Wirkarbeit', 157, 620],
      ['0,0520', 297, 620, { right: true }],
      ['10000 KWH', 386, 620, { right: true }],
      ['52,00', 544, 620, { right: true }],
      ['WA997', 73, 609],
      ['HT', 157, 609],
      ['2', 58, 590],
      ['Ökosteuer', 158, 590],
      ['0,0205', 293, 590, { right: true }],
      ['10000 KWH', 383, 590, { right: true }],
      ['20,50', 544, 590, { right: true }],
      ['ÖST250', 74, 579],
      ['Lieferant', 158, 579],
      ...totals(158, 544, 550, 14, [
        ['Total HT', '72,50'],
        ['Umsatzsteuer', '13,78'],
        ['Zahlbetrag', '86,28'],
      ]),
    ]);
    assert.deepEqual(lines(extraction), [
      ['Wirkarbeit HT', '10000', '0.0520', '52.00'],
      ['Ökosteuer Lieferant', '10000', '0.0205', '20.50'],
    ]);
  });
});
