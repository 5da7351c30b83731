// Two readings vendors print in many ways: several PO numbers listed one per line under their label (all of
// them are read, in order, and nothing unrelated below: an address, a date, an amount, the next label), and
// an invoice total printed together with the balance left to pay after a deposit (the total is the one
// subtotal + tax make, and a note and a warning say what the other amount is).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Extraction } from '../../domain/extraction.js';
import { createExtractor } from '../../extract/index.js';
import { labelOf } from '../../extract/labels.js';

type Lang = 'en' | 'de' | 'fr';
/** Text in the header block: the label column (x 330), the value column (x 450), or exactly where given. */
type Placed = [column: 'label' | 'value' | number, row: number, text: string];

interface Spec {
  lang?: Lang;
  /** The PO block, rows counted down from 0 (14 pt apart) below the invoice number and date; one PO number by default. */
  po?: Placed[];
  /** The totals block: label and amount, one per row. */
  totals?: Array<[string, string]>;
  /** The item table's amount column head ("Amount" in English by default). */
  amountHead?: string;
}

const WORDS: Record<
  Lang,
  { vendor: string; title: string; number: string; date: string; dateValue: string; item: string; amount: string }
> = {
  en: {
    vendor: 'Harbor Steel Supply Inc.',
    title: 'INVOICE',
    number: 'Invoice No.:',
    date: 'Invoice Date:',
    dateValue: '11/14/2025',
    item: 'Cold rolled strip 1.5 mm',
    amount: '1,000.00',
  },
  de: {
    vendor: 'Muster Antriebe GmbH',
    title: 'RECHNUNG',
    number: 'Rechnungsnummer:',
    date: 'Rechnungsdatum:',
    dateValue: '14.11.2025',
    item: 'Getriebemotor',
    amount: '1.000,00',
  },
  fr: {
    vendor: 'Fonderie du Nord SARL',
    title: 'FACTURE',
    number: 'N° de facture :',
    date: 'Date de facture :',
    dateValue: '14/11/2025',
    item: 'Carter usiné',
    amount: '1 000,00',
  },
};

const DEFAULT_TOTALS: Record<Lang, Array<[string, string]>> = {
  en: [
    ['Subtotal', '1,000.00'],
    ['Sales Tax 8%', '80.00'],
    ['Total', '1,080.00'],
  ],
  de: [
    ['Zwischensumme', '1.000,00'],
    ['MwSt. 19 %', '190,00'],
    ['Gesamtbetrag', '1.190,00'],
  ],
  fr: [
    ['Total HT', '1 000,00'],
    ['TVA 20 %', '200,00'],
    ['Total TTC', '1 200,00'],
  ],
};

/** A one-page invoice: letterhead, number and date, the PO block as given, one item line, the totals block. */
async function invoicePdf({
  lang = 'en',
  po = [
    ['label', 0, 'PO Number:'],
    ['value', 0, '4500012345'],
  ],
  totals = DEFAULT_TOTALS[lang],
  amountHead,
}: Spec): Promise<Uint8Array> {
  const words = WORDS[lang];
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const [font, bold] = [await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold)];
  const put = (text: string, x: number, y: number, size = 10, right = false, f = font) =>
    page.drawText(text, { x: right ? x - f.widthOfTextAtSize(text, size) : x, y, size, font: f });
  put(words.vendor, 50, 780, 20, false, bold);
  put(words.title, 545, 780, 16, true, bold);
  put(words.number, 330, 720);
  put('HS-20931', 450, 720);
  put(words.date, 330, 706);
  put(words.dateValue, 450, 706);
  for (const [column, row, text] of po)
    put(text, column === 'label' ? 330 : column === 'value' ? 450 : column, 686 - row * 14);
  put(lang === 'en' ? 'Description' : lang === 'de' ? 'Beschreibung' : 'Désignation', 50, 560, 10, false, bold);
  put(amountHead ?? (lang === 'en' ? 'Amount' : lang === 'de' ? 'Betrag' : 'Montant'), 545, 560, 10, true, bold);
  put(words.item, 50, 540);
  put(words.amount, 545, 540, 10, true);
  totals.forEach(([label, amount], i) => {
    put(label, 360, 500 - i * 16);
    put(amount, 545, 500 - i * 16, 10, true);
  });
  return pdf.save();
}

const extractor = createExtractor();
const read = async (spec: Spec) =>
  Extraction.parse(
    await extractor.extract({ bytes: await invoicePdf(spec), mimeType: 'application/pdf', fileName: 'invoice.pdf' }),
  );
const list = (column: 'label' | 'value', from: number, values: string[]): Placed[] =>
  values.map((value, i) => [column, from + i, value]);

