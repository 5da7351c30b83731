// One invoice's lifecycle: parse → (split, when the file holds several invoices) → match → review (auto or clerk, with escalation) → Plex sync → audit.
// The stages are InvoiceProcess's methods (invoice-process.ts); the messages it accepts are in
// invoice-messages.ts. A failed sync that a clerk re-matches comes back to review.
import type { InvoiceState } from '../domain/invoice.js';
import { checked, InvoiceWorkflowInput } from '../domain/workflow-inputs.js';
import { InvoiceProcess } from './invoice-process.js';
import { handleMessages } from './invoice-messages.js';

export async function invoiceWorkflow(rawInput: InvoiceWorkflowInput): Promise<InvoiceState> {
  const invoice = new InvoiceProcess(checked(InvoiceWorkflowInput, rawInput, 'input'));
  handleMessages(invoice);
  await invoice.parse();
  if (await invoice.split()) return invoice.state;
  await invoice.match();
  for (;;) {
    const review = await invoice.review();
    if (review.outcome === 'rejected') return invoice.state;
    if ((await invoice.sync(review.target)) !== 'rematch') return invoice.state;
  }
}
