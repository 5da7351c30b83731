// Which OCR engine reads a page: the native `tesseract` program when it is installed (about a third less CPU
// per page), else tesseract.js, which ships with the product; both read the same language models and give
// the same words (docs/decisions/ocr-engine.md). OCR_ENGINE picks one explicitly.
import { createOcrEngine, type OcrEngine } from './engine.js';
import type { OcrLanguage } from './languages.js';
import { createTesseractCliEngine, OcrEngineError, tesseractVersion } from './tesseract-cli.js';

export const OCR_ENGINES = ['auto', 'tesseract', 'tesseract.js'] as const;
export type OcrEngineChoice = (typeof OCR_ENGINES)[number];
export type OcrEngineKind = Exclude<OcrEngineChoice, 'auto'>;

const installed = new Map<string, Promise<string | null>>();
/** The installed native program's version line (asked once per process and program), or null. */
function nativeVersion(binary: string): Promise<string | null> {
  let version = installed.get(binary);
  if (!version) installed.set(binary, (version = tesseractVersion(binary)));
  return version;
}

export interface ResolvedOcrEngine {
  kind: OcrEngineKind;
  /** What runs: "tesseract 5.3.0" or "tesseract.js". */
  version: string;
}

/** The engine a choice comes to on this machine; an explicit `tesseract` that is not installed is an error. */
export async function resolveOcrEngine(
  choice: OcrEngineChoice = 'auto',
  binary = 'tesseract',
): Promise<ResolvedOcrEngine> {
  if (choice === 'tesseract.js') return { kind: 'tesseract.js', version: 'tesseract.js' };
  const version = await nativeVersion(binary);
  if (version) return { kind: 'tesseract', version };
  if (choice === 'tesseract')
    throw new OcrEngineError(
      `OCR_ENGINE=tesseract, but the ${binary} program (version 4 or later) is not installed: install it (Debian: apt-get install tesseract-ocr) or set OCR_ENGINE=auto.`,
    );
  return { kind: 'tesseract.js', version: 'tesseract.js' };
}

/** An engine for the choice, resolved on the first page it reads (text PDFs never start one). */
export function openOcrEngine(languages: readonly OcrLanguage[], choice: OcrEngineChoice = 'auto'): OcrEngine {
  let engine: Promise<OcrEngine> | null = null;
  let opened: OcrEngine | null = null;
  const open = () =>
    (engine ??= resolveOcrEngine(choice).then(({ kind }) => {
      opened = kind === 'tesseract' ? createTesseractCliEngine(languages) : createOcrEngine(languages);
      return opened;
    }));
  return {
    languages,
    // one page until the first page has chosen the engine
    get pagesAtOnce() {
      return opened?.pagesAtOnce ?? 1;
    },
    // known once the first page has chosen the engine, as a second reading comes after a first
    get readsByLanguage() {
      return opened?.readsByLanguage ?? false;
    },
    recognize: async (png, opts) => (await open()).recognize(png, opts),
    async close() {
      const closing = engine;
      engine = null;
      opened = null;
      if (closing) await (await closing.catch(() => null))?.close();
    },
  };
}
