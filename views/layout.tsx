// Page shell: navigation by role, htmx from node_modules, no inline script (the CSP forbids it).
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import { isAllowed, type Permission, type Role } from '../domain/permissions.js';

/** The signed-in user as every page shows them (navigation by role, name, shortcuts on or off). */
export interface PageUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** False when the user turned single-key shortcuts off (Preferences); on when absent. */
  keyboardShortcuts?: boolean;
}

export interface PageContext {
  user?: PageUser;
  csrfToken?: string;
  flash?: { kind: 'ok' | 'error'; text: string };
}

// Each link shows for the roles the permission table gives its page's permission.
const NAV: { href: string; label: string; permission: Permission }[] = [
  { href: '/invoices', label: 'Queue', permission: 'invoices:read' },
  { href: '/waiting-for-me', label: 'Waiting for me', permission: 'invoices:review' },
  { href: '/upload', label: 'Upload', permission: 'invoices:write' },
  { href: '/syncs/failed', label: 'Failed syncs', permission: 'syncs:replay' },
  { href: '/dashboard', label: 'Dashboard', permission: 'invoices:read' },
  { href: '/admin/settings', label: 'Settings', permission: 'settings:read' },
  { href: '/admin/policy', label: 'Approval policy', permission: 'policies:manage' },
  { href: '/account/delegations', label: 'Delegation', permission: 'account:self' },
  { href: '/account/preferences', label: 'Preferences', permission: 'account:self' },
  { href: '/admin/notifications', label: 'Notifications', permission: 'settings:read' },
  { href: '/admin/users', label: 'Users', permission: 'users:manage' },
  { href: '/admin/tokens', label: 'API tokens', permission: 'users:manage' },
  { href: '/admin/ingestion', label: 'Ingestion', permission: 'ingestion:manage' },
];

/** `skip`: a second skip link, to the page's main list (the queue's first invoice without tabbing through the filters). */
export function Layout(props: {
  title: string;
  ctx: PageContext;
  children?: Child;
  moduleScripts?: string[];
  skip?: { href: string; label: string };
}) {
  const { user, csrfToken, flash } = props.ctx;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}' />
        <title>{props.title} · PlexSync</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/app.js" defer></script>
        {props.moduleScripts?.map((src) => (
          <script type="module" src={src}></script>
        ))}
      </head>
      <body
        hx-headers={csrfToken ? JSON.stringify({ 'X-CSRF-Token': csrfToken }) : undefined}
        data-shortcuts={user?.keyboardShortcuts === false ? 'off' : 'on'}
      >
        <a class="skip" href="#main">
          Skip to content
        </a>
        {props.skip && (
          <a class="skip" href={props.skip.href}>
            {props.skip.label}
          </a>
        )}
        <header class="top">
          <a class="brand" href="/">
            PlexSync
          </a>
          {user && (
            <nav aria-label="Main">
              {NAV.filter((n) => isAllowed(n.permission, { kind: 'session', role: user.role })).map((n) => (
                <a href={n.href}>{n.label}</a>
              ))}
            </nav>
          )}
          {user && (
            <form method="post" action="/logout" class="logout">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <span>
                {user.displayName} ({user.role})
              </span>{' '}
              <button type="submit">Log out</button>
            </form>
          )}
        </header>
        <main id="main">
          {flash && (
            <p class={`flash ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
              {flash.text}
            </p>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}

export const CsrfField = (props: { token?: string }) => <input type="hidden" name="_csrf" value={props.token} />;

const STATUS_LABEL: Record<string, string> = {
  received: 'Received',
  parsing: 'Reading',
  matching: 'Matching',
  awaiting_review: 'Awaiting review',
  escalated: 'Escalated',
  on_hold: 'On hold',
  approved: 'Approved',
  syncing: 'Syncing',
  sync_failed: 'Sync failed',
  synced: 'Synced',
  rejected: 'Rejected',
  split: 'Split into invoices',
};
export const statusLabel = (s: string) => STATUS_LABEL[s] ?? s;
// StatusBadge and Confidence are `html` templates, not JSX: the queue renders them on every row (see QueueRows).
export const StatusBadge = (props: { status: string }) =>
  html`<span class="badge status-${props.status}">${statusLabel(props.status)}</span>`;
/** The colour bands of confidence on every page: high ≥ 95 %, medium ≥ 70 %, else low. */
export const confidenceBand = (c: number) => (c >= 0.95 ? 'high' : c >= 0.7 ? 'medium' : 'low');

export const Confidence = (props: { value: number | null | undefined }) =>
  props.value === null || props.value === undefined
    ? html`<span class="conf none">–</span>`
    : html`<span class="conf ${confidenceBand(props.value)}">${Math.round(props.value * 100)}%</span>`;
