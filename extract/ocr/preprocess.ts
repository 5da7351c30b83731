// Image clean-up before OCR, with sharp: speckle removal, contrast stretch, straightening (deskew). Returns the
// PNG tesseract reads and a mapping from its pixels back to the page as it was scanned, so that boxes
// land on the original document.
import { loadSharp } from '../native.js';
import { estimateSkewDegrees, type GreyPixels } from './deskew.js';

export interface PreprocessOptions {
  /** Straighten pages tilted by more than `minSkewDegrees` (up to 6°). */
  deskew: boolean;
  minSkewDegrees?: number;
  /** Remove speckle with a median filter (default on). */
  denoise?: boolean;
}

export interface PreparedImage {
  png: Buffer;
  /** The same pixels, one byte each, row by row (what a second look at part of the page cuts from). */
  grey: Buffer;
  width: number;
  height: number;
  /** The tilt that was corrected, in degrees (0 when none). */
  skewDegrees: number;
  /** Maps a point of the prepared image to the same point of the input image (both in pixels, y down). */
  toInput(x: number, y: number): [number, number];
}

const SKEW_SAMPLE_WIDTH = 1000;

export async function prepareForOcr(input: GreyPixels, opts: PreprocessOptions): Promise<PreparedImage> {
  const sharp = await loadSharp();
  const raw = { width: input.width, height: input.height, channels: 1 as const };
  let cleaned = sharp(input.data, { raw });
  // A 3×3 median removes scanner speckle without thinning strokes; the contrast stretch maps the paper to
  // white and the darkest pixel to black (stretching from the 1st percentile, sharp's default, turned
  // speckle into ink and broke recognition in our measurements).
  if (opts.denoise !== false) cleaned = cleaned.median(3);
  const grey = await cleaned.toColourspace('b-w').raw().toBuffer();
  const normalised = spansFullRange(grey)
    ? grey
    : await sharp(grey, { raw }).normalise({ lower: 0, upper: 99 }).toColourspace('b-w').raw().toBuffer();
  let skewDegrees = 0;
  if (opts.deskew) {
    const scale = Math.min(1, SKEW_SAMPLE_WIDTH / input.width);
    const small = await sharp(normalised, { raw })
      .resize(Math.max(1, Math.round(input.width * scale)))
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const angle = estimateSkewDegrees({ data: small.data, width: small.info.width, height: small.info.height });
    if (Math.abs(angle) >= (opts.minSkewDegrees ?? 0.3)) skewDegrees = angle;
  }
  let pipeline = sharp(normalised, { raw });
  // sharp rotates clockwise for positive angles; the lines tilt clockwise by skewDegrees, so turn back.
  if (skewDegrees) pipeline = pipeline.rotate(-skewDegrees, { background: { r: 255, g: 255, b: 255 } });
  const { data: straight, info } = await pipeline.greyscale().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one channel after greyscale, got ${info.channels}`);
  const png = await sharp(straight, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const radians = (-skewDegrees * Math.PI) / 180;
  const [sin, cos] = [Math.sin(radians), Math.cos(radians)];
  const [inCx, inCy, outCx, outCy] = [input.width / 2, input.height / 2, info.width / 2, info.height / 2];
  // The output is the input turned by `radians` (clockwise, y down) about its centre, on a larger canvas.
  const toInput = (x: number, y: number): [number, number] => {
    const [dx, dy] = [x - outCx, y - outCy];
    return [inCx + dx * cos + dy * sin, inCy - dx * sin + dy * cos];
  };
  return { png, grey: straight, width: info.width, height: info.height, skewDegrees, toInput };
}

/**
 * Whether the stretch would change nothing: the darkest pixel is already black and more than 2 % of the
 * page is pure white, so sharp's normalise (which stretches the Lab lightness from its minimum to its
 * 99th percentile) would scale by exactly 1 (the tests check that it then returns every value as it was).
 * It costs about 0.6 s of CPU per 300-dpi page, half of the preprocessing, through Lab in floating point;
 * scans whose scanner already levelled them (paper clipped to white, ink to black) skip it.
 */
export function spansFullRange(grey: Uint8Array): boolean {
  let black = 0;
  let white = 0;
  // an indexed loop: a for-of over a 300-dpi page's 8.7 million bytes took about 110 ms, this about 20
  for (let i = 0; i < grey.length; i++) {
    const value = grey[i]!;
    if (value === 0) black++;
    else if (value === 255) white++;
  }
  return black > 0 && white > grey.length * 0.02;
}
