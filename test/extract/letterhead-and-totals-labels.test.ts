// Rules found on the fourth holdout batch (US web-store and machine-shop, Austrian, German, Dutch, French,
// Spanish and UK invoices), pinned one by one: a title printed letter-spaced, a logo mark run together from the
// name's first words, a number typed beside the bare title, "Total Nett", a tax rate after "@", the totals
// of a Dutch invoice and a German credit note, a web shop's order number that is not the customer's PO, a
// label wrapped over two lines with its value beside the pair, a tax summary table's row of sums, and income tax
// withheld (Spanish IRPF) printed in a totals table laid out in columns, a due date written only in a sentence,
// and a subtotal printed without a label under the item table.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Extraction } from '../../domain/extraction.js';
import { isDocumentTitle } from '../../extract/header.js';
import { createExtractor } from '../../extract/index.js';
import { classifyLabel } from '../../extract/label-words.js';
import { labelOf } from '../../extract/labels.js';
import { adjustmentKind } from '../../extract/totals.js';
import { textPdf, type Text } from '../support/text-pdf.js';

const extractor = createExtractor();
const read = async (texts: Text[]) =>
  Extraction.parse(
    await extractor.extract({ bytes: await textPdf([texts]), mimeType: 'application/pdf', fileName: 'invoice.pdf' }),
  );

const items: Text[] = [
  [50, 560, 'Description'],
  [500, 560, 'Amount'],
  [50, 545, 'Cold rolled strip 1.5 mm'],
  [500, 545, '1,000.00'],
];

describe('letterheads', () => {
  test('a title printed letter-spaced ("FA C T U U R") is a title, never the vendor', async () => {
    assert.ok(isDocumentTitle('FA C T U U R'));
    assert.ok(isDocumentTitle('I N V O I C E'));
    assert.ok(!isDocumentTitle('A B C Metals'));
    const extraction = await read([
      [50, 790, 'Brabant Staalbouw B.V.', 16],
      [420, 790, 'FA C T U U R', 18],
      [380, 760, 'Factuurnummer'],
      [470, 760, '25-0779'],
      [380, 746, 'Factuurdatum'],
      [470, 746, '25-11-2025'],
      ...items,
      [380, 500, 'Subtotaal'],
      [500, 500, '1.000,00'],
      [380, 486, 'BTW verlegd'],
      [500, 486, '0,00'],
      [380, 472, 'Factuurbedrag'],
      [500, 472, '1.000,00'],
    ]);
    assert.equal(extraction.fields.vendorName.value, 'Brabant Staalbouw B.V.');
    assert.equal(extraction.fields.total.value, '1000.00');
    assert.equal(extraction.fields.tax.value, '0.00');
  });

  test('a logo mark run together from the first words of the name ("RAPIDMRO") stands for the name on the letterhead line under it', async () => {
    const extraction = await read([
      [50, 790, 'RAPIDMRO', 20],
      [50, 778, 'Rapid MRO Supply, Inc. · 2200 Commerce Pkwy · Dayton, OH 45414', 7],
      [400, 760, 'Invoice No.:'],
      [480, 760, '7720418'],
      [400, 746, 'Invoice Date:'],
      [480, 746, '11/24/2025'],
      ...items,
      [380, 472, 'Invoice Total'],
      [500, 472, '$1,000.00'],
    ]);
    assert.equal(extraction.fields.vendorName.value, 'Rapid MRO Supply, Inc.');
  });

  test('a mark that is not the start of the name is not taken for it', async () => {
    const extraction = await read([
      [50, 790, 'RAPIDTOOL', 20],
      [50, 778, 'Rapid MRO Supply, Inc. · 2200 Commerce Pkwy · Dayton, OH 45414', 7],
      [400, 760, 'Invoice No.:'],
      [480, 760, '7720418'],
      ...items,
      [380, 472, 'Invoice Total'],
      [500, 472, '$1,000.00'],
    ]);
    assert.equal(extraction.fields.vendorName.value, 'RAPIDTOOL');
  });
});

