// What the test corpus prints in each language: label synonyms, titles, payment terms, month names, number
// and date conventions, company and product names. Deliberately wider than what the extractor was tuned
// on (several synonyms per field, labels with the rate before the word, unlabelled address windows), so
// accuracy on the corpus says something about invoices the extractor has never seen.

export type CorpusLang = 'en-US' | 'en-GB' | 'de' | 'fr' | 'nl' | 'es';
export type AmountStyle = 'comma-dot' | 'dot-comma' | 'space-comma' | 'apostrophe-dot';
export type DateStyle =
  | 'us-slash'
  | 'dmy-slash'
  | 'dmy-dot'
  | 'dmy-dash'
  | 'iso'
  | 'long-dmy'
  | 'long-mdy'
  | 'short-dmy-dash'
  | 'dmy-dot-short';

export interface Locale {
  lang: CorpusLang;
  page: 'letter' | 'a4';
  currencies: string[];
  amountStyles: AmountStyle[];
  dateStyles: DateStyle[];
  months: string[];
  title: string[];
  creditTitle: string[];
  labels: {
    invoiceNumber: string[];
    creditNumber: string[];
    invoiceDate: string[];
    dueDate: string[];
    po: string[];
    terms: string[];
    subtotal: string[];
    /** `%` is replaced by the rate ("VAT 20%", "19 % MwSt."). */
    tax: string[];
    total: string[];
    billTo: string[];
    taxId: string[];
    currency: string[];
    carried: string[];
    broughtForward: string[];
    page: string; // "Page {n} of {m}"
    email: string[];
  };
  columns: {
    pos: string[];
    part: string[];
    description: string[];
    quantity: string[];
    unit: string[];
    unitPrice: string[];
    amount: string[];
  };
  terms: string[];
  units: string[];
  taxRates: string[];
  companies: { first: string[]; second: string[]; legal: string[] };
  streets: string[];
  cities: string[];
  products: string[];
  taxId: () => (next: () => number) => { printed: string; canonical: string };
}

const digits = (next: () => number, n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');

const euVat =
  (country: string, group: (d: string) => string, body: (next: () => number) => string) =>
  () =>
  (next: () => number) => {
    const d = body(next);
    const printed = next() < 0.6 ? group(d) : d;
    return { printed: `${country}${next() < 0.5 ? ' ' : ''}${printed}`, canonical: `${country}${d}` };
  };

/** Month names as each language prints them, January first. */
export const MONTH_NAMES = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  de: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  fr: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  es: [
    'enero',
    'febrero',
    'marzo',
    'abril',
    'mayo',
    'junio',
    'julio',
    'agosto',
    'septiembre',
    'octubre',
    'noviembre',
    'diciembre',
  ],
};

