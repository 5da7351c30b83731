-- What clerks' corrections taught us about each vendor's invoices (extract/learned.ts): one row per
-- corrected field of a review decision, so recording the same decision twice learns nothing new.
-- The vendor is recognised by any of its identity columns; forgetting a vendor is deleting its rows.
create table if not exists vendor_patterns (
  id              bigserial primary key,
  decision_id     text not null,
  invoice_id      text not null references invoices(id) on delete cascade,
  field           text not null,
  -- vendor identity, as read from the corrected invoice (normalised; null when not printed)
  tax_id          text,
  email_domain    text,
  name_key        text,
  layout_hash     text,
  -- where the right value was printed (label, relation, region, shape) and what had been read instead
  pattern         jsonb not null,
  created_at      timestamptz not null default now(),
  unique (decision_id, field),
  check (tax_id is not null or email_domain is not null or name_key is not null or layout_hash is not null)
);
create index if not exists vendor_patterns_tax_id_idx on vendor_patterns (tax_id) where tax_id is not null;
create index if not exists vendor_patterns_email_domain_idx on vendor_patterns (email_domain) where email_domain is not null;
create index if not exists vendor_patterns_name_key_idx on vendor_patterns (name_key) where name_key is not null;
create index if not exists vendor_patterns_layout_hash_idx on vendor_patterns (layout_hash) where layout_hash is not null;
