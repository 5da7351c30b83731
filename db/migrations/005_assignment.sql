-- Clerks take invoices: who is working on one, for the queue's "assigned to me" filter.
alter table invoices add column if not exists assigned_to text;
create index if not exists invoices_assigned_created_idx on invoices (assigned_to, created_at desc, id desc) where assigned_to is not null;
