// The approval policy editor (admins only) and the Delegation page (every signed-in user). A saved policy
// is a new version, audited as policy.changed with the policy before and after; delegations are audited
// as delegation.created / delegation.cancelled.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { listInvoices } from '../../db/invoices.js';
import {
  addDelegation,
  approverClaim,
  cancelDelegation,
  delegationsOf,
  listPolicyVersions,
  policyInForce,
  savePolicy,
} from '../../db/policies.js';
import { getEffectiveSettings } from '../../db/settings.js';
import { listUsers } from '../../db/user-admin.js';
import { approvalCheck, approvalHistory } from '../../domain/approval.js';
import { Policy } from '../../domain/policy.js';
import { setKeyboardShortcuts } from '../../db/users.js';
import { PreferencesPage } from '../../views/account.js';
import { DelegationsPage, type DelegationForm } from '../../views/delegations.js';
import type { PageContext } from '../../views/layout.js';
import { PolicyPage, WaitingForMePage } from '../../views/policies.js';
import { requirePermission } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { auditAdmin } from './admin.js';
import {
  applyEdit,
  draftFromForm,
  draftFromPolicy,
  policyInputFromDraft,
  starterDraft,
  type PolicyDraft,
} from '../../domain/policy-draft.js';
import { fieldText } from './forms.js';
import { delegationItem, pageContext, waitingItem } from '../view-models.js';

/** "Rule 2 › step 1 › sla: An SLA is …": where in the policy each problem is, in the editor's numbering. */
export function policyIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where: string[] = [];
      for (let k = 0; k < issue.path.length; k++) {
        const key = issue.path[k];
        const next = issue.path[k + 1];
        if ((key === 'rules' || key === 'steps' || key === 'supplierGroups') && typeof next === 'number') {
          where.push(`${key === 'rules' ? 'Rule' : key === 'steps' ? 'step' : 'Supplier group'} ${next + 1}`);
          k++;
        } else if (key !== 'when' && key !== 'approvers' && key !== 'autoApprove') where.push(String(key));
      }
      return `${where.length ? `${where.join(' › ')}: ` : ''}${issue.message === 'Invalid input: expected number, received NaN' ? 'enter a number' : issue.message}`;
    })
    .join(' ');
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const Delegation = z
  .object({
    from: z.string().regex(DAY, 'Enter the first day you are away.'),
    to: z.string().regex(DAY, 'Enter the last day you are away.'),
    delegate: z.string().trim().toLowerCase().pipe(z.email('Choose a delegate.')),
  })
  .refine((d) => d.to >= d.from, { message: 'The last day cannot be before the first.' });

