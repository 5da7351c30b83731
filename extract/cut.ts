// Pages of a PDF, or frames of a multi-page TIFF (a scanner's batch), as PDFs of their own: a file that held
// several invoices, one PDF per invoice. Runs in a reader process like every operation that opens an
// untrusted document (extract/operations.ts).
import { PDFDocument } from 'pdf-lib';
import { ASSUMED_IMAGE_DPI } from './limits.js';
import { loadSharp } from './native.js';
import { decodeImageFrame } from './render.js';

/** One part to cut: its pages (1-based, inclusive) and the subject written into it. */
export interface CutRange {
  fromPage: number;
  toPage: number;
  subject: string;
}

/**
 * The pages as a PDF. The same pages of the same file with the same subject give the same bytes (no dates
 * or ids are written), so a retried cut finds the invoice it made before; the subject names the file and
 * the split round, so a part cut again in a later round is a new invoice.
 */
export async function cutPdf(
  bytes: Uint8Array,
  fromPage: number,
  toPage: number,
  subject: string,
): Promise<Uint8Array> {
  const source = await PDFDocument.load(bytes, { updateMetadata: false });
  const part = await PDFDocument.create({ updateMetadata: false });
  part.setSubject(subject);
  const indices = Array.from({ length: toPage - fromPage + 1 }, (_, i) => fromPage - 1 + i);
  for (const page of await part.copyPages(source, indices)) part.addPage(page);
  return part.save({ useObjectStreams: false });
}

export async function cutPdfParts(bytes: Uint8Array, ranges: CutRange[]): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for (const r of ranges) parts.push(await cutPdf(bytes, r.fromPage, r.toPage, r.subject));
  return parts;
}

/**
 * Frames of a multi-page TIFF as image-only PDFs, one per range: each frame decoded as the reader decodes it
 * (orientation applied, greyscale, within the pixel limit), stored losslessly as PNG, on a page of the size its
 * resolution gives. Deterministic, like cutPdf: the same frames with the same subject give the same bytes.
 */
export async function cutImageParts(
  bytes: Uint8Array,
  ranges: CutRange[],
  maxPixelsPerPage: number,
): Promise<Uint8Array[]> {
  const sharp = await loadSharp();
  const parts: Uint8Array[] = [];
  for (const r of ranges) {
    const part = await PDFDocument.create({ updateMetadata: false });
    part.setSubject(r.subject);
    for (let frame = r.fromPage - 1; frame < r.toPage; frame++) {
      const { data, width, height, dpi } = await decodeImageFrame(bytes, frame, maxPixelsPerPage, ASSUMED_IMAGE_DPI);
      const png = await sharp(data, { raw: { width, height, channels: 1 } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      const image = await part.embedPng(png);
      const size = { width: (width * 72) / dpi, height: (height * 72) / dpi };
      part.addPage([size.width, size.height]).drawImage(image, { x: 0, y: 0, ...size });
    }
    parts.push(await part.save({ useObjectStreams: false }));
  }
  return parts;
}
