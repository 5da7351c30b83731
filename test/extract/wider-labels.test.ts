// Rules found on the third holdout batch (Canadian, Italian, Swiss, Belgian, Mexican, UK and US invoices),
// pinned one by one: Italian labels, totals that name the tax they include, bilingual labels, a tax id after
// the tax's name, PO numbers printed with their line, a bare "Order No." beside a customer PO label, "$" with
// another dollar's code, a label after a separator inside a line, and of two tax ids the one under the vendor.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Extraction } from '../../domain/extraction.js';
import { isGenericOrderLabel } from '../../extract/header.js';
import { createExtractor } from '../../extract/index.js';
import { classifyLabel } from '../../extract/label-words.js';
import { labelOf } from '../../extract/labels.js';
import { textPdf, type Text } from '../support/text-pdf.js';

const extractor = createExtractor();
const read = async (...pages: Text[][]) =>
  Extraction.parse(
    await extractor.extract({ bytes: await textPdf(pages), mimeType: 'application/pdf', fileName: 'invoice.pdf' }),
  );

/** A letterhead, an invoice number and date, one item and a totals block: what every invoice below shares. */
const body = (vendor = 'Prairie Supply Company Inc.', total = ['Total', '1,080.00'] as [string, string]): Text[] => [
  [50, 790, vendor, 18],
  [400, 760, 'Invoice No.:'],
  [480, 760, 'INV-20931'],
  [400, 746, 'Invoice Date:'],
  [480, 746, '11/14/2025'],
  [50, 560, 'Description'],
  [500, 560, 'Amount'],
  [50, 545, 'Cold rolled strip 1.5 mm'],
  [500, 545, '1,000.00'],
  [380, 500, 'Subtotal'],
  [500, 500, '1,000.00'],
  [380, 486, 'Sales Tax'],
  [500, 486, '80.00'],
  [380, 472, total[0]],
  [500, 472, total[1]],
];

describe('labels in more languages and forms', () => {
  test('Italian: Data, Scadenza, Imponibile, Totale documento, Partita IVA, Vs. ordine', () => {
    assert.equal(labelOf('DATA')?.label.field, 'invoiceDate');
    assert.equal(labelOf('Scadenza')?.label.field, 'dueDate');
    assert.equal(labelOf('Totale imponibile')?.label.field, 'subtotal');
    assert.equal(labelOf('Totale documento')?.label.field, 'total');
    assert.equal(labelOf('Partita IVA IT 02345670967')?.rest, 'IT 02345670967');
    const order = labelOf('Vs. ordine n. 4500232871 del 14/11/2025');
    assert.equal(order?.label.field, 'poNumbers');
    assert.match(order?.rest ?? '', /^4500232871 del/);
  });

  test('a total that names the tax it includes is the total; one that excludes it the subtotal', () => {
    assert.equal(classifyLabel('Total inkl. MWST'), 'total');
    assert.equal(classifyLabel('Total TVAC / Totaal incl. BTW'), 'total');
    assert.equal(classifyLabel('Total exkl. MWST'), 'subtotal');
    assert.equal(classifyLabel('Total HTVA / Totaal excl. BTW'), 'subtotal');
    assert.equal(classifyLabel('MWST 8.1 %'), 'tax');
    // "inc" for "including", as UK, Australian and New Zealand invoices print it: read as the tax before
    assert.equal(labelOf('Total inc VAT')?.label.field, 'total');
    assert.equal(labelOf('Total inc. GST')?.label.field, 'total');
  });

  test('a receipt\'s number and "Our Invoice No." name the invoice number', () => {
    for (const label of ['Receipt number', 'Receipt #', 'Our Invoice No.'])
      assert.equal(labelOf(label)?.label.field, 'invoiceNumber', label);
  });

  test('bilingual labels: both halves name one field, or the second is a word the line wrapped off', () => {
    assert.equal(classifyLabel('Échéance / Vervaldatum'), 'dueDate');
    assert.equal(classifyLabel('Votre commande / Uw'), 'poNumbers');
    assert.equal(classifyLabel('Conditions / Voorwaarden'), 'paymentTerms');
    assert.equal(classifyLabel('Conditions'), null, 'one vague word is no label');
    assert.equal(classifyLabel('Date / Montant'), null, 'two fields are no label');
  });

  test('bilingual labels with a note in brackets, a rate, or the value after the second half', () => {
    const read = (text: string) => {
      const match = labelOf(text);
      return match && [match.label.field, match.rest];
    };
    assert.deepEqual(read('Zwischensumme (ohne USt.) / Subtotal (excl. VAT)'), ['subtotal', '']);
    assert.deepEqual(read('USt. 19% / VAT 19%'), ['tax', '']);
    assert.deepEqual(read('Rechnungsnummer / Invoice number: DE4ABCD12EFGH'), ['invoiceNumber', 'DE4ABCD12EFGH']);
    assert.equal(read('Zwischensumme / Invoice number'), null, 'two fields are no label');
    assert.equal(read('Total (incl. VAT) / Rechnungsnummer: 4711'), null);
    // two languages, not a chain: a hostile run of halves is read once, not half by half down the stack
    assert.equal(read(`${'Total / '.repeat(20_000)}100.00`), null);
  });

  test("the tax's name before a VAT number labels the tax id, not a tax amount", () => {
    const belgian = labelOf('TVA / BTW BE 0456.789.123');
    assert.equal(belgian?.label.field, 'vendorTaxId');
    assert.equal(belgian?.rest, 'BE 0456.789.123');
    assert.equal(labelOf('MWST CHE-116.281.710 MWST')?.label.field, 'vendorTaxId');
    assert.notEqual(labelOf('Fed. Tax ID 23-4567891')?.rest, 'ID 23-4567891', '"ID" is no country prefix');
    assert.equal(labelOf('TVA 20 %')?.label.field, 'tax');
  });

  test('"Order No." alone says nothing of whose order it is; "Customer PO" and "Your Order No." do', () => {
    assert.equal(isGenericOrderLabel('Order No.'), true);
    assert.equal(isGenericOrderLabel('ORDER NO.'), true);
    assert.equal(isGenericOrderLabel('Customer PO'), false);
    assert.equal(isGenericOrderLabel('Your Order No.'), false);
  });
});

