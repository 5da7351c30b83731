// The contrast stretch before OCR is skipped where it would change nothing (extract/ocr/preprocess.ts), and
// runs as before everywhere else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { prepareForOcr, spansFullRange } from '../../extract/ocr/preprocess.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { scanOf } from '../../testkit/scan.js';

const stretched = (grey: Uint8Array, width: number, height: number) =>
  sharp(grey, { raw: { width, height, channels: 1 } })
    .normalise({ lower: 0, upper: 99 })
    .toColourspace('b-w')
    .raw()
    .toBuffer();

test('where black is black and over 2 % of the page is white, sharp’s stretch returns every grey as it was', async () => {
  // every grey value, the rest of the page mid-grey paper, and from just over 2 % to almost all of it white
  for (const whiteShare of [0.021, 0.05, 0.5, 0.95]) {
    const [width, height] = [256, 40];
    const whites = Math.ceil(whiteShare * width * height);
    const grey = Uint8Array.from({ length: width * height }, (_, i) => (i < 256 ? i : i < 256 + whites ? 255 : 180));
    assert.ok(spansFullRange(grey), `${whiteShare}`);
    assert.deepEqual([...(await stretched(grey, width, height))], [...grey], `${whiteShare}`);
  }
});

test('a page that is not levelled yet is stretched: no black, or no white', async () => {
  const [width, height] = [100, 100];
  const greyPaper = Uint8Array.from({ length: width * height }, (_, i) => (i % 10 === 0 ? 40 : 215));
  const noWhite = Uint8Array.from({ length: width * height }, (_, i) => (i % 10 === 0 ? 0 : 215));
  for (const [name, grey] of Object.entries({ greyPaper, noWhite })) {
    assert.equal(spansFullRange(grey), false, name);
    const prepared = await prepareForOcr({ data: Buffer.from(grey), width, height }, { deskew: false, denoise: false });
    const { data } = await sharp(prepared.png).greyscale().raw().toBuffer({ resolveWithObject: true });
    assert.ok(data.equals(await stretched(grey, width, height)), `${name}: stretched as sharp stretches`);
    assert.ok(data.some((v) => v === 255) && !data.equals(Buffer.from(grey)), `${name}: paper made white`);
  }
});

test('a scanned invoice is already levelled, and reads the same as through the stretch', async () => {
  const scan = await scanOf(
    await makeInvoicePdf({
      invoiceNumber: 'INV-5120',
      vendorName: 'Acme Fasteners Inc.',
      invoiceDate: '2026-03-14',
      poNumber: '4500012',
      taxRate: '8.25',
      lines: [{ description: 'Hex bolt M8x40, zinc', quantity: 200, unitPrice: '0.35' }],
    }),
    { seed: 3, rotateDeg: 1, noise: 0.05 },
  );
  const { data, info } = await sharp(scan.png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const cleaned = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .median(3)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  assert.ok(spansFullRange(cleaned));
  assert.ok(cleaned.equals(await stretched(cleaned, info.width, info.height)));
});
