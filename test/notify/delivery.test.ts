// Notification delivery against a real SMTP server and a real webhook receiver on loopback, with the
// real database: content, recipients per role, failure handling, and that a retried activity never sends
// a message twice. Activities are called directly; a second call is what Temporal's retry does.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createNotifyActivities } from '../../activities/notify.js';
import { loadConfig, type NotifyConfig } from '../../config/index.js';
import { createSql, type Sql } from '../../db/client.js';
import { migrate } from '../../db/migrate.js';
import { DEFAULT_NOTIFICATION_SETTINGS, saveNotificationSettings } from '../../db/notification-settings.js';
import { listNotificationsByKeyPrefix } from '../../db/notifications.js';
import { messageIdFor } from '../../notify/deliver.js';
import { createNotificationMetrics, type NotificationMetrics } from '../../notify/metrics.js';
import { startMetricsServer } from '../../observability/metrics-server.js';
import { createDatabase, databaseUrl, dropDatabase } from '../../scripts/lib/postgres.js';
import { getTestServices } from '../../testkit/services.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { startWebhookReceiver, type TestWebhook } from '../support/webhook.js';

let sql: Sql;
let smtp: TestSmtpServer;
let hook: TestWebhook;
let adminUrl: string;
const dbName = `plexsync_notify_${randomBytes(4).toString('hex')}`;
const APP = 'https://ap.example.test';

function notifyConfig(overrides: Partial<NotifyConfig['smtp']> = {}): NotifyConfig {
  const config = loadConfig({
    PUBLIC_URL: APP,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    NOTIFY_WEBHOOK_URL: hook.url,
    NOTIFY_WEBHOOK_TIMEOUT_MS: '400',
    SMTP_TIMEOUT_MS: '1500',
  }).notify;
  return { ...config, smtp: { ...config.smtp, ...overrides } };
}
const activities = (config = notifyConfig(), metrics?: NotificationMetrics) =>
  createNotifyActivities({
    sql,
    clock: () => new Date(),
    logger: pino({ level: 'silent' }),
    notify: { config, metrics },
  } as Parameters<typeof createNotifyActivities>[0]);

async function addUser(email: string, role: string, disabled = false) {
  await sql`insert into users (email, display_name, password_hash, role, disabled) values (${email}, ${email}, 'x', ${role}, ${disabled})`;
}

async function addInvoice(fields: {
  status: string;
  invoiceNumber: string;
  vendorName: string;
  poNumber: string;
  total: string;
}) {
  const sha = createHash('sha256').update(randomBytes(16)).digest('hex');
  const id = `inv-${sha.slice(0, 24)}`;
  await sql`insert into documents (sha256, bytes, size_bytes, mime_type, page_count, file_name) values (${sha}, ${Buffer.from('%PDF')}, 4, 'application/pdf', 1, 'x.pdf')`;
  await sql`insert into invoices (id, document_sha256, file_name, status, uploaded_by, vendor_name, invoice_number, po_number, currency, total)
    values (${id}, ${sha}, ${`${fields.invoiceNumber}.pdf`}, ${fields.status}, 'clerk@test.local', ${fields.vendorName}, ${fields.invoiceNumber}, ${fields.poNumber}, 'USD', ${fields.total})`;
  return id;
}

/** An invoice whose content does not matter here: from Acme, on PO 1, for 1.00 USD. */
const acmeInvoice = (status: string, invoiceNumber: string) =>
  addInvoice({ status, invoiceNumber, vendorName: 'Acme', poNumber: '1', total: '1.00' });

const rowsOf = (key: string) => listNotificationsByKeyPrefix(sql, key);
const uniqueKey = (id: string, what: string) => `${id}:${what}:${randomBytes(3).toString('hex')}`;
/** A notification of the invoice under a key of its own (`<id>:escalated:…`, `<id>:sync-failed:…`). */
const requestFor = (invoiceId: string, event: 'escalated' | 'sync_failed', reasons: string[] = []) => ({
  key: uniqueKey(invoiceId, event === 'sync_failed' ? 'sync-failed' : event),
  event,
  invoiceId,
  reasons,
});