export function policyRoutes() {
  const app = new Hono<AppEnv>();

  const policyPage = async (
    c: Context<AppEnv>,
    status: 200 | 422,
    draft?: PolicyDraft,
    flash?: PageContext['flash'],
  ) => {
    const { sql, config } = c.var.deps;
    const inForce = await policyInForce(sql);
    const settings = await getEffectiveSettings(sql, config);
    const shown =
      draft ??
      (inForce ? draftFromPolicy(inForce.policy) : starterDraft(settings.autoApproveThreshold, settings.escalateAfter));
    return c.html(
      <PolicyPage
        ctx={pageContext(c, flash)}
        draft={shown}
        inForce={inForce}
        versions={await listPolicyVersions(sql)}
      />,
      status,
    );
  };

  app.get('/admin/policy', requirePermission('policies:manage'), (c) => {
    const saved = c.req.query('saved');
    return policyPage(
      c,
      200,
      undefined,
      saved
        ? {
            kind: 'ok',
            text:
              saved === 'same'
                ? 'Nothing changed: the policy in force is the same.'
                : `Policy version ${saved} saved. Invoices arriving from now on follow it.`,
          }
        : undefined,
    );
  });

  app.post('/admin/policy', requirePermission('policies:manage'), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const draft = draftFromForm(body);
    const op = typeof body.op === 'string' ? body.op : 'save';
    if (op !== 'save') return policyPage(c, 200, applyEdit(draft, op));
    const parsed = Policy.safeParse(policyInputFromDraft(draft));
    if (!parsed.success)
      return policyPage(c, 422, draft, { kind: 'error', text: `Not saved. ${policyIssues(parsed.error)}` });
    const result = await savePolicy(c.var.deps.sql, parsed.data, c.var.user!.email);
    if (!result.saved) return c.redirect('/admin/policy?saved=same');
    await auditAdmin(c, 'policy.changed', `v${result.version}`, {
      version: result.version,
      before: result.before ? { version: result.before.version, policy: result.before.policy } : null,
      after: parsed.data,
    });
    return c.redirect(`/admin/policy?saved=${result.version}`);
  });

  const delegationPage = async (
    c: Context<AppEnv>,
    status: 200 | 404 | 422,
    flash?: PageContext['flash'],
    form?: DelegationForm,
  ) => {
    const { sql } = c.var.deps;
    const me = c.var.user!;
    const { mine, toMe } = await delegationsOf(sql, me.email);
    const colleagues = (await listUsers(sql))
      .filter((u) => !u.disabled && u.email !== me.email)
      .map((u) => ({ email: u.email, displayName: u.displayName }));
    return c.html(
      <DelegationsPage
        ctx={pageContext(c, flash)}
        mine={mine.map(delegationItem)}
        toMe={toMe.map(delegationItem)}
        colleagues={colleagues}
        form={form}
      />,
      status,
    );
  };

  app.get('/account/delegations', requirePermission('account:self'), (c) => {
    const done = c.req.query('done');
    return delegationPage(
      c,
      200,
      done ? { kind: 'ok', text: done === 'cancelled' ? 'Delegation cancelled.' : 'Delegation saved.' } : undefined,
    );
  });

  app.post('/account/delegations', requirePermission('account:self'), async (c) => {
    const body = await c.req.parseBody();
    const form = { from: fieldText(body.from), to: fieldText(body.to), delegate: fieldText(body.delegate) };
    const parsed = Delegation.safeParse(form);
    if (!parsed.success)
      return delegationPage(c, 422, { kind: 'error', text: parsed.error.issues.map((i) => i.message).join(' ') }, form);
    const me = c.var.user!;
    const { sql } = c.var.deps;
    const delegate = (await listUsers(sql)).find((u) => u.email === parsed.data.delegate && !u.disabled);
    if (!delegate || delegate.email === me.email)
      return delegationPage(c, 422, { kind: 'error', text: 'Choose an active colleague as your delegate.' }, form);
    const from = new Date(`${parsed.data.from}T00:00:00Z`);
    const to = new Date(new Date(`${parsed.data.to}T00:00:00Z`).getTime() + 86_400_000); // through the last day
    const row = await addDelegation(sql, { user: me.email, delegate: delegate.email, from, to }, me.email);
    await auditAdmin(c, 'delegation.created', row.id, {
      delegationId: row.id,
      user: row.user,
      delegate: row.delegate,
      from: row.from.toISOString(),
      to: row.to.toISOString(),
      before: null,
    });
    return c.redirect('/account/delegations?done=saved');
  });

  app.get('/account/preferences', requirePermission('account:self'), (c) => {
    const flash = c.req.query('done') ? { kind: 'ok' as const, text: 'Preferences saved.' } : undefined;
    return c.html(<PreferencesPage ctx={pageContext(c, flash)} />);
  });

  app.post('/account/preferences', requirePermission('account:self'), async (c) => {
    const body = await c.req.parseBody();
    const me = c.var.user!;
    const on = body.keyboardShortcuts === 'on';
    await setKeyboardShortcuts(c.var.deps.sql, me.id, on);
    await auditAdmin(c, 'preferences.saved', me.id, {
      user: me.email,
      before: { keyboardShortcuts: me.keyboardShortcuts !== false },
      after: { keyboardShortcuts: on },
    });
    return c.redirect('/account/preferences?done=saved');
  });

  app.post('/account/delegations/:id/cancel', requirePermission('account:self'), async (c) => {
    const me = c.var.user!;
    const before = await cancelDelegation(c.var.deps.sql, c.req.param('id'), me.email, me.email);
    if (!before)
      return delegationPage(c, 404, { kind: 'error', text: 'No such delegation of yours (already cancelled?).' });
    await auditAdmin(c, 'delegation.cancelled', before.id, {
      delegationId: before.id,
      before: {
        user: before.user,
        delegate: before.delegate,
        from: before.from.toISOString(),
        to: before.to.toISOString(),
        cancelled: false,
      },
      after: { cancelled: true },
    });
    return c.redirect('/account/delegations?done=cancelled');
  });

  // What I may approve now: each waiting step checked with the same rules the workflow's Update applies.
  // At most the 200 oldest waiting invoices are considered (a queue far longer than that needs triage first).
  app.get('/waiting-for-me', requirePermission('invoices:review'), async (c) => {
    const { sql } = c.var.deps;
    const me = c.var.user!;
    const claim = await approverClaim(sql, me.email);
    const page = await listInvoices(sql, {
      status: ['awaiting_review', 'escalated'],
      waitingOnStep: true,
      order: 'oldest',
      limit: 200,
    });
    const rows = page.rows.flatMap((row) => {
      const waiting = row.approval;
      if (!waiting?.step || waiting.path.current === null) return [];
      const check = approvalCheck(
        waiting.step,
        waiting.path.current,
        approvalHistory(waiting.path, waiting.uploadedBy),
        { actor: me.email, ...claim },
      );
      return check.ok ? [waitingItem(row, check.onBehalfOf)] : [];
    });
    return c.html(<WaitingForMePage ctx={pageContext(c)} rows={rows} />);
  });

  return app;
}
