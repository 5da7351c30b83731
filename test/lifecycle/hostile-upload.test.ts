// A hostile file that passes the upload's quick checks fails only its own invoice, with the reason, in the
// real worker: the sandbox stops it (pixel, page and time limits) and the next good invoice is read as usual.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { contentBombPdf, manyPagesPdf, pngOf } from '../support/hostile-files.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
before(async () => {
  // Tight limits so the content bomb is stopped quickly; OCR off: these files never get that far.
  stack = await startStack({ env: { EXTRACT_TIMEOUT: '4s', EXTRACT_MAX_PAGES: '20', OCR_ENABLED: 'false' } });
});
after(async () => {
  await stack?.stop();
});

describe('hostile uploads in the whole lifecycle', () => {
  test('each hostile file goes to review with its reason and empty fields; the worker then reads a good invoice', async () => {
    const hostile: Array<[string, Uint8Array, RegExp]> = [
      ['bomb.png', pngOf(20_000, 20_000), /The PNG image is 20,000 × 20,000 pixels/],
      [
        'drawing.pdf',
        contentBombPdf(40),
        /Reading drawing\.pdf (took longer than 4 s|needed more than \d+ MB of memory)/,
      ],
    ];
    for (const [name, bytes, reason] of hostile) {
      const id = await stack.uploadOne(name, bytes);
      const state = await stack.waitFor(id, (s) => s.status === 'awaiting_review', 90_000);
      assert.ok(
        state.errors.some((e) => reason.test(e)),
        `${name}: ${JSON.stringify(state.errors)}`,
      );
      assert.equal(state.extraction, null, `${name} has no extraction`);
      assert.equal(state.fields.invoiceNumber, null);
    }

    // Its pages were counted at upload: refused there, before a reading thread spends time on it.
    const long = await stack.upload([{ name: 'thousand-pages.pdf', bytes: manyPagesPdf(1000) }]);
    assert.equal(long.status, 422);
    assert.match(
      ((await long.json()) as { error: { message: string } }).error.message,
      /thousand-pages\.pdf: The PDF has 1,000 pages; invoices of up to 20 pages are read/,
    );

    const spec = uniqueInvoice();
    const id = await stack.uploadOne('good.pdf', await makeInvoicePdf(spec));
    const state = await stack.waitFor(
      id,
      (s) => s.extraction !== null && s.status !== 'parsing' && s.status !== 'matching',
      90_000,
    );
    assert.equal(state.fields.invoiceNumber, spec.invoiceNumber);
    assert.deepEqual(state.errors, []);
  });
});