before(async () => {
  const services = await getTestServices();
  adminUrl = services.databaseAdminUrl;
  await createDatabase(adminUrl, dbName);
  sql = createSql(databaseUrl(adminUrl, dbName), { max: 4 });
  await migrate(sql);
  await addUser('admin@test.local', 'admin');
  await addUser('clerk@test.local', 'clerk');
  await addUser('ops@test.local', 'ops');
  await addUser('gone@test.local', 'clerk', true);
  smtp = await startSmtpServer();
  hook = await startWebhookReceiver();
});
after(async () => {
  await smtp?.close();
  await hook?.close();
  await sql?.end({ timeout: 5 });
  if (adminUrl) await dropDatabase(adminUrl, dbName).catch(() => {});
});
beforeEach(async () => {
  smtp.messages.length = 0;
  smtp.faults.length = 0;
  hook.requests.length = 0;
  hook.faults.length = 0;
  await saveNotificationSettings(sql, DEFAULT_NOTIFICATION_SETTINGS, 'test');
});

describe('content and recipients', () => {
  test('an escalation emails admins and clerks (not ops, not disabled users) with number, vendor, PO, reason and link', async () => {
    const id = await addInvoice({
      status: 'escalated',
      invoiceNumber: 'INV-4711',
      vendorName: 'Acme <Fasteners> & Co',
      poNumber: '062486',
      total: '1842.50',
    });
    const key = uniqueKey(id, 'escalated');
    const result = await activities().sendEmailNotifications({
      key,
      event: 'escalated',
      invoiceId: id,
      reasons: ['Two open placeholders on PO 062486: a clerk must choose.'],
    });
    assert.deepEqual(Object.keys(result.outcomes).sort(), ['admin@test.local', 'clerk@test.local']);
    assert.deepEqual(smtp.messages.map((m) => m.to[0]).sort(), ['admin@test.local', 'clerk@test.local']);
    const mail = smtp.to('clerk@test.local')[0]!;
    assert.equal(mail.subject, '[PlexSync] Escalated: invoice INV-4711 from Acme <Fasteners> & Co');
    assert.match(mail.text, /Vendor: Acme <Fasteners> & Co/);
    assert.match(mail.text, /PO: 062486/);
    assert.match(mail.text, /Total: 1842\.50 USD/);
    assert.match(mail.text, /Two open placeholders on PO 062486/);
    assert.ok(mail.text.includes(`${APP}/invoices/${id}`), 'plain text has the link to the invoice page');
    assert.ok(mail.html.includes(`href="${APP}/invoices/${id}"`), 'HTML has the link');
    assert.ok(mail.html.includes('Acme &lt;Fasteners&gt; &amp; Co'), 'HTML escapes the vendor');
    assert.equal(mail.messageId, messageIdFor(`${key}:email:clerk@test.local`));
    assert.equal(mail.from, 'plexsync@localhost');
    const rows = await rowsOf(key);
    assert.deepEqual(
      rows.map((r) => [r.recipient, r.status, r.attempts, r.invoiceId]),
      [
        ['admin@test.local', 'sent', 1, id],
        ['clerk@test.local', 'sent', 1, id],
      ],
    );
    assert.match(rows[0]!.providerResponse ?? '', /^250/);
    assert.ok(rows[0]!.sentAt);
  });

  test('a failed sync goes to ops by default, and to the roles and extra addresses configured', async () => {
    const id = await addInvoice({
      status: 'sync_failed',
      invoiceNumber: 'INV-5001',
      vendorName: 'Bolt Supply',
      poNumber: '062490',
      total: '99.00',
    });
    const req = {
      event: 'sync_failed' as const,
      invoiceId: id,
      reasons: ['The placeholder 123 is no longer open (status Closed). Nothing was written.'],
    };
    await activities().sendEmailNotifications({ ...req, key: uniqueKey(id, 'sync-failed') });
    assert.deepEqual(
      smtp.messages.map((m) => m.to[0]),
      ['ops@test.local'],
    );
    assert.equal(smtp.messages[0]!.subject, '[PlexSync] Sync failed: invoice INV-5001 from Bolt Supply');
    assert.match(smtp.messages[0]!.text, /Why the sync failed:\n- The placeholder 123 is no longer open/);

    smtp.messages.length = 0;
    await saveNotificationSettings(
      sql,
      { ...DEFAULT_NOTIFICATION_SETTINGS, syncFailedRoles: ['admin'], syncFailedExtra: ['ap-lead@example.test'] },
      'test',
    );
    await activities().sendEmailNotifications({ ...req, key: uniqueKey(id, 'sync-failed') });
    assert.deepEqual(smtp.messages.map((m) => m.to[0]).sort(), ['admin@test.local', 'ap-lead@example.test']);
  });

  test('the webhook gets Slack-compatible text + blocks, the structured invoice and an Idempotency-Key header', async () => {
    const id = await addInvoice({
      status: 'escalated',
      invoiceNumber: 'INV-6001',
      vendorName: 'Acme Fasteners',
      poNumber: '062488',
      total: '10.00',
    });
    const key = uniqueKey(id, 'escalated');
    const result = await activities().sendWebhookNotification({
      key,
      event: 'escalated',
      invoiceId: id,
      reasons: ['Low confidence on the total.'],
    });
    assert.deepEqual(Object.values(result.outcomes), ['sent']);
    assert.equal(hook.requests.length, 1);
    const { headers, body } = hook.requests[0]!;
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-plexsync-event'], 'invoice.escalated');
    assert.equal(headers['idempotency-key'], body.idempotencyKey);
    assert.match(
      String(body.text),
      /Escalated: invoice INV-6001 from Acme Fasteners \(PO 062488, 10\.00 USD\)\. Low confidence on the total\./,
    );
    assert.ok(String(body.text).includes(`${APP}/invoices/${id}`));
    const blocks = body.blocks as { type: string; elements?: { url: string }[] }[];
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['section', 'section', 'actions'],
    );
    assert.equal(blocks[2]!.elements![0]!.url, `${APP}/invoices/${id}`);
    assert.deepEqual(
      { ...(body.invoice as object) },
      {
        id,
        invoiceNumber: 'INV-6001',
        vendorName: 'Acme Fasteners',
        poNumber: '062488',
        total: '10.00',
        currency: 'USD',
        status: 'escalated',
        fileName: 'INV-6001.pdf',
        url: `${APP}/invoices/${id}`,
      },
    );
    const [row] = await rowsOf(key);
    assert.equal(row!.recipient, 'http://127.0.0.1:' + new URL(hook.url).port + '/…', 'the secret path is not stored');
    assert.equal(row!.messageId, headers['idempotency-key']);
  });
});

