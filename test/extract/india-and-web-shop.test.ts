// Indian GST invoices and web-shop receipts, each on a small drawn page: the GSTIN is the vendor's tax id
// (the customer's in the bill-to block is not), "Bill No." and "Invoice No" under a "Tax Invoice" title are
// the invoice number, amounts in lakh grouping with "Rs" add up, and a web shop's own order number ("Order
// ID", "Order #", "Order No.", "Booking ID") is never a purchase order at auto-approval confidence, nor the
// invoice number unless none is printed, and then only as weak evidence.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';

const extractor = createExtractor({ einvoice: false });
const read = async (puts: Put[]) =>
  extractor.extract({ bytes: await pagePdf(puts), mimeType: 'application/pdf', fileName: 'layout.pdf' });

const ITEM: Put[] = [
  ['Description', 50, 560],
  ['Qty', 300, 560],
  ['Rate', 380, 560],
  ['Amount', 545, 560, { right: true }],
  ['Steel brackets MS 40x40', 50, 540],
  ['100', 300, 540],
  ['1,000.00', 380, 540],
  ['1,00,000.00', 545, 540, { right: true }],
];

describe('Indian GST invoices', () => {
  test('"Tax Invoice" with GSTIN, CGST and SGST, lakh grouping and "Rs": the vendor\'s GSTIN, not the customer\'s', async () => {
    const result = await read([
      ['Shree Ganesh Engineering Pvt. Ltd.', 50, 790, { size: 16 }],
      ['TAX INVOICE', 430, 790, { size: 14 }],
      ['Plot 14, MIDC Bhosari, Pune 411026', 50, 772],
      ['GSTIN: 27AAPFU0939F1ZV', 50, 758],
      ['Invoice No: SGE/24-25/0147', 330, 730],
      ['Invoice Date: 12/03/2025', 330, 716],
      ['Bill To:', 50, 700],
      ['Tata Motors Ltd', 50, 686],
      ['GSTIN: 27AAACT2727Q1ZW', 50, 672],
      ...ITEM,
      ['Taxable Value', 330, 500],
      ['1,00,000.00', 545, 500, { right: true }],
      ['CGST @ 9%', 330, 484],
      ['9,000.00', 545, 484, { right: true }],
      ['SGST @ 9%', 330, 468],
      ['9,000.00', 545, 468, { right: true }],
      ['Grand Total', 330, 452],
      ['Rs 1,18,000.00', 545, 452, { right: true }],
    ]);
    const f = result.fields;
    assert.equal(f.vendorTaxId.value, '27AAPFU0939F1ZV');
    assert.equal(f.invoiceNumber.value, 'SGE/24-25/0147');
    assert.equal(f.invoiceDate.value, '2025-03-12');
    assert.equal(f.currency.value, 'INR');
    assert.deepEqual([f.subtotal.value, f.tax.value, f.total.value], ['100000.00', '18000.00', '118000.00']);
    assert.equal(f.total.confidence, 0.99);
  });

  test('"Bill No." is the invoice number and a GSTIN inside an address line is the vendor\'s tax id', async () => {
    const result = await read([
      ['Krishna Stores', 50, 790, { size: 16 }],
      ['TAX INVOICE', 430, 790, { size: 14 }],
      ['12 MG Road, Bengaluru 560001 | Ph 080 2558 1234 | GSTIN 29ABCDE1234F1Z5', 50, 772],
      ['Bill No. 5521', 330, 730],
      ['Date: 05-01-2025', 330, 716],
      ...ITEM,
      ['Sub Total', 330, 500],
      ['1,00,000.00', 545, 500, { right: true }],
      ['IGST 18%', 330, 484],
      ['18,000.00', 545, 484, { right: true }],
      ['Total', 330, 468],
      ['INR 1,18,000.00', 545, 468, { right: true }],
    ]);
    assert.equal(result.fields.invoiceNumber.value, '5521');
    assert.equal(result.fields.vendorTaxId.value, '29ABCDE1234F1Z5');
    assert.equal(result.fields.total.value, '118000.00');
  });
});

