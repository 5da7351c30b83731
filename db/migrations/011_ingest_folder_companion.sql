-- The watched folder's companion rule, like email's (009): an e-invoice XML and the files with the same
-- base name dropped with it (INV-1.xml + INV-1.pdf) are one invoice. When the XML becomes (or already is)
-- an invoice, its record keeps the names of those files as they were in the inbox at that moment; each is
-- then recorded `companion`, linked to the XML's record and invoice, and moved to processed/ with a reason
-- file instead of being read as an invoice of its own (ingest/folder.ts).
alter table ingest_files drop constraint ingest_files_status_check;
alter table ingest_files add constraint ingest_files_status_check
  check (status in ('received', 'ingested', 'duplicate', 'failed', 'companion'));
alter table ingest_files add column companion_names text[] not null default '{}';
alter table ingest_files add column companion_of bigint references ingest_files(id);
-- A file being taken looks for the e-invoice that listed its name.
create index ingest_files_companion_names_idx on ingest_files using gin (companion_names) where cardinality(companion_names) > 0;
