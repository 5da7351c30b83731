// Safe, namespace-aware XML reading for e-invoices. Refuses what an invoice never needs and attackers
// love (DOCTYPE, so no external entities and no entity expansion), caps the size, strips BOMs, honours
// the declared encoding, and resolves element prefixes from their xmlns declarations: a document may
// call the CII namespace `rsm:`, `a:` or nothing at all.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** 10 MB: real e-invoices are a few hundred kilobytes even with hundreds of lines. */
export const MAX_XML_BYTES = 10 * 1024 * 1024;

export type XmlErrorKind = 'too_large' | 'doctype' | 'malformed' | 'encoding';

export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    readonly kind: XmlErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface XmlElement {
  /** Namespace URI ('' when none). */
  ns: string;
  local: string;
  /** The name as written, with its prefix, for XPaths a reader can follow in the file. */
  qname: string;
  /** Attributes by local name (e-invoice attributes are unqualified). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
  /** `/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID`, with `[n]` where siblings share the name. */
  xpath: string;
}

const BOMS: Array<{ bytes: number[]; encoding: string }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
];

/** Bytes → text: BOM first, then the XML declaration's encoding, else UTF-8 (the XML default). */
export function decodeXml(bytes: Uint8Array): string {
  const bom = BOMS.find((b) => b.bytes.every((v, i) => bytes[i] === v));
  if (bom) return new TextDecoder(bom.encoding, { fatal: true }).decode(bytes.subarray(bom.bytes.length));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared, { fatal: true });
  } catch {
    throw new XmlError('encoding', `The XML declares the encoding "${declared}", which is not supported.`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new XmlError(
      'encoding',
      `The XML is not valid ${declared}: it contains bytes that are not characters in that encoding.`,
    );
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded below, only the five predefined ones and character references: no DTD can
  // define more because a DOCTYPE is refused before parsing.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
});

/** Parses an XML document into an element tree, or throws XmlError saying what is wrong. */
export function parseXml(bytes: Uint8Array, maxBytes = MAX_XML_BYTES): XmlElement {
  if (bytes.byteLength > maxBytes) {
    throw new XmlError(
      'too_large',
      `The XML is ${mb(bytes.byteLength)}; e-invoices larger than ${mb(maxBytes)} are refused.`,
    );
  }
  const text = decodeXml(bytes);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new XmlError(
      'doctype',
      'The XML contains a DOCTYPE/ENTITY declaration. E-invoices never need one and it is how XML readers are attacked (external entities, entity expansion), so the file is refused.',
    );
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    throw new XmlError(
      'malformed',
      `The XML is not well-formed (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`,
    );
  }
  const nodes = parser.parse(text) as OrderedNode[];
  const roots = nodes.filter((n) => elementName(n) !== undefined);
  if (roots.length !== 1) throw new XmlError('malformed', 'The XML does not have exactly one root element.');
  return build(roots[0]!, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), '');
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#cdata' && k !== '#comment');
}

function build(node: OrderedNode, inherited: Map<string, string>, parentPath: string, position = ''): XmlElement {
  const qname = elementName(node)!;
  const rawAttrs = node[':@'] ?? {};
  const scope = new Map(inherited);
  const attrs: Record<string, string> = {};
  for (const [name, raw] of Object.entries(rawAttrs)) {
    const value = decodeEntities(raw);
    if (name === 'xmlns') scope.set('', value);
    else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
    else attrs[name.includes(':') ? name.slice(name.indexOf(':') + 1) : name] = value;
  }
  const [prefix, local] = qname.includes(':')
    ? [qname.slice(0, qname.indexOf(':')), qname.slice(qname.indexOf(':') + 1)]
    : ['', qname];
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== '')
    throw new XmlError('malformed', `The XML uses the prefix "${prefix}:" without declaring its namespace.`);
  const xpath = `${parentPath}/${qname}${position}`;
  const element: XmlElement = { ns: ns ?? '', local, qname, attrs, children: [], text: '', xpath };
  const content = (node[qname] as OrderedNode[] | undefined) ?? [];
  const seen = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const child of content) {
    const name = elementName(child);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const child of content) {
    if ('#text' in child) element.text += decodeEntities(String(child['#text']));
    else if ('#cdata' in child)
      element.text += (child['#cdata'] as Array<{ '#text'?: string }>).map((c) => c['#text'] ?? '').join('');
    const name = elementName(child);
    if (!name) continue;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    element.children.push(build(child, scope, xpath, (counts.get(name) ?? 0) > 1 ? `[${n}]` : ''));
  }
  return element;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][\w.-]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff)
        throw new XmlError('malformed', `The XML contains an invalid character reference ${whole}.`);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[ref];
    if (value === undefined) throw new XmlError('malformed', `The XML uses the undeclared entity ${whole}.`);
    return value;
  });
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Child elements of `el` with this namespace and local name. */
export function childrenOf(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  return el ? el.children.filter((c) => c.ns === ns && c.local === local) : [];
}

/** Follows a path of [namespace, local name] steps, taking the first match at each step. */
export function first(el: XmlElement | undefined, ...steps: Array<[string, string]>): XmlElement | undefined {
  let current = el;
  for (const [ns, local] of steps) current = childrenOf(current, ns, local)[0];
  return current;
}

/** All elements reached by a path (every match at every step). */
export function all(el: XmlElement | undefined, ...steps: Array<[string, string]>): XmlElement[] {
  let current = el ? [el] : [];
  for (const [ns, local] of steps) current = current.flatMap((c) => childrenOf(c, ns, local));
  return current;
}
