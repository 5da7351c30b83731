-- Comments and questions on an invoice (views/comments.tsx, api/routes/comments.tsx). A question pauses the
-- invoice's escalation clock until someone marks it answered (QUESTIONS_PAUSE_ESCALATION). The thread is
-- append-only: nothing edits or deletes a comment, and each comment, question and answer is also in the
-- hash-chained audit_log.
create table invoice_comments (
  id           bigserial primary key,
  invoice_id   text not null references invoices(id) on delete cascade,
  -- who wrote it, as every other actor in PlexSync: the user's email, or `token:<name>` for an API token
  author       text not null,
  body         text not null check (length(btrim(body)) between 1 and 4000),
  kind         text not null default 'comment' check (kind in ('comment', 'question')),
  -- the users the text @mentions, by email, resolved against `users` when the comment was written
  mentions     text[] not null default '{}',
  created_at   timestamptz not null default now(),
  answered_at  timestamptz,
  answered_by  text,
  -- the form's one-time key (or the API's Idempotency-Key): a resubmitted post stores the comment once
  request_key  text,
  unique (invoice_id, request_key),
  check (kind = 'question' or answered_at is null),
  check ((answered_at is null) = (answered_by is null))
);
-- The thread in time order; and the open questions (the page's banner, the API).
create index invoice_comments_invoice_idx on invoice_comments (invoice_id, created_at, id);
create index invoice_comments_open_questions_idx on invoice_comments (invoice_id) where kind = 'question' and answered_at is null;

-- A mentioned user is told by the existing channels; its messages are notification rows like any other.
alter table notifications drop constraint if exists notifications_event_check;
alter table notifications add constraint notifications_event_check
  check (event in ('escalated', 'sync_failed', 'digest', 'mention'));
