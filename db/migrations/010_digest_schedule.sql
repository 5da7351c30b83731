-- The daily digest's time and time zone, set on the Notifications page. Null: NOTIFY_DIGEST_AT /
-- NOTIFY_DIGEST_TIMEZONE apply. digest_at 'off' turns the digest off whatever the environment says.
alter table notification_settings
  add column digest_at text check (digest_at = 'off' or digest_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  add column digest_time_zone text;
