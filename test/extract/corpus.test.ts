// Accuracy on the seeded corpus of generated invoices (testkit/corpus.ts): every header field exact on
// at least 95% of the text PDFs, line items read, confidence honest; plus focused cases per language and
// per format. Prints the per-field table so a regression shows which field moved.
// Test tier: full (no server, but too slow for `npm test -- --fast`).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Extraction, type Extraction as ExtractionType } from '../../domain/extraction.js';
import { createExtractor } from '../../extract/index.js';
import { generateCorpus, type CorpusInvoice, type CorpusLang } from '../../testkit/corpus.js';
import { formatReport, scoreHeader, scoreLines, summarise } from '../../testkit/corpus-score.js';

const SEED = 20_251_103;
const COUNT = 90;
const extractor = createExtractor();
const extract = async (invoice: CorpusInvoice) =>
  Extraction.parse(
    await extractor.extract({ bytes: invoice.pdf, mimeType: 'application/pdf', fileName: `${invoice.name}.pdf` }),
  );

let corpus: CorpusInvoice[] = [];
const results = new Map<string, ExtractionType>();
before(async () => {
  corpus = await generateCorpus({ seed: SEED, count: COUNT });
  for (const invoice of corpus) results.set(invoice.name, await extract(invoice));
});

describe('seeded corpus', () => {
  test('the corpus is reproducible and varied', async () => {
    const again = await generateCorpus({ seed: SEED, count: 6 });
    assert.deepEqual(
      again.map((i) => i.truth),
      corpus.slice(0, 6).map((i) => i.truth),
    );
    const traits = (key: keyof CorpusInvoice['traits']) => new Set(corpus.map((i) => String(i.traits[key])));
    assert.equal(traits('lang').size, 6);
    for (const key of [
      'vendorSide',
      'metaStyle',
      'billTo',
      'borders',
      'amountStyle',
      'dateStyle',
      'currencyDisplay',
      'credit',
      'pages',
    ] as const) {
      assert.ok(traits(key).size >= 2, `${key} varies`);
    }
    assert.ok(new Set(corpus.map((i) => i.truth.currency)).size >= 4, 'several currencies');
    assert.ok(
      corpus.some((i) => (i.truth.poNumbers?.length ?? 0) > 1),
      'invoices with several PO numbers',
    );
  });

  test('at least 95% of each header field is exact on text PDFs; line items are read', () => {
    const scores = corpus.map((invoice) => ({
      header: scoreHeader(results.get(invoice.name)!, invoice.truth),
      lines: scoreLines(results.get(invoice.name)!, invoice.truth),
    }));
    const report = summarise(scores);
    console.log(`\nCorpus: ${corpus.length} invoices, seed ${SEED}\n${formatReport(report)}`);
    const misses = corpus.flatMap((invoice, i) =>
      scores[i]!.header.filter((s) => !s.ok).map(
        (s) => `${invoice.name} ${s.field}: expected ${s.expected}, read ${s.actual}`,
      ),
    );
    if (misses.length) console.log(misses.join('\n'));
    for (const [field, { ok, total }] of report.perField) assert.ok(ok / total >= 0.95, `${field}: ${ok}/${total}`);
    assert.ok(report.headerOk / report.headerTotal >= 0.97, `all fields ${report.headerOk}/${report.headerTotal}`);
    assert.ok(
      report.lines.exactRows / report.lines.expectedRows >= 0.9,
      `line items ${report.lines.exactRows}/${report.lines.expectedRows}`,
    );
  });

  test('high confidence is earned: no invoice at or above 0.95 has a wrong field the sync needs', () => {
    const sync = new Set(['invoiceNumber', 'invoiceDate', 'vendorName', 'total', 'poNumbers']);
    let confident = 0;
    for (const invoice of corpus) {
      const extraction = results.get(invoice.name)!;
      if (extraction.confidence < 0.95) continue;
      confident++;
      const wrong = scoreHeader(extraction, invoice.truth).filter((s) => sync.has(s.field) && !s.ok);
      assert.deepEqual(wrong, [], `${invoice.name} has confidence ${extraction.confidence}`);
    }
    // and confidence is not withheld wholesale: most invoices with a PO number could be auto-approved
    const withPo = corpus.filter((i) => i.truth.poNumbers).length;
    assert.ok(confident >= 0.5 * withPo, `${confident} of ${withPo} invoices with a PO number reach 0.95`);
    const withoutPo = corpus.filter((i) => !i.truth.poNumbers);
    for (const invoice of withoutPo)
      assert.ok(results.get(invoice.name)!.confidence < 0.5, `${invoice.name} without PO number`);
  });

  test('every field found has its page and box on that page, from the text layer', () => {
    for (const invoice of corpus) {
      const extraction = results.get(invoice.name)!;
      for (const [name, field] of Object.entries(extraction.fields)) {
        if (field.value === null) continue;
        const provenance = field.provenance;
        assert.ok(provenance?.box, `${invoice.name} ${name} has a box`);
        assert.equal(provenance.source, 'text');
        const page = extraction.pages[provenance.page - 1]!;
        const box = provenance.box;
        assert.ok(
          box.x >= 0 && box.y >= 0 && box.x + box.width <= page.width + 1 && box.y + box.height <= page.height + 1,
          `${invoice.name} ${name} ${JSON.stringify(box)}`,
        );
      }
    }
  });
});

