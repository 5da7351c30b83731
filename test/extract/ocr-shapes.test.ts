// Text as OCR prints it, on small drawn pages (the reader cannot tell a drawn text layer from OCR'd words, so
// the rules hold for both): a number split into digit groups by uneven gaps, a label with one letter
// misread, a month name without its accent. Each shape was found on the scanned variants of the real development corpus.
// Test tier: full (no server).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createExtractor, extractFromPages } from '../../extract/index.js';
import type { PageText } from '../../extract/pdf-text.js';
import { ocrLine } from '../support/ocr-lines.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';

const extractor = createExtractor({ einvoice: false });
const read = async (puts: Put[]) =>
  extractor.extract({ bytes: await pagePdf(puts), mimeType: 'application/pdf', fileName: 'scan.pdf' });

const HEAD: Put[] = [
  ['Rechnungsdatum', 330, 706],
  ['05.06.2013', 450, 706],
  ['Summe', 330, 500],
  ['119,00 EUR', 545, 500, { right: true }],
];

describe('numbers OCR splits into groups', () => {
  test('"471 1 02" beside "Rechnungsnummer" is one number, never read at full confidence', async () => {
    const result = await read([
      ['Lieferant GmbH', 50, 780, { size: 16 }],
      ['Rechnungsnummer', 330, 720],
      ['471 1 02', 450, 720],
      ...HEAD,
    ]);
    const { invoiceNumber } = result.fields;
    assert.equal(invoiceNumber.value, '471102');
    assert.ok(invoiceNumber.confidence < 0.95, String(invoiceNumber.confidence));
    assert.ok(
      invoiceNumber.notes.includes('Printed in groups ("471 1 02"): read as one number.'),
      invoiceNumber.notes.join(' | '),
    );
  });

  test('a number followed by a word or a date is read alone, at full confidence', async () => {
    for (const printed of ['471102 Kopie', '471102 vom 05.06.2013']) {
      const result = await read([
        ['Lieferant GmbH', 50, 780, { size: 16 }],
        ['Rechnungsnummer', 330, 720],
        [printed, 450, 720],
        ...HEAD,
      ]);
      assert.equal(result.fields.invoiceNumber.value, '471102', printed);
      assert.ok(
        result.fields.invoiceNumber.confidence >= 0.95,
        `${printed}: ${result.fields.invoiceNumber.confidence}`,
      );
    }
  });
});

describe('labels and dates as OCR misreads them', () => {
  test('a label with one letter misread is read as the label, below the auto-approval confidence; two letters off is no label', async () => {
    const result = await read([
      ['Lieferant GmbH', 50, 780, { size: 16 }],
      ['Rechnungsnumner', 330, 720],
      ['RE-4711', 450, 720],
      ['Rechnungsdatum', 330, 706],
      ['05.06.2013', 450, 706],
      ['Nettobetrag', 330, 520],
      ['100,00', 545, 520, { right: true }],
      ['Steuerbetrac in EUR', 330, 504],
      ['19,00', 545, 504, { right: true }],
      ['Bruttosumme', 330, 488],
      ['119,00', 545, 488, { right: true }],
    ]);
    assert.equal(result.fields.invoiceNumber.value, 'RE-4711');
    assert.ok(result.fields.invoiceNumber.confidence < 0.95, String(result.fields.invoiceNumber.confidence));
    assert.equal(result.fields.tax.value, '19.00');
    const none = await read([
      ['Lieferant GmbH', 50, 780, { size: 16 }],
      ['Rechnungsnurnrner', 330, 720],
      ['RE-4711', 450, 720],
      ...HEAD,
    ]);
    assert.equal(none.fields.invoiceNumber.value, null);
  });

  test('a long label with two letters misread is read as the label, below the auto-approval confidence; three off is no label', async () => {
    const dated = (label: string) =>
      read([
        ['Lieferant GmbH', 50, 780, { size: 16 }],
        ['Rechnungsnummer', 330, 720],
        ['RE-4711', 450, 720],
        [label, 330, 706],
        ['05.06.2013', 450, 706],
        ['Summe', 330, 500],
        ['119,00 EUR', 545, 500, { right: true }],
      ]);
    // a scan of the corpus's COMFORT invoice read its date label so, and no invoice date was found
    const misread = await dated('Rechhungsdetum');
    assert.equal(misread.fields.invoiceDate.value, '2013-06-05');
    assert.ok(misread.fields.invoiceDate.confidence < 0.95, String(misread.fields.invoiceDate.confidence));
    assert.equal((await dated('Rechhungsdetun')).fields.invoiceDate.value, null);
    // in a word of eleven letters ("Vervaldatum", the due date) one letter is read as misread, two are not
    const due = (label: string) =>
      read([
        ['Lieferant GmbH', 50, 780, { size: 16 }],
        ['Rechnungsnummer', 330, 720],
        ['RE-4711', 450, 720],
        ...HEAD,
        [label, 330, 690],
        ['01.07.2013', 450, 690],
      ]);
    assert.equal((await due('Vervaldetum')).fields.dueDate.value, '2013-07-01');
    assert.equal((await due('Vervaldetun')).fields.dueDate.value, null);
  });

  test('a label whose accent OCR dropped ("Falligkeitstag") is the label; "Fälligkeitstag" names the due date', async () => {
    for (const label of ['Fälligkeitstag:', 'Falligkeitstag:']) {
      const result = await read([
        ['Lieferant GmbH', 50, 780, { size: 16 }],
        ['Rechnungsnummer', 330, 720],
        ['RE-4711', 450, 720],
        ...HEAD,
        [`${label} 01.07.2013`, 330, 690],
      ]);
      assert.equal(result.fields.dueDate.value, '2013-07-01', label);
    }
  });

  test('an invoice date whose month lost its accent ("11. Marz 2014")', async () => {
    const result = await read([
      ['Lieferant GmbH', 50, 780, { size: 16 }],
      ['Beitragsrechnung Nr. 00.123.456.7', 50, 720],
      ['11. Marz 2014', 450, 720],
      ['Summe', 330, 500],
      ['119,00 EUR', 545, 500, { right: true }],
    ]);
    assert.equal(result.fields.invoiceDate.value, '2014-03-11');
  });
});

describe('the letterhead on a scan', () => {
  test('a logo OCR made letters of is no name; a name OCR sized a little apart on two lines is one name', () => {
    const page: PageText = {
      page: 1,
      width: 595,
      height: 842,
      source: 'ocr',
      lines: [
        ocrLine(735, ['Fe RD —', 439, 18.7, 0.5]),
        ocrLine(730, ['MVM Musterhafter', 78, 10.0, 0.89]),
        ocrLine(718, ['Versicherungsverein Musterstadt a.G.', 77, 10.9, 0.9]),
        ocrLine(690, ['Herrn', 77, 9, 0.9]),
        ocrLine(677, ['Max Mustermann', 77, 9, 0.9]),
        ocrLine(511, ['Beitragsrechnung Nr. 00.123.456.7', 73, 9, 0.9], ['11. Marz 2014', 463, 9, 0.9]),
        ocrLine(300, ['zu zahlender Beitrag', 68, 9, 0.9], ['220,00 €', 428, 9, 0.9]),
      ],
    };
    const result = extractFromPages({ pages: [page], pageCount: 1, warnings: [], extractor: 'ocr@1' });
    assert.equal(result.fields.vendorName.value, 'MVM Musterhafter Versicherungsverein Musterstadt a.G.');
  });
});
