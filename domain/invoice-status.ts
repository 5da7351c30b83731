// An invoice's statuses, as its workflow moves it along (domain/invoice.ts has the schema the web parses
// them with). Without zod, so that the workflow code can use it (domain/workflow-inputs.ts says why).
export const INVOICE_STATUSES = [
  'received',
  'parsing',
  'matching',
  'awaiting_review',
  'escalated', // still awaiting review, past the escalation SLA
  'on_hold', // a clerk holds it for goods receipt: the match runs again on a schedule until a placeholder appears
  'approved',
  'syncing',
  'sync_failed', // parked until ops replay it
  'synced',
  'rejected',
  'split', // the file held several invoices: each part runs as an invoice of its own, this one ends
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/** The statuses in which a clerk or approver may decide. */
export const REVIEWABLE: readonly InvoiceStatus[] = ['awaiting_review', 'escalated', 'on_hold'];
