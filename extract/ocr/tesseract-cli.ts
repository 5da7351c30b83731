// The OCR engine as a native program: the `tesseract` command (Tesseract 5, e.g. Debian's tesseract-ocr
// package) run once per page, reading the same language models as tesseract.js (the @tesseract.js-data
// npm packages, unpacked once into a private folder), so the two engines differ only in how the network is
// run: natively it costs about a third less CPU per page than in WebAssembly (docs/decisions/ocr-engine.md).
// One page at a time on one core (OMP_THREAD_LIMIT=1): a reader process reads one page at a time, and
// several reader processes share the cores.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { languageDataFile, type OcrEngine, type OcrWord } from './engine.js';
import type { OcrLanguage } from './languages.js';

export interface TesseractCliOptions {
  /** The program to run (default `tesseract` on the PATH). */
  binary?: string;
  /** Pages of one document read at once, one process and one core each (default 2, at most the cores). */
  pagesAtOnce?: number;
  /** A page that takes longer than this is abandoned (default 60 s). */
  timeoutMs?: number;
}

export class OcrEngineError extends Error {
  override name = 'OcrEngineError';
}

/** Runs `binary --version`; the version line, or null when the program is missing or is not Tesseract 4+. */
export async function tesseractVersion(binary = 'tesseract'): Promise<string | null> {
  const run = await runProgram(binary, ['--version'], null, 10_000).catch(() => null);
  const line = run && run.code === 0 ? `${run.stdout}\n${run.stderr}`.match(/tesseract\s+v?(\d+)\.\d+[^\n]*/i) : null;
  return line && Number(line[1]) >= 4 ? line[0].trim() : null;
}

export function createTesseractCliEngine(languages: readonly OcrLanguage[], opts: TesseractCliOptions = {}): OcrEngine {
  if (!languages.length) throw new Error('OCR needs at least one language');
  const binary = opts.binary ?? 'tesseract';
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let folder: Promise<string> | null = null;
  const models = () => (folder ??= unpackModels(languages));
  return {
    languages,
    pagesAtOnce: opts.pagesAtOnce ?? Math.min(2, availableParallelism()),
    readsByLanguage: true,
    async recognize(png, { dpi, only }) {
      const tessdata = await models();
      const some = only?.filter((l) => languages.includes(l));
      const args = [
        'stdin',
        'stdout',
        '--tessdata-dir',
        tessdata,
        '-l',
        (some?.length ? some : languages).join('+'),
        '--oem',
        '1',
        '--psm',
        '3',
        '--dpi',
        String(Math.round(dpi)),
        '-c',
        'preserve_interword_spaces=1',
        '-c',
        'tessedit_create_hocr=1',
      ];
      const run = await runProgram(binary, args, png, timeoutMs);
      if (run.code !== 0)
        throw new OcrEngineError(
          `${binary} exited with ${run.code ?? run.signal}: ${run.stderr.trim().split('\n').slice(-2).join(' ')}`,
        );
      return wordsOfHocr(run.stdout);
    },
    async close() {
      const unpacked = folder;
      folder = null;
      if (unpacked) await rm(await unpacked, { recursive: true, force: true });
    },
  };
}

/** The gzip'd models of the npm packages, unpacked side by side into a private temporary folder. */
async function unpackModels(languages: readonly OcrLanguage[]): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'plexsync-tessdata-'));
  await Promise.all(
    languages.map((code) =>
      pipeline(
        createReadStream(languageDataFile(code)),
        createGunzip(),
        createWriteStream(path.join(folder, `${code}.traineddata`)),
      ),
    ),
  );
  return folder;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runProgram(binary: string, args: string[], input: Uint8Array | null, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new OcrEngineError(`${binary} could not be started: ${error.message}`)));
    // The program may exit before it has read all of its input (a bad argument): that is its exit code's story.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      const run = { code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString() };
      if (signal === 'SIGKILL' && code === null)
        reject(new OcrEngineError(`${binary} took longer than ${timeoutMs} ms on one page and was stopped`));
      else resolve(run);
    });
    child.stdin.end(input ?? undefined);
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) =>
      entity[0] === '#'
        ? String.fromCodePoint(
            entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)),
          )
        : (ENTITIES[entity.toLowerCase()] ?? whole),
    );

const LINE = /<span class='(?:ocr_line|ocr_caption|ocr_header|ocr_textfloat)' id='[^']*' title="([^"]*)">/g;
const WORD = /<span class='ocrx_word' id='[^']*' title='([^']*)'[^>]*>([\s\S]*?)<\/span>/g;
const numbers = (title: string, key: string): number[] | null => {
  const found = new RegExp(`(?:^|;)\\s*${key}\\s+([-\\d.\\s]+)`).exec(title);
  return found ? found[1]!.trim().split(/\s+/).map(Number) : null;
};

/**
 * Words of Tesseract's hOCR, as tesseract.js reports them: each with its box, its confidence, and its line's
 * baseline (hOCR gives a slope and an offset from the line box's bottom-left corner) and top.
 */
export function wordsOfHocr(hocr: string): OcrWord[] {
  const words: OcrWord[] = [];
  const starts = [...hocr.matchAll(LINE)];
  starts.forEach((start, i) => {
    const body = hocr.slice(start.index + start[0].length, starts[i + 1]?.index ?? hocr.length);
    const [x0 = 0, , x1 = 0, y1 = 0] = numbers(start[1]!, 'bbox') ?? [];
    const [slope, offset] = numbers(start[1]!, 'baseline') ?? [];
    const baseline =
      slope !== undefined && offset !== undefined && x1 > x0
        ? { x0, y0: y1 + offset, x1, y1: y1 + offset + slope * (x1 - x0) }
        : null;
    const lineWords = [...body.matchAll(WORD)].flatMap(([, title, html]) => {
      const text = decode(html!).trim();
      const box = numbers(title!, 'bbox');
      if (!text || !box || box.length !== 4) return [];
      const [wx0, wy0, wx1, wy1] = box as [number, number, number, number];
      return [
        { text, confidence: (numbers(title!, 'x_wconf')?.[0] ?? 0) / 100, box: { x0: wx0, y0: wy0, x1: wx1, y1: wy1 } },
      ];
    });
    if (!lineWords.length) return;
    const top = Math.min(...lineWords.map((w) => w.box.y0));
    for (const word of lineWords) words.push({ ...word, line: { id: i + 1, baseline, top } });
  });
  return words;
}
