// Evidence of who issued the invoice, read from where parties show themselves on a page: the block under a
// seller heading, the one-line return address over an address window, the block or footer row carrying a
// company's registration, tax id or bank details, and the e-mail and web domains. The blocks under buyer
// headings (and the address window) are gathered too: their names are the customer's, never the vendor's.
import type { Provenance } from '../../domain/extraction.js';
import { subBox, type PageText, type TextSegment } from '../pdf-text.js';
import { domainWords, isName, nameKey, unspaced } from './names.js';
import {
  BANK,
  BUYER_ROLE,
  LEGAL_FORM,
  NAME_ROW,
  PAYEE_SENTENCES,
  PAYMENT_SLIP,
  LETTER_CLOSE,
  SIGNATORY,
  SIGNED_FOR,
  REGISTRY,
  REMIT_ROLE,
  SELLER_ROLE,
  type EvidenceKind,
} from './words.js';

export interface Evidence {
  kind: EvidenceKind;
  name: string;
  provenance: Provenance;
  why: string;
  /** A block's name without a legal form, over a line that is a name with one it was not joined to: the name may go on there. */
  continuedBy?: string;
}

export interface PartyEvidence {
  vendor: Evidence[];
  /** Name keys of the customer's blocks. */
  customerNames: Set<string>;
  /** Segments of the customer's blocks. */
  customer: Set<TextSegment>;
  /** E-mail and web domains printed outside the customer's blocks. */
  domains: Array<{ domain: string; provenance: Provenance }>;
  /** Names at the top of page 1, outside the customer's blocks, that one of those domains spells. */
  spelled: Evidence[];
}

const MAX_BLOCK_LINES = 10;
const provenance = (page: PageText, segment: TextSegment): Provenance => ({
  page: page.page,
  box: segment.box,
  source: page.source ?? 'text',
});
// the cells of a footer line printed as one run ("Industriebedarf Hoffmann KG · Sitz Duisburg · …"), also a return address's
const CELL_SEPARATOR = /\s+[·•|–-]\s+/u;
// a footer line's first item is the name
const clean = (text: string) =>
  unspaced(text)
    .split(/\s+[·•|]\s+|\s*[·•|]\s*$/u)[0]!
    .replace(/[\s,;]+$/, '');

/** The lines of the block under a heading: its column (up to the next heading on the heading's line), until a gap or another party's heading. */
function blockUnder(page: PageText, index: number, head: TextSegment): TextSegment[][] {
  const line = page.lines[index]!;
  const next = line.segments.find((s) => s.box.x > head.box.x + head.box.width);
  const [left, right] = [head.box.x - 6, next ? next.box.x - 2 : head.box.x + 0.45 * page.width];
  const rows: TextSegment[][] = [];
  let previous = head;
  // How far the next line may be. A heading often stands apart from its block (3.6 lines); after it, a line
  // may be as far as 2.6 lines, as the heading's first line was, or 1.5 times the block's own pitch once two
  // of its lines are read (never more than 5 lines): a form set with loose lines keeps its block.
  let loose = 0;
  for (const below of page.lines.slice(index + 1)) {
    const row = below.segments.filter((s) => s.box.x >= left && s.box.x < right);
    const size = Math.max(previous.fontSize, row[0]?.fontSize ?? 0, 8);
    const reach = Math.max((previous === head ? 3.6 : 2.6) * size, loose);
    if (!row.length) {
      if (previous.box.y - below.baseline > Math.max(reach, previous === head ? 0 : 3 * size)) break;
      continue;
    }
    const gap = previous.box.y - row[0]!.box.y;
    if (gap > reach) break;
    if (isRoleHeading(row[0]!.text)) break;
    loose = Math.min(5 * size, Math.max(loose, rows.length === 0 ? gap : 1.5 * gap)); // never a page away
    rows.push(row);
    previous = row[0]!;
    if (rows.length >= MAX_BLOCK_LINES) break;
  }
  return rows;
}

