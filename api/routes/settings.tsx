// The Settings page (admins change, ops read) and the Plex connection test. A change is validated,
// stored (db/settings.ts), audited as settings.changed with each value's before and after, and applies
// to invoices uploaded from then on.
import { Hono, type Context } from 'hono';
import {
  defaultSettings,
  getStoredSettings,
  saveSettings,
  SETTING_KEYS,
  StoredSettings,
  type SettingKey,
} from '../../db/settings.js';
import { PlexError } from '../../plex/types.js';
import type { PageContext } from '../../views/layout.js';
import { PlexCheckResult, SettingsPage, type PlexCheck, type SettingsFormValues } from '../../views/settings.js';
import { requirePermission } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { auditAdmin, issuesText } from './admin.js';
import { pageContext } from '../view-models.js';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Form strings → the stored shape: empty = not set; numbers parsed only when they look like numbers. */
function fromForm(form: SettingsFormValues): Record<SettingKey, unknown> {
  const out = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) {
    const raw = (form[key] ?? '').trim();
    out[key] =
      raw === '' ? null : key === 'escalateAfter' || key === 'undoWindow' ? raw : DECIMAL.test(raw) ? Number(raw) : raw;
  }
  return out;
}

const PROBLEM: Partial<Record<PlexError['kind'], string>> = {
  unauthorized:
    'Plex refused the API key (401). Check PLEX_API_KEY, and that the key’s app is subscribed to the Plex Connect APIs.',
  forbidden: 'Plex accepted the key but does not allow it to read tenants (403).',
  network: 'Plex could not be reached. Check PLEX_BASE_URL and the network.',
  timeout: 'Plex did not answer in time.',
  rate_limited: 'Plex is rate limiting this key (429). Try again in a minute.',
  server: 'Plex answered with a server error (5xx). Try again later.',
  invalid_response: 'The answer did not look like Plex Connect. Is PLEX_BASE_URL the bare host?',
};

export function settingsRoutes() {
  const app = new Hono<AppEnv>();

  const page = async (
    c: Context<AppEnv>,
    status: 200 | 422,
    opts: { flash?: PageContext['flash']; form?: SettingsFormValues; plexCheck?: PlexCheck } = {},
  ) => {
    const { sql, config, plex } = c.var.deps;
    return c.html(
      <SettingsPage
        ctx={pageContext(c, opts.flash)}
        stored={await getStoredSettings(sql)}
        defaults={defaultSettings(config)}
        form={opts.form}
        canEdit={c.var.user?.role === 'admin'}
        plex={{ baseUrl: config.plex?.baseUrl, keySet: Boolean(config.plex?.apiKey), clientConfigured: Boolean(plex) }}
        plexCheck={opts.plexCheck}
      />,
      status,
    );
  };

  app.get('/admin/settings', requirePermission('settings:read'), (c) =>
    page(c, 200, {
      flash: c.req.query('saved')
        ? { kind: 'ok', text: 'Settings saved. New invoices use them from now on.' }
        : undefined,
    }),
  );

  app.post('/admin/settings', requirePermission('settings:write'), async (c) => {
    const body = await c.req.parseBody();
    const form: SettingsFormValues = Object.fromEntries(
      SETTING_KEYS.map((k) => [k, typeof body[k] === 'string' ? body[k] : '']),
    );
    const parsed = StoredSettings.safeParse(fromForm(form));
    if (!parsed.success) return page(c, 422, { flash: { kind: 'error', text: issuesText(parsed.error) }, form });
    const changes = await saveSettings(c.var.deps.sql, parsed.data, c.var.user!.email);
    if (Object.keys(changes).length > 0) await auditAdmin(c, 'settings.changed', 'settings', { changes });
    return c.redirect('/admin/settings?saved=1');
  });

  // A read-only check, so ops may run it too (it is a POST because it calls out to Plex).
  app.post('/admin/settings/plex-check', requirePermission('settings:read'), async (c) => {
    const check = await checkPlex(c);
    if (c.req.header('HX-Request')) return c.html(<PlexCheckResult check={check} />);
    return page(c, 200, { plexCheck: check });
  });

  return app;
}

async function checkPlex(c: Context<AppEnv>): Promise<PlexCheck> {
  const { plex, logger } = c.var.deps;
  if (!plex)
    return { ok: false, problem: 'Plex is not configured for the web app (set PLEX_BASE_URL and PLEX_API_KEY).' };
  const started = performance.now();
  try {
    const { tenants } = await plex.checkConnection();
    return { ok: true, tenants, ms: Math.round(performance.now() - started) };
  } catch (err) {
    if (!(err instanceof PlexError)) {
      logger.error({ err, requestId: c.var.requestId }, 'Plex connection test failed unexpectedly');
      return { ok: false, problem: 'Unexpected error while testing the connection; it has been logged.' };
    }
    logger.warn({ kind: err.kind, status: err.details.status }, 'Plex connection test failed');
    return {
      ok: false,
      problem: PROBLEM[err.kind] ?? `Plex answered with an error (${err.kind}).`,
      detail: err.message,
    };
  }
}
