// The words the vendor reader goes by, as data: who a block on the invoice belongs to (the issuing party or
// the customer), what is never a company's name (titles, stamps, captions, column heads, salutations), the
// markers of a company's registration in a footer, and how much each kind of evidence weighs.

// A party heading may open with "Details of" and carry a note in brackets ("Buyer (Bill to)", "Details of
// Consignee (Shipped to)"): the role is the heading's own word.
const DETAILS_OF = '(?:details\\s+of\\s+(?:the\\s+)?)?';
const BRACKETED_NOTE = '(?:\\s*\\([^()]{1,30}\\))?';

/** A heading naming the issuing party's block ("Verkäufer:", "Lieferant", "Seller", "Fournisseur"). */
export const SELLER_ROLE = new RegExp(
  `^${DETAILS_OF}(?:${[
    'verk[äa]ufer',
    'lieferant',
    'rechnungs(?:st|erst)eller',
    'leistungserbringer',
    'absender',
    'auftragnehmer',
    'seller',
    'supplier',
    'vendor',
    'from',
    'sold by',
    // a marketplace's seller ("Verkauft von Amazon EU S.à r.l.", "Vendu par …")
    'verkauft von',
    'vendu par',
    'verkocht door',
    'vendido por',
    'venduto da',
    'issued by',
    'biller',
    'fournisseur',
    'vendeur',
    '[ée]metteur',
    'prestataire',
    'leverancier',
    'verkoper',
    'afzender',
    'proveedor',
    'vendedor',
    'emisor',
    'fornitore',
    'venditore',
    'cedente(?: ?/ ?prestatore)?',
    'prestatore',
  ].join('|')})${BRACKETED_NOTE}\\s*:?$`,
  'iu',
);

/** A heading naming the customer's block: the addressee is never the vendor. */
export const BUYER_ROLE = new RegExp(
  `^(?:abweichende[rs]?\\s+)?${DETAILS_OF}(?:${[
    'k[äa]ufer(?:\\s*/\\s*leistungsempf[äa]nger)?',
    'leistungsempf[äa]nger',
    'rechnungsempf[äa]nger',
    'warenempf[äa]nger',
    'empf[äa]nger',
    'kunde',
    'auftraggeber',
    'rechnungsadresse',
    'lieferadresse',
    'lieferanschrift',
    'bill(?:ed)? to',
    'sold to',
    'ship(?:ped)? to',
    'deliver(?:ed)? to',
    'invoice to',
    'buyer',
    'customer',
    'purchaser',
    'client',
    'factur[ée] [àa]',
    'destinataire',
    'acheteur',
    'livr[ée] [àa]',
    'klant',
    'afnemer',
    'koper',
    'factuuradres',
    'afleveradres',
    'to',
    'an',
    'aan',
    '[àa]',
    'pour',
    'cliente',
    'comprador',
    'facturar a',
    'enviar a',
    'destinatario',
    'committente',
    'cessionario(?: ?/ ?committente)?',
    'spett\\.? ?le',
    // a Swiss QR-bill's payer ("Zahlbar durch", "Payable par", "Pagabile da")
    'zahlbar durch',
    'payable (?:par|by)',
    'pagabile da',
    // India: "Consignee (Ship to)", "Details of Receiver (Billed to)"
    'consignee',
    'receiver',
    'recipient',
  ].join('|')})${BRACKETED_NOTE}\\s*:?$`,
  'iu',
);

/**
 * A heading over the address payments go to ("Remit to:", "Make checks payable to:", a Swiss QR-bill's
 * "Konto / Zahlbar an"): the vendor's, or the bank or factor it collects through; weighed as a seller label.
 */
export const REMIT_ROLE =
  /^(?:please\s+)?(?:remit(?:tance)?(?:\s+(?:payment|address))?(?:\s+to)?|(?:make\s+)?(?:checks|cheques)\s+payable\s+to|payable\s+to|mail\s+payments?\s+to|(?:(?:konto|compte|conto|account)\s*\/\s*)?(?:zahlbar\s+an|payable\s+[àa]|pagabile\s+a))\s*:?$/iu;

