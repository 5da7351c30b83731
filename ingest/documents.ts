// The one way an ingested file becomes an invoice: the same path as an upload (services/invoices.ts:
// type check by bytes, stored by hash, invoice row, workflow started with the id `inv-<sha256 prefix>`),
// so a restart, a re-send or the same file from another channel can never start a second invoice.
import { createHash } from 'node:crypto';
import { InvoiceInputError, invoiceIdFor, type InvoiceService } from '../services/invoices.js';

export type DocumentOutcome =
  | { kind: 'invoice'; invoiceId: string }
  | { kind: 'already_received'; invoiceId: string; reason: string }
  | { kind: 'rejected'; reason: string };

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

/** Refusals we decide before the file reaches the invoice service. */
export function precheck(bytes: Uint8Array, maxBytes: number): string | undefined {
  if (bytes.byteLength === 0) return 'The file is empty.';
  if (bytes.byteLength > maxBytes)
    return `The file is ${formatBytes(bytes.byteLength)}; the limit for ingested files is ${formatBytes(maxBytes)}.`;
  return undefined;
}

export async function ingestDocument(
  invoices: InvoiceService,
  file: { bytes: Uint8Array; fileName: string; uploadedBy: string; maxBytes: number },
): Promise<DocumentOutcome> {
  const refused = precheck(file.bytes, file.maxBytes);
  if (refused) return { kind: 'rejected', reason: refused };
  try {
    const result = await invoices.ingest({ bytes: file.bytes, fileName: file.fileName }, file.uploadedBy);
    if (result.duplicate) {
      return {
        kind: 'already_received',
        invoiceId: result.invoiceId,
        reason: `The same file is already invoice ${result.invoiceId}.`,
      };
    }
    return { kind: 'invoice', invoiceId: result.invoiceId };
  } catch (err) {
    // What a user could fix (not a PDF/image, damaged, too large for uploads) is the file's outcome;
    // anything else (database, Temporal) is thrown so the activity retries.
    if (err instanceof InvoiceInputError) return { kind: 'rejected', reason: err.message };
    throw err;
  }
}

export { invoiceIdFor };
