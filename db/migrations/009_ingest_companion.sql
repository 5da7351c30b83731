-- An email that carries an e-invoice XML often carries a PDF rendering of the same invoice too. The XML is
-- the invoice (exact data); the message's other attachments are recorded as its companions, linked to the
-- XML's invoice and not read as invoices of their own (ingest/mail.ts).
alter table ingest_attachments drop constraint ingest_attachments_outcome_check;
alter table ingest_attachments add constraint ingest_attachments_outcome_check
  check (outcome in ('pending', 'invoice', 'already_received', 'resent', 'rejected', 'companion'));
