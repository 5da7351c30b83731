// Line items: finds the item table (a header row of column names) and reads its rows into LineItems,
// returning the table's lines too so the header-field reader skips them.
import type { LineItem } from '../domain/extraction.js';
import { CARRIED, normaliseLabel } from './label-words.js';
import { labelOf } from './labels.js';
import { lineAmountCents, parseAmount, parseDecimal, toCents } from './normalize.js';
import { subBox, type PageText, type TextLine, type TextSegment } from './pdf-text.js';
import { unionBox } from '../domain/extraction.js';
import { columnOf } from './column-words.js';

const abs = (n: bigint) => (n < 0n ? -n : n);

type Column = keyof LineItem;
const ENDS_TABLE = new Set(['subtotal', 'tax', 'total']);
// A position-number column ("Pos", "Nr", "#"): when a table has one, a row starts where a number stands in it.
const POSITION_HEAD = /^(?:pos|position|nr|no|#|n|lfd nr|ln|line|lin)$/;
// Lines of one header (stacked heads) or of one row follow each other at most this many font sizes apart.
const HEADER_GAP = 1.8;
const ROW_GAP = 2.0;

/** A column of the table: what it holds (undefined: a column we do not read) and where its head stands. */
type HeaderCell = { column: Column | undefined; box: TextSegment['box']; position?: boolean };
interface Table {
  columns: HeaderCell[];
  rows: number;
  carried: boolean;
}
interface Row {
  lines: TextLine[];
  page: PageText;
  /** The number columns (quantity, unit price, amount) the row's lines hold a value in so far. */
  values: Set<Column>;
  /** Whether a number stands in the position column on one of its lines. */
  numbered: boolean;
}

/**
 * A table reader: a header (one line of column heads, or heads stacked over two to four lines, "Positions-"
 * over "betrag") naming at least an item column and an amount column, then rows until the subtotal. A row
 * is one line, or several: a row starts where a number stands in the position column (when there is one)
 * or an amount in the amount column, and the lines below it up to the next row carry its wrapped
 * description (and, in some ERP layouts, its amount). Cells go to the column whose left (text) or right
 * (numbers) edge they line up with. A table still open at the end of a page continues on the next.
 */
export function readLineItems(pages: PageText[]): { items: LineItem[]; lines: Set<TextLine> } {
  const items: LineItem[] = [];
  const tableLines = new Set<TextLine>();
  let table: Table | null = null;
  const decimalComma = writesDecimalComma(pages);
  for (const page of pages) {
    let row: Row | null = null;
    const flush = () => {
      if (row && table && addRow(row, table.columns, items, decimalComma)) table.rows++;
      row = null;
    };
    if (table) table.carried = true;
    const lines = page.lines;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const header = headerBand(lines, i);
      if (header) {
        flush();
        table = { columns: header.columns, rows: 0, carried: false };
        for (let j = i; j <= header.last; j++) tableLines.add(lines[j]!);
        i = header.last;
        continue;
      }
      if (!table) continue;
      const fields = line.segments.map((s) => labelOf(s.text)?.label.field ?? '');
      if (fields.includes('carried') || line.segments.some((s) => CARRIED.test(normaliseLabel(s.text)))) {
        // "Carried forward 1,234.00" is no item
        tableLines.add(line);
        continue;
      }
      // a word of a wrapped description that reads like a totals label ("Wirkarbeit" over "HT") ends nothing:
      // a totals label ends the table when it stands outside the description column or with an amount
      const wrappedWord = (i: number) =>
        row !== null &&
        columnAt(line.segments[i]!, table!.columns).cell.column === 'description' &&
        !line.segments.some((s) => parseAmount(s.text) !== null);
      if (fields.some((f, i) => ENDS_TABLE.has(f) && !wrappedWord(i))) {
        flush();
        table = null;
        continue;
      }
      const starts = startsRow(line, table, row);
      if (starts) {
        flush();
        row = { lines: [line], page, values: starts.values, numbered: starts.numbered };
        tableLines.add(line);
        continue;
      }
      // text running from left of the item column across it (a heading, a note under the table) ends a table
      // that has rows, unless it is a wrapped description close under its row, right of the first column
      if (
        (table.rows > 0 || row) &&
        crossesItemColumn(line, table.columns) &&
        !continuesRow(line, row, table.columns)
      ) {
        flush();
        table = null;
        continue;
      }
      if (row) {
        const previous = row.lines.at(-1)!;
        if (previous.baseline - line.baseline <= ROW_GAP * Math.max(line.fontSize, previous.fontSize))
          tableLines.add(line);
        row.lines.push(line);
        for (const v of valuesOf(line, table.columns)) row.values.add(v);
        if (positionNumberOf(line, table)) row.numbered = true;
      }
    }
    flush();
  }
  return { items, lines: tableLines };
}

