// Charges, discounts and payments between the subtotal and the total: read with their sign, they make the
// arithmetic cross-check hold (raising confidence with a note naming the parts); when the parts still do
// not add up, confidence stays low and the warning says why.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createExtractor } from '../../extract/index.js';
import { adjustmentKind } from '../../extract/totals.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';

interface Spec {
  lines: Array<[string, string]>;
  totals: Array<[string, string]>;
  german?: boolean;
}

/** A one-page invoice: header fields, an item table, and the totals block as given (label, amount). */
async function invoicePdf({ lines, totals, german = false }: Spec): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const [font, bold] = [await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold)];
  const put = (text: string, x: number, y: number, size = 10, right = false, f = font) =>
    page.drawText(text, { x: right ? x - f.widthOfTextAtSize(text, size) : x, y, size, font: f });
  put(german ? 'Muster Antriebe GmbH' : 'Harbor Steel Supply Inc.', 50, 780, 20, false, bold);
  put(german ? 'RECHNUNG' : 'INVOICE', 545, 780, 16, true, bold);
  const header = german
    ? [
        ['Rechnungsnummer:', 'RE-2025-0815'],
        ['Rechnungsdatum:', '14.11.2025'],
        ['Ihre Bestellnummer:', '4500012345'],
      ]
    : [
        ['Invoice No.:', 'HS-20931'],
        ['Invoice Date:', '11/14/2025'],
        ['PO Number:', '4500012345'],
      ];
  header.forEach(([label, value], i) => {
    put(label!, 330, 720 - i * 16);
    put(value!, 450, 720 - i * 16);
  });
  put(german ? 'Beschreibung' : 'Description', 50, 620, 10, false, bold);
  put(german ? 'Betrag' : 'Amount', 545, 620, 10, true, bold);
  lines.forEach(([description, amount], i) => {
    put(description, 50, 600 - i * 16);
    put(amount, 545, 600 - i * 16, 10, true);
  });
  totals.forEach(([label, amount], i) => {
    const y = 600 - lines.length * 16 - 24 - i * 16;
    put(label, 360, y);
    put(amount, 545, y, 10, true);
  });
  return pdf.save();
}

const extractor = createExtractor();
const read = async (spec: Spec) =>
  extractor.extract({ bytes: await invoicePdf(spec), mimeType: 'application/pdf', fileName: 'invoice.pdf' });
const LINES: Array<[string, string]> = [
  ['Cold rolled strip 1.5 mm', '1,200.00'],
  ['Slitting service', '300.00'],
];
const GERMAN_LINES: Array<[string, string]> = [
  ['Getriebemotor', '1.000,00'],
  ['Kupplung', '200,00'],
];

/** Some of the notes or warnings matches the pattern (or contains the text); the failure lists them all. */
function assertSome(texts: string[], wanted: RegExp | string): void {
  assert.ok(
    texts.some((t) => (typeof wanted === 'string' ? t.includes(wanted) : wanted.test(t))),
    texts.join(' | '),
  );
}

