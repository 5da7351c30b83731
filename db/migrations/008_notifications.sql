-- Notifications (notify/, activities/notify.ts): who hears about escalations, failed syncs and the daily
-- digest, and every message sent. Secrets (SMTP password) never live here: they come from the environment.

-- One row at most, edited on the Notifications page. A null column means "not set here": the value comes
-- from the environment (SMTP_*, NOTIFY_*) or the built-in default.
create table notification_settings (
  singleton          boolean primary key default true check (singleton),
  email_enabled      boolean not null default true,
  webhook_enabled    boolean not null default true,
  -- roles whose active users receive each event by email; extra addresses are added to them
  escalation_roles   text[] not null default '{admin,clerk}' check (escalation_roles <@ '{clerk,ops,admin}'),
  escalation_extra   text[] not null default '{}',
  sync_failed_roles  text[] not null default '{ops}' check (sync_failed_roles <@ '{clerk,ops,admin}'),
  sync_failed_extra  text[] not null default '{}',
  digest_roles       text[] not null default '{clerk}' check (digest_roles <@ '{clerk,ops,admin}'),
  digest_extra       text[] not null default '{}',
  -- a Slack/Teams incoming-webhook URL is a credential: the page shows only its host once saved
  webhook_url        text check (webhook_url ~ '^https?://'),
  smtp_host          text,
  smtp_port          integer check (smtp_port between 1 and 65535),
  smtp_secure        boolean,
  smtp_user          text,
  smtp_from          text,
  updated_by         text not null,
  updated_at         timestamptz not null default now()
);

-- One row per message to one recipient over one channel. `key` is the natural key
-- (workflow id + event + channel + recipient): a retried activity finds its row and never sends twice
-- once the row says sent. State machine: pending → sending → sent | failed (sending → pending when the
-- server answered "try later"; a row found in `sending` by a retry means the earlier attempt's outcome is
-- unknown — see README "Notifications").
create table notifications (
  id                 bigserial primary key,
  key                text not null unique,
  invoice_id         text references invoices(id) on delete cascade,
  event              text not null check (event in ('escalated', 'sync_failed', 'digest')),
  channel            text not null check (channel in ('email', 'webhook')),
  -- email address, or the webhook's origin (never the full URL: it carries the secret)
  recipient          text not null,
  status             text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts           integer not null default 0,
  -- email: the deterministic Message-ID; webhook: the Idempotency-Key header
  message_id         text not null,
  subject            text not null,
  provider_response  text,
  error              text,
  -- set when an attempt found the row in `sending` and sent again (a duplicate was possible)
  resent_after_unknown boolean not null default false,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  sent_at            timestamptz
);
create index notifications_invoice_idx on notifications (invoice_id, created_at) where invoice_id is not null;
