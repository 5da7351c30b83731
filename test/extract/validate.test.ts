// Upload checks: a clerk who uploads the wrong thing gets told what it is, by kind and in plain words.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DocumentError, inspectDocument, type DocumentErrorKind } from '../../extract/index.js';
import {
  makeEncryptedPdf,
  makeGarbagePdf,
  makeInvoicePdf,
  makePagelessPdf,
  truncate,
} from '../../testkit/invoice-pdf.js';

const invoice = await makeInvoicePdf({
  invoiceNumber: 'INV-1',
  vendorName: 'Acme Tooling Inc.',
  invoiceDate: '2025-11-03',
  lines: [{ description: 'Hex bolt', quantity: 1, unitPrice: '1.00' }],
});
const bytes = (...values: number[]) => Uint8Array.from([...values, ...new Array<number>(64).fill(0)]);
const text = (s: string) => new TextEncoder().encode(s);

async function refusal(data: Uint8Array, fileName = 'invoice.pdf'): Promise<DocumentError> {
  try {
    await inspectDocument(data, fileName);
  } catch (error) {
    assert.ok(error instanceof DocumentError, `expected a DocumentError, got ${String(error)}`);
    return error;
  }
  assert.fail('the document was accepted');
}

describe('inspectDocument', () => {
  test('accepts a PDF and counts its pages', async () => {
    assert.deepEqual(await inspectDocument(invoice, 'scan.bin'), { mimeType: 'application/pdf', pageCount: 1 });
  });

  test('leaves the caller’s bytes usable (pdf.js gets a copy)', async () => {
    const before = Uint8Array.from(invoice);
    await inspectDocument(invoice, 'invoice.pdf');
    assert.deepEqual(invoice, before); // a detached buffer would read as empty
  });

  const images: Array<[string, Uint8Array, string]> = [
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'image/png'],
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0), 'image/jpeg'],
    ['TIFF (little-endian)', bytes(0x49, 0x49, 0x2a, 0x00), 'image/tiff'],
    ['TIFF (big-endian)', bytes(0x4d, 0x4d, 0x00, 0x2a), 'image/tiff'],
  ];
  for (const [name, data, mimeType] of images) {
    test(`recognises a ${name} by its signature, whatever the file is called`, async () => {
      assert.deepEqual(await inspectDocument(data, 'invoice.pdf'), { mimeType, pageCount: 1 });
    });
  }

  const refusals: Array<[string, () => Uint8Array, DocumentErrorKind, RegExp]> = [
    ['an empty file', () => new Uint8Array(), 'empty', /^The file is empty\.$/],
    [
      'a text file named .pdf',
      () => text('Invoice 1001\nTotal 12.00\n'),
      'unsupported_type',
      /^invoice\.pdf is not a PDF or image \(it looks like a text file\)\.$/,
    ],
    ['a ZIP archive', () => bytes(0x50, 0x4b, 0x03, 0x04), 'unsupported_type', /looks like a ZIP archive/],
    [
      'an HTML page',
      () => text('<!DOCTYPE html><html><body>Invoice</body></html>'),
      'unsupported_type',
      /looks like a web page/,
    ],
    ['random binary', () => bytes(0x01, 0x02, 0x03, 0x00, 0xfe), 'unsupported_type', /an unknown format/],
    ['a truncated PDF', () => truncate(invoice), 'truncated', /^The PDF is truncated or damaged: .*%%EOF/],
    ['a password-protected PDF', makeEncryptedPdf, 'encrypted', /^The PDF is password-protected\.$/],
    [
      'a PDF header around garbage',
      makeGarbagePdf,
      'corrupt',
      /^The PDF is damaged and cannot be read: its structure is invalid\.$/,
    ],
    ['a PDF without pages', makePagelessPdf, 'no_pages', /^The PDF has no pages\.$/],
  ];
  for (const [name, make, kind, message] of refusals) {
    test(`refuses ${name} as ${kind}`, async () => {
      const error = await refusal(make());
      assert.equal(error.kind, kind);
      assert.match(error.message, message);
    });
  }
});
