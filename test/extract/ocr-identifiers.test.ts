// An invoice or PO number read by OCR is never a confident reading on its own: nothing checks its characters
// (amounts add up, dates agree, the vendor and the PO are looked up in Plex, but "8123456789" read for
// "B123456789" passes every rule). The file name can confirm it; a text layer's characters are exact.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractFromPages } from '../../extract/index.js';
import { applyOcrProvenance, fileNameHolds, OCR_IDENTIFIER_CAP } from '../../extract/ocr/provenance.js';
import type { PageText } from '../../extract/pdf-text.js';
import { refineExtraction } from '../../extract/refine.js';
import { ocrLine } from '../support/ocr-lines.js';

/** A clean scan the recogniser was sure of (99 % a word): number, PO, date and totals that add up. */
function scannedPage(source: PageText['source']): PageText {
  return {
    page: 1,
    width: 595,
    height: 842,
    source,
    lines: [
      ocrLine(780, ['Kestrel Fasteners GmbH', 50, 16, 0.99]),
      ocrLine(720, ['Invoice No.', 330, 10, 0.99], ['8123456789', 450, 10, 0.99]),
      ocrLine(706, ['Invoice Date', 330, 10, 0.99], ['2026-03-02', 450, 10, 0.99]),
      ocrLine(692, ['PO Number', 330, 10, 0.99], ['4500012345', 450, 10, 0.99]),
      ocrLine(530, ['Subtotal', 330, 10, 0.99], ['100.00', 520, 10, 0.99]),
      ocrLine(516, ['VAT 19%', 330, 10, 0.99], ['19.00', 520, 10, 0.99]),
      ocrLine(502, ['Total', 330, 10, 0.99], ['119.00 EUR', 520, 10, 0.99]),
    ],
  };
}

async function read(source: PageText['source'], fileName: string) {
  const pages = [scannedPage(source)];
  const visual = extractFromPages({ pages, pageCount: 1, warnings: [], extractor: 'ocr@1' });
  const extraction = source === 'ocr' ? applyOcrProvenance(visual, pages) : visual;
  return refineExtraction(
    {},
    { extraction, pages, doc: { bytes: new Uint8Array(), mimeType: 'application/pdf', fileName } },
  );
}

describe('identifiers read by OCR', () => {
  test('the invoice and PO numbers stay below a confident reading, and say why; checked amounts do not', async () => {
    const result = await read('ocr', 'scan-0001.pdf');
    const { invoiceNumber, poNumbers, total } = result.fields;
    assert.equal(invoiceNumber.value, '8123456789');
    assert.equal(invoiceNumber.confidence, OCR_IDENTIFIER_CAP);
    assert.ok(
      invoiceNumber.notes.some((n) => /8 for B/.test(n)),
      invoiceNumber.notes.join(' | '),
    );
    assert.deepEqual(poNumbers.value, ['4500012345']);
    assert.equal(poNumbers.confidence, OCR_IDENTIFIER_CAP);
    assert.ok(total.confidence >= 0.95, `the arithmetic confirms the total: ${total.confidence}`);
    assert.ok(result.confidence < 0.95, String(result.confidence));
  });

  test('a file name that spells the number confirms it; the PO it does not spell is still held', async () => {
    const result = await read('ocr', 'Rechnung_8123456789.pdf');
    assert.ok(
      result.fields.invoiceNumber.confidence > OCR_IDENTIFIER_CAP,
      String(result.fields.invoiceNumber.confidence),
    );
    assert.ok(result.fields.invoiceNumber.notes.some((n) => n.includes('confirmed by the file name')));
    assert.equal(result.fields.poNumbers.confidence, OCR_IDENTIFIER_CAP);
  });

  test('the same words from a text layer are exact and are not held', async () => {
    const result = await read('text', 'scan-0001.pdf');
    assert.ok(result.fields.invoiceNumber.confidence >= 0.95, String(result.fields.invoiceNumber.confidence));
    assert.ok(result.fields.poNumbers.confidence >= 0.95, String(result.fields.poNumbers.confidence));
  });
});

describe('a file name confirms a value it spells as whole words', () => {
  const cases: Array<[fileName: string, value: string, holds: boolean]> = [
    ['Rechnung_8123456789.pdf', '8123456789', true],
    ['RE_2020_508.pdf', 'RE-2020/508', true],
    ['inv re-2020-508 copy.PDF', 'RE-2020/508', true],
    ['Rechnung_B123456789.pdf', '8123456789', false],
    ['47110.pdf', '4711', false],
    ['RE-2020-5081.pdf', 'RE-2020/508', false],
    ['scan 4711.pdf', '4711', true],
    ['ABCD.pdf', 'ABCD', false], // no digit: a word of the name, not a number
    ['12.pdf', '12', false], // too short to count
  ];
  for (const [fileName, value, holds] of cases)
    test(`${value} in "${fileName}": ${holds}`, () => assert.equal(fileNameHolds(fileName, value), holds));
});