/** "Art-Nr-" over "Lieferant": the end of a word wrapped in a table cell, not a heading. */
function wrappedWord(page: PageText, index: number, segment: TextSegment): boolean {
  const above = page.lines.slice(Math.max(0, index - 2), index).flatMap((l) => l.segments);
  return above.some(
    (s) =>
      Math.abs(s.box.x - segment.box.x) <= 2 && /-$/.test(s.text) && s.box.y - segment.box.y <= 1.6 * segment.fontSize,
  );
}

/** The roles a heading may name, in the order they are tried: the seller's block, the address payments go to, the customer's block. */
const ROLES = [
  ['seller', SELLER_ROLE],
  ['remit', REMIT_ROLE],
  ['buyer', BUYER_ROLE],
] as const;
const roleOf = (text: string) => {
  const heading = clean(text);
  return ROLES.find(([, role]) => role.test(heading))?.[0] ?? null;
};
const isRoleHeading = (text: string) => roleOf(text) !== null;

/**
 * "To:" on a payment advice (the slip a customer returns with the payment, "PAYMENT ADVICE" / "Remittance
 * slip" over it) heads the payee, the vendor or whoever collects for it; anywhere else it heads the customer.
 */
function slipRole(page: PageText, index: number, role: ReturnType<typeof roleOf>, heading: string) {
  if (role !== 'buyer' || !BARE_TO.test(clean(heading))) return role;
  const above = page.lines.slice(Math.max(0, index - SLIP_HEADING_LINES), index);
  return above.some((line) => line.segments.some((s) => PAYMENT_SLIP.test(s.text.trim()))) ? 'remit' : role;
}
const BARE_TO = /^to\s*:?$/iu;
const HEADING_COLON = /\p{L}\s*:\s*$/u;
// a heading that ends in "by" or "to" reads on into the name without a colon: "Sold by Acme Ltd", "Verkauft von …"
const BY_HEADING =
  /^((?:sold|issued)\s+by|verkauft\s+von|vendu\s+par|verkocht\s+door|vendido\s+por|venduto\s+da|bill(?:ed)?\s+to|ship(?:ped)?\s+to|sold\s+to)\s+(\S.*)$/iu;
// a party's name this many ems right of its heading, on the heading's line, is the block's first line
const BESIDE_EM = 4;
const SLIP_HEADING_LINES = 3;

/**
 * The name a party block gives: its name row's value ("Name: Lieferant GmbH"), else its first line that is a
 * name; a name wrapped over two lines ("MVM Musterhafter" / "Versicherungsverein Musterstadt a.G.") joined.
 */
function blockName(rows: TextSegment[][]): { name: TextSegment; continuedBy?: string } | null {
  const column = (i: number, x: number) => rows[i]?.find((s) => Math.abs(s.box.x - x) <= 2);
  for (const [i, row] of rows.entries()) {
    const [first, value] = row;
    const inline = /^(.{2,20}?)\s*:\s*(.+)$/.exec(first!.text);
    if (inline && NAME_ROW.test(inline[1]!) && isName(inline[2]!)) return { name: { ...first!, text: inline[2]! } };
    if (!NAME_ROW.test(clean(first!.text)) || !value || !isName(value.text)) continue;
    const above = rows[i - 1]?.length === 1 ? column(i - 1, value.box.x) : undefined;
    return { name: above ? (joinWrapped(above, value, true) ?? value) : value };
  }
  const index = rows.findIndex((row) => isName(row[0]!.text));
  if (index < 0) return null;
  const name = besideOnRow(rows[index]!);
  const below = column(index + 1, name.box.x);
  const joined = below && joinWrapped(name, below, true);
  if (joined) return { name: joined };
  return { name, continuedBy: continuation(name, rows[index + 1]?.[0]) };
}

/**
 * A row's first segment, with the one after it when together they are one name split by a wide gap: the
 * first without a legal form, the second a name ending in one ("Taxiunternehmen      TX GmbH").
 */
