// Notifications in real invoice workflows: an escalation and a failed sync each produce an email (to the
// roles configured) and a webhook call, recorded and shown on the invoice page; the daily digest lists
// what waits for review, run directly and through its Temporal Schedule.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPassword } from '../../api/auth/passwords.js';
import { listNotificationsForInvoice, type NotificationRow } from '../../db/notifications.js';
import { upsertUser } from '../../db/users.js';
import { digestScheduleId, syncDigestSchedule } from '../../notify/digest-schedule.js';
import { PageSession } from '../support/browserless-session.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { ADMIN, seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { uploadForSeededPo } from '../support/seeded-invoice.js';
import { startWebhookReceiver, type TestWebhook } from '../support/webhook.js';
import { digestWorkflow } from '../../workflows/digest.js';
import { eventually } from '../support/eventually.js';

let stack: Stack;
let smtp: TestSmtpServer;
let hook: TestWebhook;

before(async () => {
  smtp = await startSmtpServer();
  hook = await startWebhookReceiver();
  stack = await startStack({
    env: {
      ESCALATE_AFTER: '2s',
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: 'AP Robot <ap-robot@example.test>',
      NOTIFY_WEBHOOK_URL: hook.url,
      NOTIFY_INITIAL_RETRY: '200ms',
      NOTIFY_MAX_RETRY: '1s',
      NOTIFY_MAX_ATTEMPTS: '5',
    },
  });
  const passwordHash = await hashPassword('another long test password');
  await upsertUser(stack.sql, { email: 'clerk@test.local', displayName: 'Clerk', role: 'clerk', passwordHash });
  await upsertUser(stack.sql, { email: 'ops@test.local', displayName: 'Ops', role: 'ops', passwordHash });
});
after(async () => {
  await stack?.stop();
  await smtp?.close();
  await hook?.close();
});

/** Poll the notifications table until `done` holds (the child workflow runs on its own). */
async function notificationsFor(
  invoiceId: string,
  done: (rows: NotificationRow[]) => boolean,
): Promise<NotificationRow[]> {
  let rows: NotificationRow[] = [];
  return eventually(
    () =>
      `notifications for ${invoiceId} never got there: ${JSON.stringify(rows.map((r) => [r.channel, r.recipient, r.status, r.error]))}`,
    async () => done((rows = await listNotificationsForInvoice(stack.sql, invoiceId))) && rows,
    { intervalMs: 150, rethrow: true },
  );
}
const allSent = (expected: number) => (rows: NotificationRow[]) =>
  rows.length === expected && rows.every((r) => r.status === 'sent');

async function invoicePage(id: string): Promise<string> {
  const session = new PageSession(stack.url);
  await session.login(ADMIN.email, ADMIN.password);
  const res = await session.fetch(`/invoices/${id}`);
  assert.equal(res.status, 200);
  return res.text();
}

let escalatedInvoice: { id: string; invoiceNumber: string };