describe('web-shop order numbers', () => {
  test('beside an invoice number, "Order ID" is neither the invoice number nor a PO at auto-approval confidence', async () => {
    const result = await read([
      ['ShopKart Retail Pvt Ltd', 50, 790, { size: 16 }],
      ['Tax Invoice', 430, 790, { size: 14 }],
      ['Order ID: OD4281937465', 50, 740],
      ['Order Date: 01-03-2025', 50, 726],
      ['Invoice No: FAB2X7S001234', 330, 740],
      ['Invoice Date: 02-03-2025', 330, 726],
      ['GSTIN: 29AAICS1234K1ZQ', 330, 712],
      ['Item', 50, 560],
      ['Amount', 545, 560, { right: true }],
      ['Phone case', 50, 540],
      ['1,939.00', 545, 540, { right: true }],
      ['Total', 330, 468],
      ['Rs 1939', 545, 468, { right: true }],
    ]);
    assert.equal(result.fields.invoiceNumber.value, 'FAB2X7S001234');
    assert.equal(result.fields.invoiceDate.value, '2025-03-02');
    assert.equal(result.fields.vendorTaxId.value, '29AAICS1234K1ZQ');
    assert.equal(result.fields.total.value, '1939.00');
    assert.ok(
      result.fields.poNumbers.confidence < 0.95,
      `PO ${JSON.stringify(result.fields.poNumbers.value)} at ${result.fields.poNumbers.confidence}`,
    );
  });

  test('no invoice number printed: "Order #" stands in for it as weak evidence, and is no PO', async () => {
    for (const label of ['Order #100234781', 'Order No. 100234781', 'Booking ID: 100234781']) {
      const result = await read([
        ['Northwind Web Store', 50, 790, { size: 16 }],
        ['Receipt', 430, 790, { size: 14 }],
        [label, 50, 740],
        ['Item', 50, 560],
        ['Amount', 545, 560, { right: true }],
        ['USB-C cable 2 m', 50, 540],
        ['$19.99', 545, 540, { right: true }],
        ['Subtotal', 330, 500],
        ['$19.99', 545, 500, { right: true }],
        ['Tax', 330, 484],
        ['$1.60', 545, 484, { right: true }],
        ['Total', 330, 468],
        ['$21.59', 545, 468, { right: true }],
      ]);
      const { invoiceNumber, poNumbers } = result.fields;
      assert.equal(invoiceNumber.value, '100234781', label);
      assert.ok(invoiceNumber.confidence <= 0.7, `${label}: ${invoiceNumber.confidence}`);
      assert.ok(
        invoiceNumber.notes.some((n) => n.startsWith('Weak evidence:')),
        invoiceNumber.notes.join(' | '),
      );
      assert.equal(poNumbers.value, null, label);
      assert.ok(result.confidence < 0.95);
    }
  });

  test('a bare "Order No." beside no customer PO label is a PO below auto-approval confidence', async () => {
    const result = await read([
      ['Harbor Steel Supply Inc.', 50, 790, { size: 16 }],
      ['INVOICE', 430, 790, { size: 14 }],
      ['Invoice No.: HS-20931', 330, 740],
      ['Invoice Date: 11/14/2025', 330, 726],
      ['Order No.: 4500012345', 330, 712],
      ['Item', 50, 560],
      ['Amount', 545, 560, { right: true }],
      ['Cold rolled strip', 50, 540],
      ['1,000.00', 545, 540, { right: true }],
      ['Total', 330, 468],
      ['$1,000.00', 545, 468, { right: true }],
    ]);
    assert.deepEqual(result.fields.poNumbers.value, ['4500012345']);
    assert.ok(result.fields.poNumbers.confidence < 0.95, `${result.fields.poNumbers.confidence}`);
  });
});
