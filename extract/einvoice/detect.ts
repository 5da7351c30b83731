// Which e-invoice syntax a document is, from its root element's namespace and name, and which profile
// (MINIMUM … EXTENDED, XRECHNUNG, Peppol BIS) from the guideline / customization identifier or the PDF's
// XMP metadata. Cheap sniffing (`isEInvoiceXml`) for uploads and mail/folder ingestion lives here too.
import { decodeXml } from './xml.js';

export const NS = {
  /** UN/CEFACT CII D16B: Factur-X, ZUGFeRD 2.x, XRechnung CII. */
  rsm: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  ram: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  udt: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
  qdt: 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  /** ZUGFeRD 1.0 (CII D13B draft). */
  rsm1: 'urn:ferd:CrossIndustryDocument:invoice:1p0',
  ram1: 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:12',
  udt1: 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:15',
  /** OASIS UBL 2.1: XRechnung UBL, Peppol BIS Billing 3.0. */
  ublInvoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  ublCreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

export type EInvoiceSyntax = 'cii' | 'zugferd1' | 'ubl-invoice' | 'ubl-credit-note';

export const ROOTS: Array<{ syntax: EInvoiceSyntax; ns: string; local: string }> = [
  { syntax: 'cii', ns: NS.rsm, local: 'CrossIndustryInvoice' },
  { syntax: 'zugferd1', ns: NS.rsm1, local: 'CrossIndustryDocument' },
  { syntax: 'ubl-invoice', ns: NS.ublInvoice, local: 'Invoice' },
  { syntax: 'ubl-credit-note', ns: NS.ublCreditNote, local: 'CreditNote' },
];

export function syntaxOf(root: { ns: string; local: string }): EInvoiceSyntax | undefined {
  return ROOTS.find((r) => r.ns === root.ns && r.local === root.local)?.syntax;
}

/** The root element as far as the first 64 KB tell: its local name, namespace (resolved) and qname. */
export function sniffRoot(bytes: Uint8Array): { ns: string; local: string; qname: string } | undefined {
  let head: string;
  try {
    head = decodeXml(bytes.subarray(0, 64 * 1024));
  } catch {
    // A multi-byte character cut at the 64 KB boundary: decode leniently, only the start matters.
    head = new TextDecoder('utf-8').decode(bytes.subarray(0, 64 * 1024));
  }
  head = head.replace(/^\uFEFF/, '');
  // Skip the prolog: XML declaration, processing instructions, comments, whitespace.
  let rest = head;
  for (;;) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith('<?')) rest = trimmed.slice(trimmed.indexOf('?>') + 2 || trimmed.length);
    else if (trimmed.startsWith('<!--')) rest = trimmed.slice(trimmed.indexOf('-->') + 3 || trimmed.length);
    else if (/^<!DOCTYPE/i.test(trimmed)) {
      // Skipped only to find the root: reading the document refuses any DOCTYPE with the reason.
      const subset = /^<!DOCTYPE[^[>]*\[/i.exec(trimmed);
      const end = subset ? trimmed.indexOf(']', subset[0].length) : 0;
      const close = end < 0 ? -1 : trimmed.indexOf('>', end);
      rest = close < 0 ? '' : trimmed.slice(close + 1);
    } else {
      rest = trimmed;
      break;
    }
    if (!rest) return undefined;
  }
  const tag = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(
    rest,
  );
  if (!tag) return undefined;
  const qname = tag[1]!;
  const attrs = new Map<string, string>();
  for (const m of tag[2]!.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs.set(m[1]!, m[2] ?? m[3] ?? '');
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const local = colon < 0 ? qname : qname.slice(colon + 1);
  const ns = attrs.get(prefix ? `xmlns:${prefix}` : 'xmlns') ?? '';
  return { ns, local, qname };
}

/**
 * Whether these bytes are an e-invoice XML (CII, ZUGFeRD 1 or UBL Invoice/CreditNote), from the root
 * element alone: for uploads, e-mail attachments and watched folders deciding what to accept. A true
 * answer does not promise the document is well-formed; reading it does that.
 */
export function isEInvoiceXml(bytes: Uint8Array): boolean {
  const root = looksLikeXml(bytes) ? sniffRoot(bytes) : undefined;
  return root !== undefined && syntaxOf(root) !== undefined;
}

/** Starts (after an optional BOM and whitespace) with `<?xml` or an element: worth sniffing as XML. */
export function looksLikeXml(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) return true; // UTF-16 BOM
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const head = new TextDecoder('latin1').decode(bytes.subarray(start, start + 256)).trimStart();
  return /^<(\?xml\s|!--|[A-Za-z_])/.test(head);
}

export type EInvoiceProfile =
  'MINIMUM' | 'BASIC WL' | 'BASIC' | 'EN 16931' | 'EXTENDED' | 'XRECHNUNG' | 'PEPPOL BIS Billing 3.0';

/** The profile named by a CII guideline ID (BT-24) or a UBL CustomizationID; undefined when unknown. */
export function profileOf(guideline: string | undefined): EInvoiceProfile | undefined {
  if (!guideline) return undefined;
  const id = guideline.trim().toLowerCase();
  if (id.includes('xrechnung')) return 'XRECHNUNG';
  if (id.includes('peppol.eu:2017:poacc:billing')) return 'PEPPOL BIS Billing 3.0';
  if (id.includes('minimum')) return 'MINIMUM';
  if (id.includes('basicwl')) return 'BASIC WL';
  if (id.includes('extended')) return 'EXTENDED';
  if (id.includes('basic')) return 'BASIC';
  if (id.includes('comfort') || id.includes('en16931')) return 'EN 16931';
  return undefined;
}

/** XMP fx:ConformanceLevel (Factur-X / ZUGFeRD 2) or zf:ConformanceLevel (ZUGFeRD 1) → profile. */
export function profileOfConformanceLevel(level: string | undefined): EInvoiceProfile | undefined {
  const normal = level
    ?.trim()
    .toUpperCase()
    .replace(/[\s_-]+/g, ' ');
  switch (normal) {
    case 'MINIMUM':
      return 'MINIMUM';
    case 'BASIC WL':
    case 'BASICWL':
      return 'BASIC WL';
    case 'BASIC':
      return 'BASIC';
    case 'EN 16931':
    case 'EN16931':
    case 'COMFORT':
      return 'EN 16931';
    case 'EXTENDED':
      return 'EXTENDED';
    case 'XRECHNUNG':
      return 'XRECHNUNG';
    default:
      return undefined;
  }
}

/** Names Factur-X, ZUGFeRD and XRechnung give the embedded invoice. */
export const EINVOICE_ATTACHMENT_NAMES = [
  'factur-x.xml',
  'zugferd-invoice.xml',
  'xrechnung.xml',
  'zugferd_invoice.xml',
];

/** For refusals: what an XML file that is not an e-invoice is ("an XML file with root element …"). */
export function describeNonInvoiceXml(bytes: Uint8Array): string {
  const root = sniffRoot(bytes);
  if (!root) return 'an XML file without a readable root element, not an e-invoice';
  const sameName = ROOTS.find((r) => r.local === root.local);
  if (sameName)
    return `an XML ${root.local} in the namespace "${root.ns || '(none)'}" instead of "${sameName.ns}", so not an e-invoice PlexSync can read`;
  return `an XML file with the root element ${root.qname}, not an e-invoice (CII CrossIndustryInvoice, ZUGFeRD 1 CrossIndustryDocument, UBL Invoice or CreditNote)`;
}
