-- Login throttling replaces account lockout: failures are counted per source address, per account from
-- an address, and per account from everywhere, each with growing delays (api/auth/login-throttle.ts), so
-- nobody can lock another person out and an unknown email is throttled exactly like a real one.
create table login_throttle (
  key             text primary key,
  failures        integer not null check (failures > 0),
  last_failure_at timestamptz not null,
  blocked_until   timestamptz
);
create index login_throttle_last_failure_idx on login_throttle (last_failure_at);

alter table users drop column failed_logins, drop column locked_until;

-- Single sign-on: a user signed in through OpenID Connect is the provider's (issuer, subject), never
-- merely an email address. Such users may have no local password (password_hash '').
alter table users add column oidc_issuer text, add column oidc_subject text;
create unique index users_oidc_identity_idx on users (oidc_issuer, oidc_subject) where oidc_subject is not null;
