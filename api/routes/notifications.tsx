// The Notifications settings page (admins change, ops read) and its SMTP connection test. A change is
// validated, stored (db/notification-settings.ts), audited as notifications.changed (the webhook URL
// only by its origin: the path is a credential) and applies to the next notification sent.
import { Hono, type Context } from 'hono';
import {
  effectiveNotificationSettings,
  getNotificationSettings,
  saveNotificationSettings,
  StoredNotificationSettings,
  webhookOrigin,
} from '../../db/notification-settings.js';
import { createSmtpSender } from '../../notify/email.js';
import { DeliveryError } from '../../notify/errors.js';
import type { PageContext } from '../../views/layout.js';
import {
  NotificationSettingsPage,
  SmtpCheckResult,
  type NotificationForm,
  type SmtpCheck,
} from '../../views/notifications.js';
import { requirePermission } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { auditAdmin, issuesText } from './admin.js';
import { notificationsInForce, pageContext, savedNotificationSettings } from '../view-models.js';

const list = (raw: string | string[] | undefined) => (Array.isArray(raw) ? raw : raw ? [raw] : []);
const addresses = (raw: string | string[] | undefined) =>
  list(raw)
    .flatMap((s) => s.split(/[\s,;]+/))
    .map((s) => s.trim())
    .filter(Boolean);
const blank = (raw: string | string[] | undefined) => {
  const s = typeof raw === 'string' ? raw.trim() : '';
  return s === '' ? null : s;
};

