-- An invoice row is the outbox entry of its workflow start: the upload commits the row first, then starts
-- the workflow and stamps workflow_started_at. A row left without it (Temporal was down, or the web process
-- died in between) is started later by the worker's reconciler (worker/reconciler.ts).
alter table invoices add column workflow_started_at timestamptz;
-- Rows that already moved past 'received' were moved by their workflow.
update invoices set workflow_started_at = created_at where status <> 'received';
create index invoices_workflow_pending_idx on invoices (created_at, id) where workflow_started_at is null;