/** The heading of a payment advice, the slip a customer detaches and returns with the payment. */
export const PAYMENT_SLIP =
  /^(?:payment|remittance)\s+(?:advice|slip|stub|coupon)\b|^remittance$|\bdetach\s+(?:and|&)\s+return\b|^please\s+return\s+(?:this|the)\s+(?:portion|stub|slip)\b/iu;

/**
 * A sentence naming the payee, thanking the seller or headed with it, and how much it weighs: the payee and a
 * platform's headline as a seller label, the thanks as little as a name printed with a registration but no
 * legal form.
 */
export const PAYEE_SENTENCES: Array<{ sentence: RegExp; kind: 'sellerLabel' | 'registryPlain' }> = [
  // "Please make checks payable to Acme, Inc."
  { sentence: /\b(?:checks|cheques|payments?)\s+(?:\w+\s+)?payable\s+to:?\s+(.+)$/iu, kind: 'sellerLabel' },
  {
    sentence:
      /\bthank\s+you\s+for\s+(?:choosing|shopping\s+(?:at|with)|ordering\s+from|your\s+(?:business|order|purchase)\s+(?:with|at))\s+(.+)$/iu,
    kind: 'registryPlain',
  },
  // a web platform's headline: "Invoice from Jane Doe Design", "Receipt from Acme, Inc."
  { sentence: /^(?:invoice|receipt|bill)\s+from\s+(.+)$/iu, kind: 'sellerLabel' },
  // the bank account's holder: "Kontoinhaber: Muster GmbH", "Account name: Acme Ltd", "… t.n.v. Jansen Advies"
  {
    sentence:
      /^(?:kontoinhaber(?:in)?|account\s+(?:name|holder)|beneficiary(?:\s+name)?|titulaire(?:\s+du\s+compte)?|rekeninghouder|intestatario(?:\s+del?\s+conto)?|titular(?:\s+de\s+la\s+cuenta)?)\s*:\s*(.+)$/iu,
    kind: 'sellerLabel',
  },
  { sentence: /\b(?:t\.\s?n\.\s?v\.|ten\s+name\s+van)\s+(.+)$/iu, kind: 'sellerLabel' },
];

/**
 * The close of a letter, over the issuer's name ("Mit freundlichen Grüßen" / "Muster Metallbau GmbH"), and a
 * signature's line under "for Acme Steel Industries" ("Authorised Signatory", as Indian invoices sign).
 */
export const LETTER_CLOSE =
  /^(?:mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en|freundliche\s+gr(?:ü|ue)(?:ß|ss)e|kind\s+regards|best\s+regards|regards|sincerely|yours\s+(?:faithfully|sincerely|truly)|cordialement|salutations\s+distingu[ée]es|met\s+vriendelijke\s+groet(?:en)?|atentamente|cordiali\s+saluti|distinti\s+saluti)\s*[,.]?$/iu;
export const SIGNED_FOR = /^(?:for|f[üu]r|pour|voor|por|per)\s+(?:die\s+|la\s+|the\s+)?(.+)$/iu;
export const SIGNATORY =
  /\b(?:authori[sz]ed\s+signatory|authori[sz]ed\s+signature|proprietor|(?:managing\s+)?director|partner|unterschrift|gesch[äa]ftsf[üu]hr(?:er|ung))\b/iu;

/** The label of a name row inside a party block ("Name:", "Firma", "Raison sociale"). */
export const NAME_ROW =
  /^(?:name|firma|firmenname|company(?: name)?|business name|nom|raison sociale|d[ée]nomination|naam|bedrijfsnaam|nombre|raz[óo]n social|ragione sociale|denominazione)\s*:?$/iu;