function besideOnRow([first, second]: TextSegment[]): TextSegment {
  if (!second || !finishesName(first!, second) || /\d/.test(second.text)) return first!;
  const text = `${clean(first!.text)} ${clean(second.text)}`;
  if (!isName(text)) return first!;
  const right = second.box.x + second.box.width;
  return { ...first!, text, box: { ...first!.box, width: right - first!.box.x } };
}

/**
 * The block's line under a name that may be the rest of it: a name with a legal form, under one without
 * ("MVM Musterhafter" over "Versicherungsverein Musterstadt a.G." set a little to the right, or with its
 * legal form misread), which joinWrapped did not join.
 */
function continuation(name: TextSegment, next: TextSegment | undefined): string | undefined {
  // the next row of the block, however loosely the block is set
  return next && finishesName(name, next, true) ? clean(next.text) : undefined;
}

/**
 * Whether `lower` may finish the name `upper` begins: `upper` a name without a legal form, `lower` a name
 * ending in one (with `glued`, also in one run into its last word: "Musterstadta.G.").
 */
function finishesName(upper: TextSegment, lower: TextSegment, glued = false): boolean {
  const text = clean(lower.text);
  return (
    !LEGAL_FORM.test(clean(upper.text)) &&
    isName(upper.text) &&
    isName(lower.text) &&
    (LEGAL_FORM.test(text) || (glued && /\p{L}\.\p{L}\.?$/u.test(text)))
  );
}

/**
 * Two lines of one name: the first without a legal form, the second a name ending in one, directly under it
 * (`adjacent`: the two are consecutive rows of one block, however loosely the block is set).
 */
export function joinWrapped(upper: TextSegment, lower: TextSegment, adjacent = false): TextSegment | null {
  if (!finishesName(upper, lower)) return null;
  if (
    (!adjacent && upper.box.y - lower.box.y > 1.6 * Math.max(upper.fontSize, lower.fontSize)) ||
    Math.abs(upper.box.x - lower.box.x) > 2
  )
    return null;
  const text = `${clean(upper.text)} ${clean(lower.text)}`;
  const left = Math.min(upper.box.x, lower.box.x);
  const width = Math.max(upper.box.x + upper.box.width, lower.box.x + lower.box.width) - left;
  return {
    text,
    fontSize: upper.fontSize,
    box: { x: left, y: lower.box.y, width, height: upper.box.y + upper.box.height - lower.box.y },
  };
}

/** "Sold By: Acme Retail Pvt Ltd," — a party's heading with its name after the colon, at the start of a line. */
function inlineParty(
  page: PageText,
  index: number,
  segment: TextSegment,
): { role: 'seller' | 'remit' | 'buyer'; heading: string; name: TextSegment } | null {
  const by = BY_HEADING.exec(segment.text);
  const parts = /^(.{2,40}?)\s*:\s*(\S.*)$/u.exec(segment.text) ?? (by && /^\p{Lu}/u.test(by[2]!) ? by : null);
  if (!parts) return null;
  const [, heading = '', value = ''] = parts;
  const role = slipRole(page, index, roleOf(heading), heading);
  const text = clean(value);
  if (!role || !isName(text)) return null;
  const start = segment.text.length - value.length;
  return { role, heading, name: { ...segment, text, box: subBox(segment, start, start + text.length) } };
}

