// Labels by meaning rather than by exact wording: a short piece of text is classified by the words it is
// made of ("Date of Issue", "Uiterste betaaldatum", "Réf. facture", "19 % MwSt."), so label variants no
// table lists still find their field. The exact label table (labels.ts) is tried first; this is the net.
import type { LabelledField } from './labels.js';

/** Lower case, accents removed, punctuation to spaces (keeping "#" and "%"), single spaces. */
export function normaliseLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/n\s*\.?\s*[º°]/g, ' no ')
    .replace(/[º°]/g, ' no ')
    .replace(/[^a-z0-9#%&/ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Carried-forward rows of multi-page tables: neither a line item nor a total. */
export const CARRIED =
  /^(?:(?:sub ?total |total |zwischensumme |balance )?(?:carried|brought) forward|c ?\/ ?f|b ?\/ ?f|ubertrag(?: von seite \d+)?|(?:total )?a reporter|report(?: page precedente)?|transport|over te brengen|van vorige pagina|suma y sigue|suma anterior|continued(?: on next page)?)$/;

// Words for a payment made before the invoice (a deposit, an instalment): what it names is deducted from the total.
// "Abschläge" alone stays out: in German totals blocks it is as often the discounts ("Gesamtbetrag der Abschläge").
const PREPAID_WORDS = String.raw`(?:erhaltene[nr]? |geleistete[nr]? |bereits gezahlte[nr]? |received |paid )?(?:anzahlung(?:en)?|abschlagszahlung(?:en)?|vorauszahlung(?:en)?|teilzahlung(?:en)?|deposits?|prepayments?|prepaid|advance payments?|payments?(?: received| made| applied)?|paid|acomptes?|versements?|aanbetaling(?:en)?|vooruitbetaling(?:en)?|anticipos?|acconti|acconto)`;
const TOTAL_WORDS = String.raw`(?:total\w*|gesamt\w*|summe|totaal|montant|importe|totale)`;
/** "Summe der Anzahlungen", "Total prepaid", "Deposits total": a sum of prepayments, deducted from the total. */
export const PREPAID_SUM = new RegExp(
  String.raw`\b${TOTAL_WORDS} (?:(?:der|des|of|van|de|dei|del|aller) )?${PREPAID_WORDS}\b|\b${PREPAID_WORDS} ${TOTAL_WORDS}\b`,
);

/**
 * Labels that name what is left to pay rather than what the goods cost: "Zahlbetrag", "Amount due", "Balance
 * due", "Net à payer", "Te betalen", "Restbetrag". On an invoice without a prepayment the two are one amount;
 * after a deposit the label names the amount due (BT-115), and the total (BT-112) is the gross before it.
 */
const AMOUNT_DUE =
  /\b(?:amount (?:due|payable|to pay)|(?:total |net )?(?:amount )?(?:due|payable)(?: amount)?$|balance(?: due| to pay| payable)?$|outstanding(?: amount| balance)?|remaining balance|please pay|pay this amount|zahlbetrag|(?:noch )?zu zahlen(?:de[rn]?)?|restbetrag|offene[rn]? (?:betrag|saldo|posten)|falliger betrag|(?:net|total|reste|montant|solde) a payer|(?:montant|solde|restant) du|(?:nog )?te betalen(?! voor)|openstaand (?:saldo|bedrag)|(?:total|importe|saldo) a pagar|saldo pendiente|(?:totale|netto|importo) (?:da|a) pagare)\b/;

/** Whether a printed total label names the amount left to pay ("Zahlbetrag", "Balance due") rather than the gross total. */
export const namesAmountDue = (printed: string): boolean => AMOUNT_DUE.test(normaliseLabel(printed));

type Rule = [WordField | 'adjustmentSum', RegExp];
// Order matters: the first rule that fits wins ("Total VAT" is tax, "Balance due" a total, "Tax ID" an id).
const RULES: Rule[] = [
  ['carried', CARRIED],
  ['invoiceDate', /^(?:tax (?:date|point(?: date)?)|date of supply)$/],
  [
    'vendorTaxId',
    /^(?:(?:vat|tax|ust|tva|btw|iva|gst|umsatzsteuer|steuer|federal tax|sales tax)(?: ?(?:reg(?:istration)?|id(?:ent)?|identification))? ?(?:no|nr|number|nummer|numero|num|id|idnr|ident|#)\b|(?:ust|umsatzsteuer) ?id(?: ?nr)?|tva intra ?com(?:munautaire)?|n(?:o|um) ?tva(?: intra ?com(?:munautaire)?)?|(?:numero|n) de tva|btw ?(?:nr|nummer|id)|(?:n ?i ?f|c ?i ?f|nif ?\/ ?cif|f ?e ?i ?n|e ?i ?n|tin|rfc|siret|siren|abn|vat reg(?:istration)?|partita iva|p ?iva|codice fiscale|cod fiscale|mwst ?(?:nr|nummer|no)|uid(?: nr)?|che ?nr|(?:gst|hst|qst|pst) ?(?:reg(?:istration)?|#)|gstin(?: ?(?:no|number|uin))?)\b)/,
  ],
  // "Total inkl. MWST", "Totaal incl. BTW", "Total TVAC": a total that names the tax it includes
  [
    'total',
    /\b(?:total[e]?|totaal|gesamt\w*|\w*summe|brutto|importe)\b.*\b(?:incl|inkl|including|inclusive|inclusief|tvac|ttc|iva incluid[oa]|ivato)\b|\btvac\b/,
  ],
  // "Gesamtbetrag der Abschläge", "Total des remises": the sum of the discounts or charges, no total of the invoice
  [
    'adjustmentSum',
    /\b(?:gesamt\w*|summe|total|totaal|montant) (?:der|des|of|van|de) (?:abschlage|zuschlage|rabatte|nachlasse|discounts|allowances|charges|remises|frais|kortingen|toeslagen)\b/,
  ],
  // "Summe Anzahlungen", "Total deposits", "Total des acomptes": what was paid in advance, never the invoice's total
  ['adjustmentSum', PREPAID_SUM],
  [
    'subtotal',
    /\b(?:ohne (?:ust|mwst|umsatzsteuer|steuer)|sub ?-? ?total|subtotaal|zwischensumme|net amount|nett? total|total nett?|nett?o(?:betrag|summe| amount| bedrag)?|summe netto|gesamt netto|warenwert|before (?:tax|vat)|excl(?:uding)?|exkl|hors tax(?:e|es)?|ht|base imponible|importe neto|(?:goods|merchandise|product|parts|materials?) total|total bruto|sous ?total|htva|hors tva|imponibile|merchandise|totale merce)\b/,
  ],
  [
    'tax',
    /\b(?:tax|vat|gst|hst|pst|qst|tvq|mwst|ust|umsatzsteuer|mehrwertsteuer|tva|btw|iva|i v a|cuota|imposta|steuerbetrag|(?:mwst|ust|umsatz)steuerbetrag)\b|btw bedrag/,
  ],
  [
    'total',
    /\b(?:total|totale|totaal(?:bedrag)?|summe|gesamt(?:betrag|summe)?|endbetrag|rechnungsbetrag|gutschrifts?betrag|factuurbedrag|bruttobetrag|brutto(?:summe)?|rechnungssumme|zu zahlen|zahlbetrag|amount (?:due|payable)|balance(?: due| to pay)?|please pay|pay this amount|ttc|net a payer|a payer(?! avant)|te betalen(?! voor)|importe total|total a pagar|restbetrag|offener betrag|(?:montant|solde|restant) du|solde a payer|saldo (?:a pagar|pendiente)|openstaand (?:saldo|bedrag))\b/,
  ],
  [
    'dueDate',
    /\b(?:due|faellig|fallig(?:keit(?:sdatum|stag|stermin)?)?|zahlbar bis|echeance|(?:date )?limite de paiement|payer avant|verval(?:datum)?|uiterste betaaldatum|betaaldatum|te betalen voor|vencimiento|vto|pay by|payable by|payment date|scadenz[ae])\b/,
  ],
  [
    'otherDate',
    /\b(?:delivery|ship(?:ping|ped)?|order|booking|liefer|leistungs|bestell|livraison|commande|lever|entrega|pedido|service)\w* ?(?:date|datum|fecha|dt)\b|\b(?:lieferdatum|leverdatum|leistungsdatum|bestelldatum|orderdatum)\b|date de (?:livraison|commande)|fecha de (?:entrega|pedido)/,
  ],
  [
    'invoiceDate',
    /^(?:(?:invoice|inv|bill(?:ing)?|document|doc|tax|issue|credit note|rechnungs?|beleg|ausstellungs|gutschrift|factuur|facture?|factura|emission)? ?(?:date|datum|fecha|dt|data)(?: (?:of )?(?:invoice|issue|de (?:la )?facture?|d emission|de emision|factura|factuur|de la factura|fattura|documento|emissione|doc))?|(?:rechnungs|beleg|ausstellungs|gutschrifts?|factuur|document)datum|dated|issued(?: on)?|emise? le|ausgestellt am|invoiced)$/,
  ],
  [
    'invoiceNumber',
    /^(?:(?:invoice|inv|bill|document|doc|credit (?:note|memo)|rechnung|beleg|gutschrift|factuur|creditnota|facture?|factura|avoir|abono|nota de credito|factura rectificativa)s? ?(?:no|n|nr|number|num|#|id|ref|reference|nummer|numero)(?![a-z0-9])|(?:no|n|num|numero|nummer|nr) (?:de |d )?(?:facture|factura|factuur|avoir|abono|document)|(?:rechnungs|beleg|gutschrifts?|factuur|creditnota|dokument)(?:nummer|nr)|ref facture|fattura (?:n|nr|no|numero)|(?:numero|n|nr) (?:fattura|documento)|(?:serie y )?folio$|(?:re|rg|rech) ?nr|(?:number|nummer|numero|no|nr)$)/,
  ],
  // plurals too: a label over a list of PO numbers says so ("Purchase orders", "Bestellnummern", "Vos commandes", "Pedidos")
  [
    'poNumbers',
    /\b(?:purchase orders?|p ?o|your pos?|cust(?:omer)? pos?|orders?|bestell(?:ung(?:en)?|nummern?|nr)?|auftrag|commandes?|pedidos?|inkoop\w*|ordernummers?|order ?nr|bestel ?nr|uw orders?|bestelnummers?|(?:uw )?bestelling(?:en)?|your ref(?:erence)?s?|uw ref(?:erentie)?|votre ref(?:erence)?|su ref(?:erencia)?|ihr zeichen|ihre zeichen|(?:vs|vostro|rif(?: vs)?) ordine|ordine(?: cliente| d acquisto)?|n ordine|booking ?(?:id|#|no|nr|number|ref(?:erence)?))\b/,
  ],
  [
    'paymentTerms',
    /\b(?:terms|zahlungs(?:bedingung(?:en)?|ziel)|conditions de (?:paiement|reglement)|mode de reglement|reglement|betalings(?:voorwaarden|termijn|conditie)|condiciones de pago|forma de pago|plazo de pago|zahlungskonditionen|konditionen|pagamento|condizioni di pagamento|modalita di pagamento|termini di pagamento)\b/,
  ],
  ['currency', /^(?:currency|wahrung|devise|valuta|moneda|divisa)$/],
  [
    'billTo',
    /^(?:bill(?:ed)? to|sold to|invoice (?:to|address)|customer|client|kunde|rechnungs(?:adresse|empfanger)|empfanger|facture a|adresse de facturation|destinataire|factuuradres|klant|debiteur|cliente|facturar a|datos del cliente|destinatario|ship to|deliver to|lieferadresse|livre a|afleveradres|enviar a|spett ?le|spettabile|receptor)$/,
  ],
];

// Values that read like labels: payment terms ("Due on receipt"), not the label before them.
// Nor is an address ("P.O. Box 1190", "Postfach 12 34") or the vendor's own order number ("Sales Order
// SO-771408", "Unsere Auftragsnummer"): neither is the customer's purchase order.
const NOT_A_LABEL =
  /\b(?:on receipt|upon receipt|a reception|sofort|immediately|contado|net \d+|p ?o box|postbus|postfach|boite postale|apartado|sales orders?|our orders?|web ?(?:shop )?orders?|online orders?|webshop orders?|unser(?:e)? auftrag\w*|notre commande|onze orders?|nuestros? pedidos?)\b/;

// "Conditions / Voorwaarden": alone each word is too vague to be a label, in two languages it names the terms
const BILINGUAL_TERMS = /^(?:conditions|voorwaarden|condiciones|condizioni|bedingungen)$/;

export type WordField = LabelledField | 'carried' | 'otherDate';

/** The field a short label text names, by its words; null when it names none or is too long to be a label. */
export function classifyLabel(text: string): WordField | null {
  const label = normaliseLabel(
    text.replace(/(?:^|\s)\(?\d{1,2}(?:[.,]\d{1,2})?\s*%\)?/g, ' ').replace(/[@à]\s*$/u, ''),
  );
  if (!label || label.split(' ').length > 6 || label.length > 45 || /\d{3,}/.test(label) || NOT_A_LABEL.test(label))
    return null;
  // "Invoice date / tax point": two names for one field
  const parts = label.split(' / ');
  if (parts.length > 1) {
    // a part naming nothing is a word the line wrapped off ("Votre commande / Uw" over "bestelling")
    const named = parts.map(
      (part) => RULES.find(([, rule]) => rule.test(part))?.[0] ?? (BILINGUAL_TERMS.test(part) ? 'paymentTerms' : null),
    );
    const fields = new Set(named.filter((f) => f !== null));
    const unnamed = named.filter((f) => f === null).length;
    const only = fields.size === 1 ? [...fields][0]! : null;
    return only !== null &&
      only !== 'adjustmentSum' &&
      (unnamed === 0 ||
        (named[0] !== null && parts.filter((_, i) => named[i] === null).every((p) => /^[a-z]{1,4}$/.test(p))))
      ? only
      : null;
  }
  const field = RULES.find(([, rule]) => rule.test(label))?.[0] ?? null;
  if (field === 'adjustmentSum') return null;
  // "Auftrag-Nr-Lief", "Supplier order no.": the seller's own order number is not the customer's purchase order
  return field === 'poNumbers' && SELLERS_OWN.test(label) ? null : field;
}

const SELLERS_OWN =
  /\b(?:lief|lieferant(?:en)?|supplier|vendor|seller|verkaufer|fournisseur|vendeur|leverancier|proveedor|fornitore)\b/;
