// Kinds of failure found on real vendors' invoices (ERP print layouts, e-invoice renderings, web shops),
// each on a small PDF drawn here: a value beside a generic label is no invoice number at auto-approval
// level, the seller's own order number is no PO, a number and date inside the title sentence are read,
// the gross total is the total and the amount left to pay its own field, and a column of amounts under a
// label whose first cell is no amount does not crash the read.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import { pagePdf as drawPage, type Put } from '../support/drawn-pdf.js';

const pagePdf = (puts: Put[]) => drawPage(puts, 10);

const extractor = createExtractor({ einvoice: false });
const read = async (puts: Put[]) =>
  extractor.extract({ bytes: await pagePdf(puts), mimeType: 'application/pdf', fileName: 'layout.pdf' });

// a totals block every case shares, so the amounts add up and only the field under test is in question
const TOTALS: Put[] = [
  ['Nettobetrag', 360, 300],
  ['100,00', 545, 300, { right: true }],
  ['MwSt. 19 %', 360, 284],
  ['19,00', 545, 284, { right: true }],
  ['Gesamtbetrag', 360, 268],
  ['119,00', 545, 268, { right: true }],
];

describe('real layouts', () => {
  test('a column of amounts under a label whose first cell is no amount is read without crashing', async () => {
    const extraction = await read([
      ['Muster Lieferant GmbH', 50, 780, { size: 16 }],
      ['Rechnungsnummer: RK-2025-77', 330, 720],
      ['Rechnungsdatum: 14.11.2025', 330, 704],
      ['Base imponible', 360, 400],
      ['siehe unten', 360, 388],
      ['10,00', 360, 376],
      ['20,00', 360, 364],
      ['30,00', 360, 352],
      ...TOTALS,
    ]);
    assert.equal(extraction.fields.invoiceNumber.value, 'RK-2025-77');
    assert.equal(extraction.fields.total.value, '119.00');
  });

  test('"Nummer:" in the seller\'s block is the seller\'s number, never the invoice number at auto-approval confidence', async () => {
    const extraction = await read([
      ['Verkäufer', 70, 720],
      ['Nummer:', 70, 706],
      ['549910', 260, 706],
      ['Name:', 70, 692],
      ['Lieferant GmbH', 260, 692],
      ['Käufer', 70, 650],
      ['Name:', 70, 636],
      ['Kunden AG', 260, 636],
      ['Bestellnummer:', 70, 580],
      ['4500012345', 260, 580],
      ['Rechnungsdatum:', 70, 566],
      ['05.03.2018', 260, 566],
      ...TOTALS,
    ]);
    const number = extraction.fields.invoiceNumber;
    assert.ok(number.confidence < 0.95, `${number.value} at ${number.confidence}`);
    assert.ok(extraction.confidence < 0.95);
  });

  test('the seller\'s own order number ("Auftrag-Nr-Lief", "Ordernummer") is no PO at auto-approval confidence', async () => {
    const sellers = await read([
      ['Muster Lieferant GmbH', 50, 780, { size: 16 }],
      ['Beleg-Nr', 366, 720],
      [': R87654321012345', 457, 720],
      ['Beleg-Datum', 366, 706],
      [': 06.08.2013', 457, 706],
      ['Auftrag-Nr-Lief', 366, 692],
      [': A456123', 457, 692],
      ...TOTALS,
    ]);
    assert.equal(
      sellers.fields.invoiceNumber.value,
      'R87654321012345',
      'the value in the next column, after the colon',
    );
    assert.equal(sellers.fields.poNumbers.value, null);
    const shop = await read([
      ['Muster Webshop B.V.', 50, 780, { size: 16 }],
      ['Factuurnummer: F-2025-118', 330, 720],
      ['Factuurdatum: 14-11-2025', 330, 704],
      ['Ordernummer: 700123456', 330, 688],
      ...TOTALS,
    ]);
    assert.ok(
      shop.fields.poNumbers.confidence < 0.95,
      `${JSON.stringify(shop.fields.poNumbers.value)} at ${shop.fields.poNumbers.confidence}`,
    );
  });

  test('the number and the date inside the title sentence, in German, French, English (and Indian), Italian and Spanish', async () => {
    const cases: Array<[string, string, string]> = [
      ['Handelsrechnung Nr. 471102 vom 05.03.2018', '471102', '2018-03-05'],
      ['Rechnung des Versicherers (575) Nr. 01.234.567.8-2018-1 vom 06.12.2018', '01.234.567.8-2018-1', '2018-12-06'],
      ['Facture n°562044387 du 02 Juillet 2015', '562044387', '2015-07-02'],
      ['Invoice # RE-2020/508 issued at 2020-11-21', 'RE-2020/508', '2020-11-21'],
      ['FATTURA N. 124/2024 del 07/03/2024', '124/2024', '2024-03-07'],
      ['Fattura n. 88 in data 09/04/2024', '88', '2024-04-09'],
      ['Factura N.º 2024-17 de fecha 07/03/2024', '2024-17', '2024-03-07'],
      ['Invoice No. & Date : PCPL/0789 dt. 14.03.2024', 'PCPL/0789', '2024-03-14'],
    ];
    for (const [title, number, date] of cases) {
      const extraction = await read([
        ['Muster Lieferant GmbH', 50, 780, { size: 16 }],
        [title, 50, 740, { size: 14 }],
        ...TOTALS,
      ]);
      assert.equal(extraction.fields.invoiceNumber.value, number, title);
      assert.equal(extraction.fields.invoiceDate.value, date, title);
    }
  });

  test("a title sentence split by wide gaps (as OCR groups it) is still one sentence, each box its value's own", async () => {
    const layouts: Array<[Put, Put, number, number]> = [
      [
        ['Handelsrechnung (380) Nr. 471102 vom', 50, 740, { size: 14 }],
        ['05.06.2018', 420, 740, { size: 14 }],
        200,
        400,
      ],
      [['Handelsrechnung Nr.', 50, 740, { size: 14 }], ['471102 vom 05.06.2018', 300, 740, { size: 14 }], 290, 340],
    ];
    for (const [left, right, numberX, dateX] of layouts) {
      const extraction = await read([['Muster Lieferant GmbH', 50, 780, { size: 16 }], left, right, ...TOTALS]);
      assert.equal(extraction.fields.invoiceNumber.value, '471102', left[0]);
      assert.equal(extraction.fields.invoiceDate.value, '2018-06-05', left[0]);
      assert.ok(
        (extraction.fields.invoiceNumber.provenance?.box?.x ?? 0) > numberX,
        "the number's box is the number's own",
      );
      assert.ok((extraction.fields.invoiceDate.provenance?.box?.x ?? 0) > dateX, "the date's box is the date's own");
    }
  });

  test('a title naming the document twice, and a title whose date wraps onto the next line, are read', async () => {
    const twice = await read([
      ['Muster Lieferant GmbH', 50, 790, { size: 16 }],
      ['Gutschrift (Selbst ausgestellte Rechnung) (389) Nr. 471102 vom 05.03.2018', 50, 760, { size: 12 }],
      ['Nummer:', 50, 700],
      ['549910', 250, 700],
      ...TOTALS,
    ]);
    assert.equal(twice.fields.invoiceNumber.value, '471102');
    assert.equal(twice.fields.invoiceDate.value, '2018-03-05');
    const wrapped = await read([
      ['Muster Lieferant GmbH', 50, 790, { size: 16 }],
      ['Rechnung des Versicherers Nr. 01.234.567.8-2018-1 vom', 50, 740, { size: 14 }],
      ['06.12.2018', 50, 723, { size: 14 }],
      ...TOTALS,
    ]);
    assert.equal(wrapped.fields.invoiceNumber.value, '01.234.567.8-2018-1');
    assert.equal(wrapped.fields.invoiceDate.value, '2018-12-06');
    assert.ok((wrapped.fields.invoiceDate.provenance?.box?.y ?? 999) < 735, "the date's box is on the wrapped line");
    // The join word wrapped with the date: "… Nr. 47110818" | "vom 31.10.2018"
    const joinWrapped = await read([
      ['Muster Lieferant GmbH', 50, 790, { size: 16 }],
      ['Gutschrift (Selbst ausgestellte Rechnung) Nr. 47110818', 50, 740, { size: 14 }],
      ['vom 31.10.2018', 50, 723, { size: 14 }],
      ['Rechnung gemäß Bestellung vom 01.10.2018.', 50, 650],
      ...TOTALS,
    ]);
    assert.equal(joinWrapped.fields.invoiceNumber.value, '47110818');
    assert.equal(joinWrapped.fields.invoiceDate.value, '2018-10-31');
    const box = joinWrapped.fields.invoiceDate.provenance?.box;
    assert.ok(
      box && box.y < 735 && box.x > 70,
      `the date's box is the date's own, on the wrapped line: ${JSON.stringify(box)}`,
    );
    // A line below that merely starts with "vom" and a date, but does not continue the title's column, is not it.
    const elsewhere = await read([
      ['Muster Lieferant GmbH', 50, 790, { size: 16 }],
      ['Gutschrift Nr. 47110818', 50, 740, { size: 14 }],
      ['vom 31.10.2018', 300, 723, { size: 14 }],
      ...TOTALS,
    ]);
    assert.notEqual(elsewhere.fields.invoiceDate.value, '2018-10-31');
  });

  test("the tax that makes the amounts add up: the lines of a tax breakdown, or a credit note's tax printed without its minus", async () => {
    const head: Put[] = [
      ['Muster Lieferant GmbH', 50, 790, { size: 16 }],
      ['Rechnungskorrektur Nr. RK-1 vom 16.09.2018', 50, 760, { size: 14 }],
    ];
    const breakdown = await read([
      ...head,
      ['Umsatzsteuer (S)', 50, 480],
      ['-4,85', 380, 480, { right: true }],
      ['19', 440, 480],
      ['-0,92', 545, 480, { right: true }],
      ['Umsatzsteuer (S)', 50, 466],
      ['-2,82', 380, 466, { right: true }],
      ['7', 440, 466],
      ['-0,20', 545, 466, { right: true }],
      ['Rechnungssumme ohne USt.', 300, 400],
      ['-7,67', 545, 400, { right: true }],
      ['Bruttosumme', 300, 370],
      ['-8,79', 545, 370, { right: true }],
    ]);
    assert.equal(breakdown.fields.tax.value, '-1.12', breakdown.fields.tax.notes.join(' | '));
    assert.equal(breakdown.fields.total.value, '-8.79');
    const unsigned = await read([
      ...head,
      ['Rechnungssumme ohne USt.', 300, 400],
      ['-7,67', 545, 400, { right: true }],
      ['Steuerbetrag', 300, 385],
      ['1,12', 545, 385, { right: true }],
      ['Bruttosumme', 300, 370],
      ['-8,79', 545, 370, { right: true }],
    ]);
    assert.equal(unsigned.fields.tax.value, '-1.12', unsigned.fields.tax.notes.join(' | '));
    assert.match(unsigned.fields.tax.notes.join(' '), /without its minus sign/);
  });

  test('an invoice number with a character numbers do not take is never read cut short', async () => {
    for (const printed of ['INV-575991&1', 'RE-2026ä17']) {
      const extraction = await read([
        ['Muster Lieferant GmbH', 50, 790, { size: 16 }],
        ['Invoice Number:', 50, 700],
        [printed, 160, 700],
        ['Bill To:', 300, 700],
        ...TOTALS,
      ]);
      const value = extraction.fields.invoiceNumber.value;
      assert.ok(value === null || value === printed, `${printed} read as ${value}`);
    }
  });

  test('Indian amounts: "Rs." or INR, lakh grouping and the closing "/-"', async () => {
    const extraction = await read([
      ['Sharma Precision Tools Pvt. Ltd.', 50, 790, { size: 16 }],
      ['Tax Invoice', 50, 760, { size: 14 }],
      ['Invoice No.', 50, 730],
      ['SPT/2026/0417', 160, 730],
      ['Sub Total', 360, 300],
      ['Rs. 1,00,000.00', 545, 300, { right: true }],
      ['IGST 18%', 360, 284],
      ['Rs. 18,000.00', 545, 284, { right: true }],
      ['Grand Total', 360, 268],
      ['INR 1,18,000.00/-', 545, 268, { right: true }],
    ]);
    assert.equal(extraction.fields.subtotal.value, '100000.00');
    assert.equal(extraction.fields.tax.value, '18000.00');
    assert.equal(extraction.fields.total.value, '118000.00');
    assert.equal(extraction.fields.currency.value, 'INR');
    // within one state the GST is printed in two halves, CGST and SGST: their sum is the tax
    const halves = await read([
      ['Sharma Precision Tools Pvt. Ltd.', 50, 790, { size: 16 }],
      ['Invoice No.', 50, 730],
      ['SPT/2026/0418', 160, 730],
      ['Taxable Value', 360, 316],
      ['Rs. 1,643.22', 545, 316, { right: true }],
      ['CGST 9%', 360, 300],
      ['Rs. 147.89', 545, 300, { right: true }],
      ['SGST 9%', 360, 284],
      ['Rs. 147.89', 545, 284, { right: true }],
      ['Total', 360, 268],
      ['Rs. 1,939.00/-', 545, 268, { right: true }],
    ]);
    assert.equal(halves.fields.tax.value, '295.78', halves.fields.tax.notes.join(' | '));
    assert.equal(halves.fields.total.value, '1939.00');
  });

  test("an insurer's premium invoice: Gesamtbeitrag, Versicherungsteuer and Rechnungsbeitrag are subtotal, tax and total", async () => {
    const extraction = await read([
      ['MVM Versicherungsverein a.G.', 50, 790, { size: 16 }],
      ['Beitragsrechnung Nr. 01.234.567.8 vom 06.12.2013', 50, 760, { size: 12 }],
      ['Gesamtbeitrag', 70, 360],
      ['50,00 €', 330, 360, { right: true }],
      ['Versicherungsteuer 19 %', 70, 348],
      ['9,50 €', 330, 348, { right: true }],
      ['Rechnungsbeitrag', 70, 337],
      ['59,50 €', 330, 337, { right: true }],
    ]);
    assert.equal(extraction.fields.subtotal.value, '50.00');
    assert.equal(extraction.fields.tax.value, '9.50');
    assert.equal(extraction.fields.total.value, '59.50');
    assert.equal(extraction.fields.currency.value, 'EUR');
  });

  test('a premium "inklusive" its tax is the total, and the tax it contains, printed in brackets, is positive', async () => {
    const extraction = await read([
      ['MVM Versicherungsverein a.G.', 50, 790, { size: 16 }],
      ['Beitragsrechnung zur Kraftfahrtversicherung Nr. 00.123.456.7', 50, 760, { size: 12 }],
      ['Kfz-Haftpflicht SF25 (30 %) Typkl. 18 Regio R9', 70, 400],
      ['80,00 €', 500, 400, { right: true }],
      ['Vollkasko SF25 (30 %) Typkl. 21 Regio R4', 70, 388],
      ['140,00 €', 500, 388, { right: true }],
      ['vierteljährlicher Beitrag inklusive 19 % Versicherungsteuer', 70, 376],
      ['220,00 €', 500, 376, { right: true }],
      ['in diesem Beitrag enthaltene Versicherungsteuer', 70, 364],
      ['(35,13 €)', 500, 364, { right: true }],
      ['Ausstehende Forderung am Ausstellungstag (Stand 04.03.2014)', 70, 352],
      ['220,00 €', 500, 352, { right: true }],
      ['zu zahlender Beitrag', 70, 340],
      ['440,00 €', 500, 340, { right: true }],
    ]);
    assert.equal(extraction.fields.total.value, '220.00');
    assert.equal(extraction.fields.tax.value, '35.13');
    assert.equal(extraction.fields.currency.value, 'EUR');
  });

  test('the due date a sentence names ("zu der Fälligkeit 21.05.2014", "due on", "échéance du"); an insurance tax named with what it insures', async () => {
    const premium = (sentence: string) =>
      read([
        ['MVM Versicherungsverein a.G.', 50, 790, { size: 16 }],
        ['Beitragsrechnung Nr. 01.234.567.8 vom 18.04.2014', 50, 760, { size: 12 }],
        ['Gesamtbeitrag', 70, 360],
        ['1.000,00 €', 500, 360, { right: true }],
        ['Versicherungsteuer zur Verbundenen Wohngebäudeversicherung', 70, 348],
        ['163,40 €', 500, 348, { right: true }],
        ['Rechnungsbetrag', 70, 337],
        ['1.163,40 €', 500, 337, { right: true }],
        [sentence, 70, 300],
      ]);
    const german = await premium(
      'es, wenn Sie uns ein SEPA-Lastschriftmandat erteilen. Wir würden dann zu der Fälligkeit 21.05.2014',
    );
    assert.equal(german.fields.tax.value, '163.40');
    assert.ok(german.fields.total.confidence >= 0.95, 'the three amounts add up');
    assert.equal(german.fields.dueDate.value, '2014-05-21');
    assert.ok(german.fields.dueDate.confidence < 0.95, 'a date in prose is no confident reading');
    assert.equal(
      (await premium('The premium is due on 21/05/2014 by bank transfer.')).fields.dueDate.value,
      '2014-05-21',
    );
    assert.equal((await premium("Prélèvement à l'échéance du 21/05/2014.")).fields.dueDate.value, '2014-05-21');
    // the period the premium covers is no due date
    assert.equal((await premium('für den Zeitraum vom 21.05.2014 bis 21.05.2015')).fields.dueDate.value, null);
  });

  test("a SEPA pre-notification's debit date is the due date; a delivery date in a sentence is not", async () => {
    const debit = await read([
      ['Muster Lieferant GmbH', 50, 790, { size: 16 }],
      ['Rechnung Nr. 4711 vom 05.03.2014', 50, 760, { size: 12 }],
      [
        'Der Betrag in Höhe von EUR 119,00 wird am 20.03.2014 von Ihrem Konto mit IBAN DE21860000000086001055',
        40,
        325,
        { size: 9 },
      ],
      ['und BIC MARKDEF1860 per SEPA-Lastschrift eingezogen.', 40, 311, { size: 9 }],
      ...TOTALS,
    ]);
    assert.equal(debit.fields.dueDate.value, '2014-03-20');
    assert.ok(debit.fields.dueDate.confidence < 0.95, 'a date from prose stays below auto-approval confidence');
    const delivery = await read([
      ['Muster Lieferant GmbH', 50, 790, { size: 16 }],
      ['Rechnung Nr. 4712 vom 05.03.2014', 50, 760, { size: 12 }],
      ['Die Ware wird am 20.03.2014 von unserem Lager geliefert.', 40, 325, { size: 9 }],
      ...TOTALS,
    ]);
    assert.equal(delivery.fields.dueDate.value, null);
  });

  test('a sentence referring to another document gives no invoice number', async () => {
    const extraction = await read([
      ['Muster Lieferant GmbH', 50, 780, { size: 16 }],
      ['Rechnung gemäß Bestellung Nr. 2018-471331 vom 01.03.2018.', 50, 700],
      ...TOTALS,
    ]);
    assert.notEqual(extraction.fields.invoiceNumber.value, '2018-471331');
  });

  test('a date written out alone near the top ("August 3 , 2014", "24. Januar 2014") is the invoice date, below auto-approval confidence', async () => {
    for (const [printed, iso] of [
      ['August 3 , 2014', '2014-08-03'],
      ['24. Januar 2014', '2014-01-24'],
    ]) {
      const extraction = await read([
        ['Muster Lieferant GmbH', 50, 780, { size: 16 }],
        [printed!, 430, 740],
        ['Rechnungsnummer: 2014-118', 330, 720],
        ...TOTALS,
      ]);
      assert.equal(extraction.fields.invoiceDate.value, iso, printed);
      assert.ok(extraction.fields.invoiceDate.confidence < 0.95);
    }
  });

  test('the gross total is the total, not the amount left after a prepayment; a sum of discounts is no total', async () => {
    const extraction = await read([
      ['Muster Lieferant GmbH', 50, 780, { size: 16 }],
      ['Rechnungsnummer: 471102', 330, 720],
      ['Rechnungsdatum: 05.06.2018', 330, 704],
      ['Positionssumme', 300, 400],
      ['177,49', 545, 400, { right: true }],
      ['Gesamtbetrag der Zuschläge', 300, 386],
      ['0,00', 545, 386, { right: true }],
      ['Gesamtbetrag der Abschläge', 300, 372],
      ['-0,00', 545, 372, { right: true }],
      ['Rechnungssumme ohne USt.', 300, 358],
      ['177,49', 545, 358, { right: true }],
      ['Steuerbetrag in', 300, 344],
      ['EUR', 460, 344],
      ['20,16', 545, 344, { right: true }],
      ['Bruttosumme', 300, 330],
      ['197,65', 545, 330, { right: true }],
      ['Erhaltene Anzahlungen', 300, 316],
      ['-50,00', 545, 316, { right: true }],
      ['Zahlbetrag', 300, 302],
      ['147,65', 545, 302, { right: true }],
    ]);
    assert.equal(extraction.fields.subtotal.value, '177.49');
    assert.equal(extraction.fields.tax.value, '20.16');
    assert.equal(extraction.fields.total.value, '197.65');
    assert.equal(extraction.fields.amountDue.value, '147.65');
    assert.equal(extraction.fields.amountDue.confidence, 0.99);
  });

  test('"To pay" labels the total; "Customer ref: PO 771200" is the customer\'s order', async () => {
    const extraction = await read([
      ['Nordic Fasteners AB', 50, 780, { size: 16 }],
      ['Invoice: 2024-5567', 330, 720],
      ['Invoice date: 2024-03-05', 330, 704],
      ['Customer ref: PO 771200', 330, 688],
      ['Net', 360, 300],
      ['1,200.00', 545, 300, { right: true }],
      ['VAT 0% (export)', 360, 284],
      ['0.00', 545, 284, { right: true }],
      ['To pay USD', 360, 268],
      ['1,200.00', 545, 268, { right: true }],
    ]);
    assert.equal(extraction.fields.total.value, '1200.00');
    assert.equal(extraction.fields.total.confidence, 0.99, 'the amounts add up');
    assert.deepEqual(extraction.fields.poNumbers.value, ['771200']);
  });

  test('more labels of the total and the customer\'s order: "Montant à régler", "Totaal te betalen", "Uw kenmerk"', async () => {
    const french = await read([
      ['SARL Dupuis Outillage', 50, 780, { size: 16 }],
      ['FACTURE N° F2024-001', 50, 720, { size: 14 }],
      ['Date de facture : 12/02/2024', 50, 700],
      ['Total HT', 360, 300],
      ['1 000,00 €', 545, 300, { right: true }],
      ['TVA 20,00 %', 360, 284],
      ['200,00 €', 545, 284, { right: true }],
      ['Montant à régler', 360, 268],
      ['1 200,00 €', 545, 268, { right: true }],
    ]);
    assert.equal(french.fields.total.value, '1200.00');
    assert.equal(french.fields.total.confidence, 0.99);
    const dutch = await read([
      ['Van Dijk Metaalbewerking', 50, 780, { size: 16 }],
      ['Factuurnummer: 2024-0087', 50, 720],
      ['Factuurdatum: 12-02-2024', 50, 706],
      ['Uw kenmerk: 4500123', 300, 720],
      ...TOTALS,
    ]);
    assert.deepEqual(dutch.fields.poNumbers.value, ['4500123']);
  });

  test('without a PO label, a number printed with the PO prefix ("Reference  PO-8812") is the PO, below auto-approval', async () => {
    const extraction = await read([
      ['Southern Cross Hydraulics Pty Ltd', 50, 780, { size: 16 }],
      ['Invoice', 400, 720],
      ['INV-0042', 470, 720],
      ['Date', 400, 706],
      ['5 March 2024', 470, 706],
      ['Reference', 400, 692],
      ['PO-8812', 470, 692],
      ['Remit to: P.O. Box 7788, Brisbane QLD 4001', 50, 650],
      ...TOTALS,
    ]);
    assert.deepEqual(extraction.fields.poNumbers.value, ['PO-8812']);
    assert.ok(extraction.fields.poNumbers.confidence < 0.95, String(extraction.fields.poNumbers.confidence));
    const box = await read([
      ['Southern Cross Hydraulics Pty Ltd', 50, 780, { size: 16 }],
      ['Invoice', 400, 720],
      ['INV-0042', 470, 720],
      ['Remit to: P.O. Box 7788, Brisbane QLD 4001', 50, 650],
      ...TOTALS,
    ]);
    assert.equal(box.fields.poNumbers.value, null, 'a P.O. Box is no purchase order');
  });

  test('a label over its value at the right edge of the form ("Rechnungsnummer" over "471102") is read', async () => {
    const extraction = await read([
      ['Lieferant GmbH', 70, 780],
      ['RECHNUNG', 480, 768, { size: 14 }],
      ['Rechnungsnummer', 400, 752],
      ['80333 München', 70, 744],
      ['471102', 545, 744, { right: true }],
      ['Rechnungsdatum', 400, 728],
      ['Deutschland', 70, 720],
      ['05.03.2013', 545, 720, { right: true }],
      ...TOTALS,
    ]);
    assert.equal(extraction.fields.invoiceNumber.value, '471102');
    assert.equal(extraction.fields.invoiceDate.value, '2013-03-05');
  });

  test('QuickBooks-style items under "ACTIVITY", "QTY", "RATE", "AMOUNT": the activity is the description', async () => {
    const extraction = await read([
      ['Acme Fasteners Inc.', 50, 790, { size: 14 }],
      ['INVOICE #', 400, 740],
      ['1047', 545, 740, { right: true }],
      ['ACTIVITY', 50, 600],
      ['QTY', 250, 600],
      ['RATE', 350, 600],
      ['AMOUNT', 545, 600, { right: true }],
      ['Hex bolt M12x60, zinc', 50, 584],
      ['1,000', 250, 584],
      ['0.80', 350, 584],
      ['800.00', 545, 584, { right: true }],
      ['Lock nut M12', 50, 568],
      ['2,000', 250, 568],
      ['0.20', 350, 568],
      ['400.00', 545, 568, { right: true }],
      ['SUBTOTAL', 400, 520],
      ['1,200.00', 545, 520, { right: true }],
      ['TOTAL', 400, 504],
      ['1,200.00', 545, 504, { right: true }],
    ]);
    assert.deepEqual(
      extraction.lineItems.map((i) => [i.description.value, i.quantity.value, i.unitPrice.value, i.amount.value]),
      [
        ['Hex bolt M12x60, zinc', '1000', '0.80', '800.00'],
        ['Lock nut M12', '2000', '0.20', '400.00'],
      ],
    );
  });

  test('one label for two fields, "Rechnungs-Nr. / Datum", and its values split the same way: beside, inline or below', async () => {
    const layouts: Put[][] = [
      [
        ['Rechnungs-Nr. / Datum', 250, 720],
        ['RE-2024-0815 / 05.03.2024', 545, 720, { right: true }],
      ],
      [['Invoice No. / Date: ASI/245/24-25 / 05.03.2024', 330, 720]],
      [
        ['Beleg-Nr./-Datum', 330, 720],
        ['RE-2024-0815/05.03.2024', 330, 706],
      ],
    ];
    for (const puts of layouts) {
      const extraction = await read([['Muster Metallbau GmbH', 50, 780, { size: 16 }], ...puts, ...TOTALS]);
      const [number, date] = [extraction.fields.invoiceNumber, extraction.fields.invoiceDate];
      const expected = puts.some(([t]) => t.includes('ASI/')) ? 'ASI/245/24-25' : 'RE-2024-0815';
      assert.equal(number.value, expected, JSON.stringify(puts));
      assert.equal(date.value, '2024-03-05', JSON.stringify(puts));
      assert.ok(
        date.notes.some((n) => n.includes('the second of its two values')),
        date.notes.join(' | '),
      );
    }
  });

  test('a paired label is read only when its value splits one way into both fields', async () => {
    for (const value of ['RE-17 / 05.03.2024 / 4', 'RE-17 06.03.2024 / 05.03.2024']) {
      const extraction = await read([
        ['Muster Metallbau GmbH', 50, 780, { size: 16 }],
        ['Rechnungs-Nr. / Datum', 250, 720],
        [value, 545, 720, { right: true }],
        ...TOTALS,
      ]);
      assert.equal(extraction.fields.invoiceNumber.value, null, value);
    }
  });

  test('"Rechnungsdatum/Lieferdatum" with one date: the invoice date, printed once for both', async () => {
    const extraction = await read([
      ['Muster Metallbau GmbH', 50, 780, { size: 16 }],
      ['Rechnungsdatum/Lieferdatum', 50, 720],
      ['05 März 2024', 250, 720],
      ['Bestelldatum 04 März 2024', 50, 700],
      ...TOTALS,
    ]);
    const date = extraction.fields.invoiceDate;
    assert.equal(date.value, '2024-03-05');
    assert.ok(date.confidence >= 0.95, `${date.confidence}: ${date.notes.join(' | ')}`);
    // with two dates, each its own: the delivery's is no field of the invoice
    const two = await read([
      ['Muster Metallbau GmbH', 50, 780, { size: 16 }],
      ['Rechnungsdatum / Lieferdatum: 05.03.2024 / 04.03.2024', 50, 720],
      ...TOTALS,
    ]);
    assert.equal(two.fields.invoiceDate.value, '2024-03-05');
  });

  test('the title alone with its number at the far end of the line ("INVOICE      INV-2024-0042") gives the number, below 0.95', async () => {
    const extraction = await read([
      ['Keystone Fabrication LLC', 50, 790, { size: 12 }],
      ['INVOICE', 50, 740, { size: 18 }],
      ['INV-2024-0042', 545, 740, { size: 11, right: true }],
      ...TOTALS,
    ]);
    const number = extraction.fields.invoiceNumber;
    assert.equal(number.value, 'INV-2024-0042');
    assert.ok(number.confidence < 0.95, `${number.confidence}`);
    for (const other of ['Page 1 of 2', '05.03.2024', '1.190,00']) {
      const none = await read([
        ['Keystone Fabrication LLC', 50, 790, { size: 12 }],
        ['INVOICE', 50, 740, { size: 18 }],
        [other, 545, 740, { size: 11, right: true }],
        ...TOTALS,
      ]);
      assert.equal(none.fields.invoiceNumber.value, null, other);
    }
  });

  test('item tables headed in hours and rates ("Uren", "Tarief") and in German abbreviations ("EP", "GP") are read', async () => {
    for (const heads of [
      ['Omschrijving', 'Uren', 'Tarief', 'Bedrag'],
      ['Leistung', 'Menge', 'EP', 'GP'],
    ]) {
      const extraction = await read([
        ['Jansen Advies', 50, 790, { size: 14 }],
        [heads[0]!, 50, 600],
        [heads[1]!, 300, 600],
        [heads[2]!, 380, 600],
        [heads[3]!, 545, 600, { right: true }],
        ['Procesadvies februari', 50, 584],
        ['1', 300, 584],
        ['100,00', 380, 584],
        ['100,00', 545, 584, { right: true }],
        ...TOTALS,
      ]);
      assert.deepEqual(
        extraction.lineItems.map((i) => [i.description.value, i.quantity.value, i.unitPrice.value, i.amount.value]),
        [['Procesadvies februari', '1', '100.00', '100.00']],
        heads.join(' | '),
      );
    }
  });

  test('a credit memo that prints its amounts with "CR" reads a negative total', async () => {
    const extraction = await read([
      ['Acme Fasteners Inc.', 50, 790, { size: 13 }],
      ['CREDIT MEMO', 400, 790, { size: 16 }],
      ['Credit Memo #', 400, 760],
      ['CN-2041', 545, 760, { right: true }],
      ['Return of 150 lock nuts M12', 50, 600],
      ['120.00 CR', 545, 600, { right: true }],
      ['Total Credit', 400, 560],
      ['120.00 CR', 545, 560, { right: true }],
    ]);
    assert.equal(extraction.fields.total.value, '-120.00');
  });
});
