// Upload checks: is this a document we can read (a PDF with pages, or a PNG/JPEG/TIFF image)? The type
// comes from the bytes, never from the file name; every refusal is a DocumentError a clerk can act on.
import { describeNonInvoiceXml, isEInvoiceXml } from './einvoice/detect.js';
import { readEInvoiceXml } from './einvoice/index.js';
import { DocumentError } from './errors.js';
import { withPdf } from './pdf-text.js';

export type DocumentMimeType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/tiff' | 'application/xml';

const SIGNATURES: Array<{ mimeType: DocumentMimeType; bytes: number[] }> = [
  { mimeType: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mimeType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mimeType: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] }, // little-endian "II*\0"
  { mimeType: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] }, // big-endian "MM\0*"
];

// What an unsupported file most likely is, so the message can say more than "unsupported".
const LOOKALIKES: Array<{ name: string; bytes: number[] }> = [
  { name: 'a ZIP archive (Word and Excel files are ZIPs too)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'a WebP or other RIFF file', bytes: [0x52, 0x49, 0x46, 0x46] },
  { name: 'an old Word or Excel file', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
];

const PDF_HEADER = '%PDF-';
const EOF_MARKER = '%%EOF';

/** Opens a PDF to count its pages. Servers pass a sandbox's (extract/sandbox.ts: bounded in time and
 * memory, off their main thread); the default opens it with pdf.js on the caller's thread (CLI, tests). */
export type PdfPageCounter = (bytes: Uint8Array, fileName: string) => Promise<number>;
const countPagesInProcess: PdfPageCounter = (bytes) => withPdf(bytes, (pdf) => Promise.resolve(pdf.numPages));

export async function inspectDocument(
  bytes: Uint8Array,
  fileName: string,
  countPdfPages: PdfPageCounter = countPagesInProcess,
): Promise<{ mimeType: DocumentMimeType; pageCount: number }> {
  const mimeType = sniffDocument(bytes, fileName);
  if (mimeType === 'application/xml') {
    // Read it now: a malformed, hostile or oversized e-invoice is refused at upload with the reason.
    readEInvoiceXml(bytes);
    return { mimeType, pageCount: 0 };
  }
  if (mimeType !== 'application/pdf') return { mimeType, pageCount: 1 };
  const pageCount = await countPdfPages(bytes, fileName);
  if (pageCount < 1) throw new DocumentError('no_pages', 'The PDF has no pages.');
  return { mimeType: 'application/pdf', pageCount };
}

/** The document's type from its first bytes (and, for a PDF, its last): no parsing, no rendering. */
export function sniffDocument(bytes: Uint8Array, fileName: string): DocumentMimeType {
  if (bytes.length === 0) throw new DocumentError('empty', 'The file is empty.');

  const image = SIGNATURES.find((s) => startsWith(bytes, s.bytes));
  if (image) return image.mimeType;
  // E-invoices (CII, ZUGFeRD 1, UBL) by their root element; any other XML is refused below.
  if (isEInvoiceXml(bytes)) return 'application/xml';

  // Readers tolerate a PDF header anywhere in the first 1024 bytes and anything after %%EOF; we do not, as
  // that is how a ZIP or a web page passes for a PDF (a polyglot): the file must be a PDF from its first
  // byte to its last, and pdf.js must then open it (the page count, in the sandbox).
  if (
    !startsWith(
      bytes,
      [...PDF_HEADER].map((ch) => ch.charCodeAt(0)),
    )
  ) {
    throw new DocumentError(
      'unsupported_type',
      `${fileName} is not a PDF or image (it looks like ${describe(bytes)}).`,
    );
  }
  const tail = latin1(bytes.subarray(Math.max(0, bytes.length - 2048)));
  const eof = tail.lastIndexOf(EOF_MARKER);
  if (eof < 0) {
    throw new DocumentError(
      'truncated',
      'The PDF is truncated or damaged: it does not end with the %%EOF marker, so part of the file is probably missing. Try downloading or exporting it again.',
    );
  }
  if (!/^[\s\0]*$/.test(tail.slice(eof + EOF_MARKER.length))) {
    throw new DocumentError(
      'corrupt',
      `${fileName} has other data after the end of the PDF (it may be a PDF joined to another file); export or print it to PDF again.`,
    );
  }
  return 'application/pdf';
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function latin1(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}

function describe(bytes: Uint8Array): string {
  const known = LOOKALIKES.find((l) => startsWith(bytes, l.bytes));
  if (known) return known.name;
  if (latin1(bytes.subarray(4, 8)) === 'ftyp') return 'a HEIC photo or a video';
  // stream: a multi-byte character cut at byte 512 is not a decoding error
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 512), { stream: true }).trimStart();
  if (/^<\?xml/i.test(head)) return describeNonInvoiceXml(bytes);
  if (/^<(!doctype html|html)/i.test(head)) return 'a web page (HTML)';
  // Text: no control characters other than tabs and line breaks, and it decodes as UTF-8.
  if (!/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(head)) return 'a text file';
  return 'an unknown format';
}
