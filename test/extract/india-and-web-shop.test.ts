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

// A Tally-style print: boxed header cells with the label over the value, the customer under "Consignee (Ship
// to)" and "Buyer (Bill to)", "Sl No." / "HSN/SAC" / "per" columns, CGST and SGST lines and no subtotal.
const TALLY: Put[] = [
  ['Tax Invoice', 260, 800, { size: 12 }],
  ['Acme Steel Industries', 44, 776],
  ['Invoice No.', 304, 776, { size: 8 }],
  ['Dated', 444, 776, { size: 8 }],
  ['Plot 5, GIDC Vapi', 44, 764, { size: 9 }],
  ['ASI/245/24-25', 304, 764, { size: 9 }],
  ['5-Mar-2024', 444, 764, { size: 9 }],
  ['GSTIN/UIN: 24AAACA1234A1Z2', 44, 752, { size: 9 }],
  ['Consignee (Ship to)', 44, 720, { size: 8 }],
  ["Buyer's Order No.", 304, 720, { size: 8 }],
  ['Contoso Manufacturing Pvt Ltd', 44, 708, { size: 9 }],
  ['PO/7781', 304, 708, { size: 9 }],
  ['Chakan MIDC, Pune', 44, 696, { size: 14 }],
  ['Destination', 444, 696, { size: 9 }],
  ['Buyer (Bill to)', 44, 664, { size: 8 }],
  ['Contoso Manufacturing Pvt Ltd', 44, 652, { size: 9 }],
  ['Chakan MIDC, Pune', 44, 640, { size: 9 }],
  ['Sl No.', 44, 600, { size: 8 }],
  ['Description of Goods', 80, 600, { size: 8 }],
  ['HSN/SAC', 260, 600, { size: 8 }],
  ['Quantity', 320, 600, { size: 8 }],
  ['Rate', 390, 600, { size: 8 }],
  ['per', 430, 600, { size: 8 }],
  ['Amount', 545, 600, { size: 8, right: true }],
  ['1', 44, 584, { size: 9 }],
  ['MS Plate 10mm IS2062', 80, 584, { size: 9 }],
  ['7208', 260, 584, { size: 9 }],
  ['2,000 kg', 320, 584, { size: 9 }],
  ['60.00', 390, 584, { size: 9 }],
  ['kg', 430, 584, { size: 9 }],
  ['1,20,000.00', 545, 584, { size: 9, right: true }],
  ['CGST @ 9%', 200, 560, { size: 9 }],
  ['10,800.00', 545, 560, { size: 9, right: true }],
  ['SGST @ 9%', 200, 548, { size: 9 }],
  ['10,800.00', 545, 548, { size: 9, right: true }],
  ['Total', 200, 520, { size: 9 }],
  ['Rs. 1,41,600.00', 545, 520, { size: 9, right: true }],
];

describe('taxes named with their rate run on', () => {
  test('"IGST18 (18%)", "CGST9", "VAT20": the tax, so subtotal, tax and total add up', async () => {
    for (const [label, rate] of [
      ['IGST18 (18%)', '18,000.00'],
      ['GST18', '18,000.00'],
      ['VAT20 (20%)', '20,000.00'],
    ] as const) {
      const total = rate === '20,000.00' ? '1,20,000.00' : '1,18,000.00';
      const result = await read([
        ['Acme Tools Pvt. Ltd.', 50, 790, { size: 16 }],
        ['Invoice No: INV-000042', 330, 740],
        ...ITEM,
        ['Sub Total', 330, 500],
        ['1,00,000.00', 545, 500, { right: true }],
        [label, 330, 484],
        [rate, 545, 484, { right: true }],
        ['Total', 330, 468],
        [`Rs.${total}`, 545, 468, { right: true }],
      ]);
      const f = result.fields;
      assert.equal(f.tax.value, rate.replace(',', ''), label);
      assert.equal(f.total.confidence, 0.99, label);
    }
  });
});

describe('Tally-style GST invoices', () => {
  test('the item table under "Sl No.", "HSN/SAC" and "per" heads is read, and the tax is CGST + SGST, which the line adds up with', async () => {
    const f = await read(TALLY);
    assert.deepEqual(
      f.lineItems.map((i) => [i.description.value, i.amount.value]),
      [['MS Plate 10mm IS2062', '120000.00']],
    );
    assert.equal(f.fields.total.value, '141600.00');
    assert.equal(f.fields.tax.value, '21600.00');
    assert.equal(f.fields.tax.confidence, 0.99);
  });

  test('with no subtotal and no line read, one of two tax lines is never the tax at auto-approval confidence', async () => {
    // the item row is left out: nothing on the page says whether the tax is one line or both
    const f = await read(
      TALLY.filter(([text]) => !/^(?:1|MS Plate.*|7208|2,000 kg|60\.00|kg|1,20,000\.00)$/.test(text)),
    );
    assert.equal(f.lineItems.length, 0);
    assert.ok(f.fields.tax.confidence < 0.95, `tax ${f.fields.tax.value} at ${f.fields.tax.confidence}`);
    assert.ok(
      f.fields.tax.notes.some((n) => n.startsWith('One of 2 tax lines')),
      f.fields.tax.notes.join(' | '),
    );
  });

  test('"Consignee (Ship to)" and "Buyer (Bill to)" head the customer\'s blocks: no line of them is the vendor, however large', async () => {
    const f = await read(TALLY);
    assert.equal(f.fields.vendorName.value, 'Acme Steel Industries');
    assert.equal(f.fields.billTo.value, 'Contoso Manufacturing Pvt Ltd');
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

  test("a web shop that prints only the order's date: it stands in for the invoice date as weak evidence, never beside one", async () => {
    const page = (dates: Put[]): Put[] => [
      ['Tidewater Supply Co.', 50, 790, { size: 16 }],
      ['Invoice for #1001', 400, 790],
      ...dates,
      ...ITEM,
      ['Total', 330, 468],
      ['Rs 1,00,000.00', 545, 468, { right: true }],
    ];
    const only = (await read(page([['Order date: March 5, 2025', 400, 776]]))).fields.invoiceDate;
    assert.equal(only.value, '2025-03-05');
    assert.ok(only.confidence <= 0.6, `${only.confidence}`);
    assert.ok(
      only.notes.some((n) => n.startsWith('Weak evidence:')),
      only.notes.join(' | '),
    );
    const both = (
      await read(
        page([
          ['Order date: March 4, 2025', 400, 776],
          ['Invoice date: March 5, 2025', 400, 762],
        ]),
      )
    ).fields.invoiceDate;
    assert.equal(both.value, '2025-03-05');
    assert.ok(both.confidence >= 0.95, `${both.confidence}: ${both.notes.join(' | ')}`);
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
