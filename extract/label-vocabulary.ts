// The label vocabulary: the words a header field's label is known by, per field and language, each listed
// once. Two readers are built from it at load: the exact label table (labels.ts), which knows a label as
// printed ("Rechnungs-Nr.") and how much it is trusted, and the word net (label-words.ts), which classifies
// a short text by the words it is made of ("Uiterste betaaldatum", "Total inkl. MWST") when the table lacks
// the wording.
//
// VOCABULARY has, per field and language:
//   labels(strength, …)  the table's labels. A space matches any whitespace or none, "." and "-" are
//                        optional, an accented letter also matches its plain one. The net reads each as its
//                        field too: as one of the field's words, normalised ("Fällig am" is "fallig am"), or,
//                        for the invoice number and date, by the parts their nets are built from (NUMBER_LABEL,
//                        DATE_LABEL); a seller's label as a word naming the seller. exact(…) marks the labels
//                        it does not (reading another field, or none); label-vocabulary.test.ts checks both.
//   words(…)             words only the net reads: regular expressions over the normalised text (lower case,
//                        no accents, punctuation as spaces, single spaces); "s?" is a plural, "\w*" any ending.
// After it come the parts of the nets that are built rather than listed (a document, then a number word) and
// the words of the net's other questions: the amount due, prepayments, carried-forward rows, no label at all.
import type { HeaderFieldName } from '../domain/extraction.js';

/** A header field, or a label that names something we must not mistake for one (a delivery date, a carried-forward sum). */
export type LabelledField = HeaderFieldName | 'carried' | 'otherDate';
export type Lang = 'en' | 'de' | 'fr' | 'nl' | 'es' | 'it';
/** Words (or patterns) of one kind, per language. */
export type ByLang = Partial<Record<Lang, string[]>>;

export interface LabelGroup {
  kind: 'labels';
  strength: number;
  labels: string[];
  /** The labels the net does not read as this field. */
  exact: Set<string>;
}
export interface WordGroup {
  kind: 'words';
  words: string[];
}
export type FieldVocabulary = Partial<Record<Lang, (LabelGroup | WordGroup)[]>>;

const exact = (...labels: string[]) => ({ exact: labels });
function labels(strength: number, ...items: (string | { exact: string[] })[]): LabelGroup {
  return {
    kind: 'labels',
    strength,
    labels: items.flatMap((item) => (typeof item === 'string' ? [item] : item.exact)),
    exact: new Set(items.flatMap((item) => (typeof item === 'string' ? [] : item.exact))),
  };
}
const words = (...patterns: string[]): WordGroup => ({ kind: 'words', words: patterns });

export const STRONG = 0.97;
export const WEAK = 0.9; // generic words ("Date", "Net", "Summe") that are labels only most of the time
export const TITLE_ONLY = 0.85; // a document title read as the invoice number's label: no rival to a label naming the number
const TERMS = 0.95;
const SELLER = 0.95;
const YOUR_ORDER = 0.93; // the customer's order or reference: the PO most of the time, not always
const INVOICE_CURRENCY = 0.98; // "Rechnungswährung: GBP" beside "Währung der Umsatzsteuerbuchung: EUR"
const PARTY = 0; // a block's heading: the value is below it, never beside