export function gatherEvidence(pages: PageText[], knownCustomer: Set<TextSegment>): PartyEvidence {
  const vendor: Evidence[] = [];
  const customer = new Set(knownCustomer);
  const customerNames = new Set<string>();
  for (const page of pages) {
    page.lines.forEach((line, index) => {
      line.segments.forEach((head, position) => {
        const inline = position === 0 ? inlineParty(page, index, head) : null;
        if (inline?.role === 'buyer') {
          customer.add(head);
          customerNames.add(nameKey(inline.name.text));
        } else if (inline)
          vendor.push({
            kind: inline.role === 'seller' ? 'sellerBlock' : 'sellerLabel',
            name: inline.name.text,
            provenance: provenance(page, inline.name),
            why: `the name after "${inline.heading}"`,
          });
        const role = slipRole(page, index, roleOf(head.text), head.text);
        if (!role || wrappedWord(page, index, head)) return;
        // "ÖST250  Lieferant": a word in an item's description, not a heading; headings stand first or beside
        // headings, or end in a colon ("Invoice  …  Sold by:", a column of its own right of the title)
        if (
          role !== 'buyer' &&
          !HEADING_COLON.test(head.text) &&
          line.segments.slice(0, position).some((s) => !isRoleHeading(s.text))
        )
          return;
        // "To:   Acme Engineering Ltd" over its address: the block stands beside the heading
        const next = line.segments[position + 1];
        const beside =
          next && next.box.x - (head.box.x + head.box.width) <= BESIDE_EM * head.fontSize && isName(clean(next.text))
            ? next
            : null;
        const rows = beside ? [[beside], ...blockUnder(page, index, beside)] : blockUnder(page, index, head);
        const read = blockName(rows);
        if (role === 'buyer') {
          rows.flat().forEach((s) => customer.add(s));
          if (read) customerNames.add(nameKey(read.name.text));
        } else if (read)
          vendor.push({
            kind: role === 'seller' ? 'sellerBlock' : 'sellerLabel',
            name: clean(read.name.text),
            provenance: provenance(page, read.name),
            why: `the block under "${clean(head.text)}"`,
            ...(read.continuedBy ? { continuedBy: read.continuedBy } : {}),
          });
      });
    });
  }
  const page1 = pages[0];
  if (page1) senderLines(page1, vendor, customer, customerNames);
  for (const segment of knownCustomer) if (isName(segment.text)) customerNames.add(nameKey(segment.text));
  for (const page of pages) registryNames(page, customer, vendor);
  for (const page of pages) payeeSentences(page, customer, vendor);
  for (const page of pages) signedNames(page, customer, vendor);
  const domains = domainsOutside(pages, customer);
  return { vendor, customer, customerNames, domains, spelled: page1 ? spelledNames(page1, customer, domains) : [] };
}

// the top of page 1, where a letterhead stands: a name there is weak evidence of the issuer
const LETTERHEAD_TOP = 0.55;

/**
 * Names at the top of page 1, outside the customer's blocks, that a domain printed on the invoice spells
 * ("Vogt Hydraulik GmbH" in small type over the address, "info@vogt-hydraulik.de" in the footer), each as weak
 * letterhead evidence: the domain's own evidence is added where the candidates are weighed.
 */
function spelledNames(page: PageText, customer: Set<TextSegment>, domains: PartyEvidence['domains']): Evidence[] {
  const spelled: Evidence[] = [];
  for (const segment of page.lines.flatMap((l) => l.segments)) {
    if (segment.box.y < LETTERHEAD_TOP * page.height || customer.has(segment)) continue;
    const name = clean(segment.text);
    // a company's name, the whole of it spelled: a word of a label or a person's name is too little
    const company = LEGAL_FORM.test(name) && isName(name);
    const domain = company && domains.find((d) => domainSpells(d.domain, name));
    if (!domain) continue;
    spelled.push({
      kind: 'letterheadWeak',
      name,
      provenance: provenance(page, segment),
      why: `a name at the top of page 1 that the domain ${domain.domain} spells`,
    });
  }
  return spelled;
}

// "QualityHosting AG - Uferweg 40-42 - 63571 Gelnhausen", "Acme GmbH | Europa-Allee 1 | 60486 Frankfurt"
const SENDER_SEPARATOR = new RegExp(String.raw`${CELL_SEPARATOR.source}|\s*[·•|]\s*`, 'u');

