// Notification settings (the one row of `notification_settings`): channels on/off, recipients per event
// (roles + extra addresses), webhook URL and SMTP server. Unset values fall back to the environment
// (config.notify); the SMTP password only ever comes from the environment.
import { z } from 'zod';
import { isTimeZone, type NotifyConfig } from '../config/index.js';
import type { Sql } from './client.js';
import type { RoleNotificationEvent } from '../domain/notifications.js';
import type { Role } from '../domain/permissions.js';

export const ROLES = ['clerk', 'ops', 'admin'] as const satisfies readonly Role[];
const roles = z.array(z.enum(ROLES, { error: 'Roles are clerk, ops or admin.' })).transform((r) => [...new Set(r)]);
const extra = (label: string) =>
  z
    .array(
      z
        .email({ error: (i) => `${label}: "${String(i.input)}" is not an email address.` })
        .transform((e) => e.toLowerCase()),
    )
    .max(50, `${label}: at most 50 addresses.`)
    .transform((e) => [...new Set(e)]);

export const StoredNotificationSettings = z.object({
  emailEnabled: z.boolean(),
  webhookEnabled: z.boolean(),
  escalationRoles: roles,
  escalationExtra: extra('Extra addresses for escalations'),
  syncFailedRoles: roles,
  syncFailedExtra: extra('Extra addresses for failed syncs'),
  digestRoles: roles,
  digestExtra: extra('Extra addresses for the digest'),
  webhookUrl: z.url({ protocol: /^https?$/, error: 'Webhook URL must be an http(s) URL.' }).nullable(),
  smtpHost: z.string().trim().min(1).max(255).nullable(),
  smtpPort: z
    .number({ error: 'SMTP port must be a number.' })
    .int()
    .min(1, 'SMTP port is 1–65535.')
    .max(65535, 'SMTP port is 1–65535.')
    .nullable(),
  smtpSecure: z.boolean().nullable(),
  smtpUser: z.string().trim().min(1).max(255).nullable(),
  smtpFrom: z.string().trim().min(3).max(255).nullable(),
  /** "HH:MM", "off", or null for NOTIFY_DIGEST_AT. */
  digestAt: z
    .union([
      z.literal('off'),
      z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Digest time must be HH:MM on a 24-hour clock, like 08:30.'),
    ])
    .nullable(),
  /** An IANA zone, or null for NOTIFY_DIGEST_TIMEZONE. */
  digestTimeZone: z
    .string()
    .trim()
    .refine(isTimeZone, {
      error: (issue) =>
        `"${String(issue.input)}" is not a time zone; use an IANA name like Europe/Berlin or America/Chicago.`,
    })
    .nullable(),
});
export type StoredNotificationSettings = z.infer<typeof StoredNotificationSettings>;

/** What is in force when nothing has been saved: escalations to admins and clerks, failed syncs to ops. */
export const DEFAULT_NOTIFICATION_SETTINGS: StoredNotificationSettings = {
  emailEnabled: true,
  webhookEnabled: true,
  escalationRoles: ['admin', 'clerk'],
  escalationExtra: [],
  syncFailedRoles: ['ops'],
  syncFailedExtra: [],
  digestRoles: ['clerk'],
  digestExtra: [],
  webhookUrl: null,
  smtpHost: null,
  smtpPort: null,
  smtpSecure: null,
  smtpUser: null,
  smtpFrom: null,
  digestAt: null,
  digestTimeZone: null,
};

export interface EffectiveNotificationSettings {
  email: { enabled: boolean; smtp: NotifyConfig['smtp'] };
  webhook: { enabled: boolean; url?: string; timeoutMs: number };
  recipients: Record<RoleNotificationEvent, { roles: Role[]; extra: string[] }>;
  /** The daily digest's Schedule: `at` unset means no digest. */
  digest: { at?: string; timeZone: string; setHere: boolean };
}

interface RawSettings {
  email_enabled: boolean;
  webhook_enabled: boolean;
  escalation_roles: Role[];
  escalation_extra: string[];
  sync_failed_roles: Role[];
  sync_failed_extra: string[];
  digest_roles: Role[];
  digest_extra: string[];
  webhook_url: string | null;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_secure: boolean | null;
  smtp_user: string | null;
  smtp_from: string | null;
  digest_at: string | null;
  digest_time_zone: string | null;
  updated_by: string;
  updated_at: Date;
}

