// What a reader process (extract/sandbox-worker.ts) does with one untrusted document, by operation; the
// in-process stage runs the same code on the caller's thread. Every operation here opens the document.
import { cutImageParts, cutPdfParts } from './cut.js';
import { DocumentError } from './errors.js';
import { checkBytes, type ExtractionLimits } from './limits.js';
import type { PagesOptions } from './pages.js';
import { withPdf } from './pdf-text.js';
import { renderPdfPagesToPng } from './render.js';
import type { SandboxOperation, SandboxResults } from './sandbox.js';
import { sniffDocument } from './validate.js';
import { embeddedEInvoiceOf, extractVisual } from './visual.js';

export async function runOperation<Op extends SandboxOperation>(
  operation: Op,
  bytes: Uint8Array,
  fileName: string,
  context: PagesOptions & { limits: ExtractionLimits },
): Promise<SandboxResults[Op['op']]> {
  const result = await dispatch(operation, bytes, fileName, context);
  return result as SandboxResults[Op['op']];
}

async function dispatch(
  operation: SandboxOperation,
  bytes: Uint8Array,
  fileName: string,
  context: PagesOptions & { limits: ExtractionLimits },
) {
  switch (operation.op) {
    case 'read':
      return extractVisual(bytes, fileName, context);
    case 'inspect':
      return { pageCount: await countPdfPages(bytes, fileName, context.limits) };
    case 'embedded-xml':
      checkBytes(bytes.length, context.limits);
      return embeddedEInvoiceOf(bytes, fileName);
    case 'render':
      checkBytes(bytes.length, context.limits);
      requirePdf(bytes, fileName);
      return renderPdfPagesToPng(bytes, operation.pages.slice(0, context.limits.maxPages));
    case 'cut': {
      checkBytes(bytes.length, context.limits);
      // a scanner's batch: a multi-page TIFF's frames become image-only PDFs
      if (sniffDocument(bytes, fileName) === 'image/tiff')
        return cutImageParts(bytes, operation.ranges, context.limits.maxPixelsPerPage);
      requirePdf(bytes, fileName);
      return cutPdfParts(bytes, operation.ranges);
    }
  }
}

/** Opens the PDF and counts its pages (pdf.js walks the page tree; no page is read). */
async function countPdfPages(bytes: Uint8Array, fileName: string, limits: ExtractionLimits): Promise<number> {
  checkBytes(bytes.length, limits);
  requirePdf(bytes, fileName);
  return withPdf(bytes, (pdf) => Promise.resolve(pdf.numPages));
}

function requirePdf(bytes: Uint8Array, fileName: string): void {
  const type = sniffDocument(bytes, fileName);
  if (type !== 'application/pdf')
    throw new DocumentError('unsupported_type', `${fileName} is not a PDF (it is ${type}).`);
}
