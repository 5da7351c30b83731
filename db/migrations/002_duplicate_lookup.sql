-- Duplicate detection in the match stage (db/duplicates.ts): an invoice number compared without case,
-- spaces or punctuation, and the near-duplicate lookup by invoice date and total.
create index invoices_invoice_number_key_idx
  on invoices ((upper(regexp_replace(invoice_number, '[^A-Za-z0-9]', '', 'g'))));
create index invoices_date_total_idx on invoices (invoice_date, total);