/** The fields in the table's order: a tie between two labels of one length and strength goes to the first. */
export const VOCABULARY: Partial<Record<HeaderFieldName, FieldVocabulary>> = {
  invoiceNumber: {
    en: [
      labels(STRONG, 'Invoice No.', 'Invoice Number', 'Invoice Num.', 'Invoice #', 'Inv. No.', 'Inv. #', 'Invoice Nr.'),
      // Australia, India, Singapore: the document is a "Tax Invoice", its number no tax
      labels(STRONG, exact('Tax Invoice No.', 'Tax Invoice Number', 'Tax Invoice #')),
      // the supplier's own reference is often its invoice number, but as often a sales order or job number (fields.ts)
      labels(WEAK, exact('Our Ref.', 'Our Reference')),
      // the title alone, a number typed beside it ("INVOICE   25-1187"): weaker than any label naming the number
      labels(TITLE_ONLY, exact('Invoice', 'Tax Invoice')),
    ],
    de: [
      labels(STRONG, 'Rechnungsnummer', 'Rechnung Nr.', 'Rechnungs-Nr.', 'Rechnung-Nr.', 'Re.-Nr.', 'Rechnung #'),
      labels(TITLE_ONLY, exact('Rechnung')),
    ],
    fr: [
      labels(STRONG, 'Facture N°', 'Facture No.', 'N° de facture', 'Numéro de facture', 'No. de facture'),
      labels(TITLE_ONLY, exact('Facture')),
    ],
    nl: [labels(STRONG, 'Factuurnummer', 'Factuurnr.', 'Factuur nr.'), labels(TITLE_ONLY, exact('Factuur'))],
    es: [
      labels(
        STRONG,
        'Número de factura',
        'Factura N°',
        'Factura Nº',
        'Factura No.',
        'Nº de factura',
        'Factura N.º',
        'Serie y folio',
        'Folio',
      ),
      labels(TITLE_ONLY, exact('Factura')),
    ],
    it: [
      labels(
        STRONG,
        'Numero fattura',
        'Fattura n.',
        'Fattura nr.',
        'N. fattura',
        'Nr. fattura',
        'Numero documento',
        'N. documento',
      ),
      labels(TITLE_ONLY, exact('Fattura')),
    ],
  },
  invoiceDate: {
    en: [
      labels(STRONG, 'Invoice Date', 'Date of Invoice', exact('Invoice Dated')),
      labels(WEAK, 'Date', 'Dated', exact('Date Issued')),
      // the UK's VAT date, printed as the invoice's date: "Date/Tax Point", "Invoice/Tax Date"
      labels(WEAK, exact('Date/Tax Point', 'Invoice/Tax Date'), 'Tax Point Date', 'Tax Point'),
    ],
    de: [labels(STRONG, 'Rechnungsdatum', exact('Datum der Rechnung')), labels(WEAK, 'Datum')],
    fr: [labels(STRONG, 'Date de facture', 'Date de la facture', exact('Date facture'))],
    nl: [labels(STRONG, 'Factuurdatum')],
    es: [
      labels(STRONG, exact('Fecha de factura'), 'Fecha de la factura', 'Fecha factura'),
      labels(WEAK, 'Fecha'),
      labels(STRONG, 'Fecha de emisión', exact('Fecha emisión')),
    ],
    it: [labels(STRONG, 'Data fattura', 'Data documento', 'Data emissione', 'Data doc.'), labels(WEAK, 'Data')],
  },
  dueDate: {
    en: [
      labels(STRONG, 'Due Date', 'Payment Due', 'Payment Due Date', 'Date Due', 'Due'),
      words('pay by', 'payable by', 'payment date'),
    ],
    de: [
      labels(
        STRONG,
        'Fällig am',
        'Fällig',
        'Fälligkeitsdatum',
        'Fälligkeitstag',
        'Fälligkeitstermin',
        'Fälligkeit',
        'Zahlbar bis',
      ),
      words('faellig'),
    ],
    fr: [labels(STRONG, "Date d'échéance", 'Échéance', 'Date échéance'), words('limite de paiement', 'payer avant')],
    nl: [labels(STRONG, 'Vervaldatum', 'Te betalen voor'), words('verval', 'betaaldatum')], // "Uiterste betaaldatum" too
    es: [labels(STRONG, 'Fecha de vencimiento', 'Vencimiento'), words('vto')],
    it: [labels(STRONG, 'Scadenza', 'Data scadenza', 'Scadenze')],
  },
  // plurals too: a label over a list of PO numbers says so ("Purchase orders", "Bestellnummern", "Vos commandes", "Pedidos")
  poNumbers: {
    en: [
      labels(
        STRONG,
        'PO Number',
        'PO No.',
        'PO #',
        'PO Nr.',
        'P.O. Number',
        'P.O. No.',
        'P.O. #',
        'P.O.',
        'PO',
        'Purchase Order No.',
        'Purchase Order Number',
        'Purchase Order #',
        'Purchase Order',
        'Customer PO',
        'Customer PO No.',
        'Purchase Order Reference',
      ),
      labels(
        YOUR_ORDER,
        'Your Order No.',
        'Your Order Number',
        'Your Order',
        'Your Ref.',
        'Your Reference',
        'Customer Ref.',
        'Customer Reference',
        'Customer Order Ref.',
        'Customer Order Reference',
        'Customer Order No.',
        'Customer Order Number',
        'Customer Order',
      ),
      words(
        'orders?',
        'your pos',
        'cust(?:omer)? pos',
        'your ref(?:erence)?s',
        'booking ?(?:id|#|no|nr|number|ref(?:erence)?)',
      ),
    ],
    de: [
      labels(
        STRONG,
        'Bestellnummer',
        'Bestell-Nr.',
        'Bestellung Nr.',
        'Ihre Bestellnummer',
        'Ihre Bestell-Nr.',
        'Ihre Bestellung',
        // an e-invoice's BT-13 as renderings print it
        'Bestellreferenz',
        'Kundenbestellnummer',
        'Kunden-Bestellnummer',
      ),
      words('bestell', 'bestellung(?:en)?', 'bestellnummern', 'bestellnr', 'auftrag', 'ihre? zeichen'),
    ],
    fr: [
      labels(STRONG, 'Bon de commande', 'N° de commande', 'Numéro de commande', 'Votre commande', 'Commande N°'),
      words('commandes?', 'votre ref(?:erence)?'),
    ],
    nl: [
      labels(STRONG, 'Inkoopordernummer', 'Inkooporder', 'Uw bestelling', 'Uw ordernummer', 'Bestelnummer'),
      labels(YOUR_ORDER, 'Uw kenmerk', 'Uw referentie'),
      words(
        'inkoop\\w*',
        'ordernummers?',
        'ordernr',
        'bestel ?nr',
        'bestelnummers',
        'bestelling(?:en)?',
        'uw ref(?:erentie)?',
      ),
    ],
    es: [
      labels(STRONG, exact('Orden de compra'), 'Nº de pedido', 'Número de pedido', 'Su pedido'),
      words('pedidos?', 'su ref(?:erencia)?'),
    ],
    it: [
      labels(
        STRONG,
        'Vs. ordine',
        'Vs. ordine n.',
        'Vostro ordine',
        'Vostro ordine n.',
        'Rif. ordine',
        'Rif. vs. ordine',
        'Ordine cliente',
        "Ordine d'acquisto",
        'N. ordine',
      ),
      words('ordine'),
    ],
  },
  subtotal: {
    en: [
      labels(
        STRONG,
        'Subtotal',
        'Sub-total',
        'Sub Total',
        'Net Amount',
        'Net Total',
        'Total Net',
        'Total Nett',
        'Nett Total',
        'Total excl. VAT',
        'Total before tax',
        // "Total Taxable Value": by its words a total
        exact('Taxable Value', 'Taxable Amount', 'Total Taxable Value'),
      ),
      // "Net 30" is the terms
      labels(WEAK, exact('Net')),
      words('before (?:tax|vat)', 'excl(?:uding)?', '(?:goods|product|parts|materials?) total', 'merchandise'),
    ],
    de: [
      // "…beitrag": OCR's reading of "…betrag", only as printed
      labels(
        STRONG,
        'Zwischensumme',
        'Nettobetrag',
        'Summe netto',
        'Gesamt netto',
        'Nettosumme',
        exact('Gesamtbeitrag', 'Nettobeitrag'),
      ),
      // the goods' value before the invoice's discounts and charges, which the net amount (the tax basis) is after
      labels(
        WEAK,
        'Netto',
        'Warenwert',
        'Summe Positionen',
        'Summe der Positionen',
        'Summe aller Positionen',
        'Positionssumme',
      ),
      words('ohne (?:ust|mwst|umsatzsteuer|steuer)', 'exkl', 'netobetrag', 'netosumme'),
    ],
    fr: [
      labels(STRONG, 'Sous-total', 'Total HT', 'Montant HT'),
      words('ht', 'htva', 'hors tva', 'hors tax(?:es?)?', 'soustotal'),
    ],
    nl: [labels(STRONG, 'Subtotaal', 'Totaal excl. BTW')],
    es: [labels(STRONG, 'Base imponible', 'Importe neto'), words('neto', 'total bruto')],
    it: [labels(STRONG, 'Imponibile', 'Totale imponibile', 'Totale netto', 'Totale merce')],
  },
  tax: {
    en: [
      labels(
        STRONG,
        'Tax',
        'Sales Tax',
        'VAT',
        'GST',
        'HST',
        'Tax Total',
        'Total Tax',
        'Tax Amount',
        'VAT Amount',
        // India: integrated, central, state and union territory GST (CGST and SGST halves add up to the tax)
        exact('IGST', 'CGST', 'SGST', 'UTGST'),
        'Total GST',
      ),
      // Canada's provincial sales taxes (QST is TVQ in French)
      words('pst', 'qst', 'tvq'),
    ],
    de: [
      labels(
        STRONG,
        'MwSt.',
        'Mehrwertsteuer',
        'USt.',
        'Umsatzsteuer',
        'zzgl. MwSt.',
        'zzgl. USt.',
        'Steuerbetrag',
        'Umsatzsteuerbetrag',
        'MwSt.-Betrag',
        'USt.-Betrag',
        // an insurance premium's tax, also named with what it insures ("Versicherungsteuer zur …versicherung")
        'Versicherungsteuer',
        'Versicherungssteuer',
        exact('Gesamtsteuerbetrag'),
      ),
      // "in diesem Beitrag enthaltene Versicherungsteuer": the tax a gross amount contains
      words('(?:mwst|ust)steuerbetrag', 'enthaltene? (?:\\w*steuer|mwst|ust)'),
    ],
    fr: [labels(STRONG, 'TVA', 'Montant TVA', 'Total TVA')],
    nl: [labels(STRONG, 'BTW', 'Btw-bedrag')],
    es: [labels(STRONG, 'IVA', exact('Impuestos', 'Impuesto')), words('i v a', 'cuota')],
    it: [labels(STRONG, 'Imposta', 'Totale IVA', 'Totale imposta')],
  },
  // What is left to pay is a total too; AMOUNT_DUE below says which of these labels name it.
  total: {
    en: [
      labels(
        STRONG,
        'Total',
        'Invoice Total',
        'Total Due',
        'Amount Due',
        'Balance Due',
        'Total Amount',
        'Grand Total',
        'Total Amount Due',
        'Total incl. VAT',
        'Amount Payable',
        'Invoice Amount',
        'Total Payable',
        'Amount to Pay',
        'To Pay',
        // India: the amount after all taxes ("Net Amount Payable", "Invoice Value")
        'Net Payable',
        exact('Net Amount Payable', 'Invoice Value'),
      ),
      // also an item table's column head, which the table's rows are read under first
      labels(WEAK, 'Total Price'),
      words('balance', 'please pay', 'pay this amount'),
    ],
    de: [
      labels(
        STRONG,
        'Gesamtbetrag',
        'Rechnungsbetrag',
        'Gutschriftsbetrag',
        'Gutschriftbetrag',
        'Gesamtsumme',
        'Endbetrag',
        'Summe brutto',
        'Bruttobetrag',
        'Bruttosumme',
        'Zahlbetrag',
        'Rechnungsendbetrag',
        'Bruttorechnungsbetrag',
        'Endsumme',
        'Zu zahlender Betrag',
        exact('Rechnungsbeitrag'), // OCR's "Rechnungsbetrag"
      ),
      labels(WEAK, 'Summe', 'Gesamt', 'Gesamtpreis'),
      words('brutto', 'rechnungssumme', 'zu zahlen', 'restbetrag', 'offener betrag'),
    ],
    fr: [
      labels(
        STRONG,
        'Total TTC',
        'Montant TTC',
        'Net à payer',
        'Total à payer',
        'Montant total',
        'Montant à régler',
        'Net à régler',
        // "TVA incluse / comprise" (TVAC in Belgium): the total with its tax, no tax amount
        'Total TVAC',
        'Montant facturé',
        exact('Total TVA incluse', 'Total TVA comprise'),
      ),
      words('ttc', 'a payer', 'a regler', 'solde a payer', '(?:montant|solde|restant) du'),
    ],
    nl: [
      labels(
        STRONG,
        'Totaal',
        'Totaal incl. BTW',
        'Te betalen',
        'Te voldoen',
        'Totaal te voldoen',
        'Totaalbedrag',
        'Factuurbedrag',
        'Totaal factuurbedrag',
      ),
      words('openstaand (?:saldo|bedrag)'),
    ],
    es: [labels(STRONG, 'Total factura', 'Importe total', 'Total a pagar'), words('saldo (?:a pagar|pendiente)')],
    it: [
      labels(
        STRONG,
        'Totale',
        'Totale documento',
        'Totale fattura',
        'Totale da pagare',
        exact('Netto a pagare'), // by its words the subtotal ("netto")
        'Totale a pagare',
      ),
    ],
  },
  // The net does not classify a seller's label; its words tell a seller's order number from the customer's
  // (SELLERS_OWN in label-words.ts: "Supplier order no." is no purchase order).
  vendorName: {
    en: [
      labels(SELLER, exact('From'), 'Vendor', 'Vendor Name', 'Supplier', 'Supplier Name', 'Seller'),
      labels(WEAK, exact('Remit to', 'Remit Payment to', 'Please remit to', 'Make checks payable to')),
    ],
    de: [labels(SELLER, 'Lieferant', 'Verkäufer', exact('Rechnungssteller')), words('lief', 'lieferanten')],
    fr: [labels(SELLER, 'Fournisseur', 'Vendeur')],
    nl: [labels(SELLER, 'Leverancier')],
    es: [labels(SELLER, 'Proveedor')],
    it: [words('fornitore')],
  },
  // The net reads these words at the start of the text, and TAX_ID_PARTS below
  vendorTaxId: {
    en: [
      labels(
        WEAK,
        'VAT ID',
        'VAT No.',
        'VAT Number',
        'VAT Reg. No.',
        'VAT Registration No.',
        'Tax ID',
        'Tax No.',
        'Federal Tax ID',
        'EIN',
        'GST No.',
      ),
      // India: the GST identification number (15 characters: state code, PAN, entity, "Z", check character)
      labels(WEAK, 'GSTIN', 'GSTIN No.', 'GSTIN/UIN', exact('GST IN'), 'GSTIN Number'),
      words(
        'f ?e ?i ?n',
        'e ?i ?n',
        'tin',
        'vat reg(?:istration)?',
        '(?:gst|hst|qst|pst) ?(?:reg(?:istration)?|#)',
        'gstin(?: ?(?:no|number|uin))?',
        'abn', // Australia
      ),
    ],
    de: [
      labels(WEAK, 'USt-IdNr.', 'USt.-IdNr.', 'USt-ID', 'USt-Id-Nr.', 'Steuernummer', exact('St.-Nr.'), 'Steuer-Nr.'),
      // Switzerland and Austria
      words('mwst ?(?:nr|nummer|no)', 'uid(?: nr)?', 'che ?nr'),
    ],
    fr: [labels(WEAK, 'N° TVA', 'TVA intracommunautaire', 'Numéro de TVA', 'SIRET'), words('siren')],
    nl: [labels(WEAK, 'BTW-nummer', 'BTW-nr.', 'Btw-id')],
    es: [labels(WEAK, 'NIF', 'CIF', 'RFC'), words('n ?i ?f', 'c ?i ?f', 'nif ?/ ?cif')],
    it: [
      labels(WEAK, 'Partita IVA', 'P. IVA', 'P.IVA', 'Codice fiscale', 'Cod. fiscale', exact('C.F.')),
      words('p ?iva'),
    ],
  },
  paymentTerms: {
    en: [labels(TERMS, 'Payment Terms', 'Terms', 'Terms of Payment')],
    de: [
      labels(TERMS, 'Zahlungsbedingungen', 'Zahlungsbedingung', 'Zahlungsziel'),
      words('zahlungskonditionen', 'konditionen'),
    ],
    fr: [labels(TERMS, 'Conditions de paiement', 'Conditions de règlement'), words('reglement')],
    nl: [labels(TERMS, 'Betalingsvoorwaarden', 'Betalingstermijn'), words('betalingsconditie')],
    es: [
      labels(TERMS, 'Condiciones de pago'),
      // how the money moves (a transfer, "99 Por definir"), which often carries the terms: below a terms label
      labels(WEAK, 'Forma de pago'),
      words('plazo de pago'),
    ],
    it: [labels(TERMS, 'Condizioni di pagamento', 'Modalità di pagamento', 'Termini di pagamento', 'Pagamento')],
  },
  // The net reads a currency label only as the whole text ("Währung"), never inside a longer one
  currency: {
    // the invoice's own currency, named as such: above a bare "Currency"
    en: [labels(INVOICE_CURRENCY, exact('Invoice Currency')), labels(STRONG, 'Currency')],
    de: [labels(INVOICE_CURRENCY, exact('Rechnungswährung')), labels(STRONG, 'Währung')],
    fr: [labels(INVOICE_CURRENCY, exact('Devise de facturation', 'Devise de la facture')), labels(STRONG, 'Devise')],
    nl: [labels(STRONG, 'Valuta')],
    es: [labels(STRONG, 'Moneda', 'Divisa')],
    it: [labels(STRONG, 'Valuta')],
  },
  // The net reads a bill-to label only as the whole text ("Kunde", not "Kundennummer")
  billTo: {
    en: [
      labels(PARTY, 'Bill To', 'Billed To', 'Sold To', 'Ship To', 'Invoice To', 'Deliver To', 'Customer'),
      // India: "Buyer (Bill to)", "Consignee (Ship to)", "Details of Receiver (Billed to)"
      labels(PARTY, 'Buyer', 'Buyer (Bill to)', 'Consignee', 'Consignee (Ship to)', 'Receiver'),
      labels(PARTY, 'Details of Receiver', 'Details of Receiver (Billed to)', 'Details of Consignee (Shipped to)'),
      words('invoice address'),
    ],
    de: [labels(PARTY, 'Rechnungsadresse', 'Lieferadresse', 'Rechnungsempfänger', 'Kunde'), words('empfanger')],
    fr: [labels(PARTY, 'Facturé à', 'Adresse de facturation', 'Livré à', 'Client'), words('destinataire')],
    nl: [labels(PARTY, 'Factuuradres', 'Afleveradres', 'Klant'), words('debiteur')],
    es: [labels(PARTY, 'Facturar a', 'Enviar a', 'Cliente', 'Receptor'), words('datos del cliente')],
    it: [
      labels(PARTY, 'Spett.le', 'Spettabile', 'Destinatario', exact('Destinazione merce'), 'Cliente'),
      words('spettle'),
    ],
  },
};

