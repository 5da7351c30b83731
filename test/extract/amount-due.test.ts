// The total is the gross (BT-112, as the e-invoice reader defines it) and what is left to pay after a
// prepayment is the amount due, a field of its own: each on a small drawn page in the totals layouts vendors
// print, with the arithmetic total − prepaid = amount due confirming both, a sum of prepayments never taken
// for the total, and an amount due nothing explains left in doubt.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toContract } from '../../extract/contract.js';
import { createExtractor } from '../../extract/index.js';
import { labelOf } from '../../extract/labels.js';
import { adjustmentKind } from '../../extract/totals.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';

const extractor = createExtractor({ einvoice: false });

/** An invoice with one item line and the totals block given, one label and amount a row. */
async function read(totals: Array<[string, string]>, german = false) {
  const puts: Put[] = [
    [german ? 'Muster Antriebe GmbH' : 'Harbor Steel Supply Inc.', 50, 780, { size: 18 }],
    [german ? 'Rechnungsnummer: RE-20931' : 'Invoice No.: HS-20931', 330, 720],
    [german ? 'Rechnungsdatum: 14.11.2025' : 'Invoice Date: 11/14/2025', 330, 706],
    [german ? 'Bestellnummer: 4500012345' : 'PO Number: 4500012345', 330, 692],
    [german ? 'Beschreibung' : 'Description', 50, 560],
    [german ? 'Betrag' : 'Amount', 545, 560, { right: true }],
    [german ? 'Getriebemotor' : 'Cold rolled strip 1.5 mm', 50, 540],
    [totals[0]![1], 545, 540, { right: true }],
    ...totals.flatMap(([label, amount], i): Put[] => [
      [label, 330, 500 - i * 16],
      [amount, 545, 500 - i * 16, { right: true }],
    ]),
  ];
  return extractor.extract({ bytes: await pagePdf(puts), mimeType: 'application/pdf', fileName: 'due.pdf' });
}