describe('failures and retries', () => {
  test('SMTP 4xx for one recipient: the activity fails for a retry, which sends only the missing message', async () => {
    const id = await acmeInvoice('escalated', 'INV-7001');
    const req = requestFor(id, 'escalated', ['r']);
    const { key } = req;
    // admin@ first (sorted): accepted; clerk@: 451 → the attempt fails after one message went out.
    smtp.faults.push({ kind: 'accept' }, { kind: 'reply', code: 451, message: 'mailbox busy' });
    await assert.rejects(activities().sendEmailNotifications(req), (err: Error & { type?: string }) => {
      assert.equal(err.type, 'NotificationDeliveryFailed');
      assert.match(err.message, /451/);
      return true;
    });
    let rows = await rowsOf(key);
    assert.deepEqual(
      rows.map((r) => [r.recipient, r.status]),
      [
        ['admin@test.local', 'sent'],
        ['clerk@test.local', 'pending'],
      ],
    );
    assert.match(rows[1]!.error ?? '', /451/);

    await activities().sendEmailNotifications(req); // Temporal's retry
    assert.equal(smtp.to('admin@test.local').length, 1, 'the admin got exactly one message');
    assert.equal(smtp.to('clerk@test.local').filter((m) => m.accepted).length, 1);
    rows = await rowsOf(key);
    assert.deepEqual(
      rows.map((r) => [r.recipient, r.status, r.attempts]),
      [
        ['admin@test.local', 'sent', 1],
        ['clerk@test.local', 'sent', 2],
      ],
    );

    const again = await activities().sendEmailNotifications(req); // a late duplicate attempt
    assert.deepEqual(again.outcomes, { 'admin@test.local': 'already_sent', 'clerk@test.local': 'already_sent' });
    assert.equal(smtp.messages.length, 3, 'nothing more was sent');
  });

  test("SMTP 5xx is final: recorded as failed with the server's answer, not retried, other recipients still get theirs", async () => {
    const id = await acmeInvoice('escalated', 'INV-7002');
    const req = requestFor(id, 'escalated');
    const { key } = req;
    smtp.faults.push({ kind: 'reply', code: 550, message: 'no such user' });
    const result = await activities().sendEmailNotifications(req);
    assert.deepEqual(result.outcomes, { 'admin@test.local': 'failed', 'clerk@test.local': 'sent' });
    const [failed] = await rowsOf(`${key}:email:admin`);
    assert.equal(failed!.status, 'failed');
    assert.match(failed!.error ?? '', /550/);
    const retry = await activities().sendEmailNotifications(req);
    assert.deepEqual(retry.outcomes, { 'admin@test.local': 'already_failed', 'clerk@test.local': 'already_sent' });
    assert.equal(smtp.messages.length, 2);
  });

  test('an unreachable SMTP server fails the attempt with nothing marked sent', async () => {
    const id = await acmeInvoice('escalated', 'INV-7003');
    const req = requestFor(id, 'escalated');
    const closed = await startSmtpServer();
    await closed.close();
    await assert.rejects(activities(notifyConfig({ port: closed.port })).sendEmailNotifications(req), /not reachable/);
    assert.deepEqual(
      (await rowsOf(req.key)).map((r) => r.status),
      ['pending', 'pending'],
    );
  });

  test('the crash window: the server took the message but never answered; the retry resends with the same Message-ID and flags it', async () => {
    await saveNotificationSettings(sql, { ...DEFAULT_NOTIFICATION_SETTINGS, escalationRoles: ['admin'] }, 'test');
    const id = await acmeInvoice('escalated', 'INV-7004');
    const req = requestFor(id, 'escalated');
    const { key } = req;
    smtp.faults.push({ kind: 'hang' });
    await assert.rejects(activities().sendEmailNotifications(req), /interrupted/);
    let [row] = await rowsOf(key);
    assert.equal(row!.status, 'sending', 'outcome unknown: the row stays in sending');
    await activities().sendEmailNotifications(req);
    [row] = await rowsOf(key);
    assert.equal(row!.status, 'sent');
    assert.equal(row!.resentAfterUnknown, true);
    const copies = smtp.to('admin@test.local');
    assert.equal(copies.length, 2, 'the documented duplicate in the crash window');
    assert.equal(
      copies[0]!.messageId,
      copies[1]!.messageId,
      'both copies carry one Message-ID, so mail clients show one',
    );
  });

  test('webhook 500 then success: retried with the same Idempotency-Key, recorded once as sent', async () => {
    const id = await acmeInvoice('sync_failed', 'INV-8001');
    const req = requestFor(id, 'sync_failed', ['Plex 503']);
    const { key } = req;
    hook.faults.push({ kind: 'status', status: 500 });
    await assert.rejects(
      activities().sendWebhookNotification(req),
      (err: Error & { type?: string }) => err.type === 'NotificationDeliveryFailed' && /500/.test(err.message),
    );
    assert.equal((await rowsOf(key))[0]!.status, 'pending');
    await activities().sendWebhookNotification(req);
    await activities().sendWebhookNotification(req);
    assert.deepEqual(
      hook.requests.map((r) => r.status),
      [500, 200],
    );
    assert.equal(hook.distinctKeys().length, 1);
    const [row] = await rowsOf(key);
    assert.deepEqual([row!.status, row!.attempts, row!.providerResponse], ['sent', 2, '200 ok']);
  });

  test('webhook timeout: outcome unknown, the retry resends with the same key (a receiver honouring it processes one)', async () => {
    const id = await acmeInvoice('sync_failed', 'INV-8002');
    const req = requestFor(id, 'sync_failed');
    const { key } = req;
    hook.faults.push({ kind: 'hang' });
    await assert.rejects(activities().sendWebhookNotification(req), /did not answer within 400 ms/);
    assert.equal((await rowsOf(key))[0]!.status, 'sending');
    await activities().sendWebhookNotification(req);
    const [row] = await rowsOf(key);
    assert.deepEqual([row!.status, row!.resentAfterUnknown], ['sent', true]);
    assert.equal(hook.requests.length, 2);
    assert.deepEqual(hook.distinctKeys(), [row!.messageId]);
  });

  test('webhook 4xx is final: failed, never sent again', async () => {
    const id = await acmeInvoice('sync_failed', 'INV-8003');
    const req = requestFor(id, 'sync_failed');
    const { key } = req;
    hook.faults.push({ kind: 'status', status: 404 });
    const first = await activities().sendWebhookNotification(req);
    assert.deepEqual(Object.values(first.outcomes), ['failed']);
    const second = await activities().sendWebhookNotification(req);
    assert.deepEqual(Object.values(second.outcomes), ['already_failed']);
    assert.equal(hook.requests.length, 1);
    assert.match((await rowsOf(key))[0]!.error ?? '', /refused the message \(404\)/);
  });

  test('when retries run out, what is still pending is marked failed', async () => {
    const id = await acmeInvoice('sync_failed', 'INV-8004');
    const req = requestFor(id, 'sync_failed');
    const { key } = req;
    hook.faults.push({ kind: 'status', status: 503 });
    await assert.rejects(activities().sendWebhookNotification(req));
    assert.equal(await activities().giveUpNotifications({ key, channel: 'webhook', error: '503' }), 1);
    const [row] = await rowsOf(key);
    assert.equal(row!.status, 'failed');
    assert.match(row!.error ?? '', /Gave up after the last retry: 503/);
  });
});