// ── Parts of the nets that are built, not listed ─────────────────────────────────────────────────────────

/** "Nummer:", "Nr.:", "No.", "#": a number, of whatever the block is about. */
export const NUMBER_WORDS = ['number', 'nummer', 'numero', 'no', 'nr', 'n', 'num', '#'];

/** An invoice number's label: a document, then a number word ("Invoice No.", "Gutschrift-Nr.", "Avoir n°"). */
export const NUMBER_LABEL = {
  documents: {
    en: ['(?:our )?invoice', 'inv', 'bill', 'document', 'doc', 'credit (?:note|memo)', 'receipt'],
    de: ['rechnung', 'beleg', 'gutschrift'],
    fr: ['facture?', 'avoir'],
    nl: ['factuur', 'creditnota'],
    es: ['factura', 'abono', 'nota de credito', 'factura rectificativa'],
  } satisfies ByLang,
  numberWords: [...NUMBER_WORDS, 'id', 'ref', 'reference'],
  /** The number word first ("N° de facture", "Número de factura"). */
  numberFirst: {
    numberWords: ['no', 'n', 'num', 'numero', 'nummer', 'nr'],
    of: ['de', 'd'],
    documents: {
      en: ['document'],
      fr: ['facture', 'avoir'],
      nl: ['factuur'],
      es: ['factura', 'abono'],
    } satisfies ByLang,
  },
  /** Other wordings, read at the start of the text. */
  others: {
    // compounds with any ending ("Rechnungsnummern"), and the abbreviations "Re.-Nr.", "Rg.-Nr."
    de: ['(?:rechnungs|beleg|gutschrifts?|dokument)(?:nummer|nr)', '(?:re|rg|rech) ?nr'],
    nl: ['(?:factuur|creditnota)(?:nummer|nr)'],
    fr: ['ref facture'],
    // Mexico: "Serie y folio", "Folio"; never "Folio fiscal", the CFDI's UUID
    es: ['(?:serie y )?folio$'],
    it: ['fattura (?:n|nr|no|numero)', '(?:numero|n|nr) (?:fattura|documento)'],
  } satisfies ByLang,
  /** Alone, the longer number words: the invoice's number, if nothing else names it. */
  alone: ['number', 'nummer', 'numero', 'no', 'nr'],
};

