// Accuracy on real invoices: the development corpus of hybrid e-invoice PDFs (test/fixtures/real-einvoices),
// read visually with the e-invoice stage off and scored against their embedded XML on the fields each page
// shows (testkit/real-corpus.ts; `npm run bench:real` prints the same figures, plus scans). Floors are
// the figures measured when they were set: raise them as the reading improves, never lower them. Nothing
// may be wrong at the auto-approval confidence.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import {
  formatRealMisses,
  formatRealSummary,
  loadRealCorpus,
  pageTextOf,
  scoreRealAmountDue,
  scoreRealHeader,
  scoreRealLines,
  summariseReal,
  truthOf,
  type RealField,
  type RealResult,
  type RealSummary,
} from '../../testkit/real-corpus.js';

// Fields exact of those the pages show (67 invoices, text layer), as measured (README, Extraction).
const FLOORS: Record<RealField, number> = {
  invoiceNumber: 64,
  invoiceDate: 67,
  dueDate: 20,
  vendorName: 65,
  currency: 67,
  subtotal: 66,
  tax: 65,
  total: 67,
  poNumbers: 19,
};
const MIN_HEADER_EXACT = 500;
// the amount due (BT-115), scored apart from the header fields: the invoices that print only the gross total miss it
const MIN_AMOUNT_DUE = 56;
const MIN_LINES_EXACT = 157;

const extractor = createExtractor({ einvoice: false });
const results: RealResult[] = [];
let summary: RealSummary;

before(async () => {
  for (const invoice of loadRealCorpus()) {
    const doc = { bytes: invoice.pdf, mimeType: 'application/pdf', fileName: `${invoice.name}.pdf` };
    const [truth, measured, pages] = [
      await truthOf(invoice),
      await extractor.extract(doc),
      await extractor.readPages(doc),
    ];
    const pageText = pageTextOf(pages);
    results.push({
      invoice,
      header: scoreRealHeader(measured, truth, pageText),
      amountDue: scoreRealAmountDue(measured, truth, pageText),
      lines: scoreRealLines(measured, truth, pageText),
      confidence: measured.confidence,
      pages: measured.pageCount,
      ms: 0,
    });
  }
  summary = summariseReal(results);
  console.log(`\nReal corpus, text PDFs:\n${formatRealSummary(summary)}\n\nMisses:\n${formatRealMisses(results)}`);
});
after(() => extractor.close?.());

describe('real development corpus', () => {
  test('the corpus is all there and every invoice carries its truth', () => {
    assert.equal(results.length, 67);
    assert.ok(summary.headerTotal >= 480, `${summary.headerTotal} fields shown on the pages`);
  });

  test('no field is read wrong at the auto-approval confidence, and no invoice that could be approved unseen has a wrong field', () => {
    assert.deepEqual(summary.wrongConfident, []);
    assert.deepEqual(summary.autoApprovedWrong, []);
  });

  test('each field is read at least as often as when its floor was set', () => {
    for (const [field, { ok, total }] of summary.perField)
      assert.ok(ok >= FLOORS[field], `${field}: ${ok}/${total}, floor ${FLOORS[field]}`);
    assert.ok(
      summary.headerOk >= MIN_HEADER_EXACT,
      `all header fields ${summary.headerOk}/${summary.headerTotal}, floor ${MIN_HEADER_EXACT}`,
    );
    assert.ok(summary.lines.exact >= MIN_LINES_EXACT, `line items ${summary.lines.exact}/${summary.lines.expected}`);
  });

  test('the amount due is read where the page prints it, and never wrong at the auto-approval confidence', () => {
    assert.ok(
      summary.amountDue.ok >= MIN_AMOUNT_DUE,
      `amount due ${summary.amountDue.ok}/${summary.amountDue.total}, floor ${MIN_AMOUNT_DUE}`,
    );
    assert.equal(summary.amountDue.wrongConfident, 0);
  });
});
