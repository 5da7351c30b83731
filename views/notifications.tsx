// Notifications: the invoice page's "Notifications sent" card, and the admin page for who hears about
// what (roles + extra addresses per event), the webhook and the SMTP server, with "Test SMTP connection".
import type { NotificationChannel, NotificationEvent } from '../domain/notifications.js';
import type { Role } from '../domain/permissions.js';
import { CsrfField, Layout, type PageContext } from './layout.js';

const EVENT_LABEL: Record<string, string> = {
  escalated: 'Escalation',
  sync_failed: 'Sync failed',
  digest: 'Daily digest',
};
const STATUS_TEXT: Record<string, string> = {
  pending: 'waiting to retry',
  sending: 'sending (outcome unknown)',
  sent: 'sent',
  failed: 'failed',
};

/** One email or webhook call about an invoice, with how its delivery went. */
export interface NotificationItem {
  event: NotificationEvent;
  channel: NotificationChannel;
  recipient: string;
  status: string;
  attempts: number;
  sentAt: Date | null;
  error: string | null;
  providerResponse: string | null;
  resentAfterUnknown: boolean;
}

export function InvoiceNotifications(props: { items: NotificationItem[] }) {
  return (
    <section class="card" aria-labelledby="notifications-h" id="notifications">
      <h2 id="notifications-h">Notifications</h2>
      {props.items.length === 0 ? (
        <p class="meta">No notifications for this invoice.</p>
      ) : (
        <table class="small">
          <thead>
            <tr>
              <th>Event</th>
              <th>Channel</th>
              <th>Recipient</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Sent at</th>
              <th>Server's answer / error</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((n) => (
              <tr class={`notification ${n.status}`}>
                <td>{EVENT_LABEL[n.event] ?? n.event}</td>
                <td>{n.channel}</td>
                <td>{n.recipient}</td>
                <td>
                  {STATUS_TEXT[n.status] ?? n.status}
                  {n.resentAfterUnknown && ' (resent after an unknown outcome; a duplicate is possible)'}
                </td>
                <td>{n.attempts}</td>
                <td>{n.sentAt ? n.sentAt.toISOString().slice(0, 19).replace('T', ' ') + ' UTC' : ''}</td>
                <td>{n.error ?? n.providerResponse ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export type SmtpCheck = { ok: true; ms: number } | { ok: false; problem: string };

export function SmtpCheckResult(props: { check: SmtpCheck }) {
  const { check } = props;
  return check.ok ? (
    <p class="flash ok" id="smtp-check-outcome">
      Connected: the SMTP server accepted the connection and login in {check.ms} ms.
    </p>
  ) : (
    <p class="flash error" id="smtp-check-outcome">
      <strong>Connection failed:</strong> {check.problem}
    </p>
  );
}

/** The form's raw values, shown back unchanged when refused. */
export type NotificationForm = Record<string, string | string[]>;

/** The settings saved on this page (null: the environment applies); the webhook URL only as whether one is set here. */
export interface SavedNotificationSettings {
  values: {
    emailEnabled: boolean;
    webhookEnabled: boolean;
    escalationRoles: Role[];
    escalationExtra: string[];
    syncFailedRoles: Role[];
    syncFailedExtra: string[];
    digestRoles: Role[];
    digestExtra: string[];
    webhookSetHere: boolean;
    smtpHost: string | null;
    smtpPort: number | null;
    smtpSecure: boolean | null;
    smtpUser: string | null;
    smtpFrom: string | null;
    /** "HH:MM", "off", or null. */
    digestAt: string | null;
    digestTimeZone: string | null;
  };
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** What is in force (saved values over the environment): the SMTP server and the digest's schedule. */
export interface NotificationsInForce {
  smtp: { host?: string; port: number; secure: boolean; from: string };
  digest: { at?: string; timeZone: string; setHere: boolean };
}

export interface NotificationSettingsPageProps {
  ctx: PageContext;
  stored: SavedNotificationSettings;
  effective: NotificationsInForce;
  env: {
    smtpHost?: string;
    smtpPort: number;
    smtpFrom: string;
    smtpPasswordSet: boolean;
    webhookSet: boolean;
    digestAt?: string;
    digestTimeZone: string;
  };
  webhookShown: string | null;
  canEdit: boolean;
  form?: NotificationForm;
  smtpCheck?: SmtpCheck;
}

const EVENTS = [
  { prefix: 'escalation', label: 'Escalations', help: 'An invoice waited for review longer than the escalation SLA.' },
  {
    prefix: 'syncFailed',
    label: 'Failed syncs',
    help: 'Writing an invoice to Plex failed; it waits in Failed syncs for a replay.',
  },
  { prefix: 'digest', label: 'Daily digest', help: 'What waits for review, once a day at the time set below.' },
] as const;

export function NotificationSettingsPage(p: NotificationSettingsPageProps) {
  const v = p.stored.values;
  const text = (name: string, stored: string | number | null) => {
    const f = p.form?.[name];
    return typeof f === 'string' ? f : stored === null ? '' : String(stored);
  };
  const roleChecked = (name: string, role: string, stored: string[]) => {
    const f = p.form?.[name];
    return p.form ? (Array.isArray(f) ? f.includes(role) : f === role) : stored.includes(role);
  };
  const storedRoles = { escalation: v.escalationRoles, syncFailed: v.syncFailedRoles, digest: v.digestRoles };
  const storedExtra = { escalation: v.escalationExtra, syncFailed: v.syncFailedExtra, digest: v.digestExtra };
  const checkbox = (name: string, stored: boolean) => (p.form ? p.form[name] === 'on' : stored);
  return (
    <Layout title="Notifications" ctx={p.ctx}>
      <h1>Notifications</h1>
      <p class="meta">
        {p.stored.updatedAt
          ? `Last changed by ${p.stored.updatedBy} at ${p.stored.updatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`
          : 'Nothing changed yet: the defaults apply (escalations to admins and clerks, failed syncs to ops, the digest to clerks).'}
        {!p.canEdit && ' Only admins can change these settings.'}
      </p>
      <form method="post" action="/admin/notifications" class="settings">
        <CsrfField token={p.ctx.csrfToken} />
        <fieldset disabled={!p.canEdit}>
          <legend>Channels</legend>
          <label>
            <input type="checkbox" name="emailEnabled" checked={checkbox('emailEnabled', v.emailEnabled)} /> Email
          </label>{' '}
          <label>
            <input type="checkbox" name="webhookEnabled" checked={checkbox('webhookEnabled', v.webhookEnabled)} />{' '}
            Webhook
          </label>
        </fieldset>
        {EVENTS.map((e) => (
          <fieldset disabled={!p.canEdit}>
            <legend>{e.label}</legend>
            <p class="meta">{e.help} Emails go to every active user with the roles ticked, plus the extra addresses.</p>
            {(['clerk', 'ops', 'admin'] as const).map((role) => (
              <label>
                <input
                  type="checkbox"
                  name={`${e.prefix}Roles`}
                  value={role}
                  checked={roleChecked(`${e.prefix}Roles`, role, storedRoles[e.prefix])}
                />{' '}
                {role}{' '}
              </label>
            ))}
            <div class="setting">
              <label for={`${e.prefix}Extra`}>Extra addresses (comma or line separated)</label>
              <textarea id={`${e.prefix}Extra`} name={`${e.prefix}Extra`} rows={2}>
                {text(`${e.prefix}Extra`, storedExtra[e.prefix].join(', '))}
              </textarea>
            </div>
          </fieldset>
        ))}
        <fieldset disabled={!p.canEdit}>
          <legend>Webhook</legend>
          <div class="setting">
            <label for="webhookUrl">Webhook URL (Slack or Teams incoming webhook, or any JSON receiver)</label>
            <input
              id="webhookUrl"
              name="webhookUrl"
              type="url"
              value={text('webhookUrl', null)}
              placeholder={p.webhookShown ?? 'not set'}
              aria-describedby="webhook-help"
            />
            <p id="webhook-help" class="meta">
              {p.webhookShown
                ? `In force: ${p.webhookShown} (${v.webhookSetHere ? 'set here' : 'from NOTIFY_WEBHOOK_URL'}; the full URL is a secret and is not shown). Leave empty to keep it.`
                : 'Not set.'}
            </p>
            <label>
              <input type="checkbox" name="webhookClear" checked={p.form?.webhookClear === 'on'} /> Remove the URL set
              here (NOTIFY_WEBHOOK_URL applies again{p.env.webhookSet ? '' : ': it is not set'})
            </label>
          </div>
        </fieldset>
        <fieldset disabled={!p.canEdit}>
          <legend>SMTP server</legend>
          <p class="meta">
            Empty fields use the environment. The password only ever comes from SMTP_PASSWORD (
            {p.env.smtpPasswordSet ? 'set, not shown' : 'not set'}).
          </p>
          <div class="setting">
            <label for="smtpHost">Host</label>
            <input
              id="smtpHost"
              name="smtpHost"
              value={text('smtpHost', v.smtpHost)}
              placeholder={p.env.smtpHost ?? 'not set (SMTP_HOST)'}
            />
          </div>
          <div class="setting">
            <label for="smtpPort">Port</label>
            <input
              id="smtpPort"
              name="smtpPort"
              type="number"
              min={1}
              max={65535}
              value={text('smtpPort', v.smtpPort)}
              placeholder={String(p.env.smtpPort)}
            />
          </div>
          <div class="setting">
            <label for="smtpSecure">TLS</label>
            <select id="smtpSecure" name="smtpSecure">
              {[
                ['', 'from the environment (SMTP_SECURE)'],
                ['true', 'TLS from the start (port 465)'],
                ['false', 'STARTTLS when offered (port 587/25)'],
              ].map(([value, label]) => (
                <option
                  value={value}
                  selected={text('smtpSecure', v.smtpSecure === null ? null : String(v.smtpSecure)) === value}
                >
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="setting">
            <label for="smtpUser">User</label>
            <input id="smtpUser" name="smtpUser" value={text('smtpUser', v.smtpUser)} autocomplete="off" />
          </div>
          <div class="setting">
            <label for="smtpFrom">From</label>
            <input id="smtpFrom" name="smtpFrom" value={text('smtpFrom', v.smtpFrom)} placeholder={p.env.smtpFrom} />
          </div>
        </fieldset>
        <fieldset disabled={!p.canEdit}>
          <legend>Daily digest schedule</legend>
          <p class="meta">
            Empty fields use the environment (NOTIFY_DIGEST_AT {p.env.digestAt ?? 'not set'}, NOTIFY_DIGEST_TIMEZONE{' '}
            {p.env.digestTimeZone}). Saving changes the schedule at once.
          </p>
          <div class="setting">
            <label for="digestAt">Time (HH:MM, 24-hour)</label>
            <input
              id="digestAt"
              name="digestAt"
              type="time"
              value={text('digestAt', v.digestAt === 'off' ? null : v.digestAt)}
              placeholder={p.env.digestAt ?? 'off'}
            />
          </div>
          <div class="setting">
            <label for="digestTimeZone">Time zone (IANA, like Europe/Berlin)</label>
            <input
              id="digestTimeZone"
              name="digestTimeZone"
              value={text('digestTimeZone', v.digestTimeZone)}
              placeholder={p.env.digestTimeZone}
            />
          </div>
          <label>
            <input type="checkbox" name="digestOff" checked={checkbox('digestOff', v.digestAt === 'off')} /> No daily
            digest
          </label>
        </fieldset>
        {p.canEdit && (
          <button type="submit" class="primary">
            Save notification settings
          </button>
        )}
      </form>

      <section class="card" aria-labelledby="smtp-h">
        <h2 id="smtp-h">SMTP connection</h2>
        <p>
          In force:{' '}
          {p.effective.smtp.host
            ? `${p.effective.smtp.host}:${p.effective.smtp.port}${p.effective.smtp.secure ? ' (TLS)' : ''}, from ${p.effective.smtp.from}`
            : 'no SMTP server configured: no email is sent.'}
        </p>
        <form
          method="post"
          action="/admin/notifications/smtp-check"
          hx-post="/admin/notifications/smtp-check"
          hx-target="#smtp-result"
          hx-swap="innerHTML"
        >
          <CsrfField token={p.ctx.csrfToken} />
          <button type="submit" disabled={!p.effective.smtp.host}>
            Test SMTP connection
          </button>{' '}
          <span class="htmx-indicator meta">Testing…</span>
        </form>
        <div id="smtp-result" role="status" aria-live="polite">
          {p.smtpCheck && <SmtpCheckResult check={p.smtpCheck} />}
        </div>
      </section>
      <section class="card" aria-labelledby="digest-h">
        <h2 id="digest-h">Daily digest</h2>
        <p id="digest-schedule">
          {p.effective.digest.at
            ? `Every day at ${p.effective.digest.at} (${p.effective.digest.timeZone}), to the digest recipients and the webhook; nothing is sent on a day when nothing waits.`
            : 'Off: set a time above, or NOTIFY_DIGEST_AT (e.g. 08:00) and NOTIFY_DIGEST_TIMEZONE.'}{' '}
          {p.effective.digest.setHere ? '(Set on this page.)' : '(From the environment.)'}
        </p>
      </section>
    </Layout>
  );
}
