// The invoice lifecycle end to end on real Temporal, Postgres and HTTP, with the Plex simulator.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verifyAuditChain } from '../../db/audit.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, withStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
withStack({}, (started) => (stack = started));

async function writesTo(placeholderId: string) {
  const res = await fetch(`${stack.plex.url}/__admin/writes`, {
    headers: { 'X-Plex-Connect-Api-Key': stack.plex.apiKey },
  });
  const { writes } = (await res.json()) as {
    writes: { apInvoiceId: string; applied: boolean; body: { invoiceNumber?: string } }[];
  };
  return writes.filter((w) => w.apInvoiceId === placeholderId);
}

describe('invoice lifecycle', () => {
  test('a clean invoice is auto-approved, written into its placeholder, and audited in a verifiable chain', async () => {
    const inv = uniqueInvoice();
    const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
      poNumber: inv.poNumber,
      supplier: inv.vendorName,
      lines: inv.lines,
    });
    const id = await stack.uploadOne('clean.pdf', await makeInvoicePdf(inv));

    const state = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.equal(state.decisions[0]?.action, 'auto_approve');
    assert.equal(state.fields.invoiceNumber, inv.invoiceNumber);
    assert.equal(await stack.placeholderNumber(placeholderIds[0]!), inv.invoiceNumber);
    const writes = await writesTo(placeholderIds[0]!);
    assert.equal(writes.filter((w) => w.applied).length, 1);

    const api = (await (await stack.api(`/api/invoices/${id}`)).json()) as {
      invoice: { status: string; invoiceNumber: string; autoApproved: boolean };
    };
    assert.equal(api.invoice.status, 'synced');
    assert.equal(api.invoice.autoApproved, true);
    const chain = await verifyAuditChain(stack.sql);
    assert.ok(chain.ok, JSON.stringify(chain));
    const kinds = (
      await stack.sql<{ kind: string }[]>`select kind from audit_log where invoice_id = ${id} order by seq`
    ).map((r) => r.kind);
    assert.deepEqual(kinds, ['invoice.received', 'review.auto_approved', 'sync.succeeded']);
  });

  test('a low-confidence invoice waits for review; approval with a corrected invoice number syncs the corrected value', async () => {
    const inv = uniqueInvoice();
    const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
      poNumber: inv.poNumber,
      supplier: inv.vendorName,
      lines: inv.lines,
    });
    // No invoice number printed: extraction cannot be confident.
    const id = await stack.uploadOne('no-number.pdf', await makeInvoicePdf({ ...inv, omit: ['invoiceNumber'] }));
    const waiting = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
    assert.ok(
      waiting.reviewReasons.some((r) => /invoice number/i.test(r)),
      waiting.reviewReasons.join(' | '),
    );
    assert.equal((await writesTo(placeholderIds[0]!)).length, 0, 'nothing written before approval');

    // Approving without the number is refused with a clear message.
    const refused = await stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve' }),
    });
    assert.equal(refused.status, 409);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /invoice number/i);

    const corrected = `${inv.invoiceNumber}-C`;
    const ok = await stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve', corrections: { invoiceNumber: corrected } }),
    });
    assert.equal(ok.status, 202, await ok.clone().text());
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.equal(done.sync.writtenInvoiceNumber, corrected);
    assert.equal(await stack.placeholderNumber(placeholderIds[0]!), corrected);
    assert.equal(done.decisions.at(-1)?.actor, 'token:tests');
    const [decision] = await stack.sql<
      { action: string; corrections: Record<string, string> }[]
    >`select action, corrections from review_decisions where invoice_id = ${id}`;
    assert.equal(decision?.action, 'approve');
    assert.equal(decision?.corrections.invoiceNumber, corrected);
  });

  test('an invoice for an unknown PO goes to review with the reason, and a rejection ends it without writing', async () => {
    const inv = uniqueInvoice();
    const id = await stack.uploadOne('unknown-po.pdf', await makeInvoicePdf(inv));
    const waiting = await stack.waitFor(id, (s) => s.status === 'awaiting_review');
    assert.equal(waiting.match?.status, 'po_not_found');
    assert.ok(waiting.reviewReasons.some((r) => r.includes(inv.poNumber)));

    const noReason = await stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'reject' }),
    });
    assert.equal(noReason.status, 409);
    const res = await stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'reject', reason: 'Not our PO' }),
    });
    assert.equal(res.status, 202);
    const final = await stack.result(id);
    assert.equal(final.status, 'rejected');
    const again = await stack.api(`/api/invoices/${id}/review`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'approve' }),
    });
    assert.equal(again.status, 409, 'a closed invoice cannot be decided again');
  });

  test('Plex 5xx until retries run out parks the invoice in sync_failed; a replay writes it exactly once', async () => {
    const inv = uniqueInvoice();
    const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
      poNumber: inv.poNumber,
      supplier: inv.vendorName,
      lines: inv.lines,
    });
    stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
    const id = await stack.uploadOne('plex-down.pdf', await makeInvoicePdf(inv));
    const failed = await stack.waitFor(id, (s) => s.status === 'sync_failed');
    assert.match(failed.sync.lastError ?? '', /5\d\d|server/i);

    // Visible in the API, the failed-syncs data and by search attribute in Temporal.
    const list = (await (await stack.api('/api/invoices?status=sync_failed')).json()) as { invoices: { id: string }[] };
    assert.ok(list.invoices.some((i) => i.id === id));
    await eventually(
      'found by InvoiceStatus search attribute',
      async () => {
        for await (const wf of stack.client.workflow.list({
          query: `InvoiceStatus = "sync_failed" AND WorkflowId = "${id}"`,
        }))
          if (wf.workflowId === id) return true;
        return false;
      },
      { timeoutMs: 20_000, intervalMs: 200, rethrow: true },
    );
    const attempts = await stack.sql<
      { outcome: string }[]
    >`select outcome from sync_operations where invoice_id = ${id}`;
    assert.equal(attempts.length, 3, 'one row per attempt (SYNC_MAX_ATTEMPTS=3)');
    assert.ok(attempts.every((a) => a.outcome === 'failed'));

    stack.plex.store.clearFaults();
    const replay = await stack.api(`/api/invoices/${id}/retry-sync`, { method: 'POST' });
    assert.equal(replay.status, 202);
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    assert.equal(done.sync.rounds, 2);
    const applied = (await writesTo(placeholderIds[0]!)).filter((w) => w.applied);
    assert.equal(applied.length, 1, 'exactly one applied write');
    assert.equal(applied[0]!.body.invoiceNumber, inv.invoiceNumber);
    const notFailed = await stack.api(`/api/invoices/${id}/retry-sync`, { method: 'POST' });
    assert.equal(notFailed.status, 409, 'replaying a synced invoice is refused');
  });

  test('a lost Plex response does not lead to a second write', async () => {
    const inv = uniqueInvoice();
    const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
      poNumber: inv.poNumber,
      supplier: inv.vendorName,
      lines: inv.lines,
    });
    stack.plex.store.setFault('ap-invoices.put', { applyThenDrop: true });
    const id = await stack.uploadOne('lost-response.pdf', await makeInvoicePdf(inv));
    // The first attempt's response is lost; the retry re-reads the placeholder and finds our number.
    const done = await stack.waitFor(id, (s) => s.status === 'synced');
    stack.plex.store.clearFaults();
    assert.equal(done.sync.writtenInvoiceNumber, inv.invoiceNumber);
    const writes = await writesTo(placeholderIds[0]!);
    assert.equal(writes.length, 1, 'the write was sent once');
    const outcomes = (
      await stack.sql<
        { outcome: string }[]
      >`select outcome from sync_operations where invoice_id = ${id} order by attempt`
    ).map((r) => r.outcome);
    assert.deepEqual(outcomes, ['failed', 'already_applied']);
  });
});