describe('charges, discounts and payments in the totals block', () => {
  test('freight between subtotal and tax: subtotal + freight + tax = total', async () => {
    const result = await read({
      lines: LINES,
      totals: [
        ['Subtotal', '1,500.00'],
        ['Freight', '120.00'],
        ['Sales Tax 8.25%', '133.65'],
        ['Total', '1,753.65'],
      ],
    });
    assert.equal(result.fields.total.value, '1753.65');
    assert.equal(result.fields.total.confidence, 0.99);
    assertSome(result.fields.total.notes, /Adds up: subtotal 1500\.00 \+ Freight 120\.00 \+ tax 133\.65 = 1753\.65/);
    assert.ok(result.confidence >= 0.95, `confidence ${result.confidence}`);
    assert.ok(!result.warnings.some((w) => /do not add up/.test(w)), result.warnings.join(' | '));
  });

  test('a discount printed without a minus sign still lowers the total', async () => {
    const result = await read({
      german: true,
      lines: GERMAN_LINES,
      totals: [
        ['Zwischensumme', '1.200,00'],
        ['Rabatt 5 %', '60,00'],
        ['MwSt. 19 %', '216,60'],
        ['Gesamtbetrag', '1.356,60'],
      ],
    });
    assert.equal(result.fields.total.confidence, 0.99);
    assertSome(result.fields.total.notes, /− Rabatt 5 % 60\.00/);
    assert.ok(result.confidence >= 0.95, `confidence ${result.confidence}`);
  });

  test('discount and freight together, with a charge printed above the subtotal', async () => {
    const result = await read({
      lines: LINES,
      totals: [
        ['Goods total', '1,500.00'],
        ['Packing', '25.00'],
        ['Net Total', '1,525.00'],
        ['Less 2% discount', '-30.50'],
        ['Shipping & Handling', '45.00'],
        ['VAT 20%', '307.90'],
        ['Invoice Total', '1,847.40'],
      ],
    });
    assert.equal(result.fields.subtotal.value, '1525.00');
    assertSome(result.fields.total.notes, /− Less 2% discount 30\.50 \+ Shipping & Handling 45\.00/);
    assert.equal(result.fields.total.confidence, 0.99);
  });

  test('a deposit: the total is subtotal + tax, the balance due after the deposit is noted', async () => {
    const result = await read({
      lines: LINES,
      totals: [
        ['Subtotal', '1,500.00'],
        ['Tax', '120.00'],
        ['Total', '1,620.00'],
        ['Deposit received', '-500.00'],
        ['Balance Due', '1,120.00'],
      ],
    });
    assert.equal(result.fields.total.value, '1620.00');
    assert.equal(result.fields.total.confidence, 0.99);
    assertSome(result.fields.total.notes, /Adds up: subtotal 1500\.00 \+ tax 120\.00 = 1620\.00/);
    assertSome(result.fields.total.notes, /1120\.00 is what is left to pay after − Deposit received 500\.00/);
  });

  test('an amount due printed without the total adds up once the payment is subtracted; the total is the gross before it', async () => {
    const result = await read({
      german: true,
      lines: GERMAN_LINES,
      totals: [
        ['Zwischensumme', '1.200,00'],
        ['Fracht', '50,00'],
        ['MwSt. 19 %', '237,50'],
        ['Anzahlung vom 01.10.2025', '-400,00'],
        ['Zahlbetrag', '1.087,50'],
      ],
    });
    assert.equal(result.fields.total.value, '1487.50');
    assert.equal(result.fields.amountDue.value, '1087.50');
    assert.equal(result.fields.amountDue.confidence, 0.99);
    assertSome(
      result.fields.amountDue.notes,
      /\+ Fracht 50\.00 \+ tax 237\.50 = 1487\.50 − Anzahlung vom 01\.10\.2025 400\.00 = 1087\.50 due/,
    );
  });

  test('parts that still do not add up keep the confidence low and say why', async () => {
    const result = await read({
      lines: LINES,
      totals: [
        ['Subtotal', '1,500.00'],
        ['Freight', '120.00'],
        ['Sales Tax', '133.65'],
        ['Total', '1,799.00'],
      ],
    });
    assert.equal(result.fields.total.confidence, 0.5);
    assert.ok(result.confidence <= 0.5);
    assertSome(
      result.warnings,
      'subtotal 1500.00 + Freight 120.00 + tax 133.65 = 1753.65, but the total reads 1799.00',
    );
  });

  test("two subtotals: the one that adds up to the total with the tax is the subtotal, not the lines' sum above a discount it cannot read", async () => {
    const result = await read({
      german: true,
      lines: GERMAN_LINES,
      totals: [
        ['Zwischensumme', '1.200,00'],
        ['Sonderkondition lt. Vereinbarung', '-120,00'],
        ['Rechnungssumme Netto', '1.080,00'],
        ['MwSt. 19 %', '205,20'],
        ['Rechnungssumme Brutto', '1.285,20'],
      ],
    });
    assert.equal(result.fields.subtotal.value, '1080.00', result.fields.subtotal.notes.join(' | '));
    assert.equal(result.fields.total.value, '1285.20');
    assert.equal(result.fields.total.confidence, 0.99, result.fields.total.notes.join(' | '));
    assertSome(result.fields.subtotal.notes, 'not "Zwischensumme" 1200.00');
    assertSome(result.warnings, 'two subtotals, 1200.00 and 1080.00');
  });

  test("a subtotal that is only the lines' sum, while subtotal, tax and total do not add up, is never confident", async () => {
    const puts: Put[] = [
      ['Harbor Steel Supply Inc.', 50, 780, { size: 18 }],
      ['Invoice No.: HS-20931', 330, 720],
      ['Invoice Date: 11/14/2025', 330, 706],
      ['PO Number: 4500012345', 330, 692],
      ['Description', 50, 560],
      ['Qty', 300, 560, { right: true }],
      ['Unit Price', 420, 560, { right: true }],
      ['Amount', 545, 560, { right: true }],
      ['Cold rolled strip 1.5 mm', 50, 540],
      ['4', 300, 540, { right: true }],
      ['300.00', 420, 540, { right: true }],
      ['1,200.00', 545, 540, { right: true }],
      ['Slitting service', 50, 524],
      ['1', 300, 524, { right: true }],
      ['300.00', 420, 524, { right: true }],
      ['300.00', 545, 524, { right: true }],
      ['Subtotal', 330, 480],
      ['1,500.00', 545, 480, { right: true }],
      ['Special terms as agreed', 330, 464],
      ['-150.00', 545, 464, { right: true }],
      ['Sales Tax', 330, 448],
      ['111.38', 545, 448, { right: true }],
      ['Total', 330, 432],
      ['1,461.38', 545, 432, { right: true }],
    ];
    const result = await extractor.extract({
      bytes: await pagePdf(puts),
      mimeType: 'application/pdf',
      fileName: 'invoice.pdf',
    });
    assert.equal(result.lineItems.length, 2);
    assert.equal(result.fields.subtotal.value, '1500.00');
    assert.ok(
      result.fields.subtotal.confidence < 0.95,
      `${result.fields.subtotal.confidence}: ${result.fields.subtotal.notes.join(' | ')}`,
    );
    assertSome(result.fields.subtotal.notes, 'but subtotal, tax and total do not add up');
  });

  test('a "tax" of more than 30 % of the subtotal is some other amount: never confirmed by a sum it happens to make', async () => {
    const result = await read({
      lines: LINES,
      totals: [
        ['Subtotal', '1,500.00'],
        ['Sales Tax', '1,500.00'],
        ['Total', '3,000.00'],
      ],
    });
    assert.equal(result.fields.tax.confidence, 0.5, result.fields.tax.notes.join(' | '));
    assertSome(result.fields.tax.notes, 'would be 100 % of the subtotal 1500.00: no tax rate is that high');
    assert.ok(result.fields.total.confidence < 0.95, `total ${result.fields.total.confidence}`);
    assertSome(result.warnings, 'The tax read (1500.00) is 100 % of the subtotal');
  });

  test('a tax-exempt invoice: a base printed beside a tax label is left out, the gross that equals the subtotal is the total', async () => {
    const result = await read({
      german: true,
      lines: [
        ['Vollkasko', '140,00'],
        ['Haftpflicht', '80,00'],
      ],
      totals: [
        ['Positionssumme', '220,00'],
        ['Rechnungssumme ohne USt.', '220,00'],
        ['Umsatzsteuer', '220,00'],
        ['Bruttosumme', '220,00'],
        ['Zahlbetrag', '440,00'],
      ],
    });
    assert.equal(result.fields.total.value, '220.00', result.fields.total.notes.join(' | '));
    assert.ok(result.fields.tax.confidence < 0.95, `tax ${result.fields.tax.value} at ${result.fields.tax.confidence}`);
  });

  test('labels in five languages name their kind; totals, taxes and sentences are not adjustments', () => {
    const cases: Array<[string, string | null]> = [
      ['Freight', 'charge'],
      ['Versandkosten', 'charge'],
      ['Frais de port HT', 'charge'],
      ['Verzendkosten', 'charge'],
      ['Portes', 'charge'],
      ['Gastos de envío', 'charge'],
      ['Fuel surcharge', 'charge'],
      ['Mindermengenzuschlag', 'charge'],
      ['Zuschlag', 'charge'],
      ['Discount', 'allowance'],
      ['Skonto 2 %', 'allowance'],
      ['Remise 3 %', 'allowance'],
      ['Korting', 'allowance'],
      ['Descuento', 'allowance'],
      ['Amount paid', 'paid'],
      ['Anzahlung', 'paid'],
      ['Acompte versé le 15/10/2025', 'paid'],
      ['Aanbetaling', 'paid'],
      ['Anticipo', 'paid'],
      ['Rounding', 'rounding'],
      ['Total after discount', null],
      ['Sales tax', null],
      ['Subtotal', null],
      ['Finance charge', null],
      ['Take the discount if paid within ten days of the invoice date', null],
    ];
    for (const [label, kind] of cases) assert.equal(adjustmentKind(label), kind, label);
  });
});
