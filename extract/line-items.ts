// Line items: finds the item table (a header row of column names) and reads its rows into LineItems,
// returning the table's lines too so the header-field reader skips them.
import type { LineItem } from '../domain/extraction.js';
import { labelOf } from './labels.js';
import { lineAmountCents, parseAmount, parseDecimal, toCents } from './normalize.js';
import type { PageText, TextLine, TextSegment } from './pdf-text.js';

const abs = (n: bigint) => (n < 0n ? -n : n);

type Column = keyof LineItem;
const COLUMN_WORDS: Array<[Column, RegExp]> = [
  // "Item" is a part number next to a "Description" column, and the description without one.
  ['partNumber', /^(?:part\s*(?:no\.?|#|number)|item(?:\s*(?:no\.?|#))?|sku|art(?:ikel)?[.-]?\s*nr\.?|artikelnummer|réf(?:érence)?\.?|código)$/i],
  ['description', /^(?:description|article|product|details|bezeichnung|beschreibung|artikel|leistung|désignation|omschrijving|descripción|concepto)$/i],
  ['quantity', /^(?:qty\.?|quantity|hours|hrs\.?|units|menge|anzahl|qté|quantité|aantal|cantidad|cant\.)$/i],
  ['unitPrice', /^(?:unit\s*price|price|rate|unit\s*cost|einzelpreis|e-?preis|preis|prix\s*unitaire|p\.u\.|stukprijs|prijs|precio(?:\s*unitario)?)$/i],
  ['amount', /^(?:amount|total|line\s*total|ext(?:ended|\.)?\s*(?:price|amount)|betrag|gesamt(?:preis)?|montant(?:\s*ht)?|bedrag|importe|total\s*ht)$/i],
];
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
      const header = line.segments.map((s) => ({ column: COLUMN_WORDS.find(([, re]) => re.test(s.text))?.[0], box: s.box, text: s.text }));
      const itemColumn = header.find((h) => /^item$/i.test(h.text));
      if (itemColumn && !header.some((h) => h.column === 'description')) itemColumn.column = 'description';
      const named = new Set(header.map((h) => h.column));
      if (header.length >= 3 && named.has('description') && named.has('amount') && named.size >= 3 + (named.has(undefined) ? 1 : 0)) {
        columns = header;
        tableLines.add(line);
        continue;
      }
      if (!columns) continue;
      if (line.segments.some((s) => ENDS_TABLE.has(labelOf(s.text)?.label.field ?? ''))) columns = null;
      else if (!addRow(line, columns, items, page.page)) columns = null;
      else tableLines.add(line);
    }
  }
  return { items, lines: tableLines };
}

/** A header cell; cells under a column we do not read ("Pos.", "Unit") have no column. */
type HeaderCell = { column: Column | undefined; box: TextSegment['box'] };

function addRow(line: TextLine, columns: HeaderCell[], items: LineItem[], page: number): boolean {
  const cells = new Map<Column, TextSegment>();
  for (const segment of line.segments) {
    const distance = (box: TextSegment['box']) =>
      Math.min(Math.abs(segment.box.x - box.x), Math.abs(segment.box.x + segment.box.width - (box.x + box.width)));
    const nearest = [...columns].sort((a, b) => distance(a.box) - distance(b.box))[0]!;
    if (nearest.column && !cells.has(nearest.column)) cells.set(nearest.column, segment);
  }
  const field = (segment: TextSegment | undefined, value: string | null | undefined, confidence: number) =>
    segment && value ? { value, confidence, provenance: { page, box: segment.box, source: 'text' as const }, notes: [] as string[] } : { value: null, confidence: 0, notes: [] as string[] };
  const [description, quantity, unitPrice, amount, part] = (['description', 'quantity', 'unitPrice', 'amount', 'partNumber'] as const).map((c) => cells.get(c));
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
