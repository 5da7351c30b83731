// Pages of a PDF as PDFs of their own (a file that held several invoices, one PDF per invoice). Runs in a
// reader process like every operation that opens an untrusted document (extract/operations.ts).
import { PDFDocument } from 'pdf-lib';

/** One part to cut: its pages (1-based, inclusive) and the subject written into it. */
export interface CutRange { fromPage: number; toPage: number; subject: string }

/**
 * The pages as a PDF. The same pages of the same file with the same subject give the same bytes (no dates
 * or ids are written), so a retried cut finds the invoice it made before; the subject names the file and
 * the split round, so a part cut again in a later round is a new invoice.
 */
export async function cutPdf(bytes: Uint8Array, fromPage: number, toPage: number, subject: string): Promise<Uint8Array> {
  const source = await PDFDocument.load(bytes, { updateMetadata: false });
  const part = await PDFDocument.create({ updateMetadata: false });
  part.setSubject(subject);
  const indices = Array.from({ length: toPage - fromPage + 1 }, (_, i) => fromPage - 1 + i);
  for (const page of await part.copyPages(source, indices)) part.addPage(page);
  return part.save({ useObjectStreams: false });
}

export async function cutPdfParts(bytes: Uint8Array, ranges: CutRange[]): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for (const r of ranges) parts.push(await cutPdf(bytes, r.fromPage, r.toPage, r.subject));
  return parts;
}
