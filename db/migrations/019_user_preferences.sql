-- A user's own preferences. Keyboard shortcuts (single keys on the review page) can be turned off
-- (WCAG 2.1.4: character-key shortcuts must be possible to switch off).
alter table users add column if not exists keyboard_shortcuts boolean not null default true;