describe('notifications in the invoice lifecycle', () => {
  test('an escalation emails admins and clerks and calls the webhook, recorded and shown on the invoice page', async () => {
    const { id, inv } = await uploadForSeededPo(stack, 'invoice.pdf', { placeholders: 2 });
    escalatedInvoice = { id, invoiceNumber: inv.invoiceNumber };
    await stack.waitFor(id, (s) => s.status === 'escalated');
    const rows = await notificationsFor(id, allSent(3));
    assert.deepEqual(rows.map((r) => [r.event, r.channel, r.recipient]).sort(), [
      ['escalated', 'email', 'admin@test.local'],
      ['escalated', 'email', 'clerk@test.local'],
      ['escalated', 'webhook', `${new URL(hook.url).origin}/…`],
    ]);
    assert.equal(smtp.to('ops@test.local').length, 0, 'ops do not hear about escalations by default');
    const mail = smtp.to('clerk@test.local').find((m) => m.subject.includes(inv.invoiceNumber));
    assert.ok(mail, 'the clerk got the escalation');
    assert.equal(mail.subject, `[PlexSync] Escalated: invoice ${inv.invoiceNumber} from ${inv.vendorName}`);
    assert.match(mail.text, new RegExp(`PO: ${inv.poNumber}`));
    assert.match(mail.text, /placeholder/i, 'the reason it needs review');
    assert.ok(mail.text.includes(`/invoices/${id}`));
    assert.equal(mail.from, 'ap-robot@example.test');
    const call = hook.requests.find((r) => (r.body.invoice as { id?: string } | undefined)?.id === id);
    assert.ok(call);
    assert.equal(call.body.event, 'invoice.escalated');
    assert.match(String(call.body.text), new RegExp(inv.invoiceNumber));

    const html = await invoicePage(id);
    assert.match(html, /<h2 id="notifications-h">Notifications<\/h2>/);
    for (const who of ['admin@test.local', 'clerk@test.local', `${new URL(hook.url).origin}/…`])
      assert.ok(html.includes(who), `the page lists ${who}`);
    assert.equal((html.match(/<tr class="notification sent">/g) ?? []).length, 3);
  });

  test('the daily digest lists what waits for review, run directly and from its schedule', async () => {
    assert.ok(escalatedInvoice, 'runs after the escalation test');
    const { taskQueue } = stack.config.temporal;
    const result = await stack.client.workflow.execute(digestWorkflow, {
      taskQueue,
      workflowId: `digest-test-${Date.now()}`,
      args: [],
    });
    assert.deepEqual(Object.values((result as { email: { outcomes: Record<string, string> } }).email.outcomes), [
      'sent',
    ]);
    const digest = smtp.to('clerk@test.local').filter((m) => m.subject.includes('Daily digest'));
    assert.equal(digest.length, 1);
    assert.match(
      digest[0]!.subject,
      /^\[PlexSync\] Daily digest \d{4}-\d{2}-\d{2}: 1 invoice waiting for review \(1 escalated\)$/,
    );
    assert.match(
      digest[0]!.text,
      new RegExp(`${escalatedInvoice.invoiceNumber} · Acme Fasteners Inc\\. · PO \\d+ · .* · ESCALATED`),
    );
    assert.ok(digest[0]!.text.includes(`/invoices/${escalatedInvoice.id}`));
    assert.equal(
      smtp.to('admin@test.local').filter((m) => m.subject.includes('Daily digest')).length,
      0,
      'the digest goes to clerks by default',
    );
    const hookDigest = hook.requests.filter((r) => r.body.event === 'digest');
    assert.equal(hookDigest.length, 1);
    assert.equal((hookDigest[0]!.body.digest as { totalWaiting: number }).totalWaiting, 1);

    assert.equal(
      await syncDigestSchedule(stack.client, { taskQueue, at: '06:30', timeZone: 'Europe/Berlin' }),
      'created',
    );
    assert.equal(
      await syncDigestSchedule(stack.client, { taskQueue, at: '07:15', timeZone: 'Europe/Berlin' }),
      'updated',
    );
    const handle = stack.client.schedule.getHandle(digestScheduleId(taskQueue));
    const described = await handle.describe();
    assert.equal(described.spec.timezone, 'Europe/Berlin');
    assert.deepEqual(
      described.spec.calendars?.map((c) => [c.hour, c.minute]),
      [[[{ start: 7, end: 7, step: 1 }], [{ start: 15, end: 15, step: 1 }]]],
    );
    await handle.trigger();
    await eventually(
      'the scheduled digest arrived',
      () => smtp.to('clerk@test.local').filter((m) => m.subject.includes('Daily digest')).length >= 2,
      { intervalMs: 150 },
    );
    assert.equal(await syncDigestSchedule(stack.client, { taskQueue, timeZone: 'UTC' }), 'removed');
    assert.equal(await syncDigestSchedule(stack.client, { taskQueue, timeZone: 'UTC' }), 'off');
  });

  test('a failed sync emails ops and calls the webhook (500, then retried), recorded and shown on the invoice page', async () => {
    const inv = uniqueInvoice();
    await seedPurchaseOrder(stack.plex, { poNumber: inv.poNumber, supplier: inv.vendorName, lines: inv.lines });
    stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
    hook.faults.push({ kind: 'status', status: 500 });
    const before = hook.requests.length;
    const id = await stack.uploadOne('invoice.pdf', await makeInvoicePdf(inv));
    const failed = await stack.waitFor(id, (s) => s.status === 'sync_failed');
    stack.plex.store.clearFaults();
    const rows = await notificationsFor(id, allSent(2));
    assert.deepEqual(rows.map((r) => [r.event, r.channel, r.recipient]).sort(), [
      ['sync_failed', 'email', 'ops@test.local'],
      ['sync_failed', 'webhook', `${new URL(hook.url).origin}/…`],
    ]);
    const webhookRow = rows.find((r) => r.channel === 'webhook')!;
    assert.equal(webhookRow.attempts, 2, 'the 500 was retried');
    const calls = hook.requests.slice(before);
    assert.deepEqual(
      calls.map((c) => c.status),
      [500, 200],
    );
    assert.equal(new Set(calls.map((c) => c.headers['idempotency-key'])).size, 1);
    const mail = smtp.to('ops@test.local').find((m) => m.subject.includes(inv.invoiceNumber));
    assert.ok(mail);
    assert.equal(mail.subject, `[PlexSync] Sync failed: invoice ${inv.invoiceNumber} from ${inv.vendorName}`);
    assert.ok(mail.text.includes(failed.sync.lastError!), 'the Plex error is the reason');
    assert.ok(
      !smtp.to('clerk@test.local').some((m) => m.subject.includes(inv.invoiceNumber)),
      'clerks do not hear about failed syncs by default',
    );

    const html = await invoicePage(id);
    assert.ok(html.includes('ops@test.local'));
    assert.match(html, /Sync failed<\/td><td>webhook<\/td>/);
  });
});