export interface NotificationSettingsRecord {
  values: StoredNotificationSettings;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export async function getNotificationSettings(sql: Sql): Promise<NotificationSettingsRecord> {
  const [r] = await sql<RawSettings[]>`select * from notification_settings where singleton`;
  if (!r) return { values: { ...DEFAULT_NOTIFICATION_SETTINGS }, updatedBy: null, updatedAt: null };
  return {
    values: {
      emailEnabled: r.email_enabled,
      webhookEnabled: r.webhook_enabled,
      escalationRoles: r.escalation_roles,
      escalationExtra: r.escalation_extra,
      syncFailedRoles: r.sync_failed_roles,
      syncFailedExtra: r.sync_failed_extra,
      digestRoles: r.digest_roles,
      digestExtra: r.digest_extra,
      webhookUrl: r.webhook_url,
      smtpHost: r.smtp_host,
      smtpPort: r.smtp_port,
      smtpSecure: r.smtp_secure,
      smtpUser: r.smtp_user,
      smtpFrom: r.smtp_from,
      digestAt: r.digest_at,
      digestTimeZone: r.digest_time_zone,
    },
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  };
}

export async function saveNotificationSettings(sql: Sql, v: StoredNotificationSettings, actor: string): Promise<void> {
  await sql`
    insert into notification_settings (singleton, email_enabled, webhook_enabled, escalation_roles, escalation_extra,
      sync_failed_roles, sync_failed_extra, digest_roles, digest_extra, webhook_url, smtp_host, smtp_port,
      smtp_secure, smtp_user, smtp_from, digest_at, digest_time_zone, updated_by, updated_at)
    values (true, ${v.emailEnabled}, ${v.webhookEnabled}, ${v.escalationRoles}, ${v.escalationExtra},
      ${v.syncFailedRoles}, ${v.syncFailedExtra}, ${v.digestRoles}, ${v.digestExtra}, ${v.webhookUrl}, ${v.smtpHost},
      ${v.smtpPort}, ${v.smtpSecure}, ${v.smtpUser}, ${v.smtpFrom}, ${v.digestAt}, ${v.digestTimeZone}, ${actor}, now())
    on conflict (singleton) do update set
      email_enabled = excluded.email_enabled, webhook_enabled = excluded.webhook_enabled,
      escalation_roles = excluded.escalation_roles, escalation_extra = excluded.escalation_extra,
      sync_failed_roles = excluded.sync_failed_roles, sync_failed_extra = excluded.sync_failed_extra,
      digest_roles = excluded.digest_roles, digest_extra = excluded.digest_extra, webhook_url = excluded.webhook_url,
      smtp_host = excluded.smtp_host, smtp_port = excluded.smtp_port, smtp_secure = excluded.smtp_secure,
      smtp_user = excluded.smtp_user, smtp_from = excluded.smtp_from,
      digest_at = excluded.digest_at, digest_time_zone = excluded.digest_time_zone,
      updated_by = excluded.updated_by, updated_at = excluded.updated_at`;
}

/** Stored values where set, the environment elsewhere. */
export function effectiveNotificationSettings(
  v: StoredNotificationSettings,
  config: NotifyConfig,
): EffectiveNotificationSettings {
  return {
    email: {
      enabled: v.emailEnabled,
      smtp: {
        ...config.smtp,
        host: v.smtpHost ?? config.smtp.host,
        port: v.smtpPort ?? config.smtp.port,
        secure: v.smtpSecure ?? config.smtp.secure,
        user: v.smtpUser ?? config.smtp.user,
        from: v.smtpFrom ?? config.smtp.from,
      },
    },
    webhook: {
      enabled: v.webhookEnabled,
      url: v.webhookUrl ?? config.webhook.url,
      timeoutMs: config.webhook.timeoutMs,
    },
    recipients: {
      escalated: { roles: v.escalationRoles, extra: v.escalationExtra },
      sync_failed: { roles: v.syncFailedRoles, extra: v.syncFailedExtra },
      digest: { roles: v.digestRoles, extra: v.digestExtra },
    },
    digest: {
      at: v.digestAt === 'off' ? undefined : (v.digestAt ?? config.digest.at),
      timeZone: v.digestTimeZone ?? config.digest.timeZone,
      setHere: v.digestAt !== null || v.digestTimeZone !== null,
    },
  };
}

export async function getEffectiveNotificationSettings(
  sql: Sql,
  config: NotifyConfig,
): Promise<EffectiveNotificationSettings> {
  return effectiveNotificationSettings((await getNotificationSettings(sql)).values, config);
}

/** A webhook URL as it may be shown or stored next to a message: its origin only (the path is the secret). */
export const webhookOrigin = (url: string): string => {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(invalid URL)';
  }
};