/** An invoice date's label: a document, a date word, the document again ("Invoice Date", "Date of Issue"). */
export const DATE_LABEL = {
  before: {
    en: ['invoice', 'inv', 'bill(?:ing)?', 'document', 'doc', 'tax', 'issue', 'invoice issue', 'credit note'],
    // "Re.-Datum", "Rg.-Datum": the abbreviations of "Rechnungsdatum"
    de: ['rechnungs?', 'beleg', 'ausstellungs', 'gutschrift', 're', 'rg'],
    fr: ['facture?', 'emission'],
    nl: ['factuur'],
    es: ['factura'],
  } satisfies ByLang,
  dateWords: { en: ['date', 'dt'], de: ['datum'], es: ['fecha'], it: ['data'] } satisfies ByLang,
  /** After the date word, "of" allowed before it. */
  after: {
    en: ['invoice', 'issue', 'doc'],
    fr: ['de (?:la )?facture?', 'd emission', 'de facturation'],
    nl: ['factuur'],
    es: ['factura', 'de la factura', 'de emision'],
    it: ['fattura', 'documento', 'emissione'],
  } satisfies ByLang,
  /** Other wordings, the whole text. */
  others: {
    en: ['dated', 'issued(?: on)?', 'invoiced'],
    de: ['gutschriftsdatum', 'ausgestellt am'],
    fr: ['emise? le', 'facturee? le'],
  } satisfies ByLang,
};