describe('per language and format', () => {
  const langs: CorpusLang[] = ['en-US', 'en-GB', 'de', 'fr', 'nl', 'es'];
  for (const lang of langs) {
    test(`${lang}: invoice number, dates, amounts and PO numbers exact`, async () => {
      const invoices = await generateCorpus({ seed: 99, count: 6, langs: [lang] });
      for (const invoice of invoices) {
        const extraction = await extract(invoice);
        const wrong = scoreHeader(extraction, invoice.truth).filter(
          (s) =>
            !s.ok &&
            ['invoiceNumber', 'invoiceDate', 'dueDate', 'subtotal', 'tax', 'total', 'poNumbers', 'currency'].includes(
              s.field,
            ),
        );
        assert.deepEqual(wrong, [], `${invoice.name} (${JSON.stringify(invoice.traits)})`);
      }
    });
  }

  test('credit notes: negative amounts however they are printed (-1,234.56 / 1.234,56- / (1,234.56))', async () => {
    const invoices = await generateCorpus({ seed: 5, count: 8, only: { credit: true } });
    for (const invoice of invoices) {
      const { fields, lineItems } = await extract(invoice);
      assert.ok(invoice.truth.total.startsWith('-'));
      assert.equal(fields.total.value, invoice.truth.total, invoice.name);
      assert.equal(fields.subtotal.value, invoice.truth.subtotal, invoice.name);
      assert.deepEqual(
        lineItems.map((l) => l.amount.value),
        invoice.truth.lineItems.map((l) => l.amount),
        invoice.name,
      );
    }
  });

  test('multi-page invoices: carried-forward sums are neither line items nor totals', async () => {
    const invoices = (await generateCorpus({ seed: 11, count: 60 })).filter((i) => i.traits.pages > 1).slice(0, 4);
    assert.ok(invoices.length >= 2, 'the corpus has multi-page invoices');
    for (const invoice of invoices) {
      const extraction = await extract(invoice);
      assert.equal(extraction.pageCount, 2);
      assert.equal(extraction.lineItems.length, invoice.truth.lineItems.length, invoice.name);
      assert.equal(extraction.fields.subtotal.value, invoice.truth.subtotal, invoice.name);
      assert.equal(extraction.fields.total.provenance?.page, 2);
      assert.ok(
        extraction.fields.subtotal.notes.some((n) => /line amounts/.test(n)),
        extraction.fields.subtotal.notes.join('; '),
      );
    }
  });

  for (const amountStyle of ['comma-dot', 'dot-comma', 'space-comma', 'apostrophe-dot'] as const) {
    test(`amounts printed ${amountStyle}`, async () => {
      const langs: CorpusLang[] =
        amountStyle === 'apostrophe-dot'
          ? ['de']
          : amountStyle === 'space-comma'
            ? ['fr']
            : ['en-US', 'de', 'nl', 'es'];
      const invoices = await generateCorpus({ seed: 31, count: 4, langs, only: { amountStyle } });
      for (const invoice of invoices) {
        const { fields } = await extract(invoice);
        for (const name of ['subtotal', 'tax', 'total'] as const)
          assert.equal(fields[name].value, invoice.truth[name], `${invoice.name} ${name}`);
      }
    });
  }

  for (const dateStyle of [
    'us-slash',
    'dmy-slash',
    'dmy-dot',
    'dmy-dot-short',
    'dmy-dash',
    'iso',
    'long-dmy',
    'long-mdy',
    'short-dmy-dash',
  ] as const) {
    test(`dates printed ${dateStyle}`, async () => {
      const langs: CorpusLang[] =
        dateStyle === 'us-slash' || dateStyle === 'long-mdy'
          ? ['en-US']
          : dateStyle === 'short-dmy-dash'
            ? ['en-GB']
            : ['de', 'fr', 'nl', 'es'];
      const invoices = await generateCorpus({ seed: 41, count: 4, langs, only: { dateStyle } });
      for (const invoice of invoices) {
        const { fields } = await extract(invoice);
        assert.equal(fields.invoiceDate.value, invoice.truth.invoiceDate, `${invoice.name} invoice date`);
        assert.equal(fields.dueDate.value, invoice.truth.dueDate, `${invoice.name} due date`);
      }
    });
  }

  test('a vendor block on the right, header fields on the left and an unlabelled address window', async () => {
    const invoices = await generateCorpus({
      seed: 53,
      count: 6,
      langs: ['de', 'nl'],
      only: { vendorSide: 'right', billTo: 'window' },
    });
    for (const invoice of invoices) {
      const { fields } = await extract(invoice);
      assert.equal(fields.vendorName.value, invoice.truth.vendorName, invoice.name);
      assert.equal(fields.billTo.value, invoice.truth.billTo, invoice.name);
      assert.equal(fields.vendorTaxId.value, invoice.truth.vendorTaxId, invoice.name);
    }
  });
});