describe('the bare title beside a number', () => {
  test('"INVOICE   25-1187" typed beside the title is the invoice number, weaker than a labelled one', async () => {
    assert.equal(labelOf('INVOICE 25-1187')?.rest, '25-1187');
    assert.equal(labelOf('INVOICE 25-1187')?.label.field, 'invoiceNumber');
    assert.ok(labelOf('INVOICE 25-1187')!.label.strength < labelOf('Invoice No. 25-1187')!.label.strength);
    const extraction = await read([
      [200, 790, 'KESSLER MACHINE & TOOL, INC.', 13],
      [400, 760, 'INVOICE'],
      [450, 760, '25-1187'],
      [400, 746, 'DATE'],
      [450, 746, 'Nov 18, 2025'],
      ...items,
      [380, 472, 'AMOUNT DUE'],
      [500, 472, '$1,000.00'],
    ]);
    assert.equal(extraction.fields.invoiceNumber.value, '25-1187');
  });

  test('a date, a page count or a one-digit number beside the title is no invoice number', () => {
    assert.equal(labelOf('INVOICE 11/24/2025'), null);
    assert.equal(labelOf('Invoice 1 of 2'), null);
    assert.equal(labelOf('INVOICE 7'), null);
    assert.equal(labelOf('Rechnung 2025-8812 vom 03.11.2025'), null);
    assert.equal(labelOf('Invoice Address')?.label.field ?? null, 'billTo');
  });

  test("beside a labelled invoice number, the title's number is no rival", async () => {
    const extraction = await read([
      [50, 790, 'Prairie Supply Company Inc.', 18],
      [400, 800, 'INVOICE'],
      [450, 800, 'SO-55120'],
      [400, 760, 'Invoice No.:'],
      [480, 760, 'INV-20931'],
      ...items,
      [380, 472, 'Total'],
      [500, 472, '1,000.00'],
    ]);
    assert.equal(extraction.fields.invoiceNumber.value, 'INV-20931');
  });
});

describe('totals labels', () => {
  test('"Total Nett" and "Nett Total" are the subtotal; a rate after "@" does not weaken the tax label', () => {
    assert.equal(labelOf('Total Nett')?.label.field, 'subtotal');
    assert.equal(classifyLabel('Nett Total'), 'subtotal');
    const vat = labelOf('VAT @ 20%');
    assert.equal(vat?.label.field, 'tax');
    assert.equal(vat?.label.strength, 0.97);
  });

  test('more wordings of the total and the invoice date: "Invoice amount", "Rechnungsendbetrag", "Te voldoen", "Date/Tax Point"', () => {
    for (const label of [
      'Invoice amount',
      'Rechnungsendbetrag',
      'Bruttorechnungsbetrag',
      'Endsumme',
      'Zu zahlender Betrag',
      'Te voldoen',
      'Montant facturé',
    ])
      assert.equal(labelOf(label)?.label.field, 'total', label);
    for (const label of ['Date/Tax Point', 'Invoice/Tax Date', 'Tax Point', 'Date Issued', 'Date / Tax Point'])
      assert.equal(labelOf(label)?.label.field, 'invoiceDate', label);
    assert.equal(labelOf('Date/Tax Point: 24/11/2025')?.rest, '24/11/2025');
    assert.equal(labelOf('Datum der Rechnung')?.label.field, 'invoiceDate');
    for (const label of ['Total TVA incluse', 'Total TVAC']) assert.equal(labelOf(label)?.label.field, 'total', label);
  });

  test('"Tax Invoice No." names the invoice number and "Tax Invoice" is a title, never a tax label', () => {
    assert.deepEqual(
      ['Tax Invoice No.: INV-77', 'TAX INVOICE NO 4471'].map((text) => [
        labelOf(text)?.label.field,
        labelOf(text)?.rest,
      ]),
      [
        ['invoiceNumber', 'INV-77'],
        ['invoiceNumber', '4471'],
      ],
    );
    assert.equal(labelOf('Tax Invoice')?.label.field, 'invoiceNumber');
    assert.ok(
      labelOf('Tax Invoice')!.label.strength < 0.9,
      'the title alone is weaker than any label naming the number',
    );
  });

  test('the VAT column of the item table is not the tax when "VAT @ 20%" stands in the totals', async () => {
    const extraction = await read([
      [50, 790, 'Humber Bearings & Transmission Ltd', 16],
      [400, 760, 'Invoice No.'],
      [480, 760, '418822'],
      [400, 746, 'Date / Tax Point'],
      [480, 746, '24/11/2025'],
      [50, 560, 'Description'],
      [440, 560, 'Nett'],
      [520, 560, 'VAT'],
      [50, 545, 'Plummer block housing'],
      [440, 545, '1,000.00'],
      [520, 545, '1'],
      [360, 500, 'Total Nett'],
      [480, 500, '1,000.00'],
      [360, 486, 'VAT @ 20%'],
      [480, 486, '200.00'],
      [360, 472, 'Invoice Total (GBP)'],
      [480, 472, '1,200.00'],
    ]);
    assert.equal(extraction.fields.subtotal.value, '1000.00');
    assert.equal(extraction.fields.tax.value, '200.00');
    assert.equal(extraction.fields.total.value, '1200.00');
  });

  test('"Gutschriftsbetrag" and "Factuurbedrag" name the total', () => {
    assert.equal(labelOf('Gutschriftsbetrag')?.label.field, 'total');
    assert.equal(classifyLabel('Gutschriftbetrag EUR'), 'total');
    assert.equal(labelOf('Factuurbedrag')?.label.field, 'total');
    assert.equal(classifyLabel('Totaal factuurbedrag'), 'total');
  });
});

