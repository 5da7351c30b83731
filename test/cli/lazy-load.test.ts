// `plexsync extract` of a text PDF loads none of the packages only scans need (sharp, @napi-rs/canvas,
// tesseract.js): they cost most of the command's start-up. A scanned PDF loads sharp and the canvas and is
// still read: by the native tesseract program when it is installed (as in the tests), and by tesseract.js,
// which it then loads too, with OCR_ENGINE=tesseract.js.
// The built command runs with a preload that lists, at exit, every file require() loaded (native addons
// and CommonJS packages, also those imported from ES modules).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ExtractionContract } from '../../extract/contract.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { scanOf } from '../../testkit/scan.js';
import { uniqueInvoice } from '../../testkit/stack.js';
import { ROOT } from './npx.js';

const dir = mkdtempSync(join(tmpdir(), 'plexsync-cli-lazy-'));
const PRELOAD = join(dir, 'list-loaded.cjs');
writeFileSync(
  PRELOAD,
  `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_LIST, JSON.stringify(Object.keys(require.cache))));\n`,
);

/** Runs `plexsync extract FILE --json` and returns the contract and the files require() loaded. */
function extractListingLoads(
  file: string,
  env: Record<string, string> = {},
): { contract: ExtractionContract; loaded: string[] } {
  const list = join(dir, 'loaded.json');
  const r = spawnSync(
    process.execPath,
    ['--require', PRELOAD, join(ROOT, 'bin', 'plexsync.js'), 'extract', file, '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOADED_LIST: list, ...env },
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return {
    contract: ExtractionContract.parse(JSON.parse(r.stdout)),
    loaded: JSON.parse(readFileSync(list, 'utf8')) as string[],
  };
}

/** The scan-only packages among the loaded files: a native addon (.node) or tesseract.js's sources. */
const scanPackages = (loaded: string[]) => ({
  canvas: loaded.some((f) => /@napi-rs[/\\]canvas-[^/\\]+[/\\].*\.node$/.test(f)),
  sharp: loaded.some((f) => /@img[/\\]sharp-[^/\\]+[/\\].*\.node$/.test(f)),
  tesseract: loaded.some((f) => /[/\\]tesseract\.js[/\\]/.test(f)),
});

test('extract of a text PDF loads neither sharp, @napi-rs/canvas nor tesseract.js; a scan loads what its OCR engine needs and is read', async () => {
  const invoice = uniqueInvoice();
  const text = join(dir, 'text.pdf');
  writeFileSync(text, await makeInvoicePdf(invoice));
  const read = extractListingLoads(text);
  assert.equal(read.contract.fields.invoiceNumber.value, invoice.invoiceNumber);
  assert.deepEqual(scanPackages(read.loaded), { canvas: false, sharp: false, tesseract: false });

  // The control: the same listing sees them when a page has to be rendered and recognised, by the native
  // program (OCR_ENGINE=auto) or by tesseract.js.
  const scanned = join(dir, 'scan.pdf');
  writeFileSync(scanned, (await scanOf(await makeInvoicePdf(invoice), { seed: 7 })).pdf);
  const ocr = extractListingLoads(scanned);
  assert.equal(ocr.contract.fields.invoiceNumber.value, invoice.invoiceNumber);
  assert.deepEqual(scanPackages(ocr.loaded), { canvas: true, sharp: true, tesseract: false });
  const wasm = extractListingLoads(scanned, { OCR_ENGINE: 'tesseract.js' });
  assert.equal(wasm.contract.fields.invoiceNumber.value, invoice.invoiceNumber);
  assert.deepEqual(scanPackages(wasm.loaded), { canvas: true, sharp: true, tesseract: true });
});
