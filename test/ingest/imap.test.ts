// Email ingestion against a real Dovecot: messages APPENDed over IMAP become invoices (or are recorded
// with the reason they were not), are moved to the processed folder, and are never ingested twice.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/activity';
import sharp from 'sharp';
import { attachmentsOf, getMailbox, invoiceSource, type MessageRecord } from '../../db/ingestion.js';
import type { Sql } from '../../db/client.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { appendRaw, folderMessages, newMailAccount, sendMail, stopDovecot } from '../support/imap.js';
import { startIngestion, type Ingestion } from '../support/ingest.js';
import { startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';

const MAX_ATTACHMENT = 300 * 1024;
let stack: Stack;
let ingestion: Ingestion;
// Crash injection for one mailbox: the first ingest runs and then "dies"; the first move fails.
const crash = { mailboxId: '', ingestDied: false, moveFailed: false };

before(async () => {
  stack = await startStack();
  ingestion = await startIngestion(stack, {
    // A long poll interval: anything picked up within the test deadlines came through IDLE or the first listing.
    config: { maxAttachmentBytes: MAX_ATTACHMENT, pollInterval: '10m', idleMax: '2m' },
    wrapActivities: (a) => ({
      ...a,
      async ingestMailMessage(ref) {
        const outcome = await a.ingestMailMessage(ref);
        if (ref.mailboxId === crash.mailboxId && !crash.ingestDied) {
          crash.ingestDied = true;
          throw new Error('worker died after ingesting, before reporting back');
        }
        return outcome;
      },
      async settleMailMessage(ref) {
        if (ref.mailboxId === crash.mailboxId && !crash.moveFailed) {
          crash.moveFailed = true;
          throw ApplicationFailure.create({
            type: 'TestCrash',
            message: 'worker died before the move',
            nonRetryable: true,
          });
        }
        return a.settleMailMessage(ref);
      },
    }),
  });
});

after(async () => {
  await ingestion?.stop();
  await stack?.stop();
  await stopDovecot();
});

const pdf = () => makeInvoicePdf(uniqueInvoice());
const png = async () =>
  new Uint8Array(
    await sharp({ create: { width: 240, height: 120, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer(),
  );

type Row = MessageRecord & { attachments: Awaited<ReturnType<typeof attachmentsOf>> };
async function messages(sql: Sql, mailboxId: string): Promise<Row[]> {
  const rows = await sql<{ id: string }[]>`select id from ingest_messages where mailbox_id = ${mailboxId} order by id`;
  const out: Row[] = [];
  for (const { id } of rows) {
    const [m] = await sql<MessageRecord[]>`
      select id, mailbox_id as "mailboxId", uid_validity as "uidValidity", uid::int as uid, message_key as "messageKey", message_id as "messageId",
        sender, subject, sent_at as "sentAt", status, reason, settled, settle_note as "settleNote", created_at as "createdAt"
      from ingest_messages where id = ${id}`;
    out.push({ ...m!, attachments: await attachmentsOf(sql, id) });
  }
  return out;
}

/** Wait until the mailbox has `count` messages, all finished and moved out of the inbox. */
const settled = (mailboxId: string, count: number, timeoutMs?: number) =>
  ingestion.waitUntil(
    `${count} settled message(s) in ${mailboxId}`,
    async () => {
      const rows = await messages(stack.sql, mailboxId);
      return rows.length === count && rows.every((r) => r.status !== 'received' && r.settled) ? rows : undefined;
    },
    timeoutMs,
  );

describe('email ingestion (IMAP, real Dovecot)', () => {
  it('turns a PDF attachment into an invoice linked to its message, then moves the message', async () => {
    const account = await newMailAccount();
    await sendMail(account, {
      subject: 'Invoice 4711',
      messageId: '<inv-4711@acme-fasteners.example>',
      attachments: [{ filename: 'invoice-4711.pdf', content: await pdf() }],
    });
    const mailboxId = await ingestion.addMailbox(account);
    const [message] = await settled(mailboxId, 1);
    assert.equal(message!.status, 'ingested');
    assert.equal(message!.settled, 'moved');
    assert.equal(message!.sender, 'billing@acme-fasteners.example');
    assert.equal(message!.attachments.length, 1);
    const invoiceId = message!.attachments[0]!.invoiceId!;
    assert.equal(message!.attachments[0]!.outcome, 'invoice');
    const state = await stack.waitFor(invoiceId, (s) => s.status === 'awaiting_review');
    assert.equal(state.status, 'awaiting_review');
    const source = await invoiceSource(stack.sql, invoiceId);
    assert.deepEqual(
      source &&
        source.kind === 'email' && {
          sender: source.sender,
          subject: source.subject,
          messageId: source.messageId,
          fileName: source.fileName,
        },
      {
        sender: 'billing@acme-fasteners.example',
        subject: 'Invoice 4711',
        messageId: '<inv-4711@acme-fasteners.example>',
        fileName: 'invoice-4711.pdf',
      },
    );
    assert.deepEqual((await folderMessages(account, 'INBOX')).length, 0);
    const processed = await folderMessages(account, 'Processed');
    assert.deepEqual(
      processed.map((m) => m.subject),
      ['Invoice 4711'],
    );
    assert.ok(!processed[0]!.flags.includes('\\Flagged'), 'an ingested message is not flagged');
    const mailbox = await getMailbox(stack.sql, mailboxId);
    assert.equal(mailbox?.lastPollOk, true);
  });

  it('makes one invoice per attachment: a PDF and a scanned image in one message', async () => {
    const account = await newMailAccount();
    await sendMail(account, {
      subject: 'Two invoices',
      attachments: [
        { filename: 'a.pdf', content: await pdf() },
        { filename: 'scan.png', content: await png() },
      ],
    });
    const mailboxId = await ingestion.addMailbox(account);
    const [message] = await settled(mailboxId, 1);
    assert.equal(message!.status, 'ingested');
    assert.deepEqual(message!.attachments.map((a) => [a.fileName, a.outcome]).sort(), [
      ['a.pdf', 'invoice'],
      ['scan.png', 'invoice'],
    ]);
    const ids = message!.attachments.map((a) => a.invoiceId!);
    assert.equal(new Set(ids).size, 2);
    const [{ n }] = (await stack.sql<
      { n: number }[]
    >`select count(*)::int as n from invoices where id in ${stack.sql(ids)}`) as unknown as [{ n: number }];
    assert.equal(n, 2);
  });

  it('ignores an image shown inside the message body (a logo) and records why nothing was ingested', async () => {
    const account = await newMailAccount();
    await sendMail(account, {
      subject: 'Logo only',
      html: '<p>Hello</p><img src="cid:logo@acme">',
      attachments: [{ filename: 'logo.png', content: await png(), cid: 'logo@acme', contentDisposition: 'inline' }],
    });
    const mailboxId = await ingestion.addMailbox(account);
    const [message] = await settled(mailboxId, 1);
    assert.equal(message!.status, 'skipped');
    assert.match(message!.reason!, /image shown inside the message body/);
    assert.equal(message!.attachments.length, 0);
    const processed = await folderMessages(account, 'Processed');
    assert.ok(processed[0]!.flags.includes('\\Flagged'), 'a skipped message is flagged for a person');
  });

  it('records a message without attachment as skipped with the reason', async () => {
    const account = await newMailAccount();
    await sendMail(account, { subject: 'Question about PO 062486' });
    const mailboxId = await ingestion.addMailbox(account);
    const [message] = await settled(mailboxId, 1);
    assert.equal(message!.status, 'skipped');
    assert.equal(message!.reason, 'No attachment.');
    assert.equal(message!.settled, 'moved');
  });

  it('refuses an oversize attachment with the limit in the reason, and uses the other one', async () => {
    const account = await newMailAccount();
    const big = new Uint8Array(MAX_ATTACHMENT + 1024).fill(0x41);
    await sendMail(account, {
      subject: 'Big',
      attachments: [
        { filename: 'huge.pdf', content: big },
        { filename: 'ok.pdf', content: await pdf() },
      ],
    });
    const mailboxId = await ingestion.addMailbox(account);
    const [message] = await settled(mailboxId, 1);
    assert.equal(message!.status, 'ingested');
    const huge = message!.attachments.find((a) => a.fileName === 'huge.pdf')!;
    assert.equal(huge.outcome, 'rejected');
    assert.match(huge.reason!, /limit for ingested files is 300 KB/);
    assert.match(message!.reason!, /huge\.pdf/);
  });

  it('records a file that is not an invoice document as refused with the reason', async () => {
    const account = await newMailAccount();
    await sendMail(account, {
      subject: 'Spreadsheet',
      attachments: [
        { filename: 'prices.csv', content: new TextEncoder().encode('a,b\n1,2\n'), contentType: 'text/csv' },
      ],
    });
    const mailboxId = await ingestion.addMailbox(account);
    const [message] = await settled(mailboxId, 1);
    assert.equal(message!.status, 'skipped');
    assert.match(message!.reason!, /^No usable attachment\. prices\.csv: /);
    assert.equal(message!.attachments[0]!.outcome, 'rejected');
  });

  it('records malformed MIME as failed with the reason and ingests nothing from it', async () => {
    const account = await newMailAccount();
    const truncated = [
      'From: billing@acme-fasteners.example',
      'To: ap@plexsync.example',
      'Subject: Broken',
      'Message-ID: <broken@acme>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Invoice attached.',
      '--b1',
      'Content-Type: application/pdf; name="inv.pdf"',
      'Content-Disposition: attachment; filename="inv.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(await pdf())
        .toString('base64')
        .slice(0, 400),
      '',
    ].join('\r\n');
    await appendRaw(account, truncated);
    const mailboxId = await ingestion.addMailbox(account);
    const [message] = await settled(mailboxId, 1);
    assert.equal(message!.status, 'failed');
    assert.match(message!.reason!, /Malformed MIME: the closing boundary "--b1--" is missing/);
    assert.equal(message!.attachments.length, 0);
  });

  it('skips senders that are not on the allow-list', async () => {
    const account = await newMailAccount();
    await sendMail(account, {
      from: 'someone@elsewhere.example',
      subject: 'Not a vendor',
      attachments: [{ filename: 'x.pdf', content: await pdf() }],
    });
    const mailboxId = await ingestion.addMailbox(account, { allowedSenders: ['@acme-fasteners.example'] });
    const [message] = await settled(mailboxId, 1);
    assert.equal(message!.status, 'skipped');
    assert.equal(message!.reason, 'The sender someone@elsewhere.example is not on the allow-list.');
  });

  it('does not ingest a re-sent message again (same Message-ID and attachment), and IDLE picks it up', async () => {
    const account = await newMailAccount();
    const raw = await sendMail(account, {
      subject: 'Invoice 5000',
      messageId: '<inv-5000@acme>',
      attachments: [{ filename: 'inv-5000.pdf', content: await pdf() }],
    });
    const mailboxId = await ingestion.addMailbox(account);
    const [first] = await settled(mailboxId, 1);
    await ingestion.waitUntil('the poller to IDLE', async () =>
      (await getMailbox(stack.sql, mailboxId))?.idleSupported ? true : undefined,
    );
    await appendRaw(account, raw);
    // The poll interval is 10 minutes: only IDLE can bring the re-send in within the deadline.
    const rows = await settled(mailboxId, 2, 45_000);
    const resend = rows[1]!;
    assert.equal(resend.status, 'duplicate');
    assert.match(resend.reason!, /Re-sent: message <inv-5000@acme> was already received/);
    assert.equal(resend.attachments[0]!.outcome, 'resent');
    assert.equal(resend.attachments[0]!.invoiceId, first!.attachments[0]!.invoiceId);
    const [{ n }] = (await stack.sql<
      { n: number }[]
    >`select count(*)::int as n from invoices where id = ${first!.attachments[0]!.invoiceId}`) as unknown as [
      { n: number },
    ];
    assert.equal(n, 1);
    assert.equal((await folderMessages(account, 'Processed')).length, 2);
  });

  it('IDLE brings a new message in without waiting for the poll interval', async () => {
    const account = await newMailAccount();
    const mailboxId = await ingestion.addMailbox(account);
    await ingestion.waitUntil('the first poll', async () =>
      (await getMailbox(stack.sql, mailboxId))?.idleSupported ? true : undefined,
    );
    await sendMail(account, {
      subject: 'Arrives while idling',
      attachments: [{ filename: 'idle.pdf', content: await pdf() }],
    });
    const [message] = await settled(mailboxId, 1, 45_000);
    assert.equal(message!.status, 'ingested');
  });

  it('never ingests twice when the worker dies between fetch and move: the next round only moves', async () => {
    const account = await newMailAccount();
    await sendMail(account, { subject: 'Crash test', attachments: [{ filename: 'crash.pdf', content: await pdf() }] });
    crash.mailboxId = `crash-${Date.now().toString(36)}`;
    const mailboxId = await ingestion.addMailbox(account, { id: crash.mailboxId, pollInterval: '1s' });
    const [message] = await settled(mailboxId, 1);
    assert.ok(crash.ingestDied && crash.moveFailed, 'both failures were injected');
    assert.equal(message!.status, 'ingested');
    assert.equal(message!.attachments.length, 1);
    // Started by the interrupted attempt and recognised as ours on resume: an invoice, not a "duplicate".
    assert.equal(message!.attachments[0]!.outcome, 'invoice');
    const [{ n }] = (await stack.sql<
      { n: number }[]
    >`select count(*)::int as n from ingest_messages where mailbox_id = ${mailboxId}`) as unknown as [{ n: number }];
    assert.equal(n, 1);
    assert.equal((await folderMessages(account, 'Processed')).length, 1);
    assert.equal((await folderMessages(account, 'INBOX')).length, 0);
  });
});
