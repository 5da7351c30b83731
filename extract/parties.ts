// Who is who on the page: the customer's address block (under a "Bill To"-style label, or the unlabelled
// address window under a small sender line, as DIN 5008 letters print it), so the customer's name, tax id
// and e-mail are never taken for the vendor's; and the vendor's e-mail domain.
import type { Provenance } from '../domain/extraction.js';
import type { Picked } from './header.js';
import { labelOf } from './labels.js';
import { parseAmount, parseDate } from './normalize.js';
import type { PageText, TextSegment } from './pdf-text.js';

export interface Parties {
  billTo: Picked;
  /** Segments of the customer's address blocks (bill-to, ship-to): never the vendor's. */
  customer: Set<TextSegment>;
}

const BLOCK_LINES = 7;

/** The segments stacked under `top`, left-aligned with it, until a gap, a label or BLOCK_LINES lines. */
export function blockUnder(page: PageText, top: TextSegment): TextSegment[] {
  const block: TextSegment[] = [];
  let previous = top;
  for (const line of page.lines) {
    if (line.segments[0]!.box.y >= top.box.y - 1) continue;
    const gap = previous.box.y - line.segments[0]!.box.y;
    if (gap > 2.4 * Math.max(previous.fontSize, line.fontSize, 6)) {
      if (line.segments.some((s) => Math.abs(s.box.x - top.box.x) <= 4)) break;
      if (gap > 6 * previous.fontSize) break;
      continue;
    }
    const under = line.segments.find((s) => s !== top && Math.abs(s.box.x - top.box.x) <= 4);
    if (!under) continue;
    // the next labelled field ends the block, except a tax id: in an address block it is that party's
    const field = labelOf(under.text)?.label.field;
    if (field && field !== 'vendorTaxId' && block.length) break;
    block.push(under);
    previous = under;
    if (block.length >= BLOCK_LINES) break;
  }
  return block;
}

const looksLikeName = (text: string) =>
  /\p{L}{2}/u.test(text) && !parseDate(text) && !parseAmount(text) && !/@/.test(text) && !labelOf(text);

// a value this far right of its label still stands beside it; further on is another column
const BESIDE_PT = 120;

/** The name printed right of a party label on its line ("Customer      Contoso Ltd"), if any. */
function besideLabel(segments: TextSegment[], label: TextSegment): TextSegment | undefined {
  const next = segments[segments.indexOf(label) + 1];
  const gap = next ? next.box.x - (label.box.x + label.box.width) : Infinity;
  return next && gap <= BESIDE_PT && looksLikeName(next.text) ? next : undefined;
}

export function findParties(pages: PageText[]): Parties {
  const customer = new Set<TextSegment>();
  const found: Array<Picked & { order: number }> = [];
  for (const page of pages.slice(0, 1)) {
    const sizes = page.lines.flatMap((l) => l.segments.map((s) => s.fontSize)).sort((a, b) => a - b);
    const body = sizes[Math.floor(sizes.length / 2)] ?? 10;
    page.lines.forEach((line, index) => {
      for (const segment of line.segments) {
        const match = labelOf(segment.text);
        if (match?.label.field === 'billTo') {
          const block = blockUnder(page, segment);
          // "Customer      Contoso Ltd": a label with its value beside it, as a remittance slip prints it
          const beside = match.rest ? undefined : besideLabel(line.segments, segment);
          const name =
            match.rest && looksLikeName(match.rest)
              ? segment
              : (beside ?? block.find((s) => s !== segment && looksLikeName(s.text)));
          if (beside) customer.add(beside);
          else block.forEach((s) => customer.add(s));
          if (match.rest) customer.add(segment);
          if (!name) continue;
          const value = name === segment ? match.rest : name.text;
          const shipping = /ship|deliver|liefer|livr|aflever|enviar/i.test(match.printed);
          found.push({
            value,
            confidence: shipping ? 0.6 : 0.9,
            order: shipping ? 1000 + index : index,
            provenance: provenance(page, name),
            notes: [`First line under "${match.printed}".`],
          });
        } else if (
          segment.fontSize <= 0.8 * body &&
          segment.box.y > page.height * 0.45 &&
          /\S\s*[·•|]\s*\S|\S\s+[-–]\s+\S/.test(segment.text)
        ) {
          // a sender line over an address window: the block under it is the addressee
          const block = blockUnder(page, segment).filter((s) => s.fontSize > segment.fontSize);
          const name = block.find((s) => looksLikeName(s.text));
          if (!name || block.length < 2) continue;
          block.forEach((s) => customer.add(s));
          found.push({
            value: name.text,
            confidence: 0.85,
            order: 500 + index,
            provenance: provenance(page, name),
            notes: ['The address under the sender line (an address window).'],
          });
        }
      }
    });
  }
  const best = found.sort((a, b) => a.order - b.order)[0];
  const billTo: Picked = best
    ? { value: best.value, confidence: best.confidence, provenance: best.provenance, notes: best.notes }
    : { value: null, confidence: 0, notes: ['No bill-to block found.'] };
  return { billTo, customer };
}

const provenance = (page: PageText, segment: TextSegment): Provenance => ({
  page: page.page,
  box: segment.box,
  source: page.source ?? 'text',
});

const EMAIL = /[A-Z0-9._%+-]+@((?:[A-Z0-9-]+\.)+[A-Z]{2,})/gi;

/** The vendor's e-mail domain: the first address outside the customer's block. */
export function pickEmailDomain(pages: PageText[], customer: Set<TextSegment>): Picked {
  const domains: Array<{ domain: string; provenance: Provenance }> = [];
  for (const page of pages) {
    for (const segment of page.lines.flatMap((l) => l.segments)) {
      if (customer.has(segment)) continue;
      for (const m of segment.text.matchAll(EMAIL))
        domains.push({ domain: m[1]!.toLowerCase(), provenance: provenance(page, segment) });
    }
  }
  const first = domains[0];
  if (!first) return { value: null, confidence: 0, notes: ['No e-mail address outside the customer block.'] };
  const others = [...new Set(domains.map((d) => d.domain))].filter((d) => d !== first.domain);
  return {
    value: first.domain,
    confidence: others.length ? 0.6 : 0.9,
    provenance: first.provenance,
    notes: others.length
      ? [`Other e-mail domains on the invoice: ${others.join(', ')}.`]
      : ['The only e-mail domain outside the customer block.'],
  };
}
