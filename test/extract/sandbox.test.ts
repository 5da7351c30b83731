// The sandbox when its threads cannot start: each waiting document fails at once with a retryable error
// that says why (no document waits for ever on a thread that died or hangs while loading), and the next
// document gets a fresh thread. Its operations (read, count pages, find the embedded e-invoice, render
// pages), each bounded by the time limit on a hostile PDF.
// Test tier: full (no server, but too slow for `npm test -- --fast`).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { DocumentError } from '../../extract/errors.js';
import { createExtractor } from '../../extract/index.js';
import { DEFAULT_LIMITS } from '../../extract/limits.js';
import type { ModelReader, ModelRequest } from '../../extract/model/client.js';
import { createSandbox } from '../../extract/sandbox.js';
import { isAlive } from '../../scripts/lib/processes.js';
import { eInvoiceSpec, makeFacturXPdf } from '../../testkit/einvoice.js';
import { contentBombPdf, manyPagesPdf, pngOf } from '../support/hostile-files.js';
import { xrefStallPdf } from '../support/stall-pdf.js';
import { makeImageOnlyPdf, makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { eventually } from '../support/eventually.js';
import { multiPageTiff } from '../../testkit/scan.js';

const fixture = (name: string) => new URL(`../fixtures/sandbox/${name}`, import.meta.url);
const pdf = () =>
  makeInvoicePdf({
    invoiceNumber: 'SB-1',
    poNumber: '123456',
    vendorName: 'Acme Fasteners Inc.',
    invoiceDate: '2026-11-02',
    lines: [{ description: 'Bolt', quantity: 1, unitPrice: '1.00' }],
  });

// Only the thread that never gets ready waits for the start timeout; the others fail long before it.
for (const [file, startTimeoutMs, reason] of [
  ['exits-while-loading.mjs', 60_000, /did not start: it exited with code 3 while loading/],
  ['throws-while-loading.mjs', 60_000, /did not start: cannot load the reader/],
  ['never-gets-ready.mjs', 300, /did not start: it was not ready after 0\.3 s/],
] as const) {
  test(`a thread that ${file.replace('.mjs', '').replaceAll('-', ' ')} fails its documents with the reason, not a DocumentError`, async () => {
    const sandbox = createSandbox({
      limits: DEFAULT_LIMITS,
      ocr: null,
      threads: 1,
      entry: fixture(file),
      startTimeoutMs,
    });
    try {
      const bytes = await pdf();
      // Two documents queued on one thread: the second gets a fresh thread, which fails the same way.
      const results = await Promise.allSettled([sandbox.read(bytes, 'a.pdf'), sandbox.read(bytes, 'b.pdf')]);
      for (const result of results) {
        assert.equal(result.status, 'rejected');
        const error = result.reason as Error;
        assert.ok(!(error instanceof DocumentError), 'a reader that did not start says nothing about the document');
        assert.match(error.message, reason);
      }
    } finally {
      await sandbox.close();
    }
  });
}

test('after a failed start the real reader reads the document', async () => {
  const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 1 });
  try {
    const result = await sandbox.read(await pdf(), 'ok.pdf');
    assert.ok(result.pages.some((p) => p.lines.some((l) => l.segments.some((s) => s.text.includes('SB-1')))));
  } finally {
    await sandbox.close();
  }
});

test('a caller that gives up takes its document out of the queue, or stops its thread; the next is read', async () => {
  const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 1 });
  try {
    const bytes = await pdf();
    const running = new AbortController();
    const queued = new AbortController();
    const first = sandbox.read(bytes, 'first.pdf', running.signal);
    const second = sandbox.read(bytes, 'second.pdf', queued.signal);
    const third = sandbox.read(bytes, 'third.pdf');
    queued.abort(new Error('activity timed out'));
    running.abort(new Error('activity cancelled'));
    await assert.rejects(first, {
      name: 'AbortError',
      message: 'Reading first.pdf was abandoned: activity cancelled.',
    });
    await assert.rejects(second, {
      name: 'AbortError',
      message: 'Reading second.pdf was abandoned: activity timed out.',
    });
    assert.ok((await third).pages.length > 0, 'the document after them is read on a fresh thread');
    const gone = new AbortController();
    gone.abort(new Error('too late'));
    await assert.rejects(sandbox.read(bytes, 'late.pdf', gone.signal), /abandoned: too late/);
  } finally {
    await sandbox.close();
  }
});

// The other operations that open an untrusted document run in the same bounded threads.

const TIGHT = { ...DEFAULT_LIMITS, timeoutMs: 500 };
/** Stopped by the time limit or, on a slow machine where it grows first, by the memory limit. */
const stopped = (doing: string, file: string) => (error: unknown) => {
  assert.ok(error instanceof DocumentError, String(error));
  assert.ok(['timeout', 'out_of_memory'].includes(error.kind), error.message);
  assert.match(
    error.message,
    new RegExp(
      `^${doing} ${file.replace('.', '\\.')} (took longer than 0\\.5 s and was stopped|needed more than \\d+ MB of memory)`,
    ),
  );
  return true;
};