describe('PO numbers listed one per line under their label', () => {
  test('EN: "PO numbers:" with the list right of it, ended by the next label', async () => {
    const result = await read({
      po: [
        ['label', 0, 'PO numbers:'],
        ...list('value', 0, ['4500012345', '4500012346', '4500012399']),
        ['label', 3, 'Terms:'],
        ['value', 3, 'Net 30'],
      ],
    });
    assert.deepEqual(result.fields.poNumbers.value, ['4500012345', '4500012346', '4500012399']);
    assert.ok(
      result.fields.poNumbers.notes.some((n) => /2 more PO numbers listed below it/.test(n)),
      result.fields.poNumbers.notes.join(' | '),
    );
    assert.equal(result.fields.paymentTerms.value, 'Net 30');
    assert.ok(result.fields.poNumbers.confidence >= 0.85, `confidence ${result.fields.poNumbers.confidence}`);
    // the highlight covers the whole list
    const box = result.fields.poNumbers.provenance?.box;
    assert.ok(box && box.height > 28, JSON.stringify(box));
  });

  test('EN: "Purchase orders" with the list below it; the address line under the list is not read', async () => {
    const result = await read({
      po: [
        ['label', 0, 'Purchase orders'],
        ...list('label', 1, ['PO-7781', 'PO-7790', 'PO-10022']),
        ['label', 4, '1200 Industrial Pkwy'],
      ],
    });
    assert.deepEqual(result.fields.poNumbers.value, ['PO-7781', 'PO-7790', 'PO-10022']);
  });

  test('EN: a label and its first number in one piece of text ("PO numbers: 4500012345"), the rest below it', async () => {
    const prefix = 'PO numbers: ';
    const font = (await PDFDocument.create()).embedStandardFont(StandardFonts.Helvetica);
    const x = 330 + font.widthOfTextAtSize(prefix, 10);
    const result = await read({
      po: [
        ['label', 0, `${prefix}4500012345`],
        [x, 1, '4500012346'],
        [x, 2, '4500012399'],
      ],
    });
    assert.deepEqual(result.fields.poNumbers.value, ['4500012345', '4500012346', '4500012399']);
  });

  test('DE: "Ihre Bestellnummern:" with the list right of it; a date aligned below it is not a PO number', async () => {
    const result = await read({
      lang: 'de',
      po: [
        ['label', 0, 'Ihre Bestellnummern:'],
        ...list('value', 0, ['4711-0815', '4711-0816']),
        ['value', 2, '21.11.2025'],
      ],
    });
    assert.deepEqual(result.fields.poNumbers.value, ['4711-0815', '4711-0816']);
  });

  test('FR: "N° de commande" with the list below it; an amount aligned below it is not a PO number', async () => {
    const result = await read({
      lang: 'fr',
      po: [
        ['label', 0, 'N° de commande'],
        ...list('label', 1, ['CDE-25-0412', 'CDE-25-0419']),
        ['label', 3, '1 250,00 €'],
      ],
    });
    assert.deepEqual(result.fields.poNumbers.value, ['CDE-25-0412', 'CDE-25-0419']);
  });

  test('NL and ES plurals are labels too', async () => {
    const nl = await read({
      po: [['label', 0, 'Inkoopordernummers:'], ...list('value', 0, ['4500012345', '4500012346'])],
    });
    assert.deepEqual(nl.fields.poNumbers.value, ['4500012345', '4500012346']);
    const es = await read({ po: [['label', 0, 'Pedidos:'], ...list('value', 0, ['PED-2025-118', 'PED-2025-131'])] });
    assert.deepEqual(es.fields.poNumbers.value, ['PED-2025-118', 'PED-2025-131']);
  });

  test('one PO number: the address, customer number or amount below it stays out', async () => {
    const address = await read({
      po: [
        ['label', 0, 'PO Number:'],
        ['value', 0, '4500012345'],
        ['value', 1, '88 Harbor Rd'],
        ['value', 2, 'Toledo, OH 43604'],
      ],
    });
    assert.deepEqual(address.fields.poNumbers.value, ['4500012345']);
    const shorter = await read({
      po: [
        ['label', 0, 'PO Number:'],
        ['value', 0, '4500012345'],
        ['value', 1, '10023'],
      ],
    });
    assert.deepEqual(shorter.fields.poNumbers.value, ['4500012345']);
    const amount = await read({
      po: [
        ['label', 0, 'PO Number:'],
        ['value', 0, '4500012345'],
        ['value', 1, '1,200.00'],
      ],
    });
    assert.deepEqual(amount.fields.poNumbers.value, ['4500012345']);
    const phone = await read({
      po: [
        ['label', 0, 'PO Number:'],
        ['value', 0, '4500012345'],
        ['value', 1, '555-201-7788'],
      ],
    });
    assert.deepEqual(phone.fields.poNumbers.value, ['4500012345']);
  });

  test('a number further down, after a gap, is not part of the list', async () => {
    const result = await read({
      po: [
        ['label', 0, 'PO Number:'],
        ['value', 0, '4500012345'],
        ['value', 3, '4500012346'],
      ],
    });
    assert.deepEqual(result.fields.poNumbers.value, ['4500012345']);
  });

  test('the next label row ends the list even when its value looks like a PO number', async () => {
    const result = await read({
      po: [
        ['label', 0, 'PO Number:'],
        ['value', 0, '4500012345'],
        ['label', 1, 'Customer No.:'],
        ['value', 1, '4500099999'],
      ],
    });
    assert.deepEqual(result.fields.poNumbers.value, ['4500012345']);
  });

  test('lists on one line: commas, semicolons, "and", "&", "und", "et"', async () => {
    const en = await read({ po: [['label', 0, 'PO: 4711, 4712 & 4713 and 4714']] });
    assert.deepEqual(en.fields.poNumbers.value, ['4711', '4712', '4713', '4714']);
    const de = await read({
      lang: 'de',
      po: [
        ['label', 0, 'Bestellnummern:'],
        ['value', 0, '4711; 4712 und 4713'],
      ],
    });
    assert.deepEqual(de.fields.poNumbers.value, ['4711', '4712', '4713']);
    const fr = await read({
      lang: 'fr',
      po: [
        ['label', 0, 'Vos commandes :'],
        ['value', 0, 'CDE-0412 et CDE-0419'],
      ],
    });
    assert.deepEqual(fr.fields.poNumbers.value, ['CDE-0412', 'CDE-0419']);
  });

  test('plural PO labels are labels; "Sales orders" and "Our orders" are the vendor\'s, and "Pos" heads a position column', () => {
    for (const text of [
      'PO numbers',
      'Purchase orders',
      'Your orders',
      'Bestellnummern',
      'Ihre Bestellungen',
      'Vos commandes',
      'N° de commandes',
      'Inkoopordernummers',
      'Pedidos',
    ]) {
      assert.equal(labelOf(text)?.label.field, 'poNumbers', text);
    }
    for (const text of ['Sales orders', 'Our orders', 'Pos', 'Pos.'])
      assert.notEqual(labelOf(text)?.label.field, 'poNumbers', text);
  });
});