/** A company's registration or bank details: the party printed with them issued the invoice. */
export const REGISTRY =
  /\b(?:ust[.-]?\s*-?id|ust-?idnr|steuer-?(?:nr|nummer)|steuernummer|handelsregister\w*|hrb|hra|amtsgericht|registergericht|gesch[äa]ftsf[üu]hr\w*|iban|bic|swift|bankverbindung|vat\s*(?:reg|no|number|id)|company\s*(?:no|number|reg)|registered\s+in|companies\s+house|siret|siren|rcs|tva\s+intra|n°\s*tva|kvk|kamer\s+van\s+koophandel|btw[\s-]*(?:nr|nummer|id)|cif|nif|partita\s+iva|p\.?\s?iva|rea|gstin|cin|pan\s*(?:no|:)|uid(?:-?nr)?|che-\d{3}|mwst-?nr|firmenbuch\w*|fn\s+\d+\s?[a-z])\b/iu;

/** A bank's name, printed in the payment block with the vendor's IBAN: the bank did not issue the invoice. */
export const BANK =
  /\b(?:\p{L}*bank|banque|banco|banca|sparkasse|volksbank|raiffeisen\w*|postbank|caisse|cr[ée]dit|rabobank|abn amro|ing|kbc|hsbc|barclays|lloyds|natwest|santander|unicredit|bnp)\b/iu;

/**
 * Company legal forms in the languages read: a name carrying one is a company's. At the end of the name, or
 * at its start as French names also print them ("SARL Dupont et Fils", "SAS Atelier Roux").
 */
export const LEGAL_FORM =
  /^(?:sarl|sas|sasu|eurl|snc|sci|selarl|scop)\s+(?=\p{L})|(?:^|[\s,])(?:inc|llc|ltd|limited|corp|corporation|co|company|gmbh|ag|kg|kgaa|ohg|ug|e\.\s?k|e\.\s?v|se|a\.\s?g|s\.?a|s\.?a\.?s|sasu|sarl|eurl|b\.?v|n\.?v|v\.?o\.?f|s\.?l|s\.?l\.?u|s\.?p\.?a|s\.?r\.?l|s\.?n\.?c|plc|llp|lp|pty|pvt|private limited)\.?(?:\s*&\s*co\.?(?:\s*(?:kg|ohg))?)?\.?$/iu;

/** A legal form and nothing else ("GmbH", "Ltd."): the rest of the name was cut off. */
export const LEGAL_FORM_ONLY =
  /^(?:&\s*co\.?\s*)?(?:inc|llc|ltd|limited|corp|co|gmbh|ag|kg|ohg|ug|se|sa|sas|sarl|bv|b\.v|nv|sl|spa|srl|plc|llp|pty)\.?(?:\s*&\s*co\.?(?:\s*kg)?)?$/iu;

/**
 * Never a company's name: a document title (alone or run into other words, "KOSTENRECHNUNG", "Retail
 * Invoices/Bill"), a stamp, a caption, a page number, a salutation, a currency line.
 */
