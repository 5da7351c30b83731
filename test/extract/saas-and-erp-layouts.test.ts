// Kinds of failure found on pages drawn after the layouts of invoicing apps and ERP prints (a marketplace
// invoice, a UK sales invoice, a Dutch and a German app's invoice, an Indian GST e-invoice, an XRechnung
// rendering, an SAP-style print): each drawn small here, each failing before its fix.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import { labelOf } from '../../extract/labels.js';
import { pagePdf, type Put } from '../support/drawn-pdf.js';

const extractor = createExtractor({ einvoice: false });
const read = async (puts: Put[]) =>
  extractor.extract({ bytes: await pagePdf(puts), mimeType: 'application/pdf', fileName: 'layout.pdf' });

/** Label and value pairs, one row each, the value in a column of its own (`right`: right-aligned there). */
const rows = (labelX: number, valueX: number, y: number, pairs: Array<[string, string]>, right = false): Put[] =>
  pairs.flatMap(([label, value], i): Put[] => [
    [label, labelX, y - 14 * i],
    [value, valueX, y - 14 * i, { right }],
  ]);
const lines = (x: number, y: number, texts: string[]): Put[] => texts.map((text, i): Put => [text, x, y - 12 * i]);

const CUSTOMER_WINDOW = lines(50, 700, [
  'Hoogland Metaal B.V.',
  't.a.v. Crediteurenadministratie',
  'Postbus 412',
  '5600 AK Eindhoven',
]);
const TOTALS = rows(
  350,
  545,
  450,
  [
    ['Subtotal', '2,600.00'],
    ['VAT 21%', '546.00'],
    ['Total', '3,146.00'],
  ],
  true,
);