describe('the invoice total next to the balance left to pay', () => {
  test('EN: Total, deposit, Balance due: the total is subtotal + tax, the balance is noted and warned about', async () => {
    const result = await read({
      totals: [
        ['Subtotal', '1,000.00'],
        ['Sales Tax 8%', '80.00'],
        ['Total', '1,080.00'],
        ['Deposit paid', '-200.00'],
        ['Balance due', '880.00'],
      ],
    });
    const { total } = result.fields;
    assert.equal(total.value, '1080.00');
    assert.equal(total.provenance?.label, 'Total');
    assert.equal(total.confidence, 0.99);
    assert.ok(
      total.notes.some((n) => n.includes('not "Balance due" 880.00') && n.includes('− Deposit paid 200.00')),
      total.notes.join(' | '),
    );
    assert.ok(
      total.notes.some((n) => /^Adds up: subtotal 1000\.00 \+ tax 80\.00 = 1080\.00/.test(n)),
      total.notes.join(' | '),
    );
    assert.ok(
      result.warnings.some((w) => w.includes('total of 1080.00 and 880.00 to pay')),
      result.warnings.join(' | '),
    );
    assert.ok(result.confidence >= 0.95, `confidence ${result.confidence}`);
  });

  test('DE: Gesamtbetrag, Anzahlung, Zahlbetrag', async () => {
    const result = await read({
      lang: 'de',
      totals: [
        ['Zwischensumme', '1.000,00'],
        ['MwSt. 19 %', '190,00'],
        ['Gesamtbetrag', '1.190,00'],
        ['Anzahlung', '-300,00'],
        ['Zahlbetrag', '890,00'],
      ],
    });
    assert.equal(result.fields.total.value, '1190.00');
    assert.equal(result.fields.total.confidence, 0.99);
    assert.ok(
      result.warnings.some((w) => w.includes('890.00 to pay ("Zahlbetrag"')),
      result.warnings.join(' | '),
    );
  });

  test('DE: "Noch zu zahlen" after "Bereits bezahlt"', async () => {
    const result = await read({
      lang: 'de',
      totals: [
        ['Zwischensumme', '1.000,00'],
        ['MwSt. 19 %', '190,00'],
        ['Rechnungsbetrag', '1.190,00'],
        ['Bereits bezahlt', '190,00'],
        ['Noch zu zahlen', '1.000,00'],
      ],
    });
    assert.equal(result.fields.total.value, '1190.00');
    assert.equal(result.fields.total.confidence, 0.99);
  });

  test('FR: Total TTC, acompte, Net à payer', async () => {
    const result = await read({
      lang: 'fr',
      totals: [
        ['Total HT', '1 000,00'],
        ['TVA 20 %', '200,00'],
        ['Total TTC', '1 200,00'],
        ['Acompte versé', '-400,00'],
        ['Net à payer', '800,00'],
      ],
    });
    assert.equal(result.fields.total.value, '1200.00');
    assert.equal(result.fields.total.provenance?.label, 'Total TTC');
    assert.equal(result.fields.total.confidence, 0.99);
    assert.ok(
      result.fields.total.notes.some((n) => n.includes('not "Net à payer" 800.00')),
      result.fields.total.notes.join(' | '),
    );
  });

  test('a payment whose label is not recognised: the arithmetic alone picks the total', async () => {
    const result = await read({
      totals: [
        ['Subtotal', '1,000.00'],
        ['Sales Tax 8%', '80.00'],
        ['Invoice Total', '1,080.00'],
        ['Credit memo CM-118 applied', '-80.00'],
        ['Amount due', '1,000.00'],
      ],
    });
    assert.equal(result.fields.total.value, '1080.00');
    assert.equal(result.fields.total.confidence, 0.99);
  });

  test('no subtotal: the amount the payment leads from is the total', async () => {
    const result = await read({
      totals: [
        ['Total', '1,000.00'],
        ['Amount paid', '-200.00'],
        ['Balance due', '800.00'],
      ],
    });
    assert.equal(result.fields.total.value, '1000.00');
    assert.ok(
      result.fields.total.notes.some((n) => n.includes('not "Balance due" 800.00')),
      result.fields.total.notes.join(' | '),
    );
  });

  test('no prepayment: Total and Balance due agree and nothing changes', async () => {
    const result = await read({
      totals: [
        ['Subtotal', '1,000.00'],
        ['Sales Tax 8%', '80.00'],
        ['Total', '1,080.00'],
        ['Balance due', '1,080.00'],
      ],
    });
    assert.equal(result.fields.total.value, '1080.00');
    assert.equal(result.fields.total.confidence, 0.99);
    assert.ok(
      !result.fields.total.notes.some((n) => /not "|left to pay/.test(n)),
      result.fields.total.notes.join(' | '),
    );
    assert.ok(!result.warnings.some((w) => /to pay/.test(w)), result.warnings.join(' | '));
  });

  test('only the balance printed: it is the amount due, confirmed by the payment; the total is the gross subtotal and tax make', async () => {
    const result = await read({
      totals: [
        ['Subtotal', '1,000.00'],
        ['Sales Tax 8%', '80.00'],
        ['Deposit received', '-280.00'],
        ['Balance due', '800.00'],
      ],
    });
    assert.equal(result.fields.total.value, '1080.00');
    assert.equal(result.fields.amountDue.value, '800.00');
    assert.equal(result.fields.amountDue.confidence, 0.99);
    assert.ok(
      result.fields.amountDue.notes.some((n) => /= 800\.00 due/.test(n)),
      result.fields.amountDue.notes.join(' | '),
    );
  });

  test('a line amount under a "Total" column head is not taken for the invoice total, even when it equals the subtotal', async () => {
    const result = await read({
      amountHead: 'Total',
      totals: [
        ['Subtotal', '1,000.00'],
        ['Environmental levy', '50.00'],
        ['Amount due', '1,050.00'],
      ],
    });
    assert.equal(result.fields.total.value, '1050.00');
    assert.ok(
      result.warnings.some((w) => /do not add up/.test(w)),
      result.warnings.join(' | '),
    );
  });

  test('two amounts of which neither adds up: no switch, and the warning says the sum fails', async () => {
    const result = await read({
      totals: [
        ['Subtotal', '1,000.00'],
        ['Sales Tax 8%', '80.00'],
        ['Total', '1,090.00'],
        ['Balance due', '890.00'],
      ],
    });
    assert.equal(result.fields.total.value, '890.00');
    assert.ok(result.fields.total.confidence <= 0.5);
    assert.ok(
      result.warnings.some((w) => /do not add up/.test(w)),
      result.warnings.join(' | '),
    );
    assert.ok(!result.warnings.some((w) => /to pay \(/.test(w)), result.warnings.join(' | '));
  });
});
