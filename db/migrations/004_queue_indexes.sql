-- Indexes for the queue page's filters: vendor prefix (case-insensitive) and PO number, each ordered
-- like the keyset pagination so a filtered page reads only the rows it shows.
create index if not exists invoices_vendor_prefix_idx on invoices (lower(vendor_name) text_pattern_ops, created_at desc, id desc);
create index if not exists invoices_po_created_idx on invoices (po_number, created_at desc, id desc);
