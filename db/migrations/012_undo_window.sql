-- How long a clerk's approval can be taken back (Undo) before the sync to Plex starts, as an admin set it
-- on the Settings page; null = the environment's UNDO_WINDOW (default 20s); 0s turns the undo window off.
alter table settings add column undo_window text check (undo_window ~ '^\d+(ms|s|m|h|d)$');
