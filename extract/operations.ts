// What a sandbox thread (extract/sandbox-worker.ts) does with one untrusted document, by operation; the
// in-process stage runs the same code on the caller's thread. Every operation here opens the document.
import { findEmbeddedEInvoice, type EmbeddedLookup } from './einvoice/pdf.js';
import { DocumentError } from './errors.js';
import { checkBytes, type ExtractionLimits } from './limits.js';
import type { PagesOptions } from './pages.js';
import { withPdf } from './pdf-text.js';
import { renderPdfPagesToPng } from './render.js';
import type { SandboxOperation, SandboxResults } from './sandbox.js';
import { sniffDocument } from './validate.js';
import { extractVisual } from './visual.js';

export async function runOperation<Op extends SandboxOperation>(
  operation: Op,
  bytes: Uint8Array,
  fileName: string,
  context: PagesOptions & { limits: ExtractionLimits },
): Promise<SandboxResults[Op['op']]> {
  const result = await dispatch(operation, bytes, fileName, context);
  return result as SandboxResults[Op['op']];
}

async function dispatch(operation: SandboxOperation, bytes: Uint8Array, fileName: string, context: PagesOptions & { limits: ExtractionLimits }) {
  switch (operation.op) {
    case 'read':
      return extractVisual(bytes, fileName, context);
    case 'inspect':
      return { pageCount: await countPdfPages(bytes, fileName, context.limits) };
    case 'embedded-xml':
      return embeddedEInvoice(bytes, fileName, context.limits);
    case 'render':
      checkBytes(bytes.length, context.limits);
      requirePdf(bytes, fileName);
      return renderPdfPagesToPng(bytes, operation.pages.slice(0, context.limits.maxPages));
  }
}

/** Opens the PDF and counts its pages (pdf.js walks the page tree; no page is read). */
async function countPdfPages(bytes: Uint8Array, fileName: string, limits: ExtractionLimits): Promise<number> {
  checkBytes(bytes.length, limits);
  requirePdf(bytes, fileName);
  return withPdf(bytes, async (pdf) => pdf.numPages);
}

/** A hybrid PDF's embedded e-invoice; a PDF whose embedded files cannot be listed has none usable. */
async function embeddedEInvoice(bytes: Uint8Array, fileName: string, limits: ExtractionLimits): Promise<EmbeddedLookup> {
  checkBytes(bytes.length, limits);
  if (sniffDocument(bytes, fileName) !== 'application/pdf') return { kind: 'none' };
  return findEmbeddedEInvoice(bytes).catch((err: unknown): EmbeddedLookup => ({
    kind: 'unusable',
    reason: `The PDF's embedded files cannot be listed (${err instanceof Error ? err.message : String(err)}).`,
  }));
}

function requirePdf(bytes: Uint8Array, fileName: string): void {
  const type = sniffDocument(bytes, fileName);
  if (type !== 'application/pdf') throw new DocumentError('unsupported_type', `${fileName} is not a PDF (it is ${type}).`);
}
