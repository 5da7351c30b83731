// The text-layer extractor on real PDFs: what a clerk would read off the invoice, with honest confidence.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Extraction, HEADER_FIELD_NAMES } from '../../domain/extraction.js';
import { createExtractor, DocumentError, NO_TEXT_LAYER_WARNING } from '../../extract/index.js';
import {
  invoiceTotals,
  makeEncryptedPdf,
  makeImageOnlyPdf,
  makeInvoicePdf,
  type InvoiceSpec,
} from '../../testkit/invoice-pdf.js';

const extractor = createExtractor();
const extract = async (bytes: Uint8Array, mimeType = 'application/pdf') =>
  Extraction.parse(await extractor.extract({ bytes, mimeType, fileName: 'invoice.pdf' }));

const base: InvoiceSpec = {
  invoiceNumber: 'INV-2025-0042',
  vendorName: 'Acme Tooling Inc.',
  invoiceDate: '2025-11-03',
  dueDate: '2025-12-03',
  poNumbers: ['062486', '062487'],
  taxRate: '8.25',
  lines: [
    { description: 'Hex bolt M8x40, zinc plated', quantity: 500, unitPrice: '0.42' },
    { description: 'CNC machining', quantity: 3, unitPrice: '1250.00' },
    { description: 'Freight', quantity: 1, unitPrice: '87.10' },
  ],
};

const layouts: Array<{ spec: InvoiceSpec; currency: string; labels: Record<string, string> }> = [
  {
    spec: { ...base, layout: 'classic' },
    currency: 'USD',
    labels: { invoiceNumber: 'Invoice Number', total: 'Total' },
  },
  {
    spec: {
      ...base,
      layout: 'german',
      vendorName: 'Müller Präzisionsteile GmbH',
      invoiceNumber: 'RE-2025/0815',
      taxRate: '19',
      poNumbers: ['0045001234'],
    },
    currency: 'EUR',
    labels: { invoiceNumber: 'Rechnungsnummer', total: 'Gesamtbetrag' },
  },
  {
    spec: {
      ...base,
      layout: 'right-labels',
      vendorName: 'Brightline Fasteners Ltd',
      currency: 'GBP',
      poNumber: '007731',
      poNumbers: undefined,
      taxRate: '20',
    },
    currency: 'GBP',
    labels: { invoiceNumber: 'Invoice #', total: 'Amount Due' },
  },
];