/** The return address printed on one line over the address window: its first item is the sender, the block under it the addressee. */
function senderLines(page: PageText, vendor: Evidence[], customer: Set<TextSegment>, customerNames: Set<string>): void {
  page.lines.forEach((line, index) => {
    for (const segment of line.segments) {
      if (segment.box.y < page.height * 0.45) return;
      const items = segment.text
        .split(SENDER_SEPARATOR)
        .map((s) => s.trim())
        .filter(Boolean);
      if (items.length < 3 || !isName(items[0]!) || !items.slice(1).some((item) => /\d/.test(item))) continue;
      const window = addresseeUnder(page, index, segment);
      if (!window.length) continue;
      window.forEach((s) => customer.add(s));
      const addressee = window.find((s) => isName(s.text));
      if (addressee) customerNames.add(nameKey(addressee.text));
      vendor.push({
        kind: 'senderLine',
        name: clean(items[0]!),
        provenance: provenance(page, segment),
        why: 'the return address over the address window',
      });
    }
  });
}

/** The address window's lines under a sender line: left-aligned with it, close below it. */
function addresseeUnder(page: PageText, index: number, sender: TextSegment): TextSegment[] {
  const window: TextSegment[] = [];
  let previous = sender;
  for (const line of page.lines.slice(index + 1)) {
    const under = line.segments.find((s) => Math.abs(s.box.x - sender.box.x) <= 12);
    if (!under) continue;
    if (previous.box.y - under.box.y > 3.2 * Math.max(previous.fontSize, under.fontSize)) break;
    window.push(under);
    previous = under;
    if (window.length >= 6) break;
  }
  return window.length >= 2 ? window : [];
}

/** Names printed with a company's registration, tax id or bank details: the top name of that block, and company names on that footer row. */
function registryNames(page: PageText, customer: Set<TextSegment>, vendor: Evidence[]): void {
  const seen = new Set<TextSegment>();
  page.lines.forEach((line, index) => {
    line.segments.forEach((segment, position) => {
      // a marker inside a sentence ("… überweisen Sie bitte auf folgende Bankverbindung:") heads no block; the
      // cells of a footer row printed as one run ("ACME Ltd | CIN … | GSTIN …", "Acme GmbH - HRB 123") are read one by one
      const cells = segment.text.split(CELL_SEPARATOR);
      const marked = cells.findIndex((cell) => REGISTRY.test(cell) && cell.split(/\s+/).length <= 8);
      if (customer.has(segment)) return;
      // on page 1 a tax id in the upper part is as often the customer's, printed in the address window
      if (page.page === 1 && segment.box.y > 0.4 * page.height) return;
      // a footer sentence opening with the company: "Acme Ltd. Registered in England No. 0441 …"
      // (the marker is looked for first: most segments carry none, and the name is sought only then)
      const opening = REGISTRY.test(cells[0]!) ? leadingCompany(cells[0]!) : null;
      if (opening && !seen.has(segment) && !BANK.test(opening) && REGISTRY.test(cells[0]!.slice(opening.length))) {
        seen.add(segment);
        vendor.push({
          kind: 'registry',
          name: clean(opening),
          provenance: { ...provenance(page, segment), box: subBox(segment, 0, opening.length) },
          why: `the footer sentence "${cells[0]!.trim()}"`,
        });
      }
      if (marked < 0) return;
      // such a row's first cell, when a later one carries the marker, is the name it is printed with
      const first = clean(cells[0]!);
      if (marked > 0 && !seen.has(segment) && LEGAL_FORM.test(first) && isName(first) && !BANK.test(first)) {
        seen.add(segment);
        vendor.push({
          kind: 'registry',
          name: first,
          provenance: { ...provenance(page, segment), box: subBox(segment, 0, cells[0]!.length) },
          why: `the footer row with "${cells[marked]!}"`,
        });
      }
      // the block the marker (or its value, right of a "label:") ends: the topmost name in it
      const columns = [
        segment,
        ...(/:\s*$/.test(segment.text) && line.segments[position + 1] ? [line.segments[position + 1]!] : []),
      ];
      for (const column of columns) {
        const stack = stackAbove(page, index, column).filter((s) => !customer.has(s));
        const at = stack.findLastIndex((s) => isName(clean(s.text)));
        const found = stack[at];
        const top = found && at > 0 ? (joinWrapped(found, stack[at - 1]!) ?? found) : found;
        if (top && found && !seen.has(found) && !BANK.test(top.text)) {
          seen.add(found);
          vendor.push({
            kind: LEGAL_FORM.test(clean(top.text)) ? 'registry' : 'registryPlain',
            name: clean(top.text),
            provenance: provenance(page, top),
            why: `the block with "${segment.text}"`,
          });
        }
      }
      // a footer row in columns: "ACME GMBH | Geschäftsführung: … | USt-IdNr: DE… | HRB …"
      for (const near of page.lines.slice(Math.max(0, index - 2), index + 3)) {
        if (Math.abs(near.baseline - line.baseline) > 3 * line.fontSize) continue;
        for (const other of near.segments) {
          if (
            other === segment ||
            seen.has(other) ||
            customer.has(other) ||
            BANK.test(other.text) ||
            !LEGAL_FORM.test(clean(other.text)) ||
            !isName(clean(other.text))
          )
            continue;
          seen.add(other);
          vendor.push({
            kind: 'registry',
            name: clean(other.text),
            provenance: provenance(page, other),
            why: `the footer row with "${segment.text}"`,
          });
        }
      }
    });
  });
}

