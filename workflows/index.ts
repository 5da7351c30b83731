// Workflow entry points registered with the worker.
export { invoiceWorkflow } from './invoice.js';
export { mailboxPoller } from './mailbox.js';
export { folderWatcher } from './folder.js';
export { notificationWorkflow } from './notify.js';
export { digestWorkflow } from './digest.js';