describe('text-layer extractor', () => {
  for (const { spec, currency, labels } of layouts) {
    test(`reads the header of a ${spec.layout} invoice exactly, with provenance and high confidence`, async () => {
      const result = await extract(await makeInvoicePdf(spec));
      const { fields } = result;
      const totals = invoiceTotals(spec);
      assert.equal(fields.invoiceNumber.value, spec.invoiceNumber);
      assert.equal(fields.vendorName.value, spec.vendorName);
      assert.equal(fields.invoiceDate.value, spec.invoiceDate);
      assert.equal(fields.dueDate.value, spec.dueDate);
      assert.equal(fields.subtotal.value, totals.subtotal);
      assert.equal(fields.tax.value, totals.tax);
      assert.equal(fields.total.value, totals.total);
      assert.deepEqual(fields.poNumbers.value, spec.poNumbers ?? [spec.poNumber]);
      assert.equal(fields.currency.value, currency);
      assert.equal(fields.invoiceNumber.provenance?.label, labels.invoiceNumber);
      assert.equal(fields.total.provenance?.label, labels.total);

      const [page] = result.pages;
      assert.ok(page && result.pageCount === 1);
      for (const name of ['invoiceNumber', 'invoiceDate', 'vendorName', 'total', 'poNumbers'] as const) {
        const provenance = fields[name].provenance;
        assert.equal(provenance?.page, 1, name);
        assert.equal(provenance?.source, 'text', name);
        const box = provenance.box!;
        assert.ok(
          box.x >= 0 && box.y >= 0 && box.x + box.width <= page.width && box.y + box.height <= page.height,
          `${name} box ${JSON.stringify(box)}`,
        );
      }
      assert.ok(result.confidence >= 0.95, `confidence ${result.confidence}`);
      assert.deepEqual(result.warnings, []);
      assert.equal(result.extractor, 'text-layer@1');
    });
  }

  test('reads the line table: description, quantity, unit price and amount per row', async () => {
    const { lineItems } = await extract(await makeInvoicePdf({ ...base, layout: 'german' }));
    const amounts = invoiceTotals(base).lineAmounts;
    assert.deepEqual(
      lineItems.map((l) => [l.description.value, l.quantity.value, l.unitPrice.value, l.amount.value]),
      base.lines.map((l, i) => [l.description, String(l.quantity), l.unitPrice, amounts[i]]),
    );
  });

  test('a missing PO number leaves the field empty and the extraction untrusted', async () => {
    const result = await extract(await makeInvoicePdf({ ...base, omit: ['poNumber'] }));
    assert.equal(result.fields.poNumbers.value, null);
    assert.equal(result.fields.poNumbers.confidence, 0);
    assert.equal(result.fields.invoiceNumber.value, base.invoiceNumber);
    assert.ok(result.confidence < 0.5, `confidence ${result.confidence}`);
    assert.ok(
      result.warnings.some((w) => /No PO number/.test(w)),
      result.warnings.join('; '),
    );
  });

  test('a missing invoice number leaves the field empty and the extraction untrusted', async () => {
    const result = await extract(await makeInvoicePdf({ ...base, layout: 'german', omit: ['invoiceNumber'] }));
    assert.equal(result.fields.invoiceNumber.value, null);
    assert.deepEqual(result.fields.poNumbers.value, base.poNumbers);
    assert.ok(result.confidence < 0.5, `confidence ${result.confidence}`);
  });

  test('amounts that do not add up lower the confidence and say so', async () => {
    const printedTotal = '3000.00'; // the vendor's own sum is off
    const result = await extract(await makeInvoicePdf({ ...base, printedTotal }));
    assert.equal(result.fields.total.value, printedTotal);
    assert.ok(result.fields.total.confidence <= 0.5, `total confidence ${result.fields.total.confidence}`);
    assert.ok(result.confidence <= 0.5, `confidence ${result.confidence}`);
    assert.ok(
      result.warnings.some((w) => /do not add up/.test(w) && w.includes(printedTotal)),
      result.warnings.join('; '),
    );
    assert.ok(result.fields.total.notes.some((n) => /Does not add up/.test(n)));
  });

  test('amounts that add up raise their confidence above what the labels alone give', async () => {
    const { fields } = await extract(await makeInvoicePdf(base));
    for (const name of ['subtotal', 'tax', 'total'] as const) {
      assert.equal(fields[name].confidence, 0.99, name);
      assert.ok(
        fields[name].notes.some((n) => n.startsWith('Adds up')),
        name,
      );
    }
  });

  test('reads a free-form two-page invoice: inline labels, "Remit to", two VAT rates, totals on page 2', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const [first, second] = [pdf.addPage([595, 842]), pdf.addPage([595, 842])];
    const write = (page: typeof first, text: string, x: number, y: number, size = 10) =>
      page.drawText(text, { x, y, size, font });
    write(first, 'TAX INVOICE', 50, 790, 24); // the largest text, but a title, not the vendor
    write(first, 'Invoice No.: 98765', 50, 720);
    write(first, 'Date: 05/11/2025', 200, 720);
    write(first, 'Your Order: PO-000123 / ref 55', 50, 705);
    write(first, 'Remit to:', 350, 720);
    write(first, 'Globex Corporation', 350, 706);
    write(first, 'VAT Reg. No.: GB 123 4567 89', 350, 692);
    write(second, 'Subtotal: £250.00', 380, 700);
    write(second, 'VAT 20%: £40.00', 380, 685);
    write(second, 'VAT 5%: £2.50', 380, 670);
    write(second, 'Total: £292.50', 380, 655);
    const { fields, pageCount } = await extract(await pdf.save());
    assert.equal(pageCount, 2);
    assert.equal(fields.invoiceNumber.value, '98765');
    assert.equal(fields.vendorName.value, 'Globex Corporation');
    assert.equal(fields.vendorTaxId.value, 'GB123456789');
    assert.deepEqual(fields.poNumbers.value, ['PO-000123']);
    assert.equal(fields.currency.value, 'GBP');
    assert.equal(fields.tax.value, '42.50');
    assert.ok(fields.tax.notes.includes('The sum of 2 tax lines.'));
    assert.equal(fields.total.value, '292.50');
    assert.equal(fields.total.provenance?.page, 2);
    // English with pounds: day first, but only a generic "Date" label and no proof of the order
    assert.equal(fields.invoiceDate.value, '2025-11-05');
    assert.ok(fields.invoiceDate.confidence < 0.9, `date confidence ${fields.invoiceDate.confidence}`);
  });

  test('a PDF without a text layer gets empty fields and a warning instead of guesses', async () => {
    const result = await extract(await makeImageOnlyPdf());
    for (const name of HEADER_FIELD_NAMES) {
      assert.equal(result.fields[name].value, null, name);
      assert.equal(result.fields[name].confidence, 0, name);
    }
    assert.equal(result.confidence, 0);
    assert.deepEqual(result.warnings, [NO_TEXT_LAYER_WARNING]);
    assert.equal(result.pageCount, 1);
    assert.deepEqual(result.pages, [{ width: 612, height: 792 }]);
  });

  test('a damaged image is a DocumentError, not a crash', async () => {
    const header = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // a PNG signature and nothing else
    await assert.rejects(
      extract(header, 'image/png'),
      (error) => error instanceof DocumentError && error.kind === 'corrupt',
    );
  });

  test('an encrypted PDF is a DocumentError, not a crash', async () => {
    await assert.rejects(
      extract(makeEncryptedPdf()),
      (error) => error instanceof DocumentError && error.kind === 'encrypted',
    );
  });
});