/** UK VAT: the tax point is the invoice date (read before "tax" takes it). */
export const TAX_POINT = ['tax date', 'tax point', 'tax point date', 'date of supply'];

/** A delivery, order or service date: the event, then a date word ("Lieferdatum", "Ship Date"), or the reverse. */
export const OTHER_DATE = {
  events: {
    en: ['delivery', 'ship', 'order', 'booking', 'service'],
    de: ['liefer', 'leistungs', 'bestell'],
    fr: ['livraison', 'commande'],
    nl: ['lever'],
    es: ['entrega', 'pedido'],
  } satisfies ByLang,
  // not Italian "data": "order data" is no date
  dateWords: ['date', 'datum', 'fecha', 'dt'],
  /** The date word first ("Date de livraison", "Fecha de pedido"), before the language's events. */
  dateFirst: { fr: 'date de', es: 'fecha de' } as Partial<Record<Lang, string>>,
};

/** The tax id, besides VOCABULARY's words: a tax's name, then a number word ("VAT Reg. No.", "Steuer-Nr."). */
export const TAX_ID_PARTS = {
  taxNames: {
    en: ['vat', 'tax', 'gst', 'federal tax', 'sales tax'],
    de: ['ust', 'umsatzsteuer', 'steuer'],
    fr: ['tva'],
    nl: ['btw'],
    es: ['iva'],
  } satisfies ByLang,
  registration: ['reg(?:istration)?', 'id(?:ent)?', 'identification'],
  numberWords: ['no', 'nr', 'number', 'nummer', 'numero', 'num', 'id', 'idnr', 'ident', '#'],
  /** At the start of the text, with any ending ("USt-IdNr", "TVA intracom."). */
  prefixes: {
    de: ['(?:ust|umsatzsteuer) ?id(?: ?nr)?'],
    fr: ['tva intra ?com(?:munautaire)?', 'n(?:o|um) ?tva(?: intra ?com(?:munautaire)?)?', '(?:numero|n) de tva'],
    nl: ['btw ?(?:nr|nummer|id)'],
  } satisfies ByLang,
};

