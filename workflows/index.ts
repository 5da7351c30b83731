// Workflow entry points registered with the worker.
export { invoiceWorkflow } from './invoice.js';
