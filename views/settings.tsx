// The Settings page: review threshold and SLA, match tolerances (editable by admins, read-only for ops),
// and the Plex connection box with its "Test connection" button (htmx swaps the result in place).
import { CsrfField, Layout, type PageContext } from './layout.js';

/** The run-time settings the page edits (db/settings.ts stores them under the same names). */
export type SettingKey =
  | 'autoApproveThreshold'
  | 'escalateAfter'
  | 'undoWindow'
  | 'amountTolerancePct'
  | 'quantityTolerancePct'
  | 'priceTolerancePct'
  | 'dateWindowDaysBefore'
  | 'dateWindowDaysAfter';

/** The values saved on the page (null: not set, the default applies) and who saved them last. */
export interface SavedSettings {
  values: Record<SettingKey, number | string | null>;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export type PlexCheck = { ok: true; tenants: number; ms: number } | { ok: false; problem: string; detail?: string };

interface FieldSpec {
  key: SettingKey;
  label: string;
  unit?: string;
  help: string;
  input: { type: 'number'; min: number; max: number; step: string } | { type: 'text' };
}

const REVIEW: FieldSpec[] = [
  {
    key: 'autoApproveThreshold',
    label: 'Auto-approve threshold',
    help: 'Extraction confidence (0–1) at or above which a cleanly matched invoice is approved without a clerk. Above 1 turns auto-approval off.',
    input: { type: 'number', min: 0, max: 1.01, step: '0.01' },
  },
  {
    key: 'escalateAfter',
    label: 'Escalation SLA',
    help: 'How long an invoice may wait for review before it is escalated, e.g. 30m, 24h, 2d.',
    input: { type: 'text' },
  },
  {
    key: 'undoWindow',
    label: 'Undo window',
    help: "How long an approval (a clerk's, an approver's or the automatic one) can be taken back before the sync to Plex starts, e.g. 20s; 0s turns Undo off.",
    input: { type: 'text' },
  },
];
const MATCH: FieldSpec[] = [
  {
    key: 'amountTolerancePct',
    label: 'Amount tolerance',
    unit: '%',
    help: 'Invoice total vs. the placeholder amount or PO total.',
    input: { type: 'number', min: 0, max: 100, step: 'any' },
  },
  {
    key: 'quantityTolerancePct',
    label: 'Quantity tolerance',
    unit: '%',
    help: 'Invoiced vs. received quantity per line.',
    input: { type: 'number', min: 0, max: 100, step: 'any' },
  },
  {
    key: 'priceTolerancePct',
    label: 'Price tolerance',
    unit: '%',
    help: 'Invoiced vs. PO unit price per line.',
    input: { type: 'number', min: 0, max: 100, step: 'any' },
  },
  {
    key: 'dateWindowDaysBefore',
    label: 'Date window before',
    unit: 'days',
    help: 'Without a PO number, a candidate PO may be dated this many days before the invoice date…',
    input: { type: 'number', min: 0, max: 3650, step: '1' },
  },
  {
    key: 'dateWindowDaysAfter',
    label: 'Date window after',
    unit: 'days',
    help: '…and this many days after it.',
    input: { type: 'number', min: 0, max: 3650, step: '1' },
  },
];

/** Form values as typed (strings) so a refused submission is shown back unchanged. */
export type SettingsFormValues = Partial<Record<SettingKey, string>>;

export interface SettingsPageProps {
  ctx: PageContext;
  stored: SavedSettings;
  defaults: Record<SettingKey, number | string>;
  form?: SettingsFormValues;
  canEdit: boolean;
  plex: { baseUrl?: string; keySet: boolean; clientConfigured: boolean };
  plexCheck?: PlexCheck;
}

function Field(props: { spec: FieldSpec; value: string; fallback: number | string; stored: boolean }) {
  const { spec } = props;
  const id = `setting-${spec.key}`;
  return (
    <div class="setting">
      <label for={id}>
        {spec.label}
        {spec.unit && ` (${spec.unit})`}
      </label>
      <input
        id={id}
        name={spec.key}
        value={props.value}
        placeholder={String(props.fallback)}
        aria-describedby={`${id}-help`}
        {...(spec.input.type === 'number'
          ? { type: 'number', min: spec.input.min, max: spec.input.max, step: spec.input.step }
          : { type: 'text' })}
      />
      <p id={`${id}-help`} class="meta">
        {spec.help}{' '}
        {props.stored ? `Default when cleared: ${props.fallback}.` : `Not set: the default ${props.fallback} applies.`}
      </p>
    </div>
  );
}

export function PlexCheckResult(props: { check: PlexCheck }) {
  const { check } = props;
  if (check.ok) {
    return (
      <p class="flash ok" id="plex-check-outcome">
        Connected: Plex answered in {check.ms} ms ({check.tenants} tenant{check.tenants === 1 ? '' : 's'} visible to
        this key).
      </p>
    );
  }
  return (
    <div class="flash error" id="plex-check-outcome">
      <p>
        <strong>Connection failed:</strong> {check.problem}
      </p>
      {check.detail && (
        <p class="meta">
          <code>{check.detail}</code>
        </p>
      )}
    </div>
  );
}

export function SettingsPage(props: SettingsPageProps) {
  const { ctx, stored, defaults, canEdit, plex } = props;
  const valueOf = (key: SettingKey) =>
    props.form?.[key] ?? (stored.values[key] === null ? '' : String(stored.values[key]));
  const fields = (specs: FieldSpec[]) =>
    specs.map((spec) => (
      <Field
        spec={spec}
        value={valueOf(spec.key)}
        fallback={defaults[spec.key]}
        stored={stored.values[spec.key] !== null}
      />
    ));
  return (
    <Layout title="Settings" ctx={ctx}>
      <h1>Settings</h1>
      <p class="meta">
        {stored.updatedAt
          ? `Last changed by ${stored.updatedBy} at ${stored.updatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`
          : 'Nothing changed yet: every value is its default.'}{' '}
        New invoices take the threshold and SLA in force when they are uploaded; invoices already in progress keep
        theirs.
        {!canEdit && ' Only admins can change settings.'}
      </p>
      <form method="post" action="/admin/settings" class="settings">
        <CsrfField token={ctx.csrfToken} />
        <fieldset disabled={!canEdit}>
          <legend>Review</legend>
          {fields(REVIEW)}
        </fieldset>
        <fieldset disabled={!canEdit}>
          <legend>Match tolerances</legend>
          {fields(MATCH)}
        </fieldset>
        {canEdit && (
          <button type="submit" class="primary">
            Save settings
          </button>
        )}
        {canEdit && <p class="meta">Clear a field to go back to its default.</p>}
      </form>

      <section class="card" aria-labelledby="plex-h">
        <h2 id="plex-h">Plex connection</h2>
        <dl class="plex">
          <dt>Base URL</dt>
          <dd id="plex-base-url">{plex.baseUrl ?? 'not configured (PLEX_BASE_URL)'}</dd>
          <dt>API key</dt>
          <dd id="plex-key">{plex.keySet ? 'set (not shown)' : 'not set (PLEX_API_KEY)'}</dd>
        </dl>
        <form
          method="post"
          action="/admin/settings/plex-check"
          hx-post="/admin/settings/plex-check"
          hx-target="#plex-result"
          hx-swap="innerHTML"
        >
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" disabled={!plex.clientConfigured}>
            Test connection
          </button>{' '}
          <span class="htmx-indicator meta">Testing…</span>
        </form>
        <div id="plex-result" role="status" aria-live="polite">
          {props.plexCheck && <PlexCheckResult check={props.plexCheck} />}
        </div>
      </section>
    </Layout>
  );
}