describe('plan', () => {
  test('channels follow the settings: turned off, no SMTP server, nobody to tell', async () => {
    const a = activities();
    assert.deepEqual((await a.planNotification({ key: 'k', event: 'escalated' })).channels, ['email', 'webhook']);
    await saveNotificationSettings(
      sql,
      { ...DEFAULT_NOTIFICATION_SETTINGS, webhookEnabled: false, digestRoles: [] },
      'test',
    );
    const plan = await a.planNotification({ key: 'k', event: 'digest' });
    assert.deepEqual(plan.channels, []);
    assert.deepEqual(plan.skipped, ['email: nobody receives digest', 'webhook: turned off']);
    const noSmtp = await activities(notifyConfig({ host: undefined })).planNotification({
      key: 'k',
      event: 'escalated',
    });
    assert.deepEqual(noSmtp.skipped, ['email: no SMTP server configured', 'webhook: turned off']);
  });
});

describe('metrics', () => {
  /** The counter's value for these labels as Prometheus scrapes it from the worker's endpoint. */
  async function scrape(url: string, labels: { event: string; channel: string; outcome: string }): Promise<number> {
    const body = await (await fetch(url)).text();
    const line = body
      .split('\n')
      .find((l) =>
        l.startsWith(
          `plexsync_notifications_total{event="${labels.event}",channel="${labels.channel}",outcome="${labels.outcome}"}`,
        ),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  }
  const withEndpoint = async (run: (metrics: NotificationMetrics, url: string) => Promise<void>) => {
    const registry = new Registry();
    const metrics = createNotificationMetrics(registry);
    const server = await startMetricsServer(registry, { host: '127.0.0.1', port: 0 });
    try {
      await run(metrics, server.url);
    } finally {
      await server.close();
    }
  };

  test('a sent notification counts as sent per recipient and channel; a retry of what was sent counts nothing', async () => {
    await withEndpoint(async (metrics, url) => {
      const id = await acmeInvoice('escalated', 'INV-9001');
      const req = requestFor(id, 'escalated');
      await activities(notifyConfig(), metrics).sendEmailNotifications(req);
      await activities(notifyConfig(), metrics).sendWebhookNotification(req);
      assert.equal(await scrape(url, { event: 'escalated', channel: 'email', outcome: 'sent' }), 2, 'admin and clerk');
      assert.equal(await scrape(url, { event: 'escalated', channel: 'webhook', outcome: 'sent' }), 1);
      await activities(notifyConfig(), metrics).sendEmailNotifications(req); // already sent: nothing goes out
      assert.equal(await scrape(url, { event: 'escalated', channel: 'email', outcome: 'sent' }), 2);
      assert.equal(await scrape(url, { event: 'escalated', channel: 'email', outcome: 'failed' }), 0);
    });
  });

  test('refusals, retried attempts, crash-window resends and given-up messages are counted by outcome', async () => {
    await withEndpoint(async (metrics, url) => {
      await saveNotificationSettings(sql, { ...DEFAULT_NOTIFICATION_SETTINGS, escalationRoles: ['admin'] }, 'test');
      const refusedId = await acmeInvoice('escalated', 'INV-9002');
      smtp.faults.push({ kind: 'reply', code: 550, message: 'no such user' });
      await activities(notifyConfig(), metrics).sendEmailNotifications(requestFor(refusedId, 'escalated'));
      assert.equal(await scrape(url, { event: 'escalated', channel: 'email', outcome: 'failed' }), 1);

      const hungId = await acmeInvoice('escalated', 'INV-9003');
      const hung = requestFor(hungId, 'escalated');
      smtp.faults.push({ kind: 'hang' });
      await assert.rejects(activities(notifyConfig(), metrics).sendEmailNotifications(hung), /interrupted/);
      assert.equal(await scrape(url, { event: 'escalated', channel: 'email', outcome: 'retrying' }), 1);
      await activities(notifyConfig(), metrics).sendEmailNotifications(hung);
      assert.equal(
        await scrape(url, { event: 'escalated', channel: 'email', outcome: 'duplicate_risk' }),
        1,
        'resent after an unknown outcome',
      );
      assert.equal(await scrape(url, { event: 'escalated', channel: 'email', outcome: 'sent' }), 1);

      const syncId = await acmeInvoice('sync_failed', 'INV-9004');
      const req = requestFor(syncId, 'sync_failed');
      const { key } = req;
      hook.faults.push({ kind: 'status', status: 503 });
      await assert.rejects(activities(notifyConfig(), metrics).sendWebhookNotification(req));
      assert.equal(
        await activities(notifyConfig(), metrics).giveUpNotifications({ key, channel: 'webhook', error: '503' }),
        1,
      );
      assert.equal(await scrape(url, { event: 'sync_failed', channel: 'webhook', outcome: 'retrying' }), 1);
      assert.equal(
        await scrape(url, { event: 'sync_failed', channel: 'webhook', outcome: 'failed' }),
        1,
        'given up after the last retry',
      );
    });
  });
});