export function notificationRoutes() {
  const app = new Hono<AppEnv>();

  const page = async (
    c: Context<AppEnv>,
    status: 200 | 422,
    opts: { flash?: PageContext['flash']; form?: NotificationForm; smtpCheck?: SmtpCheck } = {},
  ) => {
    const { sql, config } = c.var.deps;
    const stored = await getNotificationSettings(sql);
    const effective = effectiveNotificationSettings(stored.values, config.notify);
    const { smtp, webhook, digest } = config.notify;
    return c.html(
      <NotificationSettingsPage
        ctx={pageContext(c, opts.flash)}
        stored={savedNotificationSettings(stored)}
        effective={notificationsInForce(effective)}
        env={{
          smtpHost: smtp.host,
          smtpPort: smtp.port,
          smtpFrom: smtp.from,
          smtpPasswordSet: Boolean(smtp.password),
          webhookSet: Boolean(webhook.url),
          digestAt: digest.at,
          digestTimeZone: digest.timeZone,
        }}
        webhookShown={effective.webhook.url ? webhookOrigin(effective.webhook.url) : null}
        canEdit={c.var.user?.role === 'admin'}
        form={opts.form}
        smtpCheck={opts.smtpCheck}
      />,
      status,
    );
  };

  app.get('/admin/notifications', requirePermission('settings:read'), (c) => {
    const saved = c.req.query('saved');
    const flash: PageContext['flash'] =
      saved === 'schedule-pending'
        ? {
            kind: 'error',
            text: 'Notification settings saved, but the daily digest schedule could not be changed now (Temporal did not answer); the worker applies it at its next start.',
          }
        : saved
          ? { kind: 'ok', text: 'Notification settings saved. They apply to the next notification.' }
          : undefined;
    return page(c, 200, { flash });
  });

  app.post('/admin/notifications', requirePermission('settings:write'), async (c) => {
    const { sql } = c.var.deps;
    const body = await c.req.parseBody({ all: true });
    const form: NotificationForm = Object.fromEntries(
      Object.entries(body).filter(
        ([, v]) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
      ),
    ) as NotificationForm;
    const before = (await getNotificationSettings(sql)).values;
    const newUrl = blank(form.webhookUrl);
    const port = blank(form.smtpPort);
    const secure = blank(form.smtpSecure);
    const parsed = StoredNotificationSettings.safeParse({
      emailEnabled: form.emailEnabled === 'on',
      webhookEnabled: form.webhookEnabled === 'on',
      escalationRoles: list(form.escalationRoles),
      escalationExtra: addresses(form.escalationExtra),
      syncFailedRoles: list(form.syncFailedRoles),
      syncFailedExtra: addresses(form.syncFailedExtra),
      digestRoles: list(form.digestRoles),
      digestExtra: addresses(form.digestExtra),
      // Never shown again once saved: empty keeps it, the checkbox removes it.
      webhookUrl: form.webhookClear === 'on' ? null : (newUrl ?? before.webhookUrl),
      smtpHost: blank(form.smtpHost),
      smtpPort: port === null ? null : /^\d+$/.test(port) ? Number(port) : port,
      smtpSecure: secure === null ? null : secure === 'true',
      smtpUser: blank(form.smtpUser),
      smtpFrom: blank(form.smtpFrom),
      // Empty time and zone: the environment applies; the checkbox turns the digest off here.
      digestAt: form.digestOff === 'on' ? 'off' : blank(form.digestAt),
      digestTimeZone: blank(form.digestTimeZone),
    });
    if (!parsed.success)
      return page(c, 422, {
        flash: { kind: 'error', text: issuesText(parsed.error) },
        form: { ...form, webhookUrl: '' },
      });
    await saveNotificationSettings(sql, parsed.data, c.var.user!.email);
    const shown = (s: StoredNotificationSettings) => ({
      ...s,
      webhookUrl: s.webhookUrl && webhookOrigin(s.webhookUrl),
      webhookChanged: undefined,
    });
    await auditAdmin(c, 'notifications.changed', 'notification-settings', {
      from: shown(before),
      to: shown(parsed.data),
      webhookUrlChanged: before.webhookUrl !== parsed.data.webhookUrl,
    });
    const { digest } = effectiveNotificationSettings(parsed.data, c.var.deps.config.notify);
    const scheduled = await applyDigestSchedule(c, digest);
    return c.redirect(`/admin/notifications?saved=${scheduled ? 1 : 'schedule-pending'}`);
  });

  // Connects and logs in with the settings in force, sends nothing. Ops may run it (read-only).
  app.post('/admin/notifications/smtp-check', requirePermission('settings:read'), async (c) => {
    const check = await checkSmtp(c);
    if (c.req.header('HX-Request')) return c.html(<SmtpCheckResult check={check} />);
    return page(c, 200, { smtpCheck: check });
  });

  return app;
}

/** The digest's Schedule follows the saved time at once; false when Temporal could not be reached. */
async function applyDigestSchedule(c: Context<AppEnv>, digest: { at?: string; timeZone: string }): Promise<boolean> {
  const { digestSchedule, logger } = c.var.deps;
  if (!digestSchedule) return true;
  try {
    const outcome = await digestSchedule(digest);
    logger.info({ outcome, at: digest.at, timeZone: digest.timeZone }, 'daily digest schedule changed');
    return true;
  } catch (err) {
    logger.warn({ err, at: digest.at, timeZone: digest.timeZone }, 'daily digest schedule not changed');
    return false;
  }
}

async function checkSmtp(c: Context<AppEnv>): Promise<SmtpCheck> {
  const { sql, config, logger } = c.var.deps;
  const { email } = effectiveNotificationSettings((await getNotificationSettings(sql)).values, config.notify);
  const started = performance.now();
  try {
    const sender = createSmtpSender(email.smtp);
    try {
      await sender.verify();
    } finally {
      sender.close();
    }
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    if (!(err instanceof DeliveryError)) {
      logger.error({ err, requestId: c.var.requestId }, 'SMTP connection test failed unexpectedly');
      return { ok: false, problem: 'Unexpected error while testing the connection; it has been logged.' };
    }
    logger.warn({ kind: err.kind }, 'SMTP connection test failed');
    return { ok: false, problem: err.message };
  }
}
