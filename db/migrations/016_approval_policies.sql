-- Approval policies (domain/policy.ts): every save is a new version; the version in force is the newest.
-- An invoice records the version in force when it arrived (in its workflow input) and keeps it.
create table approval_policies (
  version     integer primary key check (version >= 1),
  policy      jsonb not null,
  created_by  text not null,
  created_at  timestamptz not null default now()
);

-- "Away from–to, delegate to": steps a user may approve go to their delegate in that window
-- ([starts_at, ends_at)). Cancelling keeps the row, so the audit log and past approvals still explain.
create table delegations (
  id              bigserial primary key,
  user_email      text not null check (user_email = lower(user_email)),
  delegate_email  text not null check (delegate_email = lower(delegate_email)),
  starts_at       timestamptz not null,
  ends_at         timestamptz not null,
  created_by      text not null,
  created_at      timestamptz not null default now(),
  cancelled_at    timestamptz,
  cancelled_by    text,
  check (ends_at > starts_at),
  check (user_email <> delegate_email)
);
-- "Who delegated to me now" (the review Update's claim) and "my delegations" (the Delegation page).
create index delegations_delegate_idx on delegations (delegate_email, ends_at) where cancelled_at is null;
create index delegations_user_idx on delegations (user_email, ends_at desc);

-- The approval step an invoice waits on (written by the workflow): rule, step, approvals so far and who
-- may not approve (four eyes), for the queue's "waits on" and the "Waiting for me" list. Null when the
-- invoice waits on no policy step.
alter table invoices add column approval jsonb;
create index invoices_waiting_step_idx on invoices (created_at desc, id desc) where approval is not null;