test("the operations: a PDF's page count, its embedded e-invoice, page images, each in the thread", async () => {
  const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 1 });
  try {
    const bytes = await pdf();
    assert.equal(await sandbox.countPages(manyPagesPdf(3), 'three.pdf'), 3);
    assert.equal(await sandbox.countPages(bytes, 'one.pdf'), 1);
    await assert.rejects(sandbox.countPages(pngOf(10, 10, { withData: true }), 'photo.png'), {
      name: 'DocumentError',
      kind: 'unsupported_type',
    });

    const spec = eInvoiceSpec(7);
    const embedded = await sandbox.embeddedEInvoice(await makeFacturXPdf(spec), 'facturx.pdf');
    assert.equal(embedded.kind, 'found');
    assert.ok(
      new TextDecoder()
        .decode(embedded.kind === 'found' ? embedded.invoice.bytes : undefined)
        .includes(`>${spec.invoiceNumber}<`),
    );
    assert.deepEqual(await sandbox.embeddedEInvoice(bytes, 'plain.pdf'), { kind: 'none' });

    const images = await sandbox.renderPages(manyPagesPdf(3), 'three.pdf', [1, 3, 9]);
    assert.equal(images.length, 2, 'page 9 does not exist and is left out');
    for (const png of images)
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  } finally {
    await sandbox.close();
  }
});

test('a hostile PDF is stopped by the time limit in every operation, and the thread after it serves the next', async () => {
  const sandbox = createSandbox({ limits: TIGHT, ocr: null, threads: 1 });
  try {
    const stall = xrefStallPdf();
    const bomb = contentBombPdf(40);
    await assert.rejects(sandbox.countPages(stall, 'stall.pdf'), stopped('Opening', 'stall.pdf'));
    await assert.rejects(
      sandbox.embeddedEInvoice(stall, 'stall.pdf'),
      stopped('Looking for the e-invoice in', 'stall.pdf'),
    );
    await assert.rejects(sandbox.renderPages(bomb, 'bomb.pdf', [1]), stopped('Rendering the pages of', 'bomb.pdf'));
    await assert.rejects(sandbox.read(bomb, 'bomb.pdf'), stopped('Reading', 'bomb.pdf'));
    assert.equal(await sandbox.countPages(manyPagesPdf(2), 'two.pdf'), 2, 'a fresh thread counts the next PDF');
  } finally {
    await sandbox.close();
  }
});

test('a caller that gives up stops any operation, with what it was doing', async () => {
  const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 1 });
  try {
    const gone = new AbortController();
    const counting = sandbox.countPages(xrefStallPdf(), 'stall.pdf', gone.signal);
    setTimeout(() => gone.abort(new Error('request closed')), 200);
    await assert.rejects(counting, { name: 'AbortError', message: 'Opening stall.pdf was abandoned: request closed.' });
    assert.equal(await sandbox.countPages(manyPagesPdf(1), 'one.pdf'), 1);
  } finally {
    await sandbox.close();
  }
});

test("an isolated extractor renders the AI model's page images in its sandbox", async () => {
  const requests: ModelRequest[] = [];
  const reader: ModelReader = {
    model: 'recording',
    read: async (request) => {
      requests.push(request);
      return {
        outcome: 'refused',
        warning: 'The AI model declined to read the invoice: test.',
        model: 'recording',
        promptTokens: 0,
        completionTokens: 0,
      };
    },
  };
  const extractor = createExtractor({ isolate: { threads: 1 }, ocr: null, model: { reader } });
  try {
    const extraction = await extractor.extract({
      bytes: await makeImageOnlyPdf(),
      mimeType: 'application/pdf',
      fileName: 'scan.pdf',
    });
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.images.length, 1, 'the page without a text layer goes to the model as an image');
    const png = Buffer.from(requests[0]!.images[0]!.replace(/^data:image\/png;base64,/, ''), 'base64');
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(
      !extraction.warnings.some((w) => w.includes('page images could not be prepared')),
      extraction.warnings.join(' | '),
    );
  } finally {
    await extractor.close?.();
  }
});

test('a reading thread left idle is stopped, giving its memory back; the next document starts a new one', async () => {
  const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 2, idleMs: 300 });
  try {
    const bytes = await pdf();
    assert.equal(sandbox.threads(), 0, 'threads start on first use');
    // Two documents at once are read by two readers. On a loaded machine one may finish and idle out
    // (300 ms) before the other is done, so the count is watched while they read, not only after.
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, sandbox.threads())), 5);
    await Promise.all([sandbox.read(bytes, 'a.pdf'), sandbox.read(bytes, 'b.pdf')]).finally(() => clearInterval(watch));
    assert.equal(Math.max(most, sandbox.threads()), 2, 'two readers for two documents at once');
    await eventually('idle threads were stopped', () => sandbox.threads() === 0, { timeoutMs: 10_000, intervalMs: 50 });
    const again = await sandbox.read(bytes, 'c.pdf');
    assert.ok(again.pages.length > 0);
    assert.equal(sandbox.threads(), 1);
  } finally {
    await sandbox.close();
  }
});

