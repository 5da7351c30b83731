// Approval policy versions and delegations (migration 016). Policies are append-only: a save is a new
// version, the newest is in force. Callers audit each change with its before and after.
import { canonicalJson } from './audit.js';
import type { Sql } from './client.js';
import { Policy, type PolicyRole, type PolicyStep, type PolicyVersion } from '../domain/policy.js';
import type { ActiveDelegation, ApprovalPath } from '../domain/approval.js';

const POLICY_LOCK_ID = 4_242_016;

export interface StoredPolicy extends PolicyVersion {
  createdBy: string;
  createdAt: Date;
}

interface RawPolicy {
  version: number;
  policy: unknown;
  created_by: string;
  created_at: Date;
}
const toPolicy = (r: RawPolicy): StoredPolicy => ({
  version: r.version,
  policy: Policy.parse(r.policy),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** The version in force (the newest), or undefined while no admin has saved one. */
export async function policyInForce(sql: Sql): Promise<StoredPolicy | undefined> {
  const [row] = await sql<RawPolicy[]>`select * from approval_policies order by version desc limit 1`;
  return row ? toPolicy(row) : undefined;
}

export async function listPolicyVersions(
  sql: Sql,
  limit = 20,
): Promise<{ version: number; createdBy: string; createdAt: Date }[]> {
  const rows = await sql<
    RawPolicy[]
  >`select version, created_by, created_at from approval_policies order by version desc limit ${limit}`;
  return rows.map((r) => ({ version: r.version, createdBy: r.created_by, createdAt: r.created_at }));
}

export type PolicySave =
  { saved: false; current: StoredPolicy } | { saved: true; version: number; before: StoredPolicy | undefined };

/** Store `policy` as the next version, unless it equals the version in force. */
export async function savePolicy(sql: Sql, policy: Policy, actor: string): Promise<PolicySave> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${POLICY_LOCK_ID})`;
    const before = await policyInForce(tx as unknown as Sql);
    if (before && canonicalJson(before.policy) === canonicalJson(policy)) return { saved: false, current: before };
    const version = (before?.version ?? 0) + 1;
    await tx`insert into approval_policies (version, policy, created_by) values (${version}, ${tx.json(policy)}, ${actor})`;
    return { saved: true, version, before };
  });
}

export interface DelegationRow extends ActiveDelegation {
  id: string;
  createdBy: string;
  createdAt: Date;
  cancelledAt: Date | null;
  cancelledBy: string | null;
}
interface RawDelegation {
  id: string;
  user_email: string;
  delegate_email: string;
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  created_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
}
const toDelegation = (r: RawDelegation): DelegationRow => ({
  id: String(r.id),
  user: r.user_email,
  delegate: r.delegate_email,
  from: r.starts_at,
  to: r.ends_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  cancelledAt: r.cancelled_at,
  cancelledBy: r.cancelled_by,
});

export async function addDelegation(
  sql: Sql,
  d: { user: string; delegate: string; from: Date; to: Date },
  actor: string,
): Promise<DelegationRow> {
  const [row] = await sql<RawDelegation[]>`
    insert into delegations (user_email, delegate_email, starts_at, ends_at, created_by)
    values (${d.user.toLowerCase()}, ${d.delegate.toLowerCase()}, ${d.from}, ${d.to}, ${actor})
    returning *`;
  return toDelegation(row!);
}

/** Cancel one of `user`'s delegations; returns it as it was before, or undefined (not theirs, or already cancelled). */
export async function cancelDelegation(
  sql: Sql,
  id: string,
  user: string,
  actor: string,
): Promise<DelegationRow | undefined> {
  if (!/^\d+$/.test(id)) return undefined;
  return sql.begin(async (tx) => {
    const [row] = await tx<RawDelegation[]>`
      select * from delegations where id = ${id} and user_email = ${user.toLowerCase()} and cancelled_at is null for update`;
    if (!row) return undefined;
    await tx`update delegations set cancelled_at = now(), cancelled_by = ${actor} where id = ${id}`;
    return toDelegation(row);
  });
}

/** A user's own delegations and those made to them that have not ended, newest first. */
export async function delegationsOf(
  sql: Sql,
  email: string,
  now = new Date(),
): Promise<{ mine: DelegationRow[]; toMe: DelegationRow[] }> {
  const rows = await sql<RawDelegation[]>`
    select * from delegations
    where (user_email = ${email.toLowerCase()} or delegate_email = ${email.toLowerCase()}) and ends_at > ${now}
    order by starts_at desc, id desc limit 200`;
  const all = rows.map(toDelegation);
  return {
    mine: all.filter((d) => d.user === email.toLowerCase()),
    toMe: all.filter((d) => d.delegate === email.toLowerCase() && !d.cancelledAt),
  };
}

/** Delegations in force at `now` (every user's, for eligibility lists; or only those made to `delegate`). */
export async function activeDelegations(sql: Sql, now = new Date(), delegate?: string): Promise<DelegationRow[]> {
  const rows = delegate
    ? await sql<
        RawDelegation[]
      >`select * from delegations where cancelled_at is null and delegate_email = ${delegate.toLowerCase()} and starts_at <= ${now} and ends_at > ${now}`
    : await sql<
        RawDelegation[]
      >`select * from delegations where cancelled_at is null and starts_at <= ${now} and ends_at > ${now}`;
  return rows.map(toDelegation);
}

/** What the read model keeps of an invoice's approval: its path, and the step waiting (null when none). */
export interface WaitingStep {
  path: ApprovalPath;
  step: PolicyStep | null;
  uploadedBy: string;
}

/** Store the invoice's approval path; the column is null while no step is waiting (nothing to approve). */
export async function saveWaitingStep(sql: Sql, invoiceId: string, waiting: WaitingStep): Promise<void> {
  await sql`update invoices set approval = ${waiting.step ? sql.json(waiting) : null} where id = ${invoiceId}`;
}

/**
 * The approver as the review Update carries it: their role (null for an API token or an unknown or
 * disabled account) and who has delegated to them right now, with those users' roles.
 */
export async function approverClaim(
  sql: Sql,
  actor: string,
  now = new Date(),
): Promise<{ role: PolicyRole | null; delegators: { email: string; role: PolicyRole }[] }> {
  const [me] = await sql<
    { role: PolicyRole }[]
  >`select role from users where email = ${actor.toLowerCase()} and not disabled`;
  const delegators = await sql<{ email: string; role: PolicyRole }[]>`
    select u.email, u.role from delegations d join users u on u.email = d.user_email and not u.disabled
    where d.cancelled_at is null and d.delegate_email = ${actor.toLowerCase()} and d.starts_at <= ${now} and d.ends_at > ${now}
    order by u.email`;
  return { role: me?.role ?? null, delegators: delegators.map((d) => ({ email: d.email, role: d.role })) };
}
