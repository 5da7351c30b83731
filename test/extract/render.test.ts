// Pages as pixels for OCR: an image drawn larger than its own pixels (a 200-dpi scan rendered at 300 dpi) is
// interpolated, as a scanner's software or poppler draws it, not repeated in blocks of one and two pixels
// (pdf.js's choice above 4/3 of the size), which broke the thin strokes of small type once the median
// filter before OCR ran over them.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { createExtractor } from '../../extract/index.js';
import { withPdf } from '../../extract/pdf-text.js';
import { atOcrResolution, renderPdfPage } from '../../extract/render.js';
import { loadRealCorpus } from '../../testkit/real-corpus.js';
import { multiPageTiff, scanOf } from '../../testkit/scan.js';
import { pdfOf } from '../support/hostile-files.js';

const centre = (b: { x: number; y: number; width: number; height: number }) => ({
  x: b.x + b.width / 2,
  y: b.y + b.height / 2,
});

/** A one-inch page covered by an 8 × 8 greyscale checkerboard image: each image pixel is 37.5 pixels at 300 dpi. */
function checkerboardPdf(): Uint8Array {
  const pixels = Uint8Array.from({ length: 64 }, (_, i) => (((i % 8) + Math.floor(i / 8)) % 2 ? 255 : 0));
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '<< >>', stream: new TextEncoder().encode('q 72 0 0 72 0 0 cm /Im0 Do Q\n') },
    {
      dict: '<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode >>',
      stream: deflateSync(pixels),
    },
  ]);
}

describe('rendering a page for OCR', () => {
  test('an image drawn larger than its pixels is interpolated: grey between its black and white squares', async () => {
    const rendered = await withPdf(checkerboardPdf(), async (pdf) => renderPdfPage(await pdf.getPage(1), 1, 40e6));
    assert.equal(rendered.dpi, 300);
    assert.equal(rendered.width, 300);
    const levels = new Set(rendered.data);
    // Repeated pixels give two levels (black and white); interpolation gives the steps between them.
    assert.ok(levels.size >= 32, `${levels.size} grey levels`);
    assert.ok(levels.has(0) || Math.min(...levels) < 16, 'black stays black inside a square');
    assert.ok(Math.max(...levels) > 240, 'white stays white inside a square');
  });

  test('an image file below 300 dpi is enlarged to 300 dpi for OCR; never reduced, never past the limits', async () => {
    const grey = (width: number, height: number, dpi: number) => ({
      data: new Uint8Array(width * height).fill(128),
      width,
      height,
      dpi,
    });
    const fax = await atOcrResolution(grey(1700, 2200, 200), 40e6);
    assert.deepEqual([fax.width, fax.height, fax.dpi, fax.data.length], [2550, 3300, 300, 2550 * 3300]);
    const scanner = grey(2480, 3508, 300);
    assert.ok((await atOcrResolution(scanner, 40e6)) === scanner, 'a 300-dpi scan is read as it is');
    const fine = grey(4960, 7016, 600);
    assert.ok((await atOcrResolution(fine, 40e6)) === fine, 'a finer scan is not reduced');
    // A phone photo says 72 dpi: its page would be 56 × 42 inches, and enlarged four times.
    const photo = grey(4000, 3000, 72);
    assert.ok((await atOcrResolution(photo, 40e6)) === photo, 'a page larger than A3 at its stated dpi is no scan');
    const small = grey(1700, 2200, 200);
    assert.ok((await atOcrResolution(small, 4e6)) === small, 'within the page pixel limit');
  });

  describe('a real invoice in small type, scanned at 200 dpi', () => {
    const corpus = loadRealCorpus();
    /** A correction invoice of the ZUGFeRD 1 family, by its profile. */
    const correction = (profile: 'BASIC' | 'COMFORT') => {
      const invoice = corpus.find((i) => i.name.endsWith(`ZUGFeRD_1p0_${profile}_Rechnungskorrektur`));
      assert.ok(invoice, `the corpus has the ${profile} correction invoice`);
      return invoice;
    };
    const extractor = createExtractor({ ocr: { languages: ['eng', 'deu'], deskew: true }, einvoice: false });
    after(() => extractor.close?.());

    test('reads its invoice number and amounts, digits as digits', async () => {
      const invoice = correction('BASIC');
      const scan = await scanOf(invoice.pdf, { seed: 7, rotateDeg: 0, noise: 0.02 });
      const read = await extractor.extract({ bytes: scan.pdf, mimeType: 'application/pdf', fileName: 'scan.pdf' });
      // Blocky, the number read "RK21C12345" and the totals row "-C,92" (no number, no tax, no total).
      assert.equal(read.fields.invoiceNumber.value, 'RK21012345');
      assert.equal(read.fields.tax.value, '-1.12');
      assert.equal(read.fields.total.value, '-8.79');
    });

    test('as a TIFF file, enlarged to 300 dpi, reads them too', async () => {
      const invoice = correction('COMFORT');
      const scan = await scanOf(invoice.pdf, { seed: 8, rotateDeg: 0, noise: 0.02 });
      const tiff = await multiPageTiff(scan.pages, 200);
      const read = await extractor.extract({ bytes: tiff, mimeType: 'image/tiff', fileName: 'scan.tiff' });
      // At 200 dpi as it came, none of these was read.
      assert.equal(read.fields.invoiceNumber.value, 'RK21012345');
      assert.equal(read.fields.tax.value, '-1.12');
      assert.equal(read.fields.total.value, '-8.79');
      // The box is where the number is printed: its centre within a few points of the original's text layer
      // (OCR boxes hug the ink; the text layer's run from the font's ascent to its descent).
      const original = await extractor.extract({ bytes: invoice.pdf, mimeType: 'application/pdf', fileName: 'a.pdf' });
      const [ocrBox, textBox] = [read, original].map((r) => r.fields.invoiceNumber.provenance?.box);
      assert.ok(ocrBox && textBox, 'both readings place the number');
      assert.ok(
        Math.abs(centre(ocrBox).x - centre(textBox).x) < 6 && Math.abs(centre(ocrBox).y - centre(textBox).y) < 6,
        `${JSON.stringify(ocrBox)} vs ${JSON.stringify(textBox)}`,
      );
    });
  });
});
