// Layouts where a second amount, date or number competes with the one a clerk wants, drawn after the
// kinds real vendors print (an early-payment discount, a deposit paid before, a credit note naming the
// invoice it corrects, a letterhead of initials, a marketplace's order ID, a service period). Each read
// right when drawn; these keep them so.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createExtractor } from '../../extract/index.js';
import { col, pagePdf, pairs, pairsR, type Put } from '../support/drawn-pdf.js';

const extractor = createExtractor({ einvoice: false });
interface Expected {
  invoiceNumber: string;
  invoiceDate: string;
  total: string;
  vendorName: string;
  poNumbers?: string;
}
const CASES: Array<[title: string, expected: Expected, puts: Put[]]> = [
  [
    'a deposit paid before (Acompte versé) leaves the total at the TTC amount, not the rest to pay',
    { invoiceNumber: '2024-031', invoiceDate: '2024-03-12', total: '1320.00', vendorName: 'Menuiserie Leroy' },
    [
      ['Menuiserie Leroy', 50, 800, { size: 18 }],
      ...col(50, 782, ['Jean Leroy - Artisan menuisier', '12 rue des Tanneurs', '37000 Tours', 'Tél. 02 47 00 00 00']),
      ...col(340, 720, ['Client :', 'Mme Sophie Martin', '5 allée des Roses', '37100 Tours']),
      ['FACTURE N° 2024-031', 50, 650, { size: 14 }],
      ['Date : 12/03/2024', 50, 632],
      ['Désignation', 50, 590],
      ['Qté', 330, 590],
      ['P.U. HT', 400, 590],
      ['Montant HT', 545, 590, { right: true }],
      ["Pose d'une porte intérieure", 50, 575],
      ['1', 330, 575],
      ['1 200,00', 400, 575],
      ['1 200,00', 545, 575, { right: true }],
      ...pairsR(330, 545, 530, [
        ['Total HT', '1 200,00 €'],
        ['TVA 10 %', '120,00 €'],
        ['Total TTC', '1 320,00 €'],
        ['Acompte versé le 02/02/2024', '- 400,00 €'],
        ['Net à payer', '920,00 €'],
      ]),
      ...col(
        50,
        90,
        [
          'Menuiserie Leroy - EI - SIRET 123 456 789 00012 - APE 1623Z',
          'TVA intracommunautaire FR 12 123456789 - IBAN FR76 3000 4000 0500 0012 3456 789',
        ],
        9,
        { size: 7 },
      ),
    ],
  ],
  [
    'an early-payment discount sentence (Skonto) neither is the total nor dates the invoice',
    { invoiceNumber: 'R-10555', invoiceDate: '2024-03-05', total: '1190.00', vendorName: 'Holzhandel Brandt KG' },
    [
      ['Holzhandel Brandt KG', 330, 800, { size: 14 }],
      ...col(330, 784, ['Sägewerkstraße 7', '34117 Kassel', 'Tel. 0561 12345']),
      ['Holzhandel Brandt KG - Sägewerkstraße 7 - 34117 Kassel', 50, 740, { size: 7 }],
      ...col(50, 726, ['Zimmerei Vogel', 'Feldweg 2', '34131 Kassel']),
      ['RECHNUNG R-10555', 50, 650, { size: 13 }],
      ['Kassel, den 05.03.2024', 545, 650, { right: true }],
      ['Menge', 50, 610],
      ['Artikel', 110, 610],
      ['Preis', 420, 610],
      ['Gesamt', 545, 610, { right: true }],
      ['10 m³', 50, 595],
      ['Konstruktionsvollholz C24', 110, 595],
      ['100,00', 420, 595],
      ['1.000,00', 545, 595, { right: true }],
      ...pairsR(330, 545, 560, [
        ['Warenwert', '1.000,00'],
        ['MwSt. 19 %', '190,00'],
        ['Endbetrag EUR', '1.190,00'],
      ]),
      ['Zahlbar bis 15.03.2024 abzüglich 2 % Skonto = 1.166,20 EUR,', 50, 500],
      ['bis 04.04.2024 netto.', 50, 488],
      ...col(
        50,
        90,
        ['Holzhandel Brandt KG · Sitz Kassel · Registergericht Kassel HRA 4321 · USt-IdNr. DE 111222333'],
        9,
        { size: 7 },
      ),
    ],
  ],
  [
    "a credit note's title sentence names the invoice it corrects: the number and date are the credit note's",
    { invoiceNumber: 'GS-2024-007', invoiceDate: '2024-02-10', total: '-119.00', vendorName: 'Elektro Wagner GmbH' },
    [
      ['Elektro Wagner GmbH', 50, 800, { size: 15 }],
      ['Elektro Wagner GmbH · Ringstr. 4 · 90402 Nürnberg', 50, 740, { size: 7 }],
      ...col(50, 726, ['Bäckerei Sommer', 'Marktplatz 1', '90403 Nürnberg']),
      ['Datum: 10.02.2024', 400, 726],
      ['Kunden-Nr.: 5512', 400, 713],
      ['Gutschrift Nr. GS-2024-007 zu Rechnung RE-2024-0456 vom 01.02.2024', 50, 650, { size: 12 }],
      ['Menge', 50, 610],
      ['Bezeichnung', 110, 610],
      ['Betrag', 545, 610, { right: true }],
      ['1', 50, 595],
      ['Rückgabe Leuchte LED 40W', 110, 595],
      ['-100,00', 545, 595, { right: true }],
      ...pairsR(330, 545, 560, [
        ['Netto', '-100,00 €'],
        ['USt 19 %', '-19,00 €'],
        ['Gutschriftsbetrag', '-119,00 €'],
      ]),
      ...col(50, 90, ['Amtsgericht Nürnberg HRB 22334 · USt-IdNr. DE 444555666'], 9, { size: 7 }),
    ],
  ],
  [
    'a letterhead of initials only: the vendor is the legal name of the sender line and footer',
    {
      invoiceNumber: '2400871',
      invoiceDate: '2024-04-18',
      total: '2975.00',
      vendorName: 'MKT Maschinenbau Kramer & Theis GmbH & Co. KG',
    },
    [
      ['MKT', 450, 800, { size: 30 }],
      ['Maschinenbau', 450, 785, { size: 9 }],
      ['MKT Maschinenbau Kramer & Theis GmbH & Co. KG · Industriestr. 9 · 57072 Siegen', 50, 740, { size: 7 }],
      ...col(50, 726, ['Westfalia Pumpen GmbH', 'Wareneingang', 'Postfach 1122', '59555 Lippstadt']),
      ...pairs(
        380,
        470,
        726,
        [
          ['Rechnung', '2400871'],
          ['Datum', '18.04.2024'],
          ['Kunde', '30045'],
          ['Ihre Bestellung', 'B-778123'],
        ],
        12,
        { size: 8 },
      ),
      ['Rechnung', 50, 640, { size: 14 }],
      ['Pos', 50, 600],
      ['Bezeichnung', 90, 600],
      ['Menge', 350, 600],
      ['Betrag', 545, 600, { right: true }],
      ['1', 50, 585],
      ['Welle 40x600 gehärtet', 90, 585],
      ['10', 350, 585],
      ['2.500,00', 545, 585, { right: true }],
      ...pairsR(330, 545, 550, [
        ['Summe netto', '2.500,00'],
        ['19 % MwSt.', '475,00'],
        ['Summe brutto', '2.975,00'],
      ]),
      ...col(
        50,
        100,
        [
          'MKT Maschinenbau Kramer & Theis GmbH & Co. KG · Sitz Siegen · AG Siegen HRA 5566',
          'Komplementärin: Kramer & Theis Verwaltungs GmbH · AG Siegen HRB 7788 · USt-IdNr. DE 777888999',
        ],
        9,
        { size: 7 },
      ),
    ],
  ],
  [
    'a US invoice with 2% 10 Net 30 terms: the discounted amount is no total',
    {
      invoiceNumber: '10442',
      invoiceDate: '2024-05-02',
      total: '1000.00',
      vendorName: 'Great Lakes Packaging Inc.',
      poNumbers: '7781-22',
    },
    [
      ['Great Lakes Packaging Inc.', 50, 800, { size: 15 }],
      ...col(50, 784, ['400 Industrial Pkwy', 'Toledo, OH 43612', '(419) 555-0100']),
      ['INVOICE', 450, 800, { size: 16 }],
      ...pairs(
        400,
        480,
        770,
        [
          ['Invoice #', '10442'],
          ['Date', '05/02/2024'],
          ['P.O. #', '7781-22'],
          ['Terms', '2% 10 Net 30'],
        ],
        12,
        { size: 9 },
      ),
      ...col(50, 700, ['BILL TO', 'Midwest Axle Corp.', '12 Foundry Rd', 'Fort Wayne, IN 46802']),
      ['QTY', 50, 620],
      ['DESCRIPTION', 100, 620],
      ['UNIT PRICE', 380, 620],
      ['AMOUNT', 545, 620, { right: true }],
      ['1,000', 50, 605],
      ['Corrugated box 12x12x8', 100, 605],
      ['1.00', 380, 605],
      ['1,000.00', 545, 605, { right: true }],
      ...pairsR(380, 545, 570, [
        ['SUBTOTAL', '1,000.00'],
        ['SALES TAX', '0.00'],
        ['TOTAL', '$1,000.00'],
      ]),
      ['If paid by 05/12/2024, pay $980.00', 50, 520],
    ],
  ],
  [
    'an Indian marketplace invoice: Sold By, lakh grouping, the order ID is no invoice number',
    {
      invoiceNumber: 'FAAB2400123456',
      invoiceDate: '2023-10-13',
      total: '123456.00',
      vendorName: 'SuperComNet Retail Private Limited',
    },
    [
      ['Tax Invoice', 250, 805, { size: 14 }],
      ['Sold By: SuperComNet Retail Private Limited ,', 50, 780],
      ['Invoice Number # FAAB2400123456', 360, 780],
      ...col(
        50,
        768,
        [
          'Ship-from Address: Plot 12, KIADB Industrial Area, Hoskote,',
          'Bengaluru, Karnataka, India - 562114',
          'GSTIN - 29AABCS1234C1Z5',
        ],
        11,
        { size: 8 },
      ),
      ...pairs(
        50,
        130,
        720,
        [
          ['Order ID:', 'OD129876543210987654'],
          ['Order Date:', '12-10-2023'],
          ['Invoice Date:', '13-10-2023'],
          ['PAN:', 'AABCS1234C'],
        ],
        12,
        { size: 8 },
      ),
      ...col(250, 720, ['Bill To', 'Ravi Kumar', 'Flat 4B, Lake View Apts', 'Pune 411001'], 11, { size: 8 }),
      ...col(420, 720, ['Ship To', 'Ravi Kumar', 'Flat 4B, Lake View Apts', 'Pune 411001'], 11, { size: 8 }),
      ['Product', 50, 640, { size: 8 }],
      ['Qty', 260, 640, { size: 8 }],
      ['Gross Amount Rs.', 300, 640, { size: 8 }],
      ['Taxable Value Rs.', 380, 640, { size: 8 }],
      ['IGST Rs.', 460, 640, { size: 8 }],
      ['Total Rs.', 545, 640, { size: 8, right: true }],
      ['Laptop 15.6 inch 16GB', 50, 626, { size: 8 }],
      ['1', 260, 626, { size: 8 }],
      ['1,23,456.00', 300, 626, { size: 8 }],
      ['1,04,623.73', 380, 626, { size: 8 }],
      ['18,832.27', 460, 626, { size: 8 }],
      ['1,23,456.00', 545, 626, { size: 8, right: true }],
      ['Total', 50, 600],
      ['1', 260, 600],
      ['18,832.27', 460, 600],
      ['1,23,456.00', 545, 600, { right: true }],
      ['Grand Total', 380, 570, { size: 12 }],
      ['Rs. 1,23,456.00', 545, 570, { size: 12, right: true }],
      ['SuperComNet Retail Private Limited', 380, 520, { size: 8 }],
      ['Authorized Signatory', 380, 490, { size: 8 }],
    ],
  ],
  [
    'an Italian invoice: number and date in the title sentence (Fattura n. … del …)',
    { invoiceNumber: '123/2024', invoiceDate: '2024-03-05', total: '1220.00', vendorName: 'Officine Rossi S.r.l.' },
    [
      ['Officine Rossi S.r.l.', 50, 800, { size: 15 }],
      ...col(50, 784, ['Via Roma 10', '20100 Milano (MI)', 'P.IVA 01234567890']),
      ...col(340, 730, [
        'Spett.le',
        'Bianchi Costruzioni S.p.A.',
        'Corso Italia 5',
        '10121 Torino (TO)',
        'P.IVA 09876543210',
      ]),
      ['Fattura n. 123/2024 del 05/03/2024', 50, 640, { size: 13 }],
      ['Descrizione', 50, 600],
      ['Q.tà', 330, 600],
      ['Prezzo', 400, 600],
      ['Importo', 545, 600, { right: true }],
      ['Lavorazione meccanica', 50, 585],
      ['1', 330, 585],
      ['1.000,00', 400, 585],
      ['1.000,00', 545, 585, { right: true }],
      ...pairsR(330, 545, 550, [
        ['Imponibile', '1.000,00'],
        ['IVA 22%', '220,00'],
        ['Totale documento', '€ 1.220,00'],
      ]),
      ['Pagamento: bonifico bancario a 30 gg d.f.', 50, 480],
    ],
  ],
  [
    'a service period is no invoice date; the PO is read from the sentence naming the order and its date',
    {
      invoiceNumber: '24-0031',
      invoiceDate: '2024-03-01',
      total: '4165.00',
      vendorName: 'Ingenieurbüro Schulte GmbH',
      poNumbers: '4500123456',
    },
    [
      ['Ingenieurbüro Schulte GmbH', 50, 800, { size: 15 }],
      ['Statik · Tragwerksplanung · Bauphysik', 50, 784, { size: 8 }],
      ['Ingenieurbüro Schulte GmbH · Hafenstr. 2 · 28217 Bremen', 50, 740, { size: 7 }],
      ...col(50, 726, ['Nordbau AG', 'Einkauf', 'Am Deich 40', '28199 Bremen']),
      ...pairs(
        360,
        460,
        726,
        [
          ['Rechnungsdatum:', '01.03.2024'],
          ['Rechnung Nr.:', '24-0031'],
          ['Kunden-Nr.:', '10077'],
          ['Leistungszeitraum:', '01.02.2024 - 29.02.2024'],
        ],
        12,
        { size: 8 },
      ),
      ['Rechnung', 50, 640, { size: 14 }],
      ['Ihre Bestellung 4500123456 vom 15.01.2024', 50, 620],
      ['Pos.', 50, 590],
      ['Leistung', 90, 590],
      ['Std.', 360, 590],
      ['Satz', 420, 590],
      ['Betrag', 545, 590, { right: true }],
      ['1', 50, 575],
      ['Tragwerksplanung Halle 3', 90, 575],
      ['35', 360, 575],
      ['100,00', 420, 575],
      ['3.500,00', 545, 575, { right: true }],
      ...pairsR(330, 545, 540, [
        ['Nettobetrag', '3.500,00 €'],
        ['zzgl. 19 % USt.', '665,00 €'],
        ['Rechnungsbetrag', '4.165,00 €'],
      ]),
      ['Zahlbar bis 31.03.2024 ohne Abzug.', 50, 480],
      ...col(
        50,
        90,
        [
          'Sitz Bremen · Amtsgericht Bremen HRB 98765 · Geschäftsführer: Dipl.-Ing. Petra Schulte',
          'USt-IdNr. DE298765432 · Sparkasse Bremen · IBAN DE12 2905 0101 0001 2345 67',
        ],
        9,
        { size: 7 },
      ),
    ],
  ],
];

describe('a second amount, date or number beside the right one', () => {
  for (const [title, expected, puts] of CASES)
    test(title, async () => {
      const { fields } = await extractor.extract({
        bytes: await pagePdf(puts, 10),
        mimeType: 'application/pdf',
        fileName: 'layout.pdf',
      });
      const read: Record<string, unknown> = {
        invoiceNumber: fields.invoiceNumber.value,
        invoiceDate: fields.invoiceDate.value,
        total: fields.total.value,
        vendorName: fields.vendorName.value,
      };
      if (expected.poNumbers) read.poNumbers = fields.poNumbers.value?.join(',');
      assert.deepEqual(read, expected);
    });
});
