// The XML inside a hybrid PDF (Factur-X, ZUGFeRD, XRechnung-in-PDF): its embedded files, read with
// pdf.js, and the Factur-X/ZUGFeRD XMP properties that name the attachment and the profile.
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { withPdf } from '../pdf-text.js';
import { EINVOICE_ATTACHMENT_NAMES, isEInvoiceXml, profileOfConformanceLevel, type EInvoiceProfile } from './detect.js';
import { MAX_XML_BYTES } from './xml.js';

export interface EmbeddedEInvoice {
  fileName: string;
  bytes: Uint8Array;
  /** From XMP ConformanceLevel, when the PDF declares one. */
  xmpProfile?: EInvoiceProfile;
  xmpConformanceLevel?: string;
}

export type EmbeddedLookup =
  | { kind: 'none' }
  | { kind: 'found'; invoice: EmbeddedEInvoice }
  /** The PDF announces an e-invoice (by attachment name or XMP) that cannot be used. */
  | { kind: 'unusable'; reason: string };

interface Attachment {
  id: string;
  fileName: string;
  size?: number;
  load(): Promise<Uint8Array | null>;
}

export async function findEmbeddedEInvoice(pdfBytes: Uint8Array): Promise<EmbeddedLookup> {
  return withPdf(pdfBytes, findEmbeddedEInvoiceIn);
}

/** The same lookup on a PDF that is already open (the visual stage's, once its pages were read). */
export async function findEmbeddedEInvoiceIn(pdf: PDFDocumentProxy): Promise<EmbeddedLookup> {
  const raw = (await pdf.getAttachments()) as Map<string, AttachmentInfo> | Record<string, AttachmentInfo> | null;
  const entries: Array<[string, AttachmentInfo]> = raw
    ? raw instanceof Map
      ? [...raw.entries()]
      : Object.entries(raw)
    : [];
  const attachments: Attachment[] = entries.map(([id, info]) => ({
    id,
    fileName: info.filename || id,
    load: async () => info.content ?? (await pdf.getAttachmentContent(id)),
  }));
  const xmp = await readXmp(pdf);
  const named = (name: string) => attachments.find((a) => a.fileName.toLowerCase() === name.toLowerCase());
  const candidates = [
    ...(xmp.documentFileName ? [named(xmp.documentFileName)] : []),
    ...EINVOICE_ATTACHMENT_NAMES.map(named),
  ].filter((a): a is Attachment => a !== undefined);
  const announced = candidates[0];
  if (announced) {
    const bytes = await announced.load();
    if (!bytes || bytes.byteLength === 0)
      return { kind: 'unusable', reason: `The embedded ${announced.fileName} is empty.` };
    if (bytes.byteLength > MAX_XML_BYTES) {
      return {
        kind: 'unusable',
        reason: `The embedded ${announced.fileName} is ${(bytes.byteLength / 1048576).toFixed(1)} MB; e-invoices larger than ${MAX_XML_BYTES / 1048576} MB are refused.`,
      };
    }
    return {
      kind: 'found',
      invoice: {
        fileName: announced.fileName,
        bytes,
        xmpProfile: profileOfConformanceLevel(xmp.conformanceLevel),
        xmpConformanceLevel: xmp.conformanceLevel,
      },
    };
  }
  if (xmp.documentFileName) {
    return {
      kind: 'unusable',
      reason: `The PDF's metadata announces an embedded e-invoice "${xmp.documentFileName}", but the PDF has no such attachment.`,
    };
  }
  // Any other XML attachment whose root is an invoice (suppliers name them freely).
  for (const attachment of attachments.filter((a) => a.fileName.toLowerCase().endsWith('.xml'))) {
    const bytes = await attachment.load();
    if (bytes && bytes.byteLength <= MAX_XML_BYTES && isEInvoiceXml(bytes)) {
      return {
        kind: 'found',
        invoice: {
          fileName: attachment.fileName,
          bytes,
          xmpProfile: profileOfConformanceLevel(xmp.conformanceLevel),
          xmpConformanceLevel: xmp.conformanceLevel,
        },
      };
    }
  }
  return { kind: 'none' };
}

interface AttachmentInfo {
  filename: string;
  content?: Uint8Array | null;
}

/**
 * fx:DocumentFileName and fx:ConformanceLevel from the XMP packet, whatever prefix the producer chose
 * (Factur-X "fx", ZUGFeRD 1 "zf"), written as elements or as attributes of rdf:Description.
 */
async function readXmp(pdf: {
  getMetadata(): Promise<{ metadata: { getRaw(): unknown } | null }>;
}): Promise<{ documentFileName?: string; conformanceLevel?: string }> {
  let raw: unknown;
  try {
    raw = (await pdf.getMetadata()).metadata?.getRaw();
  } catch {
    return {};
  }
  if (typeof raw !== 'string') return {};
  const property = (name: string) =>
    new RegExp(`<[\\w.-]+:${name}>\\s*([^<]*?)\\s*</[\\w.-]+:${name}>`).exec(raw)?.[1] ??
    new RegExp(`\\s[\\w.-]+:${name}\\s*=\\s*"([^"]*)"`).exec(raw)?.[1];
  return {
    documentFileName: property('DocumentFileName') || undefined,
    conformanceLevel: property('ConformanceLevel') || undefined,
  };
}