describe('order numbers', () => {
  test("a web shop's order id is the vendor's, not the customer's PO", async () => {
    assert.equal(classifyLabel('Web Order ID'), null);
    assert.equal(classifyLabel('Online Order No.'), null);
    const extraction = await read([
      [50, 790, 'Prairie Supply Company Inc.', 18],
      [50, 740, 'INVOICE NUMBER'],
      [180, 740, 'INVOICE DATE'],
      [300, 740, 'WEB ORDER ID'],
      [420, 740, 'CUSTOMER PO #'],
      [50, 728, '7720418'],
      [180, 728, '11/24/2025'],
      [300, 728, 'W118842930'],
      [420, 728, '4500187723'],
      ...items,
      [380, 472, 'Total'],
      [500, 472, '1,000.00'],
    ]);
    assert.deepEqual(extraction.fields.poNumbers.value, ['4500187723']);
  });
});

describe('labels wrapped over two lines, tax summary tables', () => {
  test('"Customer Order" over "Ref:" with the value right of the pair, between their lines: the PO', async () => {
    const extraction = await read([
      [50, 790, 'Pennine Precision Engineering Ltd', 18],
      [390, 777, 'Invoice Number:'],
      [480, 777, 'PPE/25/0419'],
      [445, 763, 'Date:'],
      [488, 763, '28/11/2025'],
      [392, 749, 'Customer Order'],
      [508, 743, '7719-B'],
      [451, 738, 'Ref:'],
      [438, 723, 'Terms:'],
      [487, 723, '30 days net'],
      ...items,
      [380, 472, 'Total'],
      [500, 472, '1,000.00'],
    ]);
    assert.deepEqual(extraction.fields.poNumbers.value, ['7719-B']);
  });

  test('"Conditions de" over "règlement", the terms beside the pair: a label only once its lines are joined', async () => {
    const extraction = await read([
      [50, 790, 'Ateliers Mécaniques du Rhône SA', 16],
      [320, 760, 'N° de facture'],
      [433, 760, 'F2025-11-0457'],
      [320, 635, "Date d'échéance"],
      [433, 635, '31/12/2025'],
      [320, 617, 'Conditions de'],
      [433, 612, '30 jours fin de mois'],
      [320, 606, 'règlement'],
      ...items,
      [380, 472, 'Total TTC'],
      [500, 472, '1 000,00 €'],
    ]);
    assert.equal(extraction.fields.paymentTerms.value, '30 jours fin de mois');
  });

  test('an open fragment whose joined lines name nothing is no label ("Livraison de" over "pièces")', async () => {
    const extraction = await read([
      [50, 790, 'Ateliers Mécaniques du Rhône SA', 16],
      [320, 760, 'N° de facture'],
      [433, 760, 'F2025-11-0457'],
      [320, 617, 'Livraison de'],
      [433, 612, 'Lyon'],
      [320, 606, 'pièces'],
      ...items,
      [380, 472, 'Total TTC'],
      [500, 472, '1 000,00 €'],
    ]);
    assert.equal(extraction.fields.paymentTerms.value, null);
  });

  test("a second line that is a label of its own is not the first one's continuation", async () => {
    const extraction = await read([
      [50, 790, 'Pennine Precision Engineering Ltd', 18],
      [390, 777, 'Invoice Number:'],
      [480, 777, 'PPE/25/0419'],
      [392, 749, 'Customer Order'],
      [508, 743, '28/11/2025'],
      [400, 738, 'Date:'],
      ...items,
      [380, 472, 'Total'],
      [500, 472, '1,000.00'],
    ]);
    assert.equal(extraction.fields.poNumbers.value, null);
  });

  test('under "Base imponible" and "Cuota IVA", one row per rate and a row of sums: the sums are the subtotal and the tax', async () => {
    const extraction = await read([
      [50, 790, 'Plásticos Técnicos del Ebro, S.A.', 16],
      [400, 760, 'Factura Nº:'],
      [480, 760, '2025-FV-00931'],
      [400, 746, 'Fecha:'],
      [480, 746, '03/12/2025'],
      [50, 600, 'Descripción'],
      [500, 600, 'Importe'],
      [50, 585, 'Granza PP'],
      [500, 585, '1.250,00'],
      [50, 570, 'Manual técnico'],
      [500, 570, '500,00'],
      [211, 529, 'Base imponible'],
      [359, 529, '% IVA'],
      [502, 529, 'Cuota IVA'],
      [243, 509, '1.250,00'],
      [366, 509, '21%'],
      [517, 509, '262,50'],
      [250, 489, '500,00'],
      [366, 489, '10%'],
      [522, 489, '50,00'],
      [243, 470, '1.750,00'],
      [517, 470, '312,50'],
      [386, 443, 'TOTAL FACTURA: 2.062,50 €', 12],
    ]);
    assert.equal(extraction.fields.subtotal.value, '1750.00');
    assert.equal(extraction.fields.tax.value, '312.50');
    assert.equal(extraction.fields.total.value, '2062.50');
  });

  test('a column whose last amount is not the sum of those above is no sum row: the first value below stays', async () => {
    const extraction = await read([
      [50, 790, 'Plásticos Técnicos del Ebro, S.A.', 16],
      [400, 760, 'Factura Nº:'],
      [480, 760, '2025-FV-00931'],
      [211, 529, 'Base imponible'],
      [502, 529, 'Cuota IVA'],
      [243, 509, '1.250,00'],
      [517, 509, '262,50'],
      [250, 489, '500,00'],
      [522, 489, '50,00'],
      [243, 470, '1.800,00'],
      [517, 470, '330,00'],
    ]);
    assert.equal(extraction.fields.subtotal.value, '1250.00');
  });
});

