// The vendor's tax id where no label starts a segment: in a footer sentence ("… · VAT Reg No. GB 123 4567 89
// · …", "SIRET … — N° TVA intracommunautaire FR 45 512 345 678" wrapped over two lines) or after a word
// the label table reads as the tax amount ("BTW NL8123.45.678.B01"). Only well-formed ids count.
import type { Provenance } from '../domain/extraction.js';
import type { Picked } from './header.js';
import { canonicalTaxId } from './labels.js';
import type { PageText, TextSegment } from './pdf-text.js';

const LABEL =
  /(?<!\p{L})(?:GSTIN|(?:VAT|GST)(?:\s*Reg(?:istration|\.)?)?(?:\s*(?:No|Nr|Number|ID)\b)?\.?|USt\.?[\s-]*Id(?:ent)?\.?[\s-]*(?:Nr)?\.?|(?:N°|No\.?|Num[ée]ro(?:\s+de)?)?\s*TVA(?:\s+intra[\s-]*com(?:munautaire|\.)?)?|BTW(?:[\s-]*(?:nr|nummer|id))?\.?|C\.?I\.?F\.?|N\.?I\.?F\.?|EIN|(?:Fed(?:eral|\.)?\s*)?Tax\s*ID|Fed(?:eral|\.)?\s*ID)\s*[:.]?\s*/giu;
// the customer's id is labelled as theirs
const THEIRS = /(?:your|customer|client|kunden?|ihre?|votre|uw|su|cliente)\W*$/i;
const WELL_FORMED = [
  /^\d{2}-\d{7}$/, // US EIN
  /^(?:DE\d{9}|ATU\d{8}|BE0?\d{9}|NL\d{9}B\d{2}|FR[0-9A-Z]{2}\d{9}|GB(?:\d{9}|\d{12})|ES[0-9A-Z]\d{7}[0-9A-Z]|IT\d{11}|IE\d{7}[A-Z]{1,2}|LU\d{8}|PL\d{10}|CH(?:E)?\d{9}(?:MWST|TVA|IVA)?)$/,
  /^[A-HJNP-SUVW]\d{7}[0-9A-J]$/, // Spanish CIF without the ES prefix
  /^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/, // Indian GSTIN: state code, PAN, entity number, Z, check character
];

export function scanVendorTaxId(pages: PageText[], customer: Set<TextSegment>): Picked | null {
  for (const page of pages) {
    const spans: Array<{ start: number; segment: TextSegment }> = [];
    let text = '';
    for (const line of page.lines) {
      for (const segment of line.segments) {
        if (customer.has(segment)) continue;
        spans.push({ start: text.length, segment });
        text += `${segment.text}  `;
      }
      text += '\n';
    }
    for (const match of text.matchAll(LABEL)) {
      if (!match[0].trim() || THEIRS.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
      const after = text.slice(match.index + match[0].length);
      const printed = /^[A-Z]{0,3}[\s-]?[0-9A-Z][0-9A-Z.\s-]{4,22}/i.exec(after)?.[0] ?? '';
      // the longest well-formed id the printed characters begin with ("GB 123 4567 89 · Reg…" → GB123456789)
      const tokens = printed.trim().split(/\s+/);
      for (let n = tokens.length; n > 0; n--) {
        const id = canonicalTaxId(tokens.slice(0, n).join(''));
        if (!WELL_FORMED.some((form) => form.test(id))) continue;
        const at = match.index;
        const segment = [...spans].reverse().find((s) => s.start <= at)!.segment;
        const provenance: Provenance = {
          page: page.page,
          box: segment.box,
          source: page.source ?? 'text',
          label: match[0].trim(),
        };
        return {
          value: id,
          confidence: 0.85,
          provenance,
          notes: [`Found after "${match[0].trim()}" inside a longer line (a footer or address line).`],
        };
      }
    }
  }
  return null;
}