/**
 * The party a sentence names as the payee or the seller: "Please make checks payable to Acme Rack, Inc.",
 * "Invoice from Acme Rack, Inc.", "Thank you for choosing Acme Rack & Shelving!", each weighed as its kind says.
 */
function payeeSentences(page: PageText, customer: Set<TextSegment>, vendor: Evidence[]): void {
  for (const segment of page.lines.flatMap((l) => l.segments)) {
    if (customer.has(segment)) continue;
    for (const { sentence, kind } of PAYEE_SENTENCES) {
      const found = sentence.exec(segment.text);
      if (!found) continue;
      const printed = found[1]!.trim();
      // the sentence's own full stop or exclamation mark is no part of the name; a legal form's dot is; a
      // sentence going on after the name ("t.n.v. Van Dijk B.V. o.v.v. het factuurnummer") ends at its legal form
      const whole = LEGAL_FORM.test(printed) ? printed : printed.replace(/\s*[.!]+$/u, '');
      const name = isName(whole) ? whole : leadingCompany(printed);
      if (!name) continue;
      const start = segment.text.length - found[1]!.length;
      vendor.push({
        kind,
        name: clean(name),
        provenance: { ...provenance(page, segment), box: subBox(segment, start, start + name.length) },
        why: `the sentence "${segment.text.trim()}"`,
      });
    }
  }
}

// how many lines below "for Acme …" its signatory's line may stand, and below a letter's close its name
const SIGNATURE_LINES = 4;

/**
 * The issuer signing the invoice: a company name under a letter's close ("Mit freundlichen Grüßen" / "Muster
 * Metallbau GmbH"; a person's name there is no company's, so only a name with a legal form), or after "for"
 * over a signatory's line ("for Shree Ganesh Engineering Works" / "Authorised Signatory"). Weighed as a
 * seller label.
 */
