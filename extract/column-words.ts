// The words a line-item table's column heads are known by, as data, and the column a head names: the table
// reader (line-items.ts) reads a head by them, the vendor reader knows a head is no name (vendor/names.ts), and
// the text layer's split glyph runs are joined by them (split-runs.ts).
import type { LineItem } from '../domain/extraction.js';
import { normaliseLabel } from './label-words.js';

type Column = keyof LineItem;
// Column heads by their words, most specific first ("Unit Price" before "Unit", "Item Description" before "Item").
export const COLUMN_WORDS: Array<[Column | 'ignored', RegExp]> = [
  [
    'amount',
    /\b(?:ext(?:ended)?(?: price| amount| value)?|line total|total price|gesamtpreis|montant ht|total ht|regeltotaal|net amount|amount|(?:netto|positions|gesamt)(?: ?betrag| ?wert)|entgelt)\b/,
  ],
  [
    'unitPrice',
    /\b(?:unit ?(?:price|cost)|price|rate|cost|each|prix|p ?u|preis|(?:einzel|stuck|netto|vk|listen) ?preis|e ?preis|ep|prijs|stukprijs|tarief|tarif|tarifa|tariffa|stundensatz|precio|p unitario)\b/,
  ],
  [
    'amount',
    /\b(?:amount|total|ext(?:ended)?|net|value|betrag|gesamt(?:preis)?|gp|summe|montant|bedrag|totaal|regeltotaal|importe|subtotal|line total)\b/,
  ],
  [
    'quantity',
    /\b(?:qty|quantity|qte|quantite|menge|anzahl|stuck|aantal|aant|cantidad|cant|uds|hours|hrs|pcs|uren|stunden|std|heures|horas|ore)\b/,
  ],
  [
    'partNumber',
    /item ?#|^activity$|\b(?:gtin|ean|part|item ?(?:no|number|code)|sku|material|product ?code|code|ref|reference|referencia|stock ?no|art ?nr|artikel ?(?:nr|nummer|code)|artikelnr|artikelnummer|artikelcode|codigo|catalog|cat ?no|mfr)\b/,
  ],
  [
    'description',
    /(?:bezeichnung|beschreibung)\b|\b(?:description|descr|designation|libelle|leistung|omschrijving|descripcion|concepto|articulo|product|goods|details|artikelbezeichnung|service)\b|^(?:artikel|article|item)$/,
  ],
  ['poLine', /\b(?:po ?line|po ?pos(?:ition)?|bestellpos(?:ition)?|ligne commande|order line)\b/],
  [
    'ignored',
    /^(?:pos|line|ln|#|no|nr|n|s ?no|sl ?no|sr ?no|hsn(?: ?sac)?|sac|per|lin|regel|ligne|linea|u ?m|uom|unit|einheit|me|unite|u|eenheid|unidad|ud|vat|tax|mwst|tva|btw|iva|%|(?:ust|mwst|steuer|steuersatz|ust satz|mwst satz|tva|vat)(?: %)?|meng(?:en)? ?einheit|vke(?: geb)?|geb)$/,
  ],
];

/** The column a header cell names, or null when it is no column head. */
export function columnOf(text: string): Column | 'ignored' | null {
  const words = normaliseLabel(
    text.replace(/\(?\b(?:USD|EUR|GBP|CHF|CAD|MXN|AUD|JPY|CNY|SEK|NOK|DKK|PLN|CZK)\b\)?/, ''),
  ).replace(/\//g, ' ');
  if (!words || words.length > 30) return null;
  return COLUMN_WORDS.find(([, re]) => re.test(words))?.[0] ?? null;
}
