-- One Plex call budget for every worker process sharing a Plex key (db/plex-call-budget.ts): each call's
-- start is recorded; a call may start when fewer than the limit started within the rolling window.
create table plex_call_starts (
  id          bigserial primary key,
  budget      text not null,
  started_at  timestamptz not null default clock_timestamp()
);
create index plex_call_starts_budget_started on plex_call_starts (budget, started_at);