describe('income tax withheld', () => {
  test('"Retención IRPF", "Ritenuta d\'acconto" and "Withholding tax" name an amount withheld, not a tax or a total', () => {
    assert.equal(adjustmentKind('Retención IRPF'), 'withheld');
    assert.equal(adjustmentKind('IRPF 15 %'), 'withheld');
    assert.equal(adjustmentKind("Ritenuta d'acconto 20%"), 'withheld');
    assert.equal(adjustmentKind('Withholding tax'), 'withheld');
    assert.equal(adjustmentKind('Total retenciones'), null);
    assert.equal(adjustmentKind('Base IRPF'), null);
  });

  const header: Text[] = [
    [50, 790, 'Javier Morales Ruiz', 14],
    [400, 760, 'Factura Nº'],
    [480, 760, '2025/087'],
    [400, 746, 'Fecha:'],
    [480, 746, '28/11/2025'],
    [50, 600, 'Concepto'],
    [500, 600, 'Importe'],
    [50, 585, 'Programación PLC'],
    [500, 585, '1.760,00'],
    [50, 570, 'Puesta en marcha'],
    [500, 570, '640,00'],
  ];

  test('a totals table in columns with IRPF withheld: subtotal − withheld + tax = total, and the rate under "% IRPF" is no amount', async () => {
    const extraction = await read([
      ...header,
      [60, 529, 'Base imponible'],
      [150, 529, '% IVA'],
      [200, 529, 'Cuota IVA'],
      [270, 529, '% IRPF'],
      [330, 529, 'Retención IRPF'],
      [430, 529, 'Total factura'],
      [60, 512, '2.400,00 €'],
      [150, 512, '21 %'],
      [200, 512, '504,00 €'],
      [270, 512, '15 %'],
      [330, 512, '-360,00 €'],
      [430, 512, '2.544,00 €'],
    ]);
    assert.equal(extraction.fields.subtotal.value, '2400.00');
    assert.equal(extraction.fields.tax.value, '504.00');
    assert.equal(extraction.fields.total.value, '2544.00');
    assert.ok(extraction.fields.total.confidence >= 0.99, extraction.fields.total.notes.join(' '));
    assert.match(extraction.fields.total.notes.join(' '), /Retención IRPF 360\.00/);
  });

  test('a withheld amount that does not make the sum still leaves the amounts in doubt', async () => {
    const extraction = await read([
      ...header,
      [60, 529, 'Base imponible'],
      [200, 529, 'Cuota IVA'],
      [330, 529, 'Retención IRPF'],
      [430, 529, 'Total factura'],
      [60, 512, '2.400,00 €'],
      [200, 512, '504,00 €'],
      [330, 512, '-300,00 €'],
      [430, 512, '2.544,00 €'],
    ]);
    assert.ok(extraction.fields.total.confidence <= 0.5, extraction.fields.total.notes.join(' '));
  });
});