export const LOCALES: Record<CorpusLang, Locale> = {
  'en-US': {
    lang: 'en-US',
    page: 'letter',
    currencies: ['USD', 'USD', 'USD', 'CAD'],
    amountStyles: ['comma-dot'],
    dateStyles: ['us-slash', 'long-mdy', 'iso', 'us-slash'],
    months: MONTH_NAMES.en,
    title: ['INVOICE', 'Invoice', 'COMMERCIAL INVOICE'],
    creditTitle: ['CREDIT MEMO', 'Credit Note'],
    labels: {
      invoiceNumber: ['Invoice No.', 'Invoice Number', 'Invoice #', 'Inv #', 'Invoice ID', 'Document No.'],
      creditNumber: ['Credit Memo #', 'Credit Note No.', 'Document No.'],
      invoiceDate: ['Invoice Date', 'Date', 'Date of Issue', 'Issue Date', 'Invoice Dt.'],
      dueDate: ['Due Date', 'Payment Due', 'Due', 'Pay By', 'Date Due'],
      po: ['PO Number', 'P.O. No.', 'PO#', 'Purchase Order', 'Customer PO', 'Your PO No.', 'Cust. PO'],
      terms: ['Terms', 'Payment Terms', 'Terms of Payment'],
      subtotal: ['Subtotal', 'Sub-Total', 'Merchandise Total', 'Net Amount', 'Total before Tax'],
      tax: ['Sales Tax %', 'Tax (%)', 'Sales Tax', 'Tax'],
      total: ['Total', 'Total Due', 'Amount Due', 'Balance Due', 'Invoice Total', 'Please Pay'],
      billTo: ['Bill To', 'Billed To', 'Sold To', 'Invoice To', 'Customer'],
      taxId: ['EIN', 'Federal Tax ID', 'Tax ID', 'FEIN'],
      currency: ['Currency'],
      carried: ['Carried forward', 'Continued on next page', 'Subtotal carried forward'],
      broughtForward: ['Brought forward', 'Balance brought forward'],
      page: 'Page {n} of {m}',
      email: ['Email', 'E-mail', ''],
    },
    columns: {
      pos: ['Line', '#', 'Ln'],
      part: ['Part No.', 'Item #', 'SKU', 'Part Number', 'Item No.'],
      description: ['Description', 'Item Description', 'Product'],
      quantity: ['Qty', 'Quantity', 'QTY', 'Qty Shipped'],
      unit: ['U/M', 'UOM', 'Unit'],
      unitPrice: ['Unit Price', 'Price', 'Rate', 'Unit Cost', 'Price Each'],
      amount: ['Amount', 'Extended', 'Ext. Price', 'Line Total', 'Total'],
    },
    terms: ['Net 30', 'Net 45', '2% 10, Net 30', 'Due on receipt', 'Net 60 days'],
    units: ['EA', 'PC', 'BOX', 'FT', 'LB'],
    taxRates: ['0', '6', '7', '8.25', '6.5'],
    companies: {
      first: [
        'Apex',
        'Summit',
        'Keystone',
        'Great Lakes',
        'Redwood',
        'Ironclad',
        'Bluewater',
        'Midwest',
        'Liberty',
        'Pioneer',
        'Granite State',
        'Allied',
      ],
      second: [
        'Fasteners',
        'Tooling',
        'Plastics',
        'Castings',
        'Machining',
        'Industrial Supply',
        'Components',
        'Metal Works',
        'Hydraulics',
        'Abrasives',
      ],
      legal: ['Inc.', 'LLC', 'Corp.', 'Co.', 'Inc', 'Corporation', ''],
    },
    streets: ['1200 Industrial Pkwy', '45 Commerce Dr, Suite 200', '8800 Factory Rd', '312 Mill Street'],
    cities: [
      'Dayton, OH 45402',
      'Grand Rapids, MI 49503',
      'Rockford, IL 61101',
      'Erie, PA 16501',
      'Fort Wayne, IN 46802',
    ],
    products: [
      'Hex bolt 3/8-16 x 2, grade 8',
      'Flat washer 1/2 zinc',
      'CNC machining, bracket rev C',
      'Freight',
      'Drill bit 1/4 cobalt',
      'Hydraulic hose 1/2 x 36',
      'Safety gloves, size L',
      'Tooling charge',
      'Powder coating, black',
      'Bearing 6204-2RS',
      'Steel plate A36 1/4',
      'Set screw M6 x 10',
    ],
    taxId: () => (next) => {
      const d = digits(next, 9);
      return { printed: `${d.slice(0, 2)}-${d.slice(2)}`, canonical: `${d.slice(0, 2)}-${d.slice(2)}` };
    },
  },
  'en-GB': {
    lang: 'en-GB',
    page: 'a4',
    currencies: ['GBP', 'GBP', 'EUR'],
    amountStyles: ['comma-dot'],
    dateStyles: ['dmy-slash', 'long-dmy', 'short-dmy-dash', 'iso'],
    months: MONTH_NAMES.en,
    title: ['INVOICE', 'Tax Invoice', 'VAT INVOICE'],
    creditTitle: ['CREDIT NOTE', 'Credit Note'],
    labels: {
      invoiceNumber: ['Invoice No.', 'Invoice Number', 'Invoice no:', 'Our Ref.', 'Invoice Ref.'],
      creditNumber: ['Credit Note No.', 'Credit Note Number'],
      invoiceDate: ['Invoice Date', 'Date', 'Tax Date', 'Date of Invoice', 'Dated'],
      dueDate: ['Due Date', 'Payment Due', 'Due By'],
      po: ['Your Order No.', 'Order No.', 'Purchase Order No.', 'Your Ref.', 'PO Ref.', 'Customer Order'],
      terms: ['Terms', 'Payment Terms'],
      subtotal: ['Subtotal', 'Net Total', 'Total Net', 'Goods Total', 'Total excl. VAT'],
      tax: ['VAT %', 'VAT @ %', 'VAT', 'Total VAT'],
      total: ['Total', 'Total Due', 'Amount Due', 'Total incl. VAT', 'Invoice Total', 'Balance to Pay'],
      billTo: ['Invoice To', 'Bill To', 'Invoice Address', 'Customer'],
      taxId: ['VAT Reg. No.', 'VAT No.', 'VAT Registration Number', 'VAT Number'],
      currency: ['Currency'],
      carried: ['Carried forward', 'Total carried forward', 'c/f'],
      broughtForward: ['Brought forward', 'b/f'],
      page: 'Page {n} of {m}',
      email: ['Email', 'E:', ''],
    },
    columns: {
      pos: ['Line', 'No.'],
      part: ['Part No.', 'Product Code', 'Code', 'Stock No.'],
      description: ['Description', 'Details', 'Goods'],
      quantity: ['Qty', 'Quantity'],
      unit: ['Unit'],
      unitPrice: ['Unit Price', 'Price', 'Rate'],
      amount: ['Amount', 'Net', 'Net Amount', 'Total', 'Value'],
    },
    terms: ['30 days net', '30 days from date of invoice', 'Net 30', 'End of month following'],
    units: ['EA', 'PCS', 'M', 'KG'],
    taxRates: ['20', '20', '5', '0'],
    companies: {
      first: [
        'Brightline',
        'Thames',
        'Pennine',
        'Sheffield',
        'Northgate',
        'Cotswold',
        'Albion',
        'Trent Valley',
        'Wessex',
      ],
      second: ['Fasteners', 'Engineering', 'Steel Supplies', 'Precision', 'Tooling', 'Components', 'Polymers'],
      legal: ['Ltd', 'Limited', 'Ltd.', 'plc', 'LLP'],
    },
    streets: ['Unit 4, Riverside Industrial Estate', '22 Mill Lane', '7 Foundry Way'],
    cities: ['Sheffield S9 2RX', 'Leeds LS11 5DN', 'Coventry CV1 2GT', 'Reading RG2 0QX'],
    products: [
      'Hex bolt M8 x 40, zinc plated',
      'Nyloc nut M10',
      'Laser cutting, 3 mm mild steel',
      'Carriage',
      'Cutting disc 115 mm',
      'Shim stock 0.5 mm',
      'Spring washer M12',
      'Anodising, clear',
      'Welding wire 0.8 mm',
    ],
    taxId: euVat(
      'GB',
      (d) => `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`,
      (next) => digits(next, 9),
    ),
  },
  de: {
    lang: 'de',
    page: 'a4',
    currencies: ['EUR', 'EUR', 'EUR', 'CHF'],
    amountStyles: ['dot-comma', 'dot-comma', 'apostrophe-dot'],
    dateStyles: ['dmy-dot', 'dmy-dot', 'long-dmy', 'dmy-dot-short'],
    months: MONTH_NAMES.de,
    title: ['RECHNUNG', 'Rechnung'],
    creditTitle: ['GUTSCHRIFT', 'Gutschrift', 'Rechnungskorrektur'],
    labels: {
      invoiceNumber: ['Rechnungsnummer', 'Rechnungs-Nr.', 'Rechnung Nr.', 'Beleg-Nr.', 'Re.-Nr.', 'Belegnummer'],
      creditNumber: ['Gutschrift Nr.', 'Gutschriftsnummer', 'Beleg-Nr.'],
      invoiceDate: ['Rechnungsdatum', 'Datum', 'Belegdatum', 'Ausstellungsdatum'],
      dueDate: ['Fällig am', 'Fälligkeitsdatum', 'Zahlbar bis', 'Fällig bis'],
      po: ['Ihre Bestellung', 'Ihre Bestellnummer', 'Bestell-Nr.', 'Bestellnummer', 'Ihre Bestell-Nr.', 'Ihr Auftrag'],
      terms: ['Zahlungsbedingungen', 'Zahlungsziel', 'Zahlungsbedingung'],
      subtotal: ['Zwischensumme', 'Nettobetrag', 'Summe netto', 'Warenwert netto', 'Gesamt netto'],
      tax: ['MwSt. %', 'zzgl. % USt.', 'Umsatzsteuer %', '% MwSt.', '% USt.'],
      total: ['Gesamtbetrag', 'Rechnungsbetrag', 'Endbetrag', 'Gesamt brutto', 'Zu zahlen', 'Bruttobetrag'],
      billTo: ['Rechnungsadresse', 'Rechnungsempfänger', 'Kunde', ''],
      taxId: ['USt-IdNr.', 'USt-ID', 'Umsatzsteuer-ID', 'USt-Id-Nr.'],
      currency: ['Währung'],
      carried: ['Übertrag', 'Zwischensumme Übertrag'],
      broughtForward: ['Übertrag', 'Übertrag von Seite 1'],
      page: 'Seite {n} von {m}',
      email: ['E-Mail', 'Mail', ''],
    },
    columns: {
      pos: ['Pos.', 'Pos'],
      part: ['Art.-Nr.', 'Artikelnummer', 'Artikel-Nr.', 'Material'],
      description: ['Bezeichnung', 'Beschreibung', 'Artikelbezeichnung', 'Leistung'],
      quantity: ['Menge', 'Anzahl', 'Stück'],
      unit: ['Einheit', 'ME'],
      unitPrice: ['Einzelpreis', 'E-Preis', 'Preis/Einheit', 'Stückpreis'],
      amount: ['Gesamtpreis', 'Betrag', 'Gesamt', 'Summe'],
    },
    terms: ['30 Tage netto', '14 Tage 2 % Skonto, 30 Tage netto', 'Zahlbar sofort ohne Abzug', '60 Tage netto'],
    units: ['Stk', 'St.', 'kg', 'm', 'Std'],
    taxRates: ['19', '19', '7'],
    companies: {
      first: ['Müller', 'Schäfer', 'Weber', 'Hoffmann', 'Schwäbische', 'Rhein-Main', 'Bauer', 'Krüger', 'Fischer'],
      second: [
        'Präzisionsteile',
        'Werkzeugbau',
        'Metallbearbeitung',
        'Kunststofftechnik',
        'Normteile',
        'Antriebstechnik',
        'Stahlhandel',
      ],
      legal: ['GmbH', 'GmbH & Co. KG', 'AG', 'KG', 'e.K.'],
    },
    streets: ['Industriestraße 12', 'Gewerbepark 7', 'Am Hafen 3', 'Daimlerstraße 45'],
    cities: ['70565 Stuttgart', '44137 Dortmund', '90411 Nürnberg', '28195 Bremen', '04109 Leipzig'],
    products: [
      'Sechskantschraube M8x40 verzinkt',
      'Scheibe DIN 125 M10',
      'Fräsarbeiten Halter Rev. B',
      'Fracht und Verpackung',
      'Kugellager 6204-2RS',
      'Stahlblech S235 2 mm',
      'Montagestunden',
      'Pulverbeschichtung RAL 9005',
      'Gewindestift M6x10',
    ],
    taxId: euVat(
      'DE',
      (d) => `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
      (next) => digits(next, 9),
    ),
  },
  fr: {
    lang: 'fr',
    page: 'a4',
    currencies: ['EUR', 'EUR', 'CHF'],
    amountStyles: ['space-comma', 'space-comma', 'dot-comma'],
    dateStyles: ['dmy-slash', 'long-dmy', 'dmy-slash', 'dmy-dot'],
    months: MONTH_NAMES.fr,
    title: ['FACTURE', 'Facture'],
    creditTitle: ['AVOIR', 'Avoir', 'Facture d’avoir'],
    labels: {
      invoiceNumber: ['Facture N°', 'N° de facture', 'Numéro de facture', 'Facture n°', 'Réf. facture'],
      creditNumber: ['Avoir N°', 'N° d’avoir'],
      invoiceDate: ['Date de facture', 'Date', "Date d'émission", 'Date facture', 'Émise le'],
      dueDate: ["Date d'échéance", 'Échéance', 'À payer avant le', 'Date limite de paiement'],
      po: ['Bon de commande', 'Votre commande', 'N° de commande', 'Réf. commande', 'Votre référence'],
      terms: ['Conditions de paiement', 'Conditions de règlement', 'Mode de règlement'],
      subtotal: ['Total HT', 'Montant HT', 'Sous-total HT', 'Total hors taxes'],
      tax: ['TVA %', 'TVA (%)', 'Montant TVA', 'TVA à %'],
      total: ['Total TTC', 'Net à payer', 'Montant TTC', 'Total à payer'],
      billTo: ['Facturé à', 'Client', 'Adresse de facturation', 'Destinataire'],
      taxId: ['N° TVA', 'TVA intracommunautaire', 'N° TVA intracom.', 'Numéro de TVA'],
      currency: ['Devise'],
      carried: ['Report', 'À reporter', 'Total à reporter'],
      broughtForward: ['Report', 'Report page précédente'],
      page: 'Page {n} sur {m}',
      email: ['E-mail', 'Courriel', ''],
    },
    columns: {
      pos: ['N°', 'Ligne'],
      part: ['Référence', 'Réf.', 'Code article'],
      description: ['Désignation', 'Description', 'Libellé'],
      quantity: ['Qté', 'Quantité'],
      unit: ['Unité', 'U.'],
      unitPrice: ['Prix unitaire', 'P.U. HT', 'Prix unit. HT', 'PU HT'],
      amount: ['Montant HT', 'Total HT', 'Montant'],
    },
    terms: ['30 jours fin de mois', 'À réception de facture', '45 jours nets', 'Virement à 30 jours'],
    units: ['pce', 'u', 'kg', 'h'],
    taxRates: ['20', '20', '5.5', '10'],
    companies: {
      first: ['Ateliers', 'Établissements', 'Usinage', 'Fonderie', 'Mécanique'],
      second: ['Durand', 'Lefèvre', 'du Rhône', 'Girard', 'de Savoie', 'Moreau', 'Bonnet'],
      legal: ['SAS', 'SARL', 'SA', 'S.A.S.'],
    },
    streets: ['12 rue de l’Industrie', 'ZI des Vignes, 4 allée Ampère', '87 avenue Jean Jaurès'],
    cities: ['69007 Lyon', '38000 Grenoble', '42000 Saint-Étienne', '67100 Strasbourg'],
    products: [
      'Vis CHC M8x40 inox',
      'Rondelle plate M10',
      'Usinage support rév. C',
      'Frais de port',
      'Roulement 6204-2RS',
      'Tôle acier 2 mm',
      'Main d’œuvre',
      'Peinture époxy',
    ],
    taxId: euVat(
      'FR',
      (d) => `${d.slice(0, 2)} ${d.slice(2, 5)} ${d.slice(5, 8)} ${d.slice(8)}`,
      (next) => digits(next, 11),
    ),
  },
  nl: {
    lang: 'nl',
    page: 'a4',
    currencies: ['EUR'],
    amountStyles: ['dot-comma', 'dot-comma', 'comma-dot'],
    dateStyles: ['dmy-dash', 'long-dmy', 'dmy-slash', 'dmy-dash'],
    months: MONTH_NAMES.nl,
    title: ['FACTUUR', 'Factuur'],
    creditTitle: ['CREDITNOTA', 'Creditfactuur'],
    labels: {
      invoiceNumber: ['Factuurnummer', 'Factuurnr.', 'Factuur nr.', 'Nummer'],
      creditNumber: ['Creditnotanummer', 'Creditnota nr.'],
      invoiceDate: ['Factuurdatum', 'Datum', 'Datum factuur'],
      dueDate: ['Vervaldatum', 'Te betalen voor', 'Uiterste betaaldatum'],
      po: ['Uw ordernummer', 'Inkoopordernummer', 'Uw referentie', 'Bestelnummer', 'Inkoopnummer', 'Uw order'],
      terms: ['Betalingsvoorwaarden', 'Betalingstermijn', 'Betalingsconditie'],
      subtotal: ['Subtotaal', 'Totaal excl. btw', 'Bedrag excl. BTW', 'Netto bedrag'],
      tax: ['BTW %', 'Btw %', '% btw', 'BTW-bedrag'],
      total: ['Totaal', 'Totaal incl. btw', 'Te betalen', 'Totaalbedrag', 'Totaal te betalen'],
      billTo: ['Factuuradres', 'Klant', 'Aan', 'Debiteur'],
      taxId: ['BTW-nummer', 'Btw-nr.', 'BTW-nr', 'Btw-id'],
      currency: ['Valuta'],
      carried: ['Transport', 'Over te brengen'],
      broughtForward: ['Transport', 'Van vorige pagina'],
      page: 'Pagina {n} van {m}',
      email: ['E-mail', 'Mail', ''],
    },
    columns: {
      pos: ['Regel', 'Nr.'],
      part: ['Artikelnr.', 'Artikelcode', 'Art.nr.'],
      description: ['Omschrijving', 'Artikel', 'Product'],
      quantity: ['Aantal', 'Aant.'],
      unit: ['Eenheid'],
      unitPrice: ['Stukprijs', 'Prijs', 'Prijs per stuk'],
      amount: ['Bedrag', 'Totaal', 'Regeltotaal'],
    },
    terms: ['30 dagen netto', 'Betaling binnen 14 dagen', 'Binnen 30 dagen na factuurdatum'],
    units: ['st', 'stuks', 'kg', 'm'],
    taxRates: ['21', '21', '9'],
    companies: {
      first: ['Van der Berg', 'De Vries', 'Jansen', 'Bakker', 'Hollandia', 'Brabant', 'Visser'],
      second: ['Metaal', 'Techniek', 'Kunststoffen', 'Bevestigingsmiddelen', 'Machinebouw', 'Gereedschappen'],
      legal: ['B.V.', 'BV', 'N.V.', 'V.O.F.'],
    },
    streets: ['Industrieweg 14', 'Havenstraat 8', 'Kanaaldijk 221'],
    cities: ['5652 AG Eindhoven', '3011 AA Rotterdam', '7500 AB Enschede', '2491 BD Den Haag'],
    products: [
      'Zeskantbout M8x40 verzinkt',
      'Sluitring M10',
      'Freeswerk beugel rev. C',
      'Verzendkosten',
      'Kogellager 6204-2RS',
      'Staalplaat 2 mm',
      'Montage-uren',
      'Poedercoating zwart',
    ],
    taxId: euVat(
      'NL',
      (d) => `${d.slice(0, 4)}.${d.slice(4, 6)}.${d.slice(6, 9)}.${d.slice(9)}`,
      (next) => `${digits(next, 9)}B${digits(next, 2)}`,
    ),
  },
  es: {
    lang: 'es',
    page: 'a4',
    currencies: ['EUR', 'EUR', 'USD', 'MXN'],
    amountStyles: ['dot-comma', 'dot-comma', 'comma-dot'],
    dateStyles: ['dmy-slash', 'long-dmy', 'dmy-dash', 'dmy-slash'],
    months: MONTH_NAMES.es,
    title: ['FACTURA', 'Factura'],
    creditTitle: ['FACTURA RECTIFICATIVA', 'Nota de crédito', 'ABONO'],
    labels: {
      invoiceNumber: ['Número de factura', 'Factura N.º', 'Nº Factura', 'Factura nº', 'Nº de factura', 'Núm. factura'],
      creditNumber: ['Nº Factura rectificativa', 'Número de abono', 'Nota de crédito N.º'],
      invoiceDate: ['Fecha de factura', 'Fecha', 'Fecha de emisión', 'Fecha factura'],
      dueDate: ['Fecha de vencimiento', 'Vencimiento', 'Fecha vto.'],
      po: ['Orden de compra', 'Su pedido', 'Nº de pedido', 'Pedido', 'Su referencia', 'N.º pedido cliente'],
      terms: ['Condiciones de pago', 'Forma de pago', 'Plazo de pago'],
      subtotal: ['Base imponible', 'Subtotal', 'Importe neto', 'Total bruto'],
      tax: ['IVA %', 'IVA (%)', 'Cuota IVA %', 'I.V.A. %'],
      total: ['Total factura', 'Total', 'Importe total', 'Total a pagar', 'TOTAL'],
      billTo: ['Cliente', 'Facturar a', 'Datos del cliente', 'Destinatario'],
      taxId: ['NIF', 'CIF', 'NIF/CIF', 'N.I.F.'],
      currency: ['Moneda', 'Divisa'],
      carried: ['Suma y sigue', 'Suma anterior'],
      broughtForward: ['Suma anterior', 'Suma y sigue'],
      page: 'Página {n} de {m}',
      email: ['Email', 'Correo', ''],
    },
    columns: {
      pos: ['Lín.', 'Nº'],
      part: ['Código', 'Referencia', 'Ref.'],
      description: ['Descripción', 'Concepto', 'Artículo'],
      quantity: ['Cantidad', 'Cant.', 'Uds.'],
      unit: ['Unidad'],
      unitPrice: ['Precio unitario', 'Precio', 'P. unitario'],
      amount: ['Importe', 'Total', 'Subtotal'],
    },
    terms: ['Transferencia a 30 días', 'Pago a 60 días', 'Contado', 'Recibo domiciliado a 30 días'],
    units: ['ud', 'uds', 'kg', 'm'],
    taxRates: ['21', '21', '10'],
    companies: {
      first: ['Suministros', 'Talleres', 'Mecanizados', 'Industrias', 'Fundiciones'],
      second: ['Ibérica', 'del Norte', 'García', 'Levante', 'Martínez', 'Castilla'],
      legal: ['S.L.', 'S.A.', 'SL', 'S.L.U.'],
    },
    streets: ['Polígono Industrial Las Arenas, nave 7', 'Calle de la Industria 23', 'Avenida de Europa 112'],
    cities: ['28830 Madrid', '08040 Barcelona', '46014 Valencia', '48950 Bilbao'],
    products: [
      'Tornillo hexagonal M8x40 cincado',
      'Arandela M10',
      'Mecanizado soporte rev. C',
      'Portes',
      'Rodamiento 6204-2RS',
      'Chapa de acero 2 mm',
      'Horas de montaje',
      'Pintura epoxi',
    ],
    taxId: () => (next) => {
      const letter = 'ABGB'[Math.floor(next() * 4)]!;
      const d = digits(next, 8);
      const eu = next() < 0.5;
      return {
        printed: `${eu ? 'ES' : ''}${letter}${next() < 0.5 ? '-' : ''}${d}`,
        canonical: `${eu ? 'ES' : ''}${letter}${d}`,
      };
    },
  },
};
