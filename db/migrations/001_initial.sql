-- PlexSync read model. The Temporal workflow is the source of truth for each invoice's process;
-- these tables serve pages, the JSON API, analytics and the audit trail. Every write from an
-- activity is keyed so a retried activity never creates a second row.

create table documents (
  sha256          text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  bytes           bytea not null,
  size_bytes      integer not null check (size_bytes > 0),
  mime_type       text not null,
  page_count      integer not null,
  file_name       text not null,
  created_at      timestamptz not null default now()
);

create table users (
  id              bigserial primary key,
  email           text not null unique check (email = lower(email)),
  display_name    text not null,
  password_hash   text not null,
  role            text not null check (role in ('clerk', 'ops', 'admin')),
  disabled        boolean not null default false,
  failed_logins   integer not null default 0,
  locked_until    timestamptz,
  created_at      timestamptz not null default now()
);

create table sessions (
  id_hash         text primary key,
  user_id         bigint not null references users(id) on delete cascade,
  csrf_token      text not null,
  created_at      timestamptz not null default now(),
  last_seen_at    timestamptz not null default now(),
  expires_at      timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id              bigserial primary key,
  name            text not null,
  token_hash      text not null unique,
  user_id         bigint references users(id) on delete cascade,
  scopes          text[] not null default '{}',
  created_at      timestamptz not null default now(),
  last_used_at    timestamptz,
  revoked_at      timestamptz
);

create table invoices (
  id              text primary key,
  document_sha256 text not null unique references documents(sha256),
  file_name       text not null,
  status          text not null,
  uploaded_by     text not null,
  vendor_name     text,
  invoice_number  text,
  po_number       text,
  currency        text,
  total           numeric(18, 2),
  invoice_date    date,
  confidence      real,
  auto_approved   boolean,
  escalated_at    timestamptz,
  synced_at       timestamptz,
  last_error      text,
  -- millisecond precision so the keyset cursor (a JS Date) round-trips exactly
  created_at      timestamptz not null default date_trunc('milliseconds', clock_timestamp()),
  updated_at      timestamptz not null default now()
);
create index invoices_created_idx on invoices (created_at desc, id desc);
create index invoices_status_created_idx on invoices (status, created_at desc, id desc);

create table extractions (
  invoice_id      text primary key references invoices(id) on delete cascade,
  extractor       text not null,
  confidence      real not null,
  extraction      jsonb not null,
  updated_at      timestamptz not null default now()
);

create table matches (
  invoice_id      text primary key references invoices(id) on delete cascade,
  status          text not null,
  score           real not null,
  po_id           text,
  placeholder_id  text,
  result          jsonb not null,
  updated_at      timestamptz not null default now()
);

create table review_decisions (
  id              text primary key,
  invoice_id      text not null references invoices(id) on delete cascade,
  action          text not null check (action in ('approve', 'reject', 'send_back', 'auto_approve')),
  actor           text not null,
  reason          text,
  corrections     jsonb not null default '{}',
  created_at      timestamptz not null default now()
);
create index review_decisions_invoice_idx on review_decisions (invoice_id, created_at);

create table sync_operations (
  id              text primary key,
  invoice_id      text not null references invoices(id) on delete cascade,
  round           integer not null,
  attempt         integer not null,
  placeholder_id  text not null,
  invoice_number  text not null,
  outcome         text not null check (outcome in ('written', 'already_applied', 'failed')),
  request         jsonb,
  response        jsonb,
  error           text,
  error_type      text,
  started_at      timestamptz not null,
  finished_at     timestamptz not null default now()
);
create index sync_operations_invoice_idx on sync_operations (invoice_id, started_at);

-- Tamper-evident: each row's hash covers its content and the previous row's hash, so editing or
-- deleting any row breaks every hash after it (`plexsync audit verify`).
create table audit_log (
  seq             bigserial primary key,
  event_key       text not null unique,
  invoice_id      text,
  kind            text not null,
  actor           text not null,
  data            jsonb not null,
  created_at      timestamptz not null,
  prev_hash       text not null,
  hash            text not null unique
);
create index audit_log_invoice_idx on audit_log (invoice_id, seq);
