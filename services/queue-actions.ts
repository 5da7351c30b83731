// What a clerk does to invoices from the queue rather than one review page: assign an invoice to a named
// clerk (audited, reassignments too), and one decision for several invoices — approve only those that
// would pass every check, reject with one reason, assign. Each invoice still goes through its workflow's
// validated review Update; one refused never stops the others, and each outcome says why.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/index.js';
import { appendAudit } from '../db/audit.js';
import type { Sql } from '../db/client.js';
import { assignInvoice } from '../db/invoices.js';
import { getEffectiveSettings } from '../db/settings.js';
import type { BulkOutcome, BulkRequest } from '../domain/invoice.js';
import { bulkApprovalBlockers } from '../workflows/rules.js';
import { PERMISSIONS } from '../domain/permissions.js';
import { InvoiceInputError, type InvoiceService } from './invoices.js';
import { ReviewRejectedError } from './temporal.js';

export interface Assignable {
  email: string;
  displayName: string;
}

export interface QueueActions {
  /** Active users who may review invoices: the people an invoice can be assigned to. */
  assignableUsers(): Promise<Assignable[]>;
  /** Assign to a user who may review (null releases it); audited as assigned, reassigned or released. */
  assign(invoiceId: string, assignee: string | null, actor: string): Promise<'assigned' | 'released'>;
  bulk(request: BulkRequest, actor: string): Promise<BulkOutcome[]>;
}

export function createQueueActions({
  sql,
  config,
  invoices,
}: {
  sql: Sql;
  config: Config;
  invoices: InvoiceService;
}): QueueActions {
  const reviewers = PERMISSIONS['invoices:review'].roles as readonly string[];

  async function assignableUsers(): Promise<Assignable[]> {
    return sql<Assignable[]>`
      select email, display_name as "displayName" from users
      where not disabled and role = any(${reviewers as string[]}) order by display_name, email`;
  }

  async function assign(invoiceId: string, assignee: string | null, actor: string): Promise<'assigned' | 'released'> {
    if (assignee !== null) {
      const [known] =
        await sql`select 1 from users where email = ${assignee} and not disabled and role = any(${reviewers as string[]})`;
      if (!known) throw new InvoiceInputError(422, `${assignee} is not a user who can review invoices.`);
    }
    const done = await assignInvoice(sql, invoiceId, assignee);
    if (!done) throw new InvoiceInputError(404, `No invoice ${invoiceId}.`);
    const kind =
      assignee === null
        ? 'invoice.released'
        : done.previous && done.previous !== assignee
          ? 'invoice.reassigned'
          : 'invoice.assigned';
    await appendAudit(sql, {
      eventKey: `${invoiceId}:assign:${randomUUID()}`,
      invoiceId,
      kind,
      actor,
      data: { assignee, previous: done.previous },
    });
    return assignee === null ? 'released' : 'assigned';
  }

  /** One invoice of a bulk request; a refusal is an outcome, never an exception. */
  async function one(request: BulkRequest, invoiceId: string, actor: string, threshold: number): Promise<BulkOutcome> {
    try {
      if (request.action === 'assign') return { invoiceId, outcome: await assign(invoiceId, request.assignee, actor) };
      const { state } = await invoices.get(invoiceId);
      if (!state)
        return { invoiceId, outcome: 'skipped', reason: 'Its workflow did not answer; try again in a moment.' };
      if (request.action === 'reject') {
        await invoices.review(invoiceId, { action: 'reject', actor, reason: request.reason, corrections: {} });
        return { invoiceId, outcome: 'rejected' };
      }
      const blockers = bulkApprovalBlockers(state, threshold);
      if (blockers.length > 0) return { invoiceId, outcome: 'skipped', reason: blockers.join(' ') };
      await invoices.review(invoiceId, {
        action: 'approve',
        actor,
        reason: 'Approved from the queue with others.',
        corrections: {},
      });
      return { invoiceId, outcome: 'approved' };
    } catch (err) {
      if (err instanceof InvoiceInputError || err instanceof ReviewRejectedError)
        return { invoiceId, outcome: 'skipped', reason: err.message };
      throw err;
    }
  }

  return {
    assignableUsers,
    assign,
    async bulk(request, actor) {
      const { autoApproveThreshold } = await getEffectiveSettings(sql, config);
      const outcomes: BulkOutcome[] = [];
      // One at a time, in the order chosen: each approval waits briefly for its workflow to record it.
      for (const invoiceId of [...new Set(request.ids)])
        outcomes.push(await one(request, invoiceId, actor, autoApproveThreshold));
      return outcomes;
    },
  };
}
