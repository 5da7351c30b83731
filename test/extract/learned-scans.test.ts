// Learning from a clerk's correction on a scanned invoice: the document is re-read by OCR (as the worker's
// learning does, through the extractor's readPages), the place of the corrected value is learned, and the
// same vendor's next scan is read right from there; another vendor's scan is not.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createExtractor, type DocumentInput } from '../../extract/index.js';
import { createVendorKnowledge, patternsFromCorrections } from '../../extract/learned.js';
import { memoryKnowledgeStore } from '../../testkit/knowledge-store.js';
import { scanOf } from '../../testkit/scan.js';
import { makeVendorInvoicePdf, NORTHBEAM, QUARRY_LANE, type VendorInvoiceSpec } from '../support/vendor-invoice.js';

async function scanned(vendor: VendorInvoiceSpec, invoiceNumber: string, seed: number): Promise<DocumentInput> {
  const spec: VendorInvoiceSpec = {
    ...vendor,
    invoiceNumber,
    invoiceDate: '2026-04-02',
    poNumber: `45000${seed}12`,
    lines: [{ description: 'Carbide end mill 12 mm', quantity: 4, unitPrice: '61.50' }],
  };
  const scan = await scanOf(await makeVendorInvoicePdf(spec), { seed, rotateDeg: 0.6, noise: 0.02 });
  // a scanner's file name: nothing in it confirms the number OCR reads
  return { bytes: scan.pdf, mimeType: 'application/pdf', fileName: `scan-${seed}.pdf` };
}

describe('learning from a scanned invoice', () => {
  const store = memoryKnowledgeStore();
  const extractor = createExtractor({
    ocr: { languages: ['eng'], deskew: true },
    knowledge: createVendorKnowledge(store),
  });
  after(() => extractor.close?.());

  test('a correction on a scan teaches the vendor: its next scan is read right, with source "learned"', async () => {
    const first = await scanned(NORTHBEAM, 'NBT-26-0417', 1);
    const read = await extractor.extract(first);
    assert.equal(read.fields.invoiceNumber.value, null, 'no rule knows "Voucher ID"');

    const pages = await extractor.readPages(first);
    assert.equal(pages[0]?.source, 'ocr');
    const patterns = patternsFromCorrections({
      decisionId: 'decision-1',
      invoiceId: 'invoice-1',
      corrections: { invoiceNumber: 'NBT-26-0417' },
      extraction: read,
      pages,
    });
    assert.deepEqual(
      patterns.map((p) => [p.pattern.field, p.identity.taxId]),
      [['invoiceNumber', 'GB123456789']],
    );
    assert.equal(await store.save(patterns), 1);

    const next = await extractor.extract(await scanned(NORTHBEAM, 'NBT-26-0502', 2));
    const field = next.fields.invoiceNumber;
    assert.equal(field.value, 'NBT-26-0502');
    assert.equal(field.provenance?.source, 'learned');
    assert.ok(field.provenance?.box, 'the learned value has its box on the scan');
    assert.ok(field.confidence < 0.95, `a learned place on a scan still reads OCR's characters: ${field.confidence}`);

    const other = await extractor.extract(await scanned(QUARRY_LANE, 'QLC-88-1200', 3));
    assert.equal(other.fields.invoiceNumber.value, null, 'another vendor learns nothing from it');
  });
});
