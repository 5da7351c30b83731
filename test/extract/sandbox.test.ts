// The sandbox when its threads cannot start: each waiting document fails at once with a retryable error
// that says why (no document waits for ever on a thread that died or hangs while loading), and the next
// document gets a fresh thread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentError } from '../../extract/errors.js';
import { DEFAULT_LIMITS } from '../../extract/limits.js';
import { createSandbox } from '../../extract/sandbox.js';
import { makeInvoicePdf } from '../support/invoice-pdf.js';

const fixture = (name: string) => new URL(`../fixtures/sandbox/${name}`, import.meta.url);
const pdf = () => makeInvoicePdf({ invoiceNumber: 'SB-1', poNumber: '123456', vendorName: 'Acme Fasteners Inc.', invoiceDate: '2026-11-02', lines: [{ description: 'Bolt', quantity: 1, unitPrice: '1.00' }] });

// Only the thread that never gets ready waits for the start timeout; the others fail long before it.
for (const [file, startTimeoutMs, reason] of [
  ['exits-while-loading.mjs', 60_000, /did not start: it exited with code 3 while loading/],
  ['throws-while-loading.mjs', 60_000, /did not start: cannot load the reader/],
  ['never-gets-ready.mjs', 300, /did not start: it was not ready after 0\.3 s/],
] as const) {
  test(`a thread that ${file.replace('.mjs', '').replaceAll('-', ' ')} fails its documents with the reason, not a DocumentError`, async () => {
    const sandbox = createSandbox({ limits: DEFAULT_LIMITS, ocr: null, threads: 1, entry: fixture(file), startTimeoutMs });
    try {
      const bytes = await pdf();
      // Two documents queued on one thread: the second gets a fresh thread, which fails the same way.
      const results = await Promise.allSettled([sandbox.read(bytes, 'a.pdf'), sandbox.read(bytes, 'b.pdf')]);
      for (const result of results) {
        assert.equal(result.status, 'rejected');
        const error = (result as PromiseRejectedResult).reason as Error;
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
    await assert.rejects(first, { name: 'AbortError', message: 'Reading first.pdf was abandoned: activity cancelled.' });
    await assert.rejects(second, { name: 'AbortError', message: 'Reading second.pdf was abandoned: activity timed out.' });
    assert.ok((await third).pages.length > 0, 'the document after them is read on a fresh thread');
    const gone = new AbortController();
    gone.abort(new Error('too late'));
    await assert.rejects(sandbox.read(bytes, 'late.pdf', gone.signal), /abandoned: too late/);
  } finally {
    await sandbox.close();
  }
});
