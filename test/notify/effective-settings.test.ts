// What is in force: values saved on the Notifications page where set, the environment elsewhere; the
// daily digest's time follows the page, "off" there overrides NOTIFY_DIGEST_AT.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../config/index.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  effectiveNotificationSettings,
  StoredNotificationSettings,
} from '../../db/notification-settings.js';

const env = (extra: Record<string, string> = {}) =>
  loadConfig({
    NOTIFY_DIGEST_AT: '08:30',
    NOTIFY_DIGEST_TIMEZONE: 'Europe/Paris',
    SMTP_HOST: 'mail.example.test',
    ...extra,
  }).notify;

test('nothing saved: the digest and SMTP come from the environment', () => {
  const e = effectiveNotificationSettings(DEFAULT_NOTIFICATION_SETTINGS, env());
  assert.deepEqual(e.digest, { at: '08:30', timeZone: 'Europe/Paris', setHere: false });
  assert.equal(e.email.smtp.host, 'mail.example.test');
  assert.deepEqual(effectiveNotificationSettings(DEFAULT_NOTIFICATION_SETTINGS, loadConfig({}).notify).digest, {
    at: undefined,
    timeZone: 'UTC',
    setHere: false,
  });
});

test('a time or zone saved on the page wins; "off" turns the digest off whatever the environment says', () => {
  assert.deepEqual(
    effectiveNotificationSettings({ ...DEFAULT_NOTIFICATION_SETTINGS, digestAt: '06:00' }, env()).digest,
    { at: '06:00', timeZone: 'Europe/Paris', setHere: true },
  );
  assert.deepEqual(
    effectiveNotificationSettings({ ...DEFAULT_NOTIFICATION_SETTINGS, digestTimeZone: 'Asia/Tokyo' }, env()).digest,
    { at: '08:30', timeZone: 'Asia/Tokyo', setHere: true },
  );
  assert.deepEqual(effectiveNotificationSettings({ ...DEFAULT_NOTIFICATION_SETTINGS, digestAt: 'off' }, env()).digest, {
    at: undefined,
    timeZone: 'Europe/Paris',
    setHere: true,
  });
});

test('the stored schema refuses a time outside the clock and an unknown zone', () => {
  const parse = (over: Partial<StoredNotificationSettings>) =>
    StoredNotificationSettings.safeParse({ ...DEFAULT_NOTIFICATION_SETTINGS, ...over });
  assert.ok(parse({ digestAt: '23:59', digestTimeZone: 'America/Chicago' }).success);
  for (const digestAt of ['24:00', '7:45', '07:60', 'noon']) assert.equal(parse({ digestAt }).success, false, digestAt);
  assert.equal(parse({ digestTimeZone: 'Mars/Olympus' }).success, false);
});