/** A header cell as words, each with its share of the cell's box: "Pos Art-Nr-Kunde Beschreibung" printed as one run of text. */
function headWords(segment: TextSegment): TextSegment[] {
  const whole = columnOf(segment.text);
  const words = [...segment.text.matchAll(/\S+/g)];
  if (words.length < 2) return [segment];
  // split only a run that names no column as a whole, starts with the position head ("Pos Art.Nr.", "Pos
  // Art-Nr-Kunde Beschreibung") or holds a tax rate head ("MwSt-% Nettowert"); "Product Code" and "Ext. Price" stay whole
  const own = words.map((w) => normaliseLabel(w[0]));
  const taxRate = own.some((w) => /%$/.test(w) && columnOf(w) === 'ignored');
  if (whole !== null && !/^pos(?:ition)?$/.test(own[0]!) && !taxRate) return [segment];
  return words.map((w) => ({
    text: w[0],
    box: subBox(segment, w.index, w.index + w[0].length),
    fontSize: segment.fontSize,
  }));
}

/** Text that can be (part of) a column head: words, no digits or amounts. */
const headLike = (segment: TextSegment) =>
  columnOf(segment.text) !== null || /^[\p{L}().\-/%#\s]{1,30}$/u.test(segment.text.trim());

/**
 * The table header starting at `lines[index]`: that line and the lines close below it made only of head
 * words, their heads stacked over each other joined into one per column ("Preis/" over "Einheit").
 */
function headerBand(lines: TextLine[], index: number): { columns: HeaderCell[]; last: number } | null {
  const first = lines[index]!;
  if (!first.segments.every(headLike)) return null;
  let last = index;
  while (last + 1 < lines.length && last - index < 4) {
    const next = lines[last + 1]!;
    if (
      lines[last]!.baseline - next.baseline > HEADER_GAP * Math.min(next.fontSize, lines[last]!.fontSize) ||
      !next.segments.every(headLike)
    )
      break;
    last++;
  }
  // the longest band that makes a header, else a shorter one (a stacked title line is no head)
  for (let end = last; end >= index; end--) {
    const columns = headerOf(lines.slice(index, end + 1));
    if (columns) return { columns, last: end };
  }
  return null;
}

function headerOf(band: TextLine[]): HeaderCell[] | null {
  const groups: Array<{ pieces: TextSegment[]; left: number; right: number }> = [];
  for (const line of band) {
    for (const piece of line.segments.flatMap(headWords)) {
      const [left, right] = [piece.box.x, piece.box.x + piece.box.width];
      const group = groups.find(
        (g) => Math.min(right, g.right) - Math.max(left, g.left) >= 0.3 * Math.min(right - left, g.right - g.left),
      );
      if (group) {
        group.pieces.push(piece);
        [group.left, group.right] = [Math.min(group.left, left), Math.max(group.right, right)];
      } else groups.push({ pieces: [piece], left, right });
    }
  }
  if (groups.length < 3) return null;
  groups.sort((a, b) => a.left - b.left);
  const named = groups.map((g) => {
    const text = g.pieces
      .map((p) => p.text.trim())
      .reduce((joined, part) =>
        /\p{L}-$/u.test(joined) && /^\p{Ll}/u.test(part) ? joined.slice(0, -1) + part : `${joined} ${part}`,
      );
    let column = columnOf(text);
    if (g.pieces.length > 1) {
      // stacked heads naming different columns ("Art-Nr-Lieferant" over "Artikelbezeichnung"): the item's description wins
      const own = g.pieces.map((p) => columnOf(p.text));
      if (own.includes('description')) column = 'description';
      else if (column === null || column === 'ignored')
        column = own.find((c) => c !== null && c !== 'ignored') ?? column;
    }
    const box = unionBox(g.pieces.map((p) => p.box));
    return { text, column, box };
  });
  if (named.some((n) => n.column === null && !/^[\s#]*$/.test(n.text)) && band.length === 1) return null; // a row of values, not of heads
  if (named.filter((n) => n.column !== null).length < Math.max(3, named.length - 2)) return null;
  // "Item" and "Activity" (a product or service's name) head the description when no other column does, and the
  // part number otherwise
  if (!named.some((n) => n.column === 'description')) {
    const part = named.find((n) => n.column === 'partNumber' && /^(?:item|activity)$/i.test(n.text.trim()));
    if (part) part.column = 'description';
  }
  const columns = new Set(named.map((n) => n.column));
  if (!columns.has('amount') || !columns.has('description') || columns.size < 3) return null;
  // two heads reading "Total" (the line total and a "Total" before it): the rightmost is the amount
  const amounts = named.filter((n) => n.column === 'amount');
  for (const extra of amounts.slice(0, -1)) if (!columns.has('unitPrice')) extra.column = 'unitPrice';
  return named.map((n) => ({
    column: n.column === 'ignored' || n.column === null ? undefined : n.column,
    box: n.box,
    ...(n.column === 'ignored' && POSITION_HEAD.test(normaliseLabel(n.text)) ? { position: true } : {}),
  }));
}

/** The column a cell belongs to: the head whose left (text) or right (numbers) edge it lines up with, and how far off it is. */
function columnAt(segment: TextSegment, columns: HeaderCell[]): { cell: HeaderCell; distance: number } {
  const distance = (box: TextSegment['box']) =>
    Math.min(Math.abs(segment.box.x - box.x), Math.abs(segment.box.x + segment.box.width - (box.x + box.width)));
  return columns.map((cell) => ({ cell, distance: distance(cell.box) })).sort((a, b) => a.distance - b.distance)[0]!;
}

/** Whether a number stands in the position column, left of the next column ("1 TB100A4": position and article number run together). */
function positionNumberOf(line: TextLine, table: Table): boolean {
  const position = table.columns.find((c) => c.position);
  if (!position) return false;
  const first = line.segments[0]!;
  const next = table.columns.find((c) => c.box.x > position.box.x + position.box.width / 2);
  return (
    /^\d{1,4}(?:\s|$)/.test(first.text) &&
    first.box.x >= position.box.x - first.fontSize &&
    (!next || first.box.x < next.box.x - 1)
  );
}

const NUMBER_COLUMNS: Column[] = ['quantity', 'unitPrice', 'amount'];

/** The number columns (quantity, unit price, amount) in which the line holds a value. */
function valuesOf(line: TextLine, columns: HeaderCell[]): Set<Column> {
  const found = new Set<Column>();
  for (const segment of line.segments) {
    const column = columnAt(segment, columns).cell.column;
    if (!column || !NUMBER_COLUMNS.includes(column)) continue;
    if (column === 'quantity' ? quantityOf(segment.text, false) !== null : parseAmount(segment.text) !== null)
      found.add(column);
  }
  return found;
}

/**
 * Whether a line starts a row, and what it holds. A row starts where a number stands in the position column
 * (when the table has one) or an amount in the amount column (when it has none); and where a line holds a
 * number in a column (quantity, unit price, amount, position) that the open row already has. So a row whose
 * position number is printed on a later line, beside its notes (the number centred on a tall row), or lost
 * by OCR, starts at its values, and the position number below joins it.
 */
function startsRow(line: TextLine, table: Table, row: Row | null): { values: Set<Column>; numbered: boolean } | null {
  const values = valuesOf(line, table.columns);
  const numbered = positionNumberOf(line, table);
  const hasPosition = table.columns.some((c) => c.position);
  if (!row) {
    if (numbered || (hasPosition ? values.size > 0 && describes(line, table.columns) : values.has('amount')))
      return { values, numbered };
    return null;
  }
  const repeats = [...values].some((v) => row.values.has(v));
  if (hasPosition) {
    // a position number starts a row unless it comes below the values of a row that has none yet (and brings no values of its own)
    if (numbered && (row.numbered || repeats || !row.values.size)) return { values, numbered };
    // a line of values without a position number is a row of its own only when it names an item (a discount
    // line "abzgl. 16,7% Rabatt -2,00" under a row belongs to that row)
    if (!numbered && repeats && describes(line, table.columns)) return { values, numbered };
    return null;
  }
  return values.has('amount') ? { values, numbered } : null;
}

/** Whether the line has words in the description column. */
const describes = (line: TextLine, columns: HeaderCell[]) =>
  line.segments.some((s) => /\p{L}/u.test(s.text) && columnAt(s, columns).cell.column === 'description');

/** A line close under the open row's last line, starting right of the table's first column: the row's wrapped text. */
function continuesRow(line: TextLine, row: Row | null, columns: HeaderCell[]): boolean {
  if (!row) return false;
  const previous = row.lines.at(-1)!;
  const first = [...columns].sort((a, b) => a.box.x - b.box.x)[0]!;
  return (
    previous.baseline - line.baseline <= ROW_GAP * Math.max(line.fontSize, previous.fontSize) &&
    line.segments[0]!.box.x > first.box.x + first.box.width
  );
}

/** Text starting left of the item (description) column and running into it: no cell of a row. */
function crossesItemColumn(line: TextLine, columns: HeaderCell[]): boolean {
  const item = columns.find((c) => c.column === 'description');
  if (!item) return false;
  return line.segments.some((s) => s.box.x < item.box.x - 2 && s.box.x + s.box.width > item.box.x + 2);
}

// A wrapped description ends at an attribute line under it ("Bruttopreis : 9,90", "Verpackung: Karton").
const ATTRIBUTE = /^[\p{L}][\p{L}\s.\-/]*\s?:/u;

/** The row's item: its first reading of each number, its description joined over the row's close lines. */
function addRow(row: Row, columns: HeaderCell[], items: LineItem[], decimalComma: boolean): boolean {
  const { page } = row;
  const close: TextLine[] = [row.lines[0]!];
  for (const line of row.lines.slice(1)) {
    const previous = close.at(-1)!;
    if (previous.baseline - line.baseline > ROW_GAP * Math.max(line.fontSize, previous.fontSize)) break;
    close.push(line);
  }
  // each column takes one cell a line: of the cells nearest to it, the one that lines up best
  const cells = new Map<Column, TextSegment[]>();
  // attribute labels whose colon stands apart in the next cell ("Bruttopreis" | ": 5,5000", as OCR splits them)
  const attributes = new Set<TextSegment>();
  for (const line of close) {
    const best = new Map<Column, { segment: TextSegment; distance: number }>();
    const segments = line.segments.flatMap((s) => splitAtDescription(s, columns));
    segments.forEach((segment, i) => {
      if (
        ATTRIBUTE.test(segment.text) ||
        (/^\s*:/.test(segments[i + 1]?.text ?? '') && ATTRIBUTE.test(`${segment.text}${segments[i + 1]!.text}`))
      )
        attributes.add(segment);
    });
    for (const segment of segments) {
      const { cell, distance } = columnAt(segment, columns);
      if (cell.column && distance < (best.get(cell.column)?.distance ?? Infinity))
        best.set(cell.column, { segment, distance });
    }
    for (const [column, { segment }] of best) cells.set(column, [...(cells.get(column) ?? []), segment]);
  }
  const field = (segment: TextSegment | undefined, value: string | null | undefined, confidence: number) =>
    segment && value
      ? {
          value,
          confidence,
          provenance: { page: page.page, box: segment.box, source: page.source ?? 'text' },
          notes: [] as string[],
        }
      : { value: null, confidence: 0, notes: [] as string[] };
  const first = <T>(column: Column, read: (text: string) => T | null | undefined) => {
    for (const segment of cells.get(column) ?? []) {
      const value = read(segment.text);
      if (value) return { segment, value };
    }
    return null;
  };
  const amount = first('amount', (t) => parseAmount(t)?.value);
  const quantity = first('quantity', (t) => quantityOf(t, decimalComma));
  const unitPrice = first('unitPrice', (t) => parseAmount(t)?.value);
  const descriptionCells: TextSegment[] = [];
  for (const segment of cells.get('description') ?? []) {
    if (descriptionCells.length && attributes.has(segment)) break;
    descriptionCells.push(segment);
  }
  const description = descriptionCells.length
    ? {
        segment: { ...descriptionCells[0]!, box: unionBox(descriptionCells.map((s) => s.box)) },
        value: descriptionCells.map((s) => s.text).join(' '),
      }
    : null;
  const [part, poLine] = [cells.get('partNumber')?.[0], cells.get('poLine')?.[0]];
  if (!amount) return false; // a row without an amount (a heading inside the table) is no item
  const item: LineItem = {
    description: field(description?.segment, description?.value, 0.9),
    quantity: field(quantity?.segment, quantity?.value, 0.9),
    unitPrice: field(unitPrice?.segment, unitPrice?.value, 0.9),
    amount: field(amount.segment, amount.value, 0.9),
    ...(part ? { partNumber: field(part, part.text, 0.9) } : {}),
    ...(poLine ? { poLine: field(poLine, poLine.text, 0.9) } : {}),
  };
  if (item.quantity.value && item.unitPrice.value) {
    const agrees = abs(lineAmountCents(item.quantity.value, item.unitPrice.value) - toCents(amount.value)) <= 1n;
    for (const f of [item.quantity, item.unitPrice, item.amount]) {
      f.confidence = agrees ? 0.97 : 0.6;
      f.notes.push(agrees ? 'Quantity × unit price = amount.' : 'Quantity × unit price does not give the amount.');
    }
  }
  items.push(item);
  return true;
}

/**
 * A cell of another column run together with the description's text into one run ("4012345001235 breit":
 * the article number, then the description's wrapped last word): when the run starts where another column's
 * cells start, split where the first word lining up with the description column starts. Words before the description stay one cell; the description is not split further.
 */
function splitAtDescription(segment: TextSegment, columns: HeaderCell[]): TextSegment[] {
  const words = [...segment.text.matchAll(/\S+/g)];
  if (words.length < 2) return [segment];
  const piece = (from: number, to: number) => ({
    ...segment,
    text: segment.text.slice(from, to).trim(),
    box: subBox(segment, from, to),
  });
  // the run starts where another column's cells start (by left edge: "2 Nächte" wrapped under its description is no cell of its own)
  const byLeft = [...columns].sort((a, b) => Math.abs(a.box.x - segment.box.x) - Math.abs(b.box.x - segment.box.x))[0]!;
  if (byLeft.column === 'description') return [segment];
  const at = words.findIndex(
    (w, i) =>
      i > 0 &&
      /\p{L}/u.test(segment.text.slice(w.index)) &&
      columnAt(piece(w.index, w.index + w[0].length), columns).cell.column === 'description',
  );
  if (at < 0) return [segment];
  const cut = words[at]!.index;
  return [piece(0, cut), piece(cut, segment.text.length)];
}

// An amount as a document prints it: digits, thousands groups, a decimal mark and two decimals ("1.234,56",
// "12,00", "1,234.56"); a date ("05.03.2018") is none.
const PRINTED_AMOUNT = /(?<![\d.,])\d{1,3}(?:([.,])\d{3})*([.,])\d{2}(?![\d.,])/g;

/** Whether the document writes its amounts with a decimal comma ("198,00", "1.234,56"): most of them do. */
function writesDecimalComma(pages: PageText[]): boolean {
  let [comma, point] = [0, 0];
  for (const page of pages) {
    for (const line of page.lines) {
      for (const m of line.text.matchAll(PRINTED_AMOUNT)) {
        if (m[1] === m[2]) continue; // "1.234.56": no amount
        if (m[2] === ',') comma++;
        else point++;
      }
    }
  }
  return comma > point;
}

/**
 * A quantity, with or without its unit: "20", "20 Stk", "27,5000 Std.", "3 m²". In a document that writes a
 * decimal comma, "5,000" (one comma, three decimals) is five: its thousands are grouped with a point.
 */
function quantityOf(text: string, decimalComma: boolean): string | null {
  const match = /^([-+]?[\d.,'\s]*\d)\s*(?:\p{L}[\p{L}.²³/()]{0,11})?$/u.exec(text.trim());
  const number = match?.[1]!.trim();
  if (decimalComma && number && /^[-+]?\d{1,3},\d{3}$/.test(number)) return number.replace(',', '.');
  return parseDecimal(text) ?? (number ? parseDecimal(number) : null);
}
