// The OCR engine: tesseract.js (WebAssembly, in its own worker thread) with language data read from the
// @tesseract.js-data npm packages on disk, so nothing is ever fetched or cached.
// One tesseract worker is created on first use and reused for every page until close(); tesseract.js itself
// is imported then too, so reading text PDFs never loads it.
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PSM, Worker } from 'tesseract.js';

import type { OcrLanguage } from './languages.js';

export { OCR_LANGUAGES, type OcrLanguage } from './languages.js';

/** A recognised word, in pixels of the image it was read from (origin top-left). */
export interface OcrWord {
  text: string;
  /** 0..1 */
  confidence: number;
  box: { x0: number; y0: number; x1: number; y1: number };
  /** The word's line: its baseline (y at x0 and x1) and the top of its tallest letters. */
  line: { id: number; baseline: { x0: number; y0: number; x1: number; y1: number } | null; top: number };
}

export interface OcrEngine {
  readonly languages: readonly OcrLanguage[];
  /** Pages of one document it reads at the same time (default 1). */
  readonly pagesAtOnce?: number;
  /**
   * `only`: read with these of its languages alone, for an engine that `readsByLanguage` (the native
   * program); tesseract.js keeps the languages its worker loaded.
   */
  recognize(png: Uint8Array, opts: { dpi: number; only?: readonly OcrLanguage[] }): Promise<OcrWord[]>;
  /** Whether `recognize` can read with some of its languages alone. */
  readonly readsByLanguage?: boolean;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

/**
 * The "best_int" models: LSTM only, integer-quantised. About a third of the size of the default models
 * and faster, with the same accuracy on printed text.
 */
export function languageDataFile(language: OcrLanguage): string {
  const folder = path.dirname(require.resolve(`@tesseract.js-data/${language}/package.json`));
  return path.join(folder, '4.0.0_best_int', `${language}.traineddata.gz`);
}

/**
 * tesseract.js reads every language from one langPath, while each npm package holds one language: a
 * private temporary folder links them side by side. (Passing the bytes instead, `{ code, data }`, fails
 * in tesseract.js 7: its initialisation joins the data rather than the codes.)
 */
async function languageFolder(languages: readonly OcrLanguage[]): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'plexsync-ocr-'));
  await Promise.all(
    languages.map((code) => symlink(languageDataFile(code), path.join(folder, `${code}.traineddata.gz`))),
  );
  return folder;
}

export interface OcrEngineOptions {
  /** Tesseract's page segmentation; AUTO (the default) handles label/value blocks and tables alike. */
  pageSegMode?: PSM;
}

export function createOcrEngine(languages: readonly OcrLanguage[], opts: OcrEngineOptions = {}): OcrEngine {
  if (!languages.length) throw new Error('OCR needs at least one language');
  let worker: Promise<Worker> | null = null;

  let folder: string | null = null;

  const start = async (): Promise<Worker> => {
    const { createWorker, OEM, PSM } = await import('tesseract.js');
    folder ??= await languageFolder(languages);
    // A local folder as langPath is read from disk; cacheMethod 'none' neither reads nor writes a cache.
    const created = await createWorker([...languages], OEM.LSTM_ONLY, {
      langPath: folder,
      cacheMethod: 'none',
      gzip: true,
    });
    // Invoices are sparse: blocks of labels and values, tables; automatic page segmentation handles both.
    await created.setParameters({
      tessedit_pageseg_mode: opts.pageSegMode ?? PSM.AUTO,
      preserve_interword_spaces: '1',
    });
    return created;
  };

  return {
    languages,
    async recognize(png, { dpi }) {
      worker ??= start();
      const ready = await worker.catch((error: unknown) => {
        worker = null;
        throw error;
      });
      await ready.setParameters({ user_defined_dpi: String(Math.round(dpi)) });
      const { data } = await ready.recognize(Buffer.from(png), {}, { blocks: true, text: false });
      const words: OcrWord[] = [];
      let lineId = 0;
      for (const block of data.blocks ?? []) {
        for (const paragraph of block.paragraphs) {
          for (const line of paragraph.lines) {
            lineId++;
            const top = Math.min(...line.words.map((w) => w.bbox.y0));
            const baseline = line.baseline && line.baseline.x1 > line.baseline.x0 ? line.baseline : null;
            for (const word of line.words) {
              const text = word.text.trim();
              if (!text) continue;
              words.push({
                text,
                confidence: word.confidence / 100,
                box: word.bbox,
                line: { id: lineId, baseline, top },
              });
            }
          }
        }
      }
      return words;
    },
    async close() {
      const running = worker;
      worker = null;
      if (running) await (await running.catch(() => null))?.terminate();
      if (folder) await rm(folder, { recursive: true, force: true });
      folder = null;
    },
  };
}