/** "Total inkl. MWST", "Totaal incl. BTW", "Total TVAC": a total that names the tax it includes. */
export const TOTAL_INCLUDING_TAX = {
  totals: {
    en: ['total'],
    de: ['gesamt\\w*', '\\w*summe', 'brutto', '\\w*beitrag'], // "Beitrag": an insurance premium
    nl: ['totaal'],
    es: ['importe'],
    it: ['totale'],
  } satisfies ByLang,
  including: {
    en: ['incl', 'inc', 'including', 'inclusive'], // "Total inc VAT", "Total inc. GST"
    de: ['inkl', 'inklusive', 'einschl\\w*'],
    nl: ['inclusief'],
    fr: ['ttc', 'tvac'], // Belgium: "TVA comprise"; "TVAC" alone is such a total too
    es: ['iva incluid[oa]'],
    it: ['ivato'],
  } satisfies ByLang,
};

/**
 * Labels that name what is left to pay rather than what the goods cost: "Zahlbetrag", "Amount due", "Balance
 * due", "Net à payer", "Te betalen", "Restbetrag". On an invoice without a prepayment the two are one amount;
 * after a deposit the label names the amount due (BT-115), and the total (BT-112) is the gross before it.
 */
export const AMOUNT_DUE: ByLang = {
  en: [
    'amount (?:due|payable|to pay)',
    '(?:total |net )?(?:amount )?(?:due|payable)(?: amount)?$', // at the end: "Due date" is no amount
    'balance(?: due| to pay| payable)?$',
    'outstanding',
    'remaining balance',
    'please pay',
    'pay this amount',
  ],
  de: ['zahlbetrag', 'zu zahlen(?:de[rn]?)?', 'restbetrag', 'offene[rn]? (?:betrag|saldo|posten)', 'falliger betrag'],
  fr: ['(?:net|total|reste|montant|solde) a payer', '(?:montant|solde|restant) du'],
  nl: ['te betalen', 'openstaand (?:saldo|bedrag)'],
  es: ['(?:total|importe|saldo) a pagar', 'saldo pendiente'],
  it: ['(?:totale|netto|importo) (?:da|a) pagare'],
};

