// Skew estimation by projection profile: text lines are dark rows separated by light gaps, so when the
// page is projected along the true line direction the row histogram is most "peaky" (largest sum of
// squares). A coarse sweep finds the neighbourhood, a fine sweep the angle.

export interface GreyPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A grey value below this is ink (the prepared page is black type on white). */
export const DARK = 128;
const MAX_SAMPLES = 60_000; // dark pixels considered; more adds time, not precision

/**
 * The angle in degrees (clockwise, as the page appears) by which the text lines of the image are tilted;
 * rotating the image by the negative of it straightens them. 0 when the page has too little ink to tell.
 */
export function estimateSkewDegrees(image: GreyPixels, maxDegrees = 6): number {
  const points = darkPoints(image);
  if (points.length < 200) return 0;
  const score = (degrees: number) => profileScore(points, image.height, image.width, (degrees * Math.PI) / 180);
  const sweep = (from: number, to: number, step: number) => {
    let best = { degrees: 0, score: -Infinity };
    for (let degrees = from; degrees <= to + 1e-9; degrees += step) {
      const s = score(degrees);
      if (s > best.score) best = { degrees, score: s };
    }
    return best.degrees;
  };
  const coarse = sweep(-maxDegrees, maxDegrees, 0.5);
  const fine = sweep(coarse - 0.5, coarse + 0.5, 0.1);
  return Math.round(fine * 10) / 10;
}

function darkPoints({ data, width, height }: GreyPixels): Int32Array {
  let count = 0;
  for (let i = 0; i < width * height; i++) if (data[i]! < DARK) count++;
  const stride = Math.max(1, Math.ceil(count / MAX_SAMPLES));
  const points = new Int32Array(2 * Math.ceil(count / stride));
  let seen = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x]! >= DARK) continue;
      if (seen++ % stride === 0) {
        points[n++] = x;
        points[n++] = y;
      }
    }
  }
  return points.subarray(0, n);
}

/** Sum of squared row counts after projecting every dark point along a line tilted by `radians`. */
function profileScore(points: Int32Array, height: number, width: number, radians: number): number {
  const [sin, cos] = [Math.sin(radians), Math.cos(radians)];
  const offset = Math.ceil(width * Math.abs(sin)) + 1;
  const rows = new Float64Array(height + 2 * offset + 2);
  for (let i = 0; i < points.length; i += 2) {
    const row = Math.round(points[i + 1]! * cos - points[i]! * sin) + offset;
    if (row >= 0 && row < rows.length) rows[row]!++;
  }
  let sum = 0;
  for (const count of rows) sum += count * count;
  return sum;
}