export const NOT_A_NAME: RegExp[] = [
  /(?:rechnung|invoice|facture|factuur|factura|fattura|gutschrift|credit\s*note|creditnota|avoir|korrektur|quittung|receipt|bill)(?:s|en)?\b/iu,
  /^(?:kopie|copy|copie|duplikat|duplicate|duplicata|original|zweitschrift|paid|bezahlt|pay[ée]|betaald|pagado|pagato|draft|entwurf|storno|cancelled|void|muster|sample|specimen|proforma|pro forma)$/iu,
  // a copy's mark with whom it is for ("Original for Recipient", "DUPLICATE FOR TRANSPORTER", "Customer Copy")
  /^(?:(?:original|duplicate|triplicate)\s+(?:for|copy)\b.*|(?:customer|office|file|accounts?|buyer'?s?|seller'?s?)\s+copy)$/iu,
  // another document's title: a statement, a delivery note, a quotation, a reminder
  /^(?:statement(?:\s+of\s+account)?|packing\s+(?:slip|list)|delivery\s+(?:note|slip)|lieferschein|bon\s+de\s+livraison|pakbon|albar[áa]n|mahnung|zahlungserinnerung|angebot|quotation|quote|offerte|devis|order\s+confirmation|auftragsbest[äa]tigung)$/iu,
  // a section's heading, a credit line or the payment terms
  /^(?:bank(?:ing)?\s+details|payment\s+(?:details|information|terms)|terms(?:\s+(?:and|&)\s+conditions)?|(?:account\s+)?summary|customer\s+service|hotline|notes?|remarks|bemerkungen|zahlungsbedingungen|bankverbindung)$/iu,
  /^powered\s+by\b|^net\s+\d+$/iu,
  // a payment's stamp
  /^(?:payment\s+received|zahlung\s+erhalten|paiement\s+re[çc]u|betaling\s+ontvangen|pago\s+recibido|pagamento\s+ricevuto)$/iu,
  // a header box's label over its value (Tally and ERP prints: "Destination" over "Pune", "Dispatched through")
  /^(?:destination|dispatch(?:ed)?\s+(?:through|doc(?:ument)?\.?\s*no\.?)|mode\s*\/\s*terms\s+of\s+payment|terms\s+of\s+delivery|place\s+of\s+(?:supply|delivery)|vehicle\s+no\.?|e-?way\s+bill\s+no\.?|other\s+references?(?:\(s\))?|supplier'?s\s+ref(?:erence|\.)?|reverse\s+charge|transporter|carrier|ship(?:ping)?\s+(?:via|method)|incoterms?)$/iu,
  /\b(?:stylesheet|beispiel|example|sample|seite|page|pagina|p[áa]gina)\b.*\d|\(c\)|©|\bhttps?:|www\.|@/iu,
  /^(?:sehr geehrte|dear|geachte|beste|madame|monsieur|mesdames|estimad[oa]s?|gentile|egregio|hallo|hello|bonjour|guten tag)\b/iu,
  /^(?:seite|page|pagina|p[áa]gina|blatt)\b/iu,
  // a form of address alone, the line over the addressee's name ("Herrn", "Mrs.", "Mevrouw")
  /^(?:herrn?|frau|mr|mrs|ms|miss|messrs|mevrouw|mevr|heer|dhr|mw|sr|sra|srta|sig|sig\.ra|signor[ae]?|mme|mlle)\.?$/iu,
];

/** Stamps and captions printed alone whose words would otherwise pass as a name. */
export const CURRENCY_ONLY = /^(?:[A-Z]{3}|[€$£¥]|CHF|EUR|USD|GBP)$/u;

/**
 * How much each kind of evidence says "this party issued the invoice" (0..1, combined as independent
 * evidence: 1 − Π(1 − w)), as set by hand: a label's block outweighs a sender line, which outweighs a footer
 * with the company's registration, which outweighs a name being large at the top of the page. The reader
 * uses the weights fitted on data with these as the prior (`WEIGHTS`, vendor/fitted-weights.ts).
 */
export const PRIOR_WEIGHTS = {
  /** The name row or first name line under a seller heading ("Verkäufer" / "Name: Lieferant GmbH"). */
  sellerBlock: 0.85,
  /** A name labelled inline ("Supplier: Acme Ltd"), or read by the label table. */
  sellerLabel: 0.8,
  /** The first item of the one-line return address above a DIN 5008 window. */
  senderLine: 0.8,
  /** A company name in the block or footer row that carries a registration, tax id or bank details. */
  registry: 0.6,
  /** The same, without a legal form: a person's or a trade name. */
  registryPlain: 0.35,
  /** The largest or first name on the letterhead (the layout reading). */
  letterhead: 0.5,
  /** The letterhead reading when nothing made it stand out. */
  letterheadWeak: 0.3,
  /** The e-mail or web domain outside the customer's block spells a word of the name. */
  domain: 0.5,
} as const;

export type EvidenceKind = keyof typeof PRIOR_WEIGHTS;
export { WEIGHTS } from './fitted-weights.js';

/** Above this, a second name's evidence disputes the first's: the vendor is then a question for the clerk. */
export const RIVAL_SCORE = 0.45;
/** The confidence of a vendor name whose evidence is disputed. */
export const DISPUTED_CONFIDENCE = 0.7;