/** Words of a total's label that start a due date's: "Te betalen voor" (pay before), "À payer avant". */
export const NOT_FOLLOWED_BY: Record<string, string> = { 'te betalen': 'voor', 'a payer': 'avant' };

/** "Gesamtbetrag der Abschläge", "Total des remises": the sum of the discounts or charges, no total of the invoice. */
export const ADJUSTMENT_SUM = {
  totals: { en: ['total'], de: ['gesamt\\w*', 'summe'], nl: ['totaal'], fr: ['montant'] } satisfies ByLang,
  of: { en: ['of'], de: ['der', 'des'], nl: ['van'], fr: ['des', 'de'] } satisfies ByLang,
  adjustments: {
    en: ['discounts', 'allowances', 'charges'],
    de: ['abschlage', 'zuschlage', 'rabatte', 'nachlasse'],
    fr: ['remises', 'frais'],
    nl: ['kortingen', 'toeslagen'],
  } satisfies ByLang,
};

/**
 * A payment made before the invoice (a deposit, an instalment): what it names is deducted from the total.
 * "Summe der Anzahlungen", "Total prepaid", "Deposits total". "Abschläge" alone stays out: in German totals
 * blocks it is as often the discounts ("Gesamtbetrag der Abschläge").
 */
export const PREPAID = {
  totals: {
    en: ['total\\w*'],
    de: ['gesamt\\w*', 'summe'],
    nl: ['totaal'],
    fr: ['montant'],
    es: ['importe'],
    it: ['totale'],
  } satisfies ByLang,
  of: { en: ['of'], de: ['der', 'des', 'aller'], nl: ['van'], fr: ['de', 'des'], it: ['dei', 'del'] } satisfies ByLang,
  /** Before the payment's name: "Erhaltene Anzahlungen", "Received deposits". */
  qualifiers: {
    en: ['received', 'paid'],
    de: ['erhaltene[nr]?', 'geleistete[nr]?', 'bereits gezahlte[nr]?'],
  } satisfies ByLang,
  payments: {
    en: ['deposits?', 'prepayments?', 'prepaid', 'advance payments?', 'payments?(?: received| made| applied)?', 'paid'],
    de: ['anzahlung(?:en)?', 'abschlagszahlung(?:en)?', 'vorauszahlung(?:en)?', 'teilzahlung(?:en)?'],
    fr: ['acomptes?', 'versements?'],
    nl: ['aanbetaling(?:en)?', 'vooruitbetaling(?:en)?'],
    es: ['anticipos?'],
    it: ['acconti', 'acconto'],
  } satisfies ByLang,
};