function signedNames(page: PageText, customer: Set<TextSegment>, vendor: Evidence[]): void {
  page.lines.forEach((line, index) => {
    for (const segment of line.segments) {
      if (customer.has(segment)) continue;
      const below = () => page.lines.slice(index + 1, index + 1 + SIGNATURE_LINES).flatMap((l) => l.segments);
      if (LETTER_CLOSE.test(segment.text.trim())) {
        const under = below().find((s) => Math.abs(s.box.x - segment.box.x) <= 4);
        const name = under && !customer.has(under) ? clean(under.text) : '';
        if (under && LEGAL_FORM.test(name) && isName(name))
          vendor.push({
            kind: 'sellerLabel',
            name,
            provenance: provenance(page, under),
            why: `the close "${segment.text.trim()}"`,
          });
        continue;
      }
      const signed = SIGNED_FOR.exec(segment.text.trim());
      const name = signed && clean(signed[1]!);
      if (!name || !isName(name) || !below().some((s) => SIGNATORY.test(s.text))) continue;
      const start = segment.text.trimEnd().length - signed[1]!.length;
      vendor.push({
        kind: 'sellerLabel',
        name,
        provenance: { ...provenance(page, segment), box: subBox(segment, start, start + name.length) },
        why: `the signature "${segment.text.trim()}"`,
      });
    }
  });
}

// how many words a company's name may run to at the start of a sentence
const LEADING_WORDS = 8;

/**
 * The company a sentence opens with: its longest start of at most eight words that is a name ending in a
 * legal form ("Pennine Fasteners Ltd. Registered in England …" gives "Pennine Fasteners Ltd.").
 */
function leadingCompany(text: string): string | null {
  const words = text.trim().split(/\s+/).slice(0, LEADING_WORDS);
  for (let count = words.length; count >= 2; count--) {
    const start = words.slice(0, count).join(' ').replace(/,$/u, '');
    if (LEGAL_FORM.test(start) && isName(start)) return start;
  }
  return null;
}

/** The segments stacked above `segment` at its left edge, nearest first, until a gap. */
function stackAbove(page: PageText, index: number, segment: TextSegment): TextSegment[] {
  const stack: TextSegment[] = [];
  let previous = segment;
  for (const line of page.lines.slice(0, index).reverse()) {
    const above = line.segments.find((s) => Math.abs(s.box.x - segment.box.x) <= 4);
    if (!above) {
      if (line.baseline - previous.box.y > 3 * Math.max(previous.fontSize, 8)) break;
      continue;
    }
    if (above.box.y - previous.box.y > 2.4 * Math.max(previous.fontSize, above.fontSize, 6)) break;
    stack.push(above);
    previous = above;
    if (stack.length >= 8) break;
  }
  return stack;
}

const DOMAIN = /(?:@|\bwww\.|https?:\/\/)((?:[a-z0-9-]+\.)+[a-z]{2,})/giu;

function domainsOutside(pages: PageText[], customer: Set<TextSegment>): PartyEvidence['domains'] {
  const found: PartyEvidence['domains'] = [];
  for (const page of pages) {
    for (const segment of page.lines.flatMap((l) => l.segments)) {
      if (customer.has(segment)) continue;
      for (const m of segment.text.matchAll(DOMAIN))
        found.push({ domain: m[1]!.toLowerCase().replace(/^www\./, ''), provenance: provenance(page, segment) });
    }
  }
  return found;
}

/**
 * Whether a domain spells every word of the name but its legal form and short words, in any order
 * ("vogt-hydraulik.de" for "Vogt Hydraulik GmbH", "keller-feinmechanik.ch" for "Feinmechanik Keller AG"), or
 * the name's start ("linework.io" for "Linework Analytics, Inc.").
 */
function domainSpells(domain: string, name: string): boolean {
  const label = domainLabel(domain);
  const words = domainWords(name);
  if (!words.length) return false;
  return words.every((word) => label.includes(word)) || (label.length >= 5 && words.join('').startsWith(label));
}
const domainLabel = (domain: string) => domain.split('.').slice(0, -1).join('').replace(/-/g, '');

/** Whether a domain spells a word of the name ("musterlieferant.de" for "MUSTERLIEFERANT GMBH"). */
export function domainCarries(domain: string, name: string): boolean {
  const label = domainLabel(domain);
  return domainWords(name).some((word) => label.includes(word));
}