describe('the amount due beside the total', () => {
  test('EN: Total, deposit, Balance due: the total is the gross, the balance the amount due, both confirmed', async () => {
    const result = await read([
      ['Subtotal', '1,000.00'],
      ['Sales Tax 8%', '80.00'],
      ['Total', '1,080.00'],
      ['Deposit paid', '-200.00'],
      ['Balance due', '880.00'],
    ]);
    const { total, amountDue } = result.fields;
    assert.equal(total.value, '1080.00');
    assert.equal(amountDue.value, '880.00');
    assert.equal(amountDue.provenance?.label, 'Balance due');
    assert.equal(amountDue.confidence, 0.99);
    assert.ok(
      amountDue.notes.includes('Adds up: total 1080.00 − Deposit paid 200.00 = 880.00.'),
      amountDue.notes.join(' | '),
    );
    assert.ok(
      total.notes.some((n) => n.startsWith('Paid in advance: − Deposit paid 200.00; 880.00 is left to pay')),
      total.notes.join(' | '),
    );
    assert.ok(result.confidence >= 0.95, `confidence ${result.confidence}`);
    assert.equal(toContract(result).fields.amountDue.value, 880);
  });

  test('DE (the e-invoice rendering): Bruttosumme 197,65, Erhaltene Anzahlungen -50,00, Zahlbetrag 147,65', async () => {
    const result = await read(
      [
        ['Rechnungssumme ohne USt.', '177,49'],
        ['Steuerbetrag', '20,16'],
        ['Bruttosumme', '197,65'],
        ['Erhaltene Anzahlungen', '-50,00'],
        ['Zahlbetrag', '147,65'],
      ],
      true,
    );
    assert.equal(result.fields.total.value, '197.65');
    assert.equal(result.fields.amountDue.value, '147.65');
    assert.equal(result.fields.amountDue.confidence, 0.99);
  });

  test('only the balance printed: the total is the gross subtotal and tax make, not printed; the balance is the amount due', async () => {
    const result = await read([
      ['Subtotal', '1,000.00'],
      ['Sales Tax 8%', '80.00'],
      ['Deposit received', '-280.00'],
      ['Balance due', '800.00'],
    ]);
    const { total, amountDue } = result.fields;
    assert.equal(total.value, '1080.00');
    assert.equal(total.provenance, undefined);
    assert.ok(total.confidence < 0.95 && total.confidence >= 0.85, `total confidence ${total.confidence}`);
    assert.ok(
      total.notes.some((n) => n.startsWith('Not printed as such')),
      total.notes.join(' | '),
    );
    assert.equal(amountDue.value, '800.00');
    assert.equal(amountDue.confidence, 0.99);
    assert.equal(amountDue.provenance?.label, 'Balance due');
  });

  test('nothing paid: "Amount Due" is the total and the amount due alike; a bare "Total" leaves the amount due empty', async () => {
    const due = await read([
      ['Subtotal', '1,000.00'],
      ['Sales Tax 8%', '80.00'],
      ['Amount Due', '1,080.00'],
    ]);
    assert.equal(due.fields.total.value, '1080.00');
    assert.equal(due.fields.amountDue.value, '1080.00');
    assert.equal(due.fields.amountDue.confidence, 0.99);
    assert.ok(due.fields.amountDue.notes.includes('The same as the total: nothing paid in advance is printed.'));
    const plain = await read([
      ['Subtotal', '1,000.00'],
      ['Sales Tax 8%', '80.00'],
      ['Total', '1,080.00'],
    ]);
    assert.equal(plain.fields.amountDue.value, null);
    assert.equal(plain.fields.amountDue.confidence, 0);
  });

  test('a sum of prepayments ("Total deposits", "Summe der Anzahlungen") is a payment, never the total', async () => {
    for (const text of [
      'Total deposits',
      'Summe der Anzahlungen',
      'Total des acomptes',
      'Totaal aanbetalingen',
      'Gesamtbetrag der Abschlagszahlungen',
      'Deposits total',
    ]) {
      assert.equal(labelOf(`${text}  300.00`), null, text);
      assert.equal(adjustmentKind(text), 'paid', text);
    }
    // without a subtotal, the payment printed is what tells the total from the balance
    const result = await read([
      ['Invoice Total', '1,000.00'],
      ['Total deposits', '200.00'],
      ['Balance due', '800.00'],
    ]);
    assert.equal(result.fields.total.value, '1000.00');
    assert.equal(result.fields.amountDue.value, '800.00');
    assert.ok(
      result.fields.amountDue.notes.includes('Adds up: total 1000.00 − Total deposits 200.00 = 800.00.'),
      result.fields.amountDue.notes.join(' | '),
    );
  });

  test('a misread subtotal: the payment still tells the gross total from the balance, and neither is confirmed', async () => {
    // the goods' value before a discount under "Zwischensumme": subtotal + tax does not make either total
    const result = await read(
      [
        ['Zwischensumme', '202,76'],
        ['Summe Umsatzsteuer', '21,31'],
        ['Rechnungssumme Brutto', '215,14'],
        ['Bereits bezahlt', '50,00'],
        ['Offener Betrag', '165,14'],
      ],
      true,
    );
    assert.equal(result.fields.total.value, '215.14');
    assert.equal(result.fields.amountDue.value, '165.14');
    assert.ok(
      result.fields.total.confidence <= 0.5 && result.fields.amountDue.confidence <= 0.5,
      `${result.fields.total.confidence} ${result.fields.amountDue.confidence}`,
    );
  });

  test('an amount due no payment printed explains stays in doubt; the total and the overall confidence do not suffer', async () => {
    const result = await read([
      ['Subtotal', '1,000.00'],
      ['Sales Tax 8%', '80.00'],
      ['Total', '1,080.00'],
      ['Amount due', '1,000.00'],
    ]);
    assert.equal(result.fields.total.value, '1080.00');
    assert.equal(result.fields.total.confidence, 0.99);
    assert.equal(result.fields.amountDue.value, '1000.00');
    assert.ok(result.fields.amountDue.confidence <= 0.7);
    assert.ok(
      result.fields.amountDue.notes.some((n) => n.includes('no payment printed explains')),
      result.fields.amountDue.notes.join(' | '),
    );
  });
});