describe('layouts of the third batch', () => {
  test('PO numbers printed with their line in a "PO Line" column lose the line; "Order No." beside "Customer PO" is no PO', async () => {
    const result = await read([
      ...body().filter(([, y]) => y > 600),
      [50, 700, 'Customer PO'],
      [150, 700, 'Order No.'],
      [250, 700, 'Terms'],
      [50, 688, 'SEE LINES'],
      [150, 688, 'S10448213'],
      [250, 688, 'Net 30'],
      [50, 640, 'PO Line'],
      [150, 640, 'Description'],
      [500, 640, 'Amount'],
      [50, 626, '4500031122/10'],
      [150, 626, 'THHN wire 12 AWG'],
      [500, 626, '600.00'],
      [50, 612, '4500031122/20'],
      [150, 612, 'EMT conduit 3/4 in'],
      [500, 612, '300.00'],
      [50, 598, '4500031180/10'],
      [150, 598, 'Circuit breaker QO 1P 20A'],
      [500, 598, '100.00'],
      [380, 500, 'Subtotal'],
      [500, 500, '1,000.00'],
      [380, 486, 'Sales Tax'],
      [500, 486, '80.00'],
      [380, 472, 'Total'],
      [500, 472, '1,080.00'],
    ]);
    assert.deepEqual(result.fields.poNumbers.value, ['4500031122', '4500031180']);
  });

  test('without a customer PO label, "Order No." is the PO number', async () => {
    const result = await read([
      ...body(),
      [50, 700, 'Order No.'],
      [150, 700, 'Your Ref'],
      [50, 688, '55812'],
      [150, 688, 'K. Walsh'],
    ]);
    assert.deepEqual(result.fields.poNumbers.value, ['55812']);
  });

  test('"$" amounts under a total labelled "Total CAD" are Canadian dollars; without a code they stay a US-dollar guess', async () => {
    const canadian = await read([
      ...body('Fraser River Fluid Power Ltd.', ['Total CAD', '$1,080.00']),
      [50, 700, 'P.O. #'],
      [150, 700, 'CSE-7754'],
    ]);
    assert.equal(canadian.fields.currency.value, 'CAD');
    const plain = await read([
      ...body('Fraser River Fluid Power Ltd.', ['Total', '$1,080.00']),
      [50, 700, 'P.O. #'],
      [150, 700, 'CSE-7754'],
    ]);
    assert.equal(plain.fields.currency.value, 'USD');
    assert.ok(plain.fields.currency.confidence < 0.95, 'a "$" alone is a guess');
  });

  test('a label after a separator inside one line: "Pagamento: Bonifico 30 gg – Scadenza: 31/12/2025"', async () => {
    const result = await read([
      ...body(),
      [50, 700, 'PO Number: 4500012345'],
      [50, 420, 'Pagamento: Bonifico bancario 30 gg – Scadenza: 31/12/2025'],
    ]);
    assert.equal(result.fields.dueDate.value, '2025-12-31');
    assert.equal(result.fields.paymentTerms.value, 'Bonifico bancario 30 gg');
  });

  test("of two tax ids, the one in the block under the vendor's name is the vendor's; the customer's address block prints the other", async () => {
    const result = await read([
      ...body('Dubois & Janssens SA'),
      [50, 700, 'PO Number: 4500012345'],
      [320, 740, 'Plastiques de Wallonie SPRL'],
      [320, 728, "Rue de l'Industrie 22"],
      [320, 716, '7110 La Louvière'],
      [320, 704, 'TVA / BTW BE 0712.345.678'],
      [50, 340, 'Dubois & Janssens SA'],
      [50, 330, 'TVA / BTW BE 0456.789.123'],
      [50, 320, 'RPM Bruxelles'],
    ]);
    assert.equal(result.fields.vendorTaxId.value, 'BE0456789123');
  });
});
