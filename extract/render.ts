// Pages as pixels for OCR: PDF pages rendered with pdf.js onto an @napi-rs/canvas, images decoded with
// sharp. Both come out as 8-bit greyscale at a known resolution, within the pixel limits.
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DocumentError } from './errors.js';
import { loadCanvas, loadSharp } from './native.js';
import { withPdf } from './pdf-text.js';
import type { GreyPixels } from './ocr/deskew.js';

/** OCR reads best at about 300 dpi; below 150 small print is lost. */
export const OCR_DPI = 300;
const MIN_DPI = 150;

export interface RenderedPage extends GreyPixels {
  dpi: number;
}

/** Renders a PDF page at 300 dpi, or at the highest resolution the pixel limit allows (at least 150 dpi). */
export async function renderPdfPage(page: PDFPageProxy, number: number, maxPixels: number): Promise<RenderedPage> {
  const unit = page.getViewport({ scale: 1 });
  const fit = Math.sqrt(maxPixels / (unit.width * unit.height)) * 72;
  const dpi = Math.min(OCR_DPI, Math.floor(fit));
  if (dpi < MIN_DPI) {
    throw new DocumentError(
      'page_too_large',
      `Page ${number} is too large to read as a scan: at ${MIN_DPI} dpi it would exceed ${(maxPixels / 1e6).toFixed(0)} million pixels.`,
    );
  }
  const { rgba, width, height } = await renderPageRgba(page, dpi);
  const sharp = await loadSharp();
  const data = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .greyscale()
    .raw()
    .toBuffer();
  return { data, width, height, dpi };
}

/** A PDF page drawn by pdf.js on a white @napi-rs/canvas at `dpi`, as RGBA pixels. */
export async function renderPageRgba(
  page: PDFPageProxy,
  dpi: number,
): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const viewport = page.getViewport({ scale: dpi / 72 });
  const [width, height] = [Math.ceil(viewport.width), Math.ceil(viewport.height)];
  const canvas = loadCanvas().createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  smoothImagesAlways(context);
  // pdf.js's types name the DOM canvas; @napi-rs/canvas implements the part pdf.js draws with.
  await page.render({
    canvas: canvas as unknown as HTMLCanvasElement,
    canvasContext: context as unknown as CanvasRenderingContext2D,
    viewport,
  }).promise;
  return { rgba: context.getImageData(0, 0, width, height).data, width, height };
}

/**
 * pdf.js turns image smoothing off when it draws an image more than 4/3 of its size (unless the PDF asks
 * for interpolation), so a 200-dpi scan rendered at 300 dpi comes out in blocks of one and two pixels: thin
 * strokes of small type lose pixels, and the median filter before OCR then breaks them ("0" read as "C",
 * "B" as "2"). Interpolated, as a scanner's own software or poppler would draw it, the strokes stay whole.
 * The context keeps smoothing on, at high quality, whatever pdf.js sets.
 */
function smoothImagesAlways(context: { imageSmoothingEnabled: boolean; imageSmoothingQuality: string }): void {
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  Object.defineProperty(context, 'imageSmoothingEnabled', { get: () => true, set: () => undefined });
}

/** An A3 page at 300 dpi: no image is enlarged beyond it. */
const MAX_ENLARGED_PIXELS = 3508 * 4961;

/**
 * An image file scanned below OCR's 300 dpi, enlarged to it (Lanczos) as a PDF page is rendered at it:
 * tesseract reads small type far better at 300 dpi. On the development corpus's ERP print layouts in small
 * type, 200-dpi TIFF scans read 48 of 87 header fields as they were and 74 enlarged. Never reduced; never
 * beyond the page pixel limit or an A3 page at 300 dpi.
 */
export async function atOcrResolution(image: RenderedPage, maxPixels: number): Promise<RenderedPage> {
  const pixels = image.width * image.height;
  const wanted = OCR_DPI / image.dpi;
  // A page larger than A3 at the resolution it states is no scan at that resolution (a photo's "72 dpi").
  if (pixels * wanted * wanted > MAX_ENLARGED_PIXELS) return image;
  const scale = Math.min(wanted, Math.sqrt(maxPixels / pixels));
  if (scale < 1.1) return image;
  const [width, height] = [Math.round(image.width * scale), Math.round(image.height * scale)];
  const sharp = await loadSharp();
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize(width, height, { kernel: 'lanczos3' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width,
    height,
    dpi: image.dpi * (width / image.width),
  };
}

/** One frame of an image file, decoded to greyscale; EXIF orientation applied. */
export async function decodeImageFrame(
  bytes: Uint8Array,
  frame: number,
  maxPixels: number,
  assumedDpi: number,
): Promise<RenderedPage> {
  const sharp = await loadSharp();
  const image = sharp(bytes, { page: frame, limitInputPixels: maxPixels, failOn: 'error' })
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .greyscale();
  const metadata = await image.metadata();
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  // A density below 72 is a missing or bogus header value rather than a real resolution.
  const dpi = metadata.density && metadata.density >= 72 ? metadata.density : assumedDpi;
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    dpi,
  };
}

/** About what a chat model's "high" detail mode keeps of a page (2048 px on the long side of a Letter page). */
const MODEL_IMAGE_PIXELS = 3_200_000;

/**
 * PDF pages (1-based numbers) as greyscale PNGs for the optional AI model: the scans it is asked to read
 * itself, because OCR text is exactly what may be wrong there. Only pages the visual stage already read
 * within its limits are rendered, at a resolution the provider would scale down to anyway.
 */
export async function renderPdfPagesToPng(bytes: Uint8Array, pageNumbers: number[]): Promise<Uint8Array[]> {
  return withPdf(
    bytes,
    async (pdf) => {
      const sharp = await loadSharp();
      const images: Uint8Array[] = [];
      for (const number of pageNumbers) {
        if (number < 1 || number > pdf.numPages) continue;
        const page = await pdf.getPage(number);
        try {
          const { data, width, height } = await renderPdfPage(page, number, MODEL_IMAGE_PIXELS);
          images.push(
            await sharp(data, { raw: { width, height, channels: 1 } })
              .png({ compressionLevel: 9 })
              .toBuffer(),
          );
        } finally {
          page.cleanup();
        }
      }
      return images;
    },
    { maxImagePixels: MODEL_IMAGE_PIXELS },
  );
}
