-- A file that held several invoices is split into parts, each an invoice of its own (a PDF of its pages).
-- One row per part and split round: round 1 is the reading's split, each moved split (a clerk's) a new
-- round. The part's invoice id is derived from its bytes, so the row is written before the part's invoice
-- exists (its workflow reads the row to know it is a part); hence no foreign key on part_invoice_id.
create table invoice_parts (
  source_invoice_id text not null references invoices (id),
  round             int not null check (round >= 1),
  position          int not null check (position >= 1),
  part_invoice_id   text not null,
  from_page         int not null check (from_page >= 1),
  to_page           int not null check (to_page >= from_page),
  evidence          jsonb not null default '[]',
  created_by        text not null,
  created_at        timestamptz not null default now(),
  primary key (source_invoice_id, round, position)
);
create index invoice_parts_part_idx on invoice_parts (part_invoice_id);
