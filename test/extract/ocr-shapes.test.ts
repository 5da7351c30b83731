// Text as OCR prints it, on small drawn pages (the reader cannot tell a drawn text layer from OCR'd words, so
// the rules hold for both): a number split into digit groups by uneven gaps, a heading with a box border
// read as a bracket before it. Each shape was found on the scanned variants of the real development corpus.
// Test tier: full (no server).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';

const extractor = createExtractor({ einvoice: false });
const read = async (puts: Put[]) => extractor.extract({ bytes: await pagePdf(puts), mimeType: 'application/pdf', fileName: 'scan.pdf' });

const HEAD: Put[] = [['Rechnungsdatum', 330, 706], ['05.06.2013', 450, 706], ['Summe', 330, 500], ['119,00 EUR', 545, 500, { right: true }]];

describe('numbers OCR splits into groups', () => {
  test('"471 1 02" beside "Rechnungsnummer" is one number, never read at full confidence', async () => {
    const result = await read([['Lieferant GmbH', 50, 780, { size: 16 }], ['Rechnungsnummer', 330, 720], ['471 1 02', 450, 720], ...HEAD]);
    const { invoiceNumber } = result.fields;
    assert.equal(invoiceNumber.value, '471102');
    assert.ok(invoiceNumber.confidence < 0.95, String(invoiceNumber.confidence));
    assert.ok(invoiceNumber.notes.includes('Printed in groups ("471 1 02"): read as one number.'), invoiceNumber.notes.join(' | '));
  });

  test('a number followed by a word or a date is read alone, at full confidence', async () => {
    for (const printed of ['471102 Kopie', '471102 vom 05.06.2013']) {
      const result = await read([['Lieferant GmbH', 50, 780, { size: 16 }], ['Rechnungsnummer', 330, 720], [printed, 450, 720], ...HEAD]);
      assert.equal(result.fields.invoiceNumber.value, '471102', printed);
      assert.ok(result.fields.invoiceNumber.confidence >= 0.95, `${printed}: ${result.fields.invoiceNumber.confidence}`);
    }
  });
});
