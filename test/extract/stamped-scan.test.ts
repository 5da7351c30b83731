// A scan with a few words of text put on it (an inbox's received stamp, a fax header) is read by OCR like a
// scan: its thin text layer had been taken as the page's text, and nothing of the invoice was read. A text
// page printed over a full-page picture (digital letterhead) keeps its text layer (extract/pages.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DEFAULT_LIMITS } from '../../extract/limits.js';
import { createTesseractCliEngine } from '../../extract/ocr/tesseract-cli.js';
import { readPages } from '../../extract/pages.js';
import { pictureShare, withPdf } from '../../extract/pdf-text.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { scanOf } from '../../testkit/scan.js';

const INVOICE = {
  invoiceNumber: 'INV-77120',
  vendorName: 'Acme Fasteners Inc.',
  invoiceDate: '2026-03-14',
  poNumber: '4500012',
  taxRate: '8.25',
  lines: [{ description: 'Hex bolt M8x40, zinc', quantity: 200, unitPrice: '0.35' }],
};

/** `picture` drawn over the whole A4 page, with `words` as real text on it at the top. */
async function pictureWithText(picture: Uint8Array, words: Array<[string, number]>): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawImage(await pdf.embedPng(picture), { x: 0, y: 0, width: 595, height: 842 });
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const [text, y] of words) page.drawText(text, { x: 40, y, size: 9, font });
  return pdf.save();
}

const pageText = (pages: Awaited<ReturnType<typeof readPages>>['pages']) =>
  pages.flatMap((p) => p.lines.map((l) => l.text)).join(' ');

describe('a scan with a stamp of text on it', () => {
  const engine = createTesseractCliEngine(['eng']);
  after(() => engine.close());
  let scanPng: Uint8Array;
  before(async () => {
    scanPng = (await scanOf(await makeInvoicePdf(INVOICE), { seed: 3, rotateDeg: 0, noise: 0.01 })).png;
  });

  test('is read by OCR, the stamp and the invoice under it', async () => {
    const bytes = await pictureWithText(scanPng, [['Received 2026-03-16 by accounts payable inbox', 828]]);
    const read = await readPages(bytes, 'stamped.pdf', { limits: DEFAULT_LIMITS, ocr: { engine, deskew: true } });
    assert.equal(read.pages[0]!.source, 'ocr');
    assert.match(pageText(read.pages), /INV-77120/);
  });

  test('without OCR the page is listed as unread, not taken as read', async () => {
    const bytes = await pictureWithText(scanPng, [['Received 2026-03-16 by accounts payable inbox', 828]]);
    const read = await readPages(bytes, 'stamped.pdf', { limits: DEFAULT_LIMITS });
    assert.deepEqual(read.unread, [1]);
  });

  test('a text page over a full-page picture keeps its text layer', async () => {
    const blank = (await scanOf(await makeInvoicePdf({ ...INVOICE, lines: [] }), { seed: 1, noise: 0 })).png;
    const lines: Array<[string, number]> = [
      ['Acme Fasteners Inc.  1 Industrial Way, Springfield IL 62701', 800],
      ['Invoice number: INV-88001    Invoice date: 2026-03-14    PO: 4500012', 760],
      ['Hex bolt M8x40, zinc    200 x 0.35    70.00', 700],
      ['Subtotal 70.00    Tax 5.78    Total 75.78', 660],
    ];
    const read = await readPages(await pictureWithText(blank, lines), 'letterhead.pdf', {
      limits: DEFAULT_LIMITS,
      ocr: { engine, deskew: true },
    });
    assert.equal(read.pages[0]!.source, 'text');
    assert.match(pageText(read.pages), /INV-88001/);
  });

  test('the picture share of a page: a scan covers it all, a text page none', async () => {
    const scan = await pictureWithText(scanPng, []);
    assert.ok((await withPdf(scan, async (pdf) => pictureShare(await pdf.getPage(1)))) > 0.99);
    const text = await makeInvoicePdf(INVOICE);
    assert.equal(await withPdf(text, async (pdf) => pictureShare(await pdf.getPage(1))), 0);
  });
});
