// "Poll now" on the Ingestion page: a mailbox on a server without IDLE, polled every hour, takes a message
// appended while its poller sleeps as soon as an admin presses the button (only the signal can explain
// it: the interval is hours long and there is no IDLE), and the poller adopts the poll settings sent with
// the signal. Also: a disabled mailbox is not polled, and the button needs the CSRF token like every form.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import proto from '@temporalio/proto'; // CommonJS: named imports fail under ESM
import { updateMailbox, getMailbox } from '../../db/ingestion.js';
import { mailboxWorkflowId } from '../../domain/ingest.js';
import { csrfFrom, PageSession } from '../support/browserless-session.js';
import { newMailAccount, sendMail, stopDovecot } from '../support/imap.js';
import { startIngestion, TEST_SECRET_KEY, type Ingestion } from '../support/ingest.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { ADMIN, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

const { temporal } = proto;

let stack: Stack;
let ingestion: Ingestion;
let admin: PageSession;

before(async () => {
  // The web app's interval (sent with "Poll now") is one hour; the poller below starts with two.
  stack = await startStack({
    ingestPollers: true,
    env: { INGEST_SECRET_KEY: TEST_SECRET_KEY, INGEST_POLL_INTERVAL: '1h' },
  });
  ingestion = await startIngestion(stack, {
    // A server without IDLE: the poller can only wait for its interval (or be woken).
    wrapActivities: (activities) => ({
      ...activities,
      async listNewMail(input) {
        const listing = await activities.listNewMail(input);
        return listing.disabled ? listing : { ...listing, idleSupported: false };
      },
    }),
  });
  admin = new PageSession(stack.url);
  assert.equal((await admin.login(ADMIN.email, ADMIN.password)).status, 302);
});

after(async () => {
  await ingestion?.stop();
  await stack?.stop();
  await stopDovecot();
});

/** The poll intervals (seconds) the poller slept for, in order. */
async function sleeps(mailboxId: string): Promise<number[]> {
  const history = await stack.client.workflow.getHandle(mailboxWorkflowId(mailboxId)).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED)
    .map((e) => Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0));
}

async function pressPollNow(mailboxId: string, headers: Record<string, string> = { 'HX-Request': 'true' }) {
  const csrf = csrfFrom(await (await admin.fetch('/admin/ingestion')).text());
  const res = await admin.fetch(`/admin/ingestion/mailboxes/${mailboxId}/poll`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ _csrf: csrf }),
  });
  return { status: res.status, body: await res.text() };
}

describe('poll now', () => {
  test('a message that arrives while the poller sleeps for hours is taken right after "Poll now", and the sent interval is adopted', async () => {
    const account = await newMailAccount();
    const mailboxId = await ingestion.addMailbox(account, { pollInterval: '2h' });
    // Asleep: the first round listed an empty INBOX and started its two-hour wait.
    await ingestion.waitUntil('the poller to sleep', async () =>
      (await sleeps(mailboxId)).length > 0 ? true : undefined,
    );
    assert.deepEqual(await sleeps(mailboxId), [7200]);

    const page = await (await admin.fetch('/admin/ingestion')).text();
    assert.match(
      page,
      new RegExp(`hx-post="/admin/ingestion/mailboxes/${mailboxId}/poll"`),
      'the mailbox row has the button',
    );

    const subject = `Invoice ${randomBytes(4).toString('hex')}`;
    await sendMail(account, {
      subject,
      attachments: [
        { filename: 'invoice.pdf', content: await makeInvoicePdf(uniqueInvoice()), contentType: 'application/pdf' },
      ],
    });
    const pressed = await pressPollNow(mailboxId);
    assert.equal(pressed.status, 200);
    assert.match(pressed.body, /polling now/);

    const message = await ingestion.waitUntil('the message to be ingested', async () => {
      const [row] = await stack.sql<{ id: string; status: string; settled: string | null }[]>`
        select id, status, settled from ingest_messages where mailbox_id = ${mailboxId} and subject = ${subject}`;
      return row?.settled ? row : undefined;
    });
    assert.equal(message.status, 'ingested');
    assert.equal(message.settled, 'moved');
    const [attachment] = await stack.sql<
      { invoice_id: string }[]
    >`select invoice_id from ingest_attachments where message_row = ${message.id} and outcome = 'invoice'`;
    assert.ok(attachment?.invoice_id, 'the attachment became an invoice');

    // The next wait uses the interval sent with the signal (the web app's hour), not the two hours it started with.
    const waits = await ingestion.waitUntil('the poller to sleep again', async () => {
      const s = await sleeps(mailboxId);
      return s.length >= 2 ? s : undefined;
    });
    assert.deepEqual(waits.slice(0, 2), [7200, 3600]);

    const [audit] = await stack.sql<{ actor: string; data: { mailboxId: string; ok: boolean } }[]>`
      select actor, data from audit_log where kind = 'ingest.mailbox_poll_requested' and data->>'mailboxId' = ${mailboxId}`;
    assert.equal(audit?.actor, ADMIN.email);
    assert.equal(audit?.data.ok, true);
  });

  test('a disabled mailbox is not polled, and the button needs the CSRF token and an admin', async () => {
    const account = await newMailAccount();
    const mailboxId = await ingestion.addMailbox(account);
    const { id, name, host, port, tls, username, folder, processedFolder, allowedSenders } = (await getMailbox(
      stack.sql,
      mailboxId,
    ))!;
    await updateMailbox(stack.sql, {
      id,
      name,
      host,
      port,
      tls,
      username,
      folder,
      processedFolder,
      allowedSenders,
      enabled: false,
    });
    const pressed = await pressPollNow(mailboxId);
    assert.match(pressed.body, /is disabled; enable it to poll it/);
    const plain = await pressPollNow(mailboxId, {});
    assert.equal(plain.status, 200);
    assert.match(plain.body, /<html/, 'without htmx the page comes back');
    assert.match(plain.body, /is disabled/);

    const forged = await admin.fetch(`/admin/ingestion/mailboxes/${mailboxId}/poll`, {
      method: 'POST',
      headers: { 'HX-Request': 'true' },
      body: new URLSearchParams({}),
    });
    assert.equal(forged.status, 403);
    const anonymous = await fetch(`${stack.url}/admin/ingestion/mailboxes/${mailboxId}/poll`, {
      method: 'POST',
      redirect: 'manual',
    });
    assert.notEqual(anonymous.status, 200);
    assert.equal((await pressPollNow('no-such-mailbox')).status, 404);
  });
});
