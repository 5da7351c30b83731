// Scanned variants of generated invoices: each page rendered with pdf.js onto a canvas, turned a few degrees,
// speckled with seeded noise and slightly blurred, then wrapped into an image-only PDF (no text layer), the
// way a office scanner delivers it. Same seed, same bytes.
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { withPdf } from '../extract/pdf-text.js';
import { renderPageRgba } from '../extract/render.js';
import { seededRandom } from './corpus.js';

export interface ScanOptions {
  seed: number;
  /** Clockwise tilt of the sheet on the scanner glass, in degrees. */
  rotateDeg?: number;
  /** 0..1: share of pixels disturbed (grey noise, dark specks); 0 leaves the image clean and sharp. */
  noise?: number;
  dpi?: number;
}

export interface Scan {
  /** Page 1 as a PNG. */
  png: Uint8Array;
  /** All pages as an image-only PDF of the same page size as the original. */
  pdf: Uint8Array;
  /** Every page as a greyscale PNG. */
  pages: Uint8Array[];
}

export async function scanOf(original: Uint8Array, opts: ScanOptions): Promise<Scan> {
  const dpi = opts.dpi ?? 200;
  const random = seededRandom(opts.seed);
  const rendered = await withPdf(original, async (doc) => {
    const out: Array<{ png: Buffer; widthPt: number; heightPt: number }> = [];
    for (let number = 1; number <= doc.numPages; number++) {
      const page = await doc.getPage(number);
      const { width: widthPt, height: heightPt } = page.getViewport({ scale: 1 });
      const { rgba, width, height } = await renderPageRgba(page, dpi);
      out.push({ png: await degrade(rgba, width, height, { ...opts, dpi }, random), widthPt, heightPt });
      page.cleanup();
    }
    return out;
  });
  const pdf = await PDFDocument.create();
  for (const page of rendered) {
    const image = await pdf.embedPng(page.png);
    pdf
      .addPage([page.widthPt, page.heightPt])
      .drawImage(image, { x: 0, y: 0, width: page.widthPt, height: page.heightPt });
  }
  return {
    png: new Uint8Array(rendered[0]!.png),
    pdf: await pdf.save(),
    pages: rendered.map((p) => new Uint8Array(p.png)),
  };
}

async function degrade(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  opts: ScanOptions,
  random: () => number,
): Promise<Buffer> {
  let grey = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .greyscale()
    .raw()
    .toBuffer();
  const angle = opts.rotateDeg ?? 0;
  if (angle) {
    // Turn the sheet, then cut the middle back to the page size, as the scanner's glass would.
    const turned = await sharp(grey, { raw: { width, height, channels: 1 } })
      .rotate(angle, { background: '#ffffff' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const [left, top] = [Math.round((turned.info.width - width) / 2), Math.round((turned.info.height - height) / 2)];
    grey = await sharp(turned.data, { raw: { width: turned.info.width, height: turned.info.height, channels: 1 } })
      .extract({ left, top, width, height })
      .toColourspace('b-w')
      .raw()
      .toBuffer();
  }
  const noise = opts.noise ?? 0;
  if (noise > 0) {
    for (let i = 0; i < grey.length; i++) {
      const r = random();
      if (r < noise * 0.02)
        grey[i] = 40; // a dark speck
      else if (r < noise) grey[i] = Math.max(0, Math.min(255, grey[i]! + Math.round((random() - 0.5) * 120)));
    }
  }
  let image = sharp(grey, { raw: { width, height, channels: 1 } });
  if (noise > 0) image = image.blur(0.3 + noise);
  // Scanners record their resolution (the PNG pHYs chunk), which is how a page's size is known.
  return image.withMetadata({ density: opts.dpi }).png().toBuffer();
}

/** Pages of one size (PNGs) as one multi-page greyscale TIFF at `dpi`, as a scanner's batch arrives. */
export async function multiPageTiff(pages: Uint8Array[], dpi = 200): Promise<Uint8Array> {
  const raws = await Promise.all(
    pages.map((png) => sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true })),
  );
  const { width, height } = raws[0]!.info;
  if (raws.some((r) => r.info.width !== width || r.info.height !== height))
    throw new Error('the pages of a multi-page TIFF here must share one size');
  const tall = Buffer.concat(raws.map((r) => r.data));
  return new Uint8Array(
    await sharp(tall, { raw: { width, height: height * raws.length, channels: 1, pageHeight: height } })
      .withMetadata({ density: dpi })
      .tiff({ compression: 'lzw' })
      .toBuffer(),
  );
}