describe('a due date in a sentence', () => {
  const base: Text[] = [
    [50, 790, 'Schwäbische Antriebstechnik GmbH', 16],
    [400, 760, 'Rechnungsnummer'],
    [490, 760, 'RE-2025-04718'],
    [400, 746, 'Rechnungsdatum'],
    [490, 746, '17.11.2025'],
    ...items,
    [380, 472, 'Gesamtbetrag'],
    [500, 472, '1.000,00 €'],
  ];

  test('"Bitte überweisen Sie den Rechnungsbetrag bis zum 17.12.2025 …": the due date, weaker than a labelled one', async () => {
    const extraction = await read([
      ...base,
      [57, 240, 'Bitte überweisen Sie den Rechnungsbetrag bis zum 17.12.2025 unter Angabe der'],
    ]);
    assert.equal(extraction.fields.dueDate.value, '2025-12-17');
    assert.ok(extraction.fields.dueDate.confidence < 0.9);
  });

  test('a labelled due date wins over one in a sentence; a date in a sentence that asks for no payment is none', async () => {
    const labelled = await read([
      ...base,
      [400, 732, 'Fällig am'],
      [490, 732, '20.12.2025'],
      [57, 240, 'Bitte überweisen Sie den Betrag bis zum 17.12.2025.'],
    ]);
    assert.equal(labelled.fields.dueDate.value, '2025-12-20');
    const other = await read([...base, [57, 240, 'Die Lieferung erfolgte bis zum 14.11.2025 in zwei Teilen.']]);
    assert.equal(other.fields.dueDate.value, null);
  });
});

describe('a subtotal without a label', () => {
  const typed = (sum: string, tax: string | null): Text[] => [
    [200, 790, 'KESSLER MACHINE & TOOL, INC.', 13],
    [400, 760, 'INVOICE NO.'],
    [470, 760, '25-1187'],
    [400, 746, 'DATE'],
    [470, 746, '11/18/2025'],
    [400, 732, 'YOUR P.O.'],
    [470, 732, '77412'],
    [62, 566, 'QTY'],
    [96, 566, 'DESCRIPTION'],
    [425, 566, 'PRICE'],
    [481, 566, 'AMOUNT'],
    [62, 548, '40'],
    [96, 548, 'SHAFT, DRIVE - PER DWG LH-1187-A'],
    [443, 548, '38.50'],
    [504, 548, '1,540.00'],
    [62, 520, '1'],
    [96, 520, 'SETUP CHARGE - FIRST LOT'],
    [438, 520, '185.00'],
    [516, 520, '185.00'],
    [62, 503, '1'],
    [96, 503, 'MATERIAL CERTS'],
    [443, 503, '60.00'],
    [522, 503, '60.00'],
    [504, 400, sum],
    ...(tax === null
      ? []
      : ([
          [96, 384, 'TAX - RESALE CERT ON FILE'],
          [527, 384, tax],
        ] as Text[])),
    [96, 366, 'AMOUNT DUE'],
    [499, 366, '$1,785.00'],
  ];

  test('an amount alone under the item table, the sum of its rows, above the tax and the total: the subtotal, not a line item', async () => {
    const extraction = await read(typed('1,785.00', '0.00'));
    assert.equal(extraction.fields.subtotal.value, '1785.00');
    assert.equal(extraction.lineItems.length, 3);
    assert.match(extraction.fields.subtotal.notes.join(' '), /without a label/);
  });

  test('not the sum of the rows, or no tax line between it and the total: no subtotal', async () => {
    const wrongSum = await read(typed('1,795.00', '0.00'));
    assert.equal(wrongSum.fields.subtotal.value, null);
    const noTax = await read(typed('1,785.00', null));
    assert.equal(noTax.fields.subtotal.value, null);
    assert.equal(noTax.lineItems.length, 3, 'a row of the sum is still no line item');
  });
});
