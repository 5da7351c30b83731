// Values wrapped inside a narrow cell: "TVH-" over "118204", "14" / "November" / "2025", or a two-line value
// with its label centred between the lines (CSS grid and flex rows align labels that way). The lines of
// one cell share a left edge, follow each other closely, and have no label of their own in the label's column.
import { labelOf } from './labels.js';
import type { PageText, TextLine, TextSegment } from './pdf-text.js';
import { unionBox } from '../domain/extraction.js';

export interface Cell {
  /** The cell's lines joined ("TVH-118204", "14 November 2025"), as one segment with their joint box. */
  segment: TextSegment;
  /** Whether the cell's first line is the label's own line (top-aligned) rather than above it (centred). */
  topAligned: boolean;
}

const MAX_GAP_PT = 250;

/** The cell right of `label` when it spans two or more lines; null when the value is on one line (or absent). */
export function wrappedCellBeside(page: PageText, lineIndex: number, label: TextSegment): Cell | null {
  const lines = page.lines;
  const own = lines[lineIndex]!;
  const size = label.fontSize;
  const right = label.box.x + label.box.width;
  // a line belongs to another field when something stands in the label's column
  const labelColumnFree = (line: TextLine) =>
    line === own || !line.segments.some((s) => s.box.x < right && s.box.x + s.box.width > label.box.x - 5);
  const valueAt = (line: TextLine, x: number) =>
    line.segments.find((s) => Math.abs(s.box.x - x) <= 3 && !labelOf(s.text));
  let anchorIndex = -1;
  let anchor: TextSegment | undefined;
  for (let i = Math.max(0, lineIndex - 2); i <= Math.min(lines.length - 1, lineIndex + 2); i++) {
    const line = lines[i]!;
    if (Math.abs(line.baseline - own.baseline) > 1.3 * size || !labelColumnFree(line)) continue;
    const candidate = line.segments.find((s) => s.box.x >= right - 1 && s.box.x - right <= MAX_GAP_PT);
    if (!candidate || labelOf(candidate.text)) continue;
    // the nearest line to the label wins; on the label's own line, the first segment right of it
    if (!anchor || Math.abs(line.baseline - own.baseline) < Math.abs(lines[anchorIndex]!.baseline - own.baseline))
      [anchor, anchorIndex] = [candidate, i];
  }
  if (!anchor) return null;
  const x = anchor.box.x;
  const cell: Array<{ index: number; segment: TextSegment }> = [{ index: anchorIndex, segment: anchor }];
  for (const step of [-1, 1]) {
    let previous = anchor;
    for (let i = anchorIndex + step; i >= 0 && i < lines.length; i += step) {
      const line = lines[i]!;
      if (!labelColumnFree(line)) break;
      const next = valueAt(line, x);
      // a centred label's own line runs between the cell's lines
      if (!next && line === own) continue;
      if (!next || Math.abs(previous.box.y - next.box.y) > 1.6 * size) break;
      if (step < 0) cell.unshift({ index: i, segment: next });
      else cell.push({ index: i, segment: next });
      previous = next;
    }
  }
  if (cell.length < 2) return null;
  const top = lines[cell[0]!.index]!.baseline;
  const bottom = lines[cell.at(-1)!.index]!.baseline;
  // the cell must sit beside the label: start at or above its line and reach down to it
  if (top < own.baseline - 0.5 * size || bottom > own.baseline + 0.5 * size) return null;
  const text = cell
    .map((c) => c.segment.text)
    .reduce((joined, part) => (/[-/]$/.test(joined) ? joined + part : `${joined} ${part}`));
  const boxes = cell.map((c) => c.segment.box);
  return {
    segment: { text, box: unionBox(boxes), fontSize: anchor.fontSize },
    topAligned: cell[0]!.index === lineIndex,
  };
}

/** "FACTURE N° F2025-11-" continued by "0457" on the next line, at the segment's left edge. */
export function continuedBelow(page: PageText, lineIndex: number, segment: TextSegment): TextSegment | null {
  const next = page.lines[lineIndex + 1];
  const below = next?.segments.find(
    (s) => Math.abs(s.box.x - segment.box.x) <= 3 && /^[A-Z0-9]/i.test(s.text) && !/\s/.test(s.text),
  );
  return below && segment.box.y - below.box.y <= 1.6 * segment.fontSize ? below : null;
}