test('a reading thread is replaced after its share of documents; reading goes on', async () => {
  const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 1, idleMs: 0, maxJobsPerThread: 2 });
  try {
    const bytes = await pdf();
    await sandbox.read(bytes, '1.pdf');
    assert.equal(sandbox.threads(), 1);
    await sandbox.read(bytes, '2.pdf');
    assert.equal(sandbox.threads(), 0, 'retired after its second document');
    await sandbox.read(bytes, '3.pdf');
    assert.equal(sandbox.threads(), 1, 'a new thread for the third');
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(sandbox.threads(), 1, 'with idleMs 0 a thread is kept');
  } finally {
    await sandbox.close();
  }
});

test("a scanner's multi-page TIFF is cut into image-only PDFs of its frames, at the size its resolution gives; the same cut gives the same bytes", async () => {
  const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 1 });
  try {
    const frame = (grey: number) =>
      sharp({ create: { width: 400, height: 566, channels: 3, background: { r: grey, g: grey, b: grey } } })
        .png()
        .toBuffer();
    const tiff = await multiPageTiff([await frame(250), await frame(200), await frame(150)], 100);
    const ranges = [
      { fromPage: 1, toPage: 2, subject: 'batch.tif: pages 1-2 (split 1)' },
      { fromPage: 3, toPage: 3, subject: 'batch.tif: pages 3-3 (split 1)' },
    ];
    const parts = await sandbox.cutPages(tiff, 'batch.tif', ranges);
    assert.deepEqual(await Promise.all(parts.map((p) => sandbox.countPages(p, 'part.pdf'))), [2, 1]);
    for (const part of parts) {
      const doc = await PDFDocument.load(part);
      for (const page of doc.getPages()) assert.deepEqual([page.getWidth(), page.getHeight()], [288, 407.52]); // 400 × 566 px at 100 dpi
    }
    const again = await sandbox.cutPages(tiff, 'batch.tif', ranges);
    assert.deepEqual(
      again.map((p) => Buffer.from(p)),
      parts.map((p) => Buffer.from(p)),
    );
  } finally {
    await sandbox.close();
  }
});

test('cutting a file into its invoices runs in a reader: one PDF per range with its pages; a file that is no PDF is refused', async () => {
  const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 1 });
  try {
    const two = await PDFDocument.create();
    for (const bytes of [await pdf(), await pdf()]) {
      const src = await PDFDocument.load(bytes);
      for (const page of await two.copyPages(src, src.getPageIndices())) two.addPage(page);
    }
    const parts = await sandbox.cutPages(await two.save(), 'two.pdf', [
      { fromPage: 1, toPage: 1, subject: 'a' },
      { fromPage: 2, toPage: 2, subject: 'b' },
    ]);
    assert.equal(parts.length, 2);
    for (const part of parts) assert.equal(await sandbox.countPages(part, 'part.pdf'), 1);
    await assert.rejects(
      sandbox.cutPages(pngOf(4, 4), 'image.png', [{ fromPage: 1, toPage: 1, subject: 'x' }]),
      (e: unknown) => e instanceof DocumentError && e.kind === 'unsupported_type',
    );
  } finally {
    await sandbox.close();
  }
});

test('a reader stopped by its time limit takes the OCR programs it started with it', async () => {
  // A stand-in for the program that says it is Tesseract 5, notes its process id, and then never finishes.
  const dir = mkdtempSync(join(tmpdir(), 'plexsync-slow-ocr-'));
  const pids = join(dir, 'pids');
  writeFileSync(
    join(dir, 'tesseract'),
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "tesseract 5.3.0"; exit 0; fi\necho $$ >> '${pids}'\nexec sleep 120\n`,
    { mode: 0o755 },
  );
  const path = process.env.PATH;
  process.env.PATH = `${dir}:${path}`;
  const sandbox = createSandbox({
    limits: { ...DEFAULT_LIMITS, timeoutMs: 3_000 },
    ocr: { languages: ['eng'], deskew: false, engine: 'tesseract' },
    threads: 1,
  });
  try {
    await assert.rejects(sandbox.read(pngOf(800, 1000), 'scan.png'), /took longer than 3 s/);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    assert.ok(started.length >= 1, 'the reader started the program');
    await eventually(
      () => `the programs ${started.filter(isAlive).join(', ')} still run after their reader was stopped`,
      () => started.every((pid) => !isAlive(pid)),
      { timeoutMs: 5_000 },
    );
  } finally {
    process.env.PATH = path;
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