/** Carried-forward rows of multi-page tables, the whole text: neither a line item nor a total. */
export const CARRIED_FORWARD: ByLang = {
  en: [
    '(?:sub ?total |total |zwischensumme |balance )?(?:carried|brought) forward',
    'c ?/ ?f',
    'b ?/ ?f',
    'continued(?: on next page)?',
  ],
  de: ['ubertrag(?: von seite \\d+)?'],
  fr: ['(?:total )?a reporter', 'report(?: page precedente)?', 'transport'],
  nl: ['over te brengen', 'van vorige pagina'],
  es: ['suma y sigue', 'suma anterior'],
};

/** Text that reads like a label but is none, anywhere in it. */
export const NOT_A_LABEL = {
  /** Payment terms, a value: "Due on receipt", "Net 30". */
  terms: {
    en: ['on receipt', 'upon receipt', 'immediately', 'net \\d+'],
    de: ['sofort'],
    fr: ['a reception'],
    es: ['contado'],
  } satisfies ByLang,
  /** An address: "P.O. Box 1190", "Postfach 12 34". */
  postBoxes: {
    en: ['p ?o box'],
    de: ['postfach'],
    fr: ['boite postale'],
    nl: ['postbus'],
    es: ['apartado'],
  } satisfies ByLang,
  /** The vendor's own order number ("Sales Order SO-771408", "Unsere Auftragsnummer"), no purchase order. */
  sellersOrders: {
    en: ['sales orders?', 'our orders?', 'web ?(?:shop )?orders?', 'online orders?'],
    de: ['unsere? auftrag\\w*'],
    fr: ['notre commande'],
    nl: ['onze orders?'],
    es: ['nuestros? pedidos?'],
  } satisfies ByLang,
};

/** "Conditions / Voorwaarden": alone each word is too vague to be a label, in two languages it names the terms. */
export const TERMS_IN_TWO_LANGUAGES: ByLang = {
  en: ['conditions'], // and French
  de: ['bedingungen'],
  nl: ['voorwaarden'],
  es: ['condiciones'],
  it: ['condizioni'],
};