describe('invoicing apps and ERP prints', () => {
  test('"Sold by:" in a column of its own right of the title heads the seller\'s block', async () => {
    const extraction = await read([
      ['Invoice', 50, 790, { size: 16 }],
      ['Sold by:', 330, 790],
      ...lines(330, 776, ['BrightPath Industrial Supply', '2210 Commerce Dr', 'Reno, NV 89502']),
      ['Invoice # US4B2KXQAEUI', 50, 770],
      ['Billing address', 50, 690],
      ...lines(50, 676, ['Ridgeway Stamping Co.', '1200 Industrial Pkwy', 'Toledo, OH 43612']),
      ...TOTALS,
    ]);
    assert.equal(extraction.fields.vendorName.value, 'BrightPath Industrial Supply');
  });

  test('a footer sentence opening with the company and its registration names the issuer', async () => {
    const extraction = await read([
      ['SALES INVOICE', 380, 780, { size: 14 }],
      ...rows(380, 470, 755, [
        ['Invoice No:', 'SI-20931'],
        ['Tax Point:', '31/01/2024'],
      ]),
      ['Invoice To:', 50, 700],
      ...lines(50, 686, ['Ridgeway Components Ltd', 'Unit 4 Canal Side', 'Wakefield', 'WF1 5QT']),
      ...TOTALS,
      ['Pennine Fasteners Ltd. Registered in England No. 04412345. VAT Reg No. GB 123 4567 89', 60, 60, { size: 8 }],
    ]);
    assert.equal(extraction.fields.vendorName.value, 'Pennine Fasteners Ltd.');
    assert.ok(extraction.fields.vendorName.confidence < 0.95, 'one footer sentence is no proof');
  });

  test('the account holder\'s name ends at its legal form when the sentence goes on ("t.n.v. … B.V. o.v.v. …")', async () => {
    const extraction = await read([
      ...CUSTOMER_WINDOW,
      ['Factuur', 50, 620, { size: 16 }],
      ...rows(50, 160, 595, [
        ['Factuurnummer', '24100233'],
        ['Factuurdatum', '09-04-2024'],
      ]),
      ...TOTALS,
      ['NL91 ABNA 0417 1643 00 t.n.v. Van Dijk Verpakkingen B.V. o.v.v. het factuurnummer.', 50, 368],
    ]);
    const vendor = extraction.fields.vendorName;
    assert.equal(vendor.value, 'Van Dijk Verpakkingen B.V.');
    assert.ok(vendor.confidence < 0.95, 'the unlabelled window disputes it');
  });

  test("a company name at the top that the invoice's domain spells outweighs an unlabelled address window set larger", async () => {
    const extraction = await read([
      ['Vogt Hydraulik GmbH', 50, 790, { size: 9 }],
      ...lines(50, 778, ['Gewerbepark 7', '33602 Bielefeld']).map(([t, x, y]): Put => [t, x, y, { size: 9 }]),
      ...lines(330, 700, ['Maschinenbau Ortner KG', 'Lindenweg 44', '94032 Passau']),
      ['Rechnung RE/2024/00312', 50, 610, { size: 16 }],
      ['Rechnungsdatum: 18.06.2024', 50, 580],
      ...TOTALS,
      ['+49 521 998877  info@vogt-hydraulik.de  http://www.vogt-hydraulik.de', 50, 60, { size: 8 }],
    ]);
    const vendor = extraction.fields.vendorName;
    assert.equal(vendor.value, 'Vogt Hydraulik GmbH');
    assert.ok(vendor.confidence < 0.95, 'the window set larger disputes it');
  });

  test('a word of a label that a domain happens to contain is no candidate ("Auftrag-Nr-Lief", musterlieferant.de)', async () => {
    const extraction = await read([
      ['Lieferant', 50, 760],
      ...lines(50, 746, ['Musterlieferant GmbH', 'Hauptstraße 1', '12345 Musterstadt']),
      ['Auftrag-Nr-Lief', 330, 730],
      [': A456123', 420, 730],
      ['Rechnungsnummer: 471102', 330, 700],
      ['Rechnungsdatum: 05.03.2018', 330, 686],
      ...TOTALS,
      ['www.musterlieferant.de', 50, 60, { size: 8 }],
    ]);
    const vendor = extraction.fields.vendorName;
    assert.equal(vendor.value, 'Musterlieferant GmbH');
    assert.ok(!vendor.notes.some((n) => n.includes('Auftrag')), vendor.notes.join(' '));
  });

  test('"Bestellreferenz" is the PO and "Summe Positionen" the goods\' value, not a rival total', async () => {
    const extraction = await read([
      ['Schäfer Antriebstechnik AG', 50, 790, { size: 14 }],
      ...rows(330, 440, 720, [
        ['Nummer', '90012345'],
        ['Datum', '05.03.2024'],
        ['Bestellreferenz:', '4500123456'],
      ]),
      ...rows(
        330,
        545,
        540,
        [
          ['Summe Positionen', '7.300,00'],
          ['Mehrwertsteuer 19,00 %', '1.387,00'],
          ['Endbetrag EUR', '8.687,00'],
        ],
        true,
      ),
    ]);
    assert.deepEqual(extraction.fields.poNumbers.value, ['4500123456']);
    assert.equal(extraction.fields.total.value, '8687.00');
    assert.ok(extraction.fields.total.confidence >= 0.95, `${extraction.fields.total.confidence}`);
  });

  test("\"Dated\" in the cell right of the buyer's order number is the order's date, no rival to the invoice's", async () => {
    const extraction = await read([
      ['Tax Invoice', 260, 790, { size: 12 }],
      ...lines(50, 760, ['Shree Vinayak Engineering Works', 'Plot No. 41, MIDC Bhosari', 'Pune - 411026']),
      ['Invoice No.', 320, 720],
      ['Dated', 450, 720],
      ['SVE/24-25/0187', 320, 706],
      ['21-Aug-24', 450, 706],
      ["Buyer's Order No.", 320, 660],
      ['Dated', 450, 660],
      ['KAL/PO/8812', 320, 646],
      ['12-Aug-24', 450, 646],
      ...rows(
        200,
        545,
        520,
        [
          ['Output CGST @ 9%', '4,500.00'],
          ['Output SGST @ 9%', '4,500.00'],
          ['Total', '59,000.00'],
        ],
        true,
      ),
    ]);
    const date = extraction.fields.invoiceDate;
    assert.equal(date.value, '2024-08-21');
    assert.ok(date.confidence >= 0.9, `${date.confidence}: ${date.notes.join(' ')}`);
  });

  test('a company name at the top whose every word the domain spells, in any order, is a candidate', async () => {
    const extraction = await read([
      ...lines(50, 790, ['Feinmechanik Keller AG', 'Bahnhofstrasse 21', '8400 Winterthur']).map(([t, x, y]): Put => [
        t,
        x,
        y,
        { size: 9 },
      ]),
      ...lines(330, 720, ['Uhrenteile Perret SA', 'Rue du Marché 4', '2300 La Chaux-de-Fonds']),
      ['Rechnung R-24-1187', 50, 620, { size: 14 }],
      ['Datum: 06.05.2024', 330, 620],
      ...TOTALS,
      ['CHE-123.456.789 MWST', 50, 60, { size: 7 }],
      ['www.keller-feinmechanik.ch', 250, 60, { size: 7 }],
    ]);
    assert.equal(extraction.fields.vendorName.value, 'Feinmechanik Keller AG');
  });

  test('Austrian and Swiss registrations mark the footer row that names the issuer (UID, FN, Firmenbuch, CHE-…)', async () => {
    for (const footer of [
      'Alpenland Zerspanung GmbH  |  Gewerbestraße 12, 6020 Innsbruck  |  FN 456789a  |  Firmenbuchgericht Innsbruck',
      'Alpenland Zerspanung GmbH  |  Gewerbestraße 12, 6020 Innsbruck  |  UID: ATU12345678',
      'Alpenland Zerspanung GmbH  |  Gewerbestraße 12, 6020 Innsbruck  |  CHE-123.456.789 MWST',
    ]) {
      const extraction = await read([
        ...lines(50, 720, ['Fahrzeugteile Huber GmbH', 'Industriezeile 3', '4020 Linz']),
        ['RECHNUNG', 50, 640, { size: 16 }],
        ['Rechnungs-Nr.: 2024-0388', 330, 720],
        ['Rechnungsdatum: 11.04.2024', 330, 706],
        ...TOTALS,
        [footer, 40, 60, { size: 7 }],
      ]);
      assert.equal(extraction.fields.vendorName.value, 'Alpenland Zerspanung GmbH', footer);
    }
  });

  test('labels as invoicing apps print them', () => {
    const cases: Array<[string, string]> = [
      ['Date de facturation', 'invoiceDate'],
      ['Facturé le', 'invoiceDate'],
      ['Re.-Datum', 'invoiceDate'],
      ['Rg.-Datum', 'invoiceDate'],
      ['Invoice issue date', 'invoiceDate'],
      ['Net Amount Payable', 'total'],
      ['Net Payable', 'total'],
      ['Invoice Value', 'total'],
      ['Kundenbestellnummer', 'poNumbers'],
      ['Bestellreferenz', 'poNumbers'],
      ['Purchase Order Reference', 'poNumbers'],
      ['Summe Positionen', 'subtotal'],
      ['Summe aller Positionen', 'subtotal'],
    ];
    for (const [printed, field] of cases) assert.equal(labelOf(`${printed}:`)?.label.field, field, printed);
  });

  test('a domain spelling the start of the name makes it a candidate ("linework.io", "Linework Analytics, Inc.")', async () => {
    // the e-mail line set larger than the name, as OCR may size it: the layout reads the address, no name
    const extraction = await read([
      ['Invoice', 50, 780, { size: 20 }],
      ['Invoice number  A1B2C3D4-0007', 50, 750],
      ['Date of issue  March 5, 2024', 50, 737],
      ...lines(50, 690, ['Linework Analytics, Inc.', '548 Market Street', 'San Francisco, California 94104']),
      ['billing@linework.io', 50, 650, { size: 13 }],
      ...lines(250, 690, ['Bill to', 'Ridgeway Stamping Co.', '1200 Industrial Pkwy']),
      ...TOTALS,
    ]);
    assert.equal(extraction.fields.vendorName.value, 'Linework Analytics, Inc.');
  });

  test('a French legal form printed before the name ("SARL DUPONT ET FILS - … - RCS Dijon …") marks a company', async () => {
    const extraction = await read([
      ['FACTURE', 400, 790, { size: 18 }],
      ['N° : 2024-118', 400, 765],
      ['Date : 03/10/2024', 400, 752],
      ...lines(330, 700, ['Boulangerie Martin', '3 place du Marché', '21000 Dijon']),
      ...TOTALS,
      [
        'SARL DUPONT ET FILS - 12 rue des Lilas 21000 Dijon - RCS Dijon 456 789 123 - TVA FR12456789123',
        50,
        50,
        {
          size: 7,
        },
      ],
    ]);
    assert.equal(extraction.fields.vendorName.value, 'SARL DUPONT ET FILS');
  });

  test('"M/s." before a firm\'s name is a courtesy title, no part of the name', async () => {
    const extraction = await read([
      ['TAX INVOICE', 250, 800, { size: 13 }],
      ['M/s. Ganesh Traders', 50, 775, { size: 14 }],
      ...lines(50, 758, ['14, Lohar Chawl, Mumbai - 400002', 'GSTIN: 27ABCPG1234F1Z9']),
      ['Bill To:', 50, 690],
      ...lines(50, 676, ['M/s. Patel Auto Components', 'Waluj MIDC, Aurangabad']),
      ['Invoice No.: GT/112/24-25', 350, 690],
      ['Date: 09/07/2024', 350, 677],
      ...TOTALS,
      ['For M/s. Ganesh Traders', 380, 300],
      ['Proprietor', 420, 260],
    ]);
    assert.equal(extraction.fields.vendorName.value, 'Ganesh Traders');
  });

  test('an amount in words in rupees makes the dates day first', async () => {
    const extraction = await read([
      ['Ganesh Traders', 50, 775, { size: 14 }],
      ['Invoice No.: GT/112/24-25', 350, 690],
      ['Date: 09/07/2024', 350, 677],
      ...TOTALS,
      ['Rupees Three Thousand One Hundred Forty Six Only', 50, 380],
    ]);
    assert.equal(extraction.fields.invoiceDate.value, '2024-07-09');
  });

  test('a letter\'s subject line carries the title and its number ("Betreft: factuur 240311")', async () => {
    const extraction = await read([
      ['Smit Elektrotechniek', 330, 800, { size: 14 }],
      ...lines(50, 700, ['De Vries Bakkerij', 'Kerkplein 3', '1811 KK Alkmaar']),
      ['Broek op Langedijk, 11 maart 2024', 50, 630],
      ['Betreft: factuur 240311', 50, 610],
      ...TOTALS,
    ]);
    assert.equal(extraction.fields.invoiceNumber.value, '240311');
  });

  test('a credit note\'s total with its minus after it ("595,00-") or in brackets ("(150.00)") is read beside a generic label', async () => {
    for (const [net, tax, total, want] of [
      ['500,00-', '95,00-', '595,00-', '-595.00'],
      ['(500.00)', '(95.00)', '(595.00)', '-595.00'],
    ]) {
      const extraction = await read([
        ['Schäfer Antriebstechnik AG', 50, 790, { size: 14 }],
        ['Gutschrift', 330, 740, { size: 14 }],
        ['Nummer: 90012399', 330, 720],
        ['Datum: 28.03.2024', 330, 707],
        ...rows(
          330,
          545,
          560,
          [
            ['Summe netto', net!],
            ['Mehrwertsteuer 19 %', tax!],
            ['Endbetrag EUR', total!],
          ],
          true,
        ),
      ]);
      assert.equal(extraction.fields.total.value, want, total);
    }
  });
});
