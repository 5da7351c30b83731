// The one permission table: what each permission lets do, which roles hold it (sessions, on pages and on
// the JSON API alike) and which API-token scope grants it. Every route names exactly one permission
// (`requirePermission`) or is public (`publicRoute`); test/web/security-permissions.test.ts walks every
// route of the app with every role and token and checks the answer against this table.
/** A person's role: sessions get exactly the permissions the table gives it. */
export type Role = 'clerk' | 'ops' | 'admin';
/** What an API token may do; each scope grants the permissions that name it. */
export type TokenScope = 'invoices:read' | 'invoices:write' | 'invoices:review' | 'syncs:replay';
export const ALL_SCOPES: TokenScope[] = ['invoices:read', 'invoices:write', 'invoices:review', 'syncs:replay'];

export interface PermissionRule {
  /** What it allows, for the docs and the admin's token form. */
  allows: string;
  roles: readonly Role[];
  /** The API-token scope that grants it; null = sessions only. */
  scope: TokenScope | null;
}

const EVERYONE: readonly Role[] = ['clerk', 'ops', 'admin'];

export const PERMISSIONS = {
  'invoices:read': {
    allows: 'the queue, invoices, their documents and e-invoice XML, the dashboard',
    roles: EVERYONE,
    scope: 'invoices:read',
  },
  'invoices:write': { allows: 'uploading invoices', roles: EVERYONE, scope: 'invoices:write' },
  'invoices:review': {
    allows: 'approving, rejecting and correcting invoices; taking and releasing them',
    roles: EVERYONE,
    scope: 'invoices:review',
  },
  // The reviewers' conversation: a token that may review may also comment (no scope of its own).
  'invoices:comment': {
    allows: 'commenting on invoices, asking and answering questions, @mentioning users',
    roles: EVERYONE,
    scope: 'invoices:review',
  },
  'syncs:replay': {
    allows: 'the failed-syncs page and replaying failed syncs',
    roles: ['ops', 'admin'],
    scope: 'syncs:replay',
  },
  'settings:read': {
    allows: 'reading settings and notification rules; testing the Plex and SMTP connections',
    roles: ['ops', 'admin'],
    scope: null,
  },
  'settings:write': { allows: 'changing settings and notification rules', roles: ['admin'], scope: null },
  'ingestion:manage': {
    allows: 'the mailboxes invoices arrive by: adding, changing, testing, polling',
    roles: ['admin'],
    scope: null,
  },
  'policies:manage': {
    allows: 'editing the approval policy (rules, steps, supplier groups)',
    roles: ['admin'],
    scope: null,
  },
  'users:manage': {
    allows: 'adding users, changing roles, disabling; creating and revoking API tokens',
    roles: ['admin'],
    scope: null,
  },
  'account:self': {
    allows: 'ending all of one’s own sessions; one’s own delegations while away',
    roles: EVERYONE,
    scope: null,
  },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

/** Who is asking: a session's user (by role), an API token (by scopes), or nobody. */
export type Principal =
  { kind: 'session'; role: Role } | { kind: 'token'; scopes: readonly TokenScope[] } | { kind: 'anonymous' };

/** The table's answer for one principal. */
export function isAllowed(permission: Permission, who: Principal): boolean {
  const rule: PermissionRule = PERMISSIONS[permission];
  if (who.kind === 'session') return rule.roles.includes(who.role);
  if (who.kind === 'token') return rule.scope !== null && who.scopes.includes(rule.scope);
  return false;
}

/** The least-privileged role that holds a permission, for "this page needs …" messages. */
export function lowestRole(permission: Permission): Role {
  const roles: readonly Role[] = PERMISSIONS[permission].roles;
  return EVERYONE.find((r) => roles.includes(r)) ?? 'admin';
}
