// Stage 1 of the extractor: structured e-invoices, read exactly. A bare XML upload (CII, ZUGFeRD 1, UBL)
// or a PDF carrying one (Factur-X, ZUGFeRD, XRechnung) becomes an Extraction with source "einvoice" and
// confidence 1.0. A broken XML inside a PDF is a warning and the PDF is read visually; a broken bare XML
// is a DocumentError, since there is nothing else to read.
import type { Extraction } from '../../domain/extraction.js';
import { DocumentError } from '../errors.js';
import { checkCalculations } from './checks.js';
import { readCii } from './cii.js';
import { NS, ROOTS, syntaxOf, type EInvoiceProfile } from './detect.js';
import type { EInvoiceData } from './model.js';
import { findEmbeddedEInvoice, type EmbeddedLookup } from './pdf.js';
import { syntaxLabel, toExtraction } from './to-extraction.js';
import { readUbl } from './ubl.js';
import { parseXml, XmlError } from './xml.js';

export { isEInvoiceXml, looksLikeXml, type EInvoiceProfile, type EInvoiceSyntax } from './detect.js';
export { crossCheckWithVisual } from './visual.js';
export { MAX_XML_BYTES } from './xml.js';

export const XML_MIME_TYPES = ['application/xml', 'text/xml'];
export const isXmlMimeType = (mimeType: string) =>
  XML_MIME_TYPES.includes(mimeType.split(';')[0]!.trim().toLowerCase());

export type EInvoiceResult =
  | { kind: 'einvoice'; extraction: Extraction; data: EInvoiceData; fileName: string }
  | { kind: 'broken'; warning: string };

/** Stage 1: the e-invoice in this document, or null when it carries none. */
export async function readEInvoice(doc: {
  bytes: Uint8Array;
  mimeType: string;
  fileName: string;
}): Promise<EInvoiceResult | null> {
  if (isXmlMimeType(doc.mimeType)) {
    const { extraction, data } = readEInvoiceXml(doc.bytes);
    return { kind: 'einvoice', extraction, data, fileName: doc.fileName };
  }
  if (doc.mimeType !== 'application/pdf') return null;
  return readEmbeddedEInvoice(await findEmbeddedEInvoice(doc.bytes));
}

/**
 * The e-invoice of a hybrid PDF from what the visual stage found among its embedded files (the PDF itself
 * is opened only there, inside the sandbox); null when it carries none.
 */
export function readEmbeddedEInvoice(embedded: EmbeddedLookup): EInvoiceResult | null {
  if (embedded.kind === 'none') return null;
  if (embedded.kind === 'unusable')
    return { kind: 'broken', warning: `${embedded.reason} The PDF was read visually instead.` };
  const { fileName, bytes, xmpProfile, xmpConformanceLevel } = embedded.invoice;
  try {
    const { extraction, data } = readEInvoiceXml(bytes, { embeddedAs: fileName, xmpProfile, xmpConformanceLevel });
    return { kind: 'einvoice', extraction, data, fileName };
  } catch (err) {
    if (!(err instanceof DocumentError)) throw err;
    return {
      kind: 'broken',
      warning: `The embedded e-invoice ${fileName} cannot be read: ${err.message} The PDF was read visually instead.`,
    };
  }
}

/**
 * The raw XML of the e-invoice in a stored document (for "open the XML"), or null. A PDF is opened only by
 * `findEmbedded`: a server passes its sandbox's lookup (extract/sandbox.ts), bounded in time and memory.
 */
export async function eInvoiceXmlOf(
  doc: { bytes: Uint8Array; mimeType: string; fileName: string },
  findEmbedded: (bytes: Uint8Array, fileName: string) => Promise<EmbeddedLookup>,
): Promise<{ fileName: string; bytes: Uint8Array } | null> {
  if (isXmlMimeType(doc.mimeType)) return { fileName: doc.fileName, bytes: doc.bytes };
  if (doc.mimeType !== 'application/pdf') return null;
  const embedded = await findEmbedded(doc.bytes, doc.fileName);
  return embedded.kind === 'found' ? { fileName: embedded.invoice.fileName, bytes: embedded.invoice.bytes } : null;
}

/** Parses and maps one e-invoice XML; every failure is a DocumentError a clerk can act on. */
export function readEInvoiceXml(
  bytes: Uint8Array,
  context: { embeddedAs?: string; xmpProfile?: EInvoiceProfile; xmpConformanceLevel?: string } = {},
): { extraction: Extraction; data: EInvoiceData } {
  let root;
  try {
    root = parseXml(bytes);
  } catch (err) {
    if (!(err instanceof XmlError)) throw err;
    const kind = err.kind === 'too_large' ? 'too_large' : err.kind === 'doctype' ? 'unsupported_type' : 'corrupt';
    throw new DocumentError(kind, err.message, { cause: err });
  }
  const syntax = syntaxOf(root);
  if (!syntax) throw new DocumentError('unsupported_type', notAnInvoice(root));
  const data = syntax === 'cii' || syntax === 'zugferd1' ? readCii(root, syntax) : readUbl(root, syntax);
  if (!data.number && !data.sellerName && !data.totals.grand) {
    const expected = syntax === 'cii' ? NS.ram : syntax === 'zugferd1' ? NS.ram1 : `${NS.cbc} / ${NS.cac}`;
    throw new DocumentError(
      'corrupt',
      `The ${syntaxLabel(data)} document has no invoice number, seller or total where EN 16931 puts them; its elements are probably in another namespace (expected ${expected}).`,
    );
  }
  const notes = [
    `E-invoice: ${data.profile ?? 'unknown profile'}, ${syntaxLabel(data)}${context.embeddedAs ? `, embedded as ${context.embeddedAs}` : ''}${data.guideline ? ` (${data.guideline.value})` : ''}.`,
  ];
  const warnings: string[] = [];
  if (!data.profile)
    warnings.push(
      `The e-invoice names no known profile${data.guideline ? ` ("${data.guideline.value}")` : ''}; it was read as EN 16931.`,
    );
  if (
    context.xmpProfile &&
    data.profile &&
    context.xmpProfile !== data.profile &&
    !(context.xmpProfile === 'EN 16931' && data.profile === 'XRECHNUNG')
  ) {
    warnings.push(
      `The PDF's metadata declares the profile ${context.xmpConformanceLevel}, but the embedded XML says ${data.profile}.`,
    );
  }
  const extraction = toExtraction(data, checkCalculations(data), { warnings });
  extraction.fields.invoiceNumber.notes.unshift(...notes);
  return { extraction, data };
}

function notAnInvoice(root: { ns: string; local: string; qname: string }): string {
  const sameName = ROOTS.find((r) => r.local === root.local);
  if (sameName) {
    return `The XML's root element ${root.qname} is in the namespace "${root.ns || '(none)'}", not "${sameName.ns}": it is not an e-invoice PlexSync can read.`;
  }
  return `The XML is not an e-invoice: its root element is ${root.qname}${root.ns ? ` in "${root.ns}"` : ''}; expected a CII CrossIndustryInvoice, a ZUGFeRD 1 CrossIndustryDocument, or a UBL Invoice or CreditNote.`;
}
