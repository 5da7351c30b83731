// Stage 5 of the extractor: ask the optional AI model and merge its reading into the extraction.
// Text pages are sent as compacted positioned text; pages without a text layer (OCR'd) and image
// uploads are also sent as PNG/JPEG data URLs, because OCR text of a scan is exactly what may be wrong.
import type { Extraction } from '../../domain/extraction.js';
import { mergeModelReading } from '../merge.js';
import { loadSharp } from '../native.js';
import type { PageText } from '../pdf-text.js';
import type { ModelReader } from './client.js';

/** Renders PDF pages (1-based numbers) to PNG; by default in the extractor's sandbox (a bounded thread). */
export type PageRenderer = (
  pdf: Uint8Array,
  pageNumbers: number[],
  doc: { fileName: string; signal?: AbortSignal },
) => Promise<Uint8Array[]>;

export interface ModelStageOptions {
  reader: ModelReader;
  renderPages?: PageRenderer;
  /** Page images sent at most (each costs ~1,100 tokens at "high" detail). */
  maxImages?: number;
}

/** Longest side of an image sent to the provider: what its "high" detail mode scales to anyway. */
const MAX_IMAGE_SIDE_PX = 2048;

export async function applyModel(
  opts: ModelStageOptions,
  input: {
    extraction: Extraction;
    pages: PageText[];
    doc: { bytes: Uint8Array; mimeType: string; fileName: string; signal?: AbortSignal };
  },
): Promise<Extraction> {
  const { extraction, pages, doc } = input;
  const warnings: string[] = [];
  const images = await pageImages(opts, doc, pages).catch((err: unknown) => {
    warnings.push(
      `The page images could not be prepared for the AI model (${err instanceof Error ? err.message : String(err)}); it got the text only.`,
    );
    return [];
  });
  const textPages = pages.filter((p) => p.lines.length > 0);
  if (textPages.length === 0 && images.length === 0)
    return { ...extraction, warnings: [...extraction.warnings, ...warnings] };
  const result = await opts.reader.read({ pages: textPages, images, fileName: doc.fileName });
  const usage = { model: result.model, promptTokens: result.promptTokens, completionTokens: result.completionTokens };
  if (result.outcome !== 'answered') {
    return {
      ...extraction,
      warnings: [...extraction.warnings, ...warnings, result.warning],
      model: { ...usage, disagreements: [] },
    };
  }
  const merged = mergeModelReading({
    extraction: { ...extraction, warnings: [...extraction.warnings, ...warnings] },
    reading: result.reading,
    pages,
    usage,
  });
  return merged;
}

async function pageImages(
  opts: ModelStageOptions,
  doc: { bytes: Uint8Array; mimeType: string; fileName: string; signal?: AbortSignal },
  pages: PageText[],
): Promise<string[]> {
  const max = opts.maxImages ?? 3;
  if (doc.mimeType.startsWith('image/')) {
    const sharp = await loadSharp();
    // TIFF is not accepted by chat models: convert it (and shrink anything huge) to PNG.
    const png = await sharp(doc.bytes, { limitInputPixels: 100_000_000 })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE_PX, height: MAX_IMAGE_SIDE_PX, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
    return [dataUrl(png)];
  }
  if (doc.mimeType !== 'application/pdf' || !opts.renderPages) return [];
  const scanned = pages
    .filter((p) => p.source === 'ocr' || p.lines.length === 0)
    .map((p) => p.page)
    .slice(0, max);
  if (scanned.length === 0) return [];
  return (await opts.renderPages(doc.bytes, scanned, { fileName: doc.fileName, signal: doc.signal })).map(dataUrl);
}

const dataUrl = (png: Uint8Array) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
