// Split stage: a file that held several invoices is cut into one invoice per part (services/document-parts.ts).
import { ApplicationFailure } from '@temporalio/activity';
import { DocumentError } from '../extract/errors.js';
import type { SplitPart } from '../domain/invoice.js';
import { splitDocument } from '../services/document-parts.js';
import { InvoiceInputError } from '../services/invoices.js';
import type { ActivityDeps } from './deps.js';

export function createSplitActivities({ sql, invoices }: ActivityDeps) {
  return {
    async splitDocument(input: {
      invoiceId: string;
      parts: Array<{ fromPage: number; toPage: number; evidence: string[] }>;
    }): Promise<SplitPart[]> {
      if (!invoices)
        throw ApplicationFailure.create({
          type: 'SplitUnavailable',
          nonRetryable: true,
          message: 'This worker cannot start invoices, so the file cannot be split.',
        });
      try {
        return await splitDocument({ sql, invoices }, input.invoiceId, input.parts);
      } catch (err) {
        // A part the service refuses (not a PDF, too large) will not be accepted on a retry either.
        if (err instanceof InvoiceInputError || err instanceof DocumentError)
          throw ApplicationFailure.create({ type: 'SplitRefused', nonRetryable: true, message: err.message });
        throw err;
      }
    },
  };
}
