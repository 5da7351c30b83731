-- A Plex PUT whose answer never came may still land later (Plex has no conditional write to fence it).
-- Before a sync attempt's PUT goes out, its row is saved with outcome 'writing', the body and the time
-- until which that write could still land; a later attempt waits out that time, then compares the
-- record with the body it sent before writing again. The time is cleared once Plex answered the PUT.
alter table sync_operations drop constraint sync_operations_outcome_check;
alter table sync_operations add constraint sync_operations_outcome_check
  check (outcome in ('writing', 'written', 'already_applied', 'failed'));
alter table sync_operations add column write_body jsonb;
alter table sync_operations add column write_sent_at timestamptz;
alter table sync_operations add column write_may_land_until timestamptz;
