-- Ingestion: invoices that arrive by email (IMAP mailboxes) or are dropped into a watched folder.
-- Every message and file is recorded before anything is started from it, so a worker that dies between
-- fetching and moving a message finds the record on its next run and only finishes the move.

create table ingest_mailboxes (
  id                 text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  name               text not null,
  host               text not null,
  port               integer not null check (port between 1 and 65535),
  tls                boolean not null,
  username           text not null,
  -- AES-256-GCM with a key from INGEST_SECRET_KEY; null for the mailbox configured in the environment,
  -- whose password is only ever read from there.
  password_encrypted text,
  from_env           boolean not null default false,
  folder             text not null default 'INBOX',
  processed_folder   text not null default 'Processed',
  allowed_senders    text[] not null default '{}',
  enabled            boolean not null default true,
  -- Poller state: the last UID handled under this UIDVALIDITY (a new UIDVALIDITY starts from 0).
  uid_validity       bigint,
  last_seen_uid      bigint not null default 0,
  idle_supported     boolean,
  last_poll_at       timestamptz,
  last_poll_ok       boolean,
  last_error         text,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);

create table ingest_messages (
  id             bigserial primary key,
  mailbox_id     text not null references ingest_mailboxes(id) on delete cascade,
  uid_validity   bigint not null,
  uid            bigint not null,
  -- The Message-ID, or 'sha256:<hash of the raw message>' when it has none.
  message_key    text not null,
  message_id     text,
  sender         text,
  subject        text,
  sent_at        timestamptz,
  size_bytes     integer,
  status         text not null check (status in ('received', 'ingested', 'duplicate', 'skipped', 'failed')),
  reason         text,
  settled        text check (settled in ('moved', 'flagged', 'gone')),
  settle_note    text,
  settled_at     timestamptz,
  created_at     timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
  updated_at     timestamptz not null default now(),
  unique (mailbox_id, uid_validity, uid)
);
create index ingest_messages_key_idx on ingest_messages (mailbox_id, message_key);
create index ingest_messages_created_idx on ingest_messages (created_at desc, id desc);

create table ingest_attachments (
  message_row    bigint not null references ingest_messages(id) on delete cascade,
  sha256         text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  file_name      text not null,
  mime_type      text,
  size_bytes     integer not null,
  outcome        text not null check (outcome in ('pending', 'invoice', 'already_received', 'resent', 'rejected')),
  invoice_id     text,
  reason         text,
  created_at     timestamptz not null default now(),
  primary key (message_row, sha256)
);
create index ingest_attachments_invoice_idx on ingest_attachments (invoice_id) where invoice_id is not null;

create table ingest_folders (
  path           text primary key,
  last_scan_at   timestamptz,
  last_error     text,
  waiting_files  integer not null default 0,
  updated_at     timestamptz not null default now()
);

create table ingest_files (
  id             bigserial primary key,
  folder         text not null,
  file_name      text not null,
  sha256         text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes     bigint not null,
  status         text not null check (status in ('received', 'ingested', 'duplicate', 'failed')),
  invoice_id     text,
  reason         text,
  moved_to       text,
  moved_at       timestamptz,
  created_at     timestamptz not null default date_trunc('milliseconds', clock_timestamp())
);
-- One unfinished record per file: a worker that died before the move resumes this one.
create unique index ingest_files_unfinished_idx on ingest_files (folder, file_name, sha256) where moved_at is null;
create index ingest_files_invoice_idx on ingest_files (invoice_id) where invoice_id is not null;
create index ingest_files_created_idx on ingest_files (created_at desc, id desc);
