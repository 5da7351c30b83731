// Line items: finds the item table (a header row of column names) and reads its rows into LineItems,
// returning the table's lines too so the header-field reader skips them.
import type { LineItem } from '../domain/extraction.js';
import { CARRIED, normaliseLabel } from './label-words.js';
import { labelOf } from './labels.js';
import { lineAmountCents, parseAmount, parseDecimal, toCents } from './normalize.js';
import type { PageText, TextLine, TextSegment } from './pdf-text.js';

const abs = (n: bigint) => (n < 0n ? -n : n);

type Column = keyof LineItem;
// Column heads by their words, most specific first ("Unit Price" before "Unit", "Item Description" before "Item").
const COLUMN_WORDS: Array<[Column | 'ignored', RegExp]> = [
  ['amount', /\b(?:ext(?:ended)?(?: price| amount| value)?|line total|total price|gesamtpreis|montant ht|total ht|regeltotaal|net amount|amount)\b/],
  ['unitPrice', /\b(?:unit ?(?:price|cost)|price|rate|cost|each|prix|p ?u|preis|einzelpreis|stuckpreis|e ?preis|prijs|stukprijs|precio|p unitario)\b/],
  ['amount', /\b(?:amount|total|ext(?:ended)?|net|value|betrag|gesamt(?:preis)?|summe|montant|bedrag|totaal|regeltotaal|importe|subtotal|line total)\b/],
  ['quantity', /\b(?:qty|quantity|qte|quantite|menge|anzahl|stuck|aantal|aant|cantidad|cant|uds|hours|hrs|pcs)\b/],
  ['partNumber', /item ?#|\b(?:part|item ?(?:no|number|code)|sku|material|product ?code|code|ref|reference|referencia|stock ?no|art ?nr|artikel ?(?:nr|nummer|code)|artikelnr|artikelnummer|artikelcode|codigo|catalog|cat ?no|mfr)\b/],
  ['description', /\b(?:description|descr|designation|libelle|bezeichnung|beschreibung|leistung|omschrijving|descripcion|concepto|articulo|product|goods|details|artikelbezeichnung|service)\b|^(?:artikel|article|item)$/],
  ['poLine', /\b(?:po ?line|po ?pos(?:ition)?|bestellpos(?:ition)?|ligne commande|order line)\b/],
  ['ignored', /^(?:pos|line|ln|#|no|nr|n|lin|regel|ligne|linea|u ?m|uom|unit|einheit|me|unite|u|eenheid|unidad|ud|vat|tax|mwst|tva|btw|iva|%)$/],
];

/** The column a header cell names, or null when it is no column head. */
export function columnOf(text: string): Column | 'ignored' | null {
  const words = normaliseLabel(text.replace(/\(?\b(?:USD|EUR|GBP|CHF|CAD|MXN|AUD|JPY|CNY|SEK|NOK|DKK|PLN|CZK)\b\)?/, '')).replace(/\//g, ' ');
  if (!words || words.length > 30) return null;
  return COLUMN_WORDS.find(([, re]) => re.test(words))?.[0] ?? null;
}
const ENDS_TABLE = new Set(['subtotal', 'tax', 'total']);

/**
 * A simple table reader: a header row naming at least a description and an amount column, then rows
 * until the subtotal. Cells go to the column whose left (text) or right (numbers) edge they line up with.
 */
export function readLineItems(pages: PageText[]): { items: LineItem[]; lines: Set<TextLine> } {
  const items: LineItem[] = [];
  const tableLines = new Set<TextLine>();
  for (const page of pages) {
    let columns: HeaderCell[] | null = null;
    for (const line of page.lines) {
      const header = headerRow(line);
      if (header) {
        columns = header;
        tableLines.add(line);
        continue;
      }
      if (!columns) continue;
      const fields = line.segments.map((s) => labelOf(s.text)?.label.field ?? '');
      if (fields.includes('carried') || line.segments.some((s) => CARRIED.test(normaliseLabel(s.text)))) tableLines.add(line); // "Carried forward 1,234.00" is no item
      else if (fields.some((f) => ENDS_TABLE.has(f))) columns = null;
      else if (!addRow(line, columns, items, page)) columns = null;
      else tableLines.add(line);
    }
  }
  return { items, lines: tableLines };
}

/** A header cell; cells under a column we do not read ("Pos.", "Unit") have no column. */
type HeaderCell = { column: Column | undefined; box: TextSegment['box'] };

/** A table's header row: at least three column heads, among them an amount and something describing the item. */
function headerRow(line: TextLine): HeaderCell[] | null {
  if (line.segments.length < 3) return null;
  const named = line.segments.map((s) => ({ segment: s, column: columnOf(s.text) }));
  if (named.some((n) => n.column === null && !/^[\s#]*$/.test(n.segment.text))) return null; // a row of values, not of heads
  // "Item" heads the description when no other column does, and the part number otherwise
  if (!named.some((n) => n.column === 'description')) {
    const part = named.find((n) => n.column === 'partNumber' && /^item$/i.test(n.segment.text.trim()));
    if (part) part.column = 'description';
  }
  const columns = new Set(named.map((n) => n.column));
  if (!columns.has('amount') || !columns.has('description') || columns.size < 3) return null;
  // two heads reading "Total" (the line total and a "Total" before it): the rightmost is the amount
  const amounts = named.filter((n) => n.column === 'amount');
  for (const extra of amounts.slice(0, -1)) if (!columns.has('unitPrice')) extra.column = 'unitPrice';
  return named.map((n) => ({ column: n.column === 'ignored' || n.column === null ? undefined : n.column, box: n.segment.box }));
}

function addRow(line: TextLine, columns: HeaderCell[], items: LineItem[], page: PageText): boolean {
  const cells = new Map<Column, TextSegment>();
  for (const segment of line.segments) {
    const distance = (box: TextSegment['box']) =>
      Math.min(Math.abs(segment.box.x - box.x), Math.abs(segment.box.x + segment.box.width - (box.x + box.width)));
    const nearest = [...columns].sort((a, b) => distance(a.box) - distance(b.box))[0]!;
    if (nearest.column && !cells.has(nearest.column)) cells.set(nearest.column, segment);
  }
  const field = (segment: TextSegment | undefined, value: string | null | undefined, confidence: number) =>
    segment && value ? { value, confidence, provenance: { page: page.page, box: segment.box, source: page.source ?? 'text' }, notes: [] as string[] } : { value: null, confidence: 0, notes: [] as string[] };
  const [description, quantity, unitPrice, amount, part, poLine] = (['description', 'quantity', 'unitPrice', 'amount', 'partNumber', 'poLine'] as const).map((c) => cells.get(c));
  const amountValue = amount && parseAmount(amount.text)?.value;
  const previous = items.at(-1);
  if (!amountValue) {
    // A line with only a description continues the previous row's description; anything else ends the table.
    if (!description || cells.size > 1 || !previous?.description.value) return false;
    previous.description.value += ` ${description.text}`;
    return true;
  }
  const item: LineItem = {
    description: field(description, description?.text, 0.9),
    quantity: field(quantity, quantity && parseDecimal(quantity.text), 0.9),
    unitPrice: field(unitPrice, unitPrice && parseAmount(unitPrice.text)?.value, 0.9),
    amount: field(amount, amountValue, 0.9),
    ...(part ? { partNumber: field(part, part.text, 0.9) } : {}),
    ...(poLine ? { poLine: field(poLine, poLine.text, 0.9) } : {}),
  };
  if (item.quantity.value && item.unitPrice.value) {
    const agrees = abs(lineAmountCents(item.quantity.value, item.unitPrice.value) - toCents(amountValue)) <= 1n;
    for (const f of [item.quantity, item.unitPrice, item.amount]) {
      f.confidence = agrees ? 0.97 : 0.6;
      f.notes.push(agrees ? 'Quantity × unit price = amount.' : 'Quantity × unit price does not give the amount.');
    }
  }
  items.push(item);
  return true;
}
