// E-invoices arriving by email (real Dovecot) and through the watched folder: an XRechnung XML attachment
// (whatever content type the sender's mailer gave it) and a Factur-X PDF are read exactly and end synced
// like an upload; an XML sent together with its PDF rendering is one invoice, the PDF recorded as its
// companion; a hostile XML (DOCTYPE / external entity) is refused with the reason and the other files of
// the message or folder are still ingested; a retry after a crash between the two completes the record.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { documentMimeType, getDocument } from '../../db/documents.js';
import { createInvoiceService } from '../../services/invoices.js';
import { createInvoiceProcesses } from '../../services/temporal.js';
import {
  attachmentsOf,
  getMailbox,
  insertMailbox,
  invoiceSource,
  type AttachmentRecord,
  type MessageRecord,
} from '../../db/ingestion.js';
import type { InvoiceState } from '../../domain/invoice.js';
import { invoiceIdFor, sha256Of } from '../../ingest/documents.js';
import { processMessage } from '../../ingest/mail.js';
import { createLogger } from '../../observability/logger.js';
import { PageSession } from '../support/browserless-session.js';
import { eInvoiceSpecForPo, makeFacturXPdf, toUbl, type EInvoiceSpec } from '../../testkit/einvoice.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { appendRaw, buildMail, newMailAccount, sendMail, stopDovecot, type TestMail } from '../support/imap.js';
import { withWatchedFolder, type Ingestion, type WatchedFolder } from '../support/ingest.js';
import { ADMIN, seedPurchaseOrder, uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let ingestion: Ingestion;
let dir: string;
let folder: WatchedFolder;
withWatchedFolder(
  'plexsync-einvoice-inbox-',
  { config: { maxAttachmentBytes: 2 * 1024 * 1024, pollInterval: '1s' } },
  (started) => {
    ({ stack, ingestion, dir, folder } = started);
  },
);
after(() => stopDovecot());

type Invoice = ReturnType<typeof uniqueInvoice>;

/** A unique invoice for a PO seeded in the simulator (0% VAT, so the total is the PO amount). */
async function seededInvoice(): Promise<{ inv: Invoice; spec: EInvoiceSpec; placeholderId: string }> {
  const inv = uniqueInvoice();
  const { placeholderIds } = await seedPurchaseOrder(stack.plex, {
    poNumber: inv.poNumber,
    supplier: inv.vendorName,
    lines: inv.lines,
  });
  // Not ASCII: the XML must arrive byte for byte (invoice ids are the hash of the file).
  const spec = eInvoiceSpecForPo(inv, { paymentTerms: 'Zahlbar innerhalb 30 Tagen – ohne Abzug (Müller)' });
  return { inv, spec, placeholderId: placeholderIds[0]! };
}

const xrechnung = (spec: EInvoiceSpec) => new TextEncoder().encode(toUbl(spec, { customization: 'XRECHNUNG' }));
const hostile = (spec: EInvoiceSpec) =>
  new TextEncoder().encode(
    toUbl(spec).replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    ),
  );

type Row = MessageRecord & { attachments: AttachmentRecord[] };

/** Wait until the mailbox has `count` finished messages, moved out of the inbox. */
async function settled(mailboxId: string, count: number): Promise<Row[]> {
  return ingestion.waitUntil(`${count} settled message(s) in ${mailboxId}`, async () => {
    const rows = await stack.sql<
      { id: string; status: MessageRecord['status']; reason: string | null; settled: MessageRecord['settled'] }[]
    >`
      select id, status, reason, settled from ingest_messages where mailbox_id = ${mailboxId} order by id`;
    if (rows.length !== count || !rows.every((r) => r.status !== 'received' && r.settled)) return undefined;
    const out: Row[] = [];
    for (const r of rows)
      out.push({ ...(r as unknown as MessageRecord), attachments: await attachmentsOf(stack.sql, r.id) });
    return out;
  });
}

async function mailOne(mail: TestMail): Promise<Row> {
  const account = await newMailAccount();
  await sendMail(account, mail);
  const [message] = await settled(await ingestion.addMailbox(account), 1);
  return message!;
}

/** The invoice is read from its e-invoice, matched by the PO reference, auto-approved and synced. */
async function assertSyncedFromEInvoice(
  invoiceId: string,
  inv: Invoice,
  placeholderId: string,
  extractor: string,
): Promise<InvoiceState> {
  const state = await stack.waitFor(invoiceId, (s) => s.status === 'synced' || s.status === 'awaiting_review');
  assert.equal(state.status, 'synced', `${invoiceId} waits for review: ${state.reviewReasons.join(' | ')}`);
  assert.equal(state.extraction?.extractor, extractor);
  assert.equal(state.extraction?.fields.invoiceNumber.value, inv.invoiceNumber);
  assert.equal(state.extraction?.fields.invoiceNumber.provenance?.source, 'einvoice');
  assert.deepEqual(state.extraction?.fields.poNumbers.value, [inv.poNumber]);
  assert.equal(state.extraction?.fields.poNumbers.provenance?.source, 'einvoice');
  assert.equal(state.match?.status, 'matched');
  assert.equal(await stack.placeholderNumber(placeholderId), inv.invoiceNumber);
  return state;
}

const invoiceCount = async (ids: string[]) =>
  (await stack.sql<{ n: number }[]>`select count(*)::int as n from invoices where id in ${stack.sql(ids)}`)[0]!.n;

describe('e-invoices by email', () => {
  for (const variant of [
    { contentType: 'application/xml', fileName: 'xrechnung.xml' },
    { contentType: 'text/xml', fileName: 'RE-xrechnung.XML' },
    // Some ERPs send everything as octet-stream, without a telling name: the bytes decide, not the type.
    { contentType: 'application/octet-stream', fileName: 'RE-2026-0001' },
  ]) {
    it(`an XRechnung UBL attachment sent as ${variant.contentType} becomes an invoice read from the XML, matched and synced`, async () => {
      const { inv, spec, placeholderId } = await seededInvoice();
      const bytes = xrechnung(spec);
      const message = await mailOne({
        subject: `Rechnung ${inv.invoiceNumber}`,
        attachments: [{ filename: variant.fileName, content: bytes, contentType: variant.contentType }],
      });
      assert.equal(message.status, 'ingested', message.reason ?? '');
      assert.equal(message.reason, null);
      assert.equal(message.attachments.length, 1);
      const attachment = message.attachments[0]!;
      assert.equal(attachment.outcome, 'invoice');
      assert.equal(attachment.mimeType, variant.contentType);
      // Byte for byte what the sender attached: the id is the hash of the XML itself.
      assert.equal(attachment.invoiceId, invoiceIdFor(sha256Of(bytes)));
      assert.equal(await documentMimeType(stack.sql, sha256Of(bytes)), 'application/xml');
      await assertSyncedFromEInvoice(attachment.invoiceId, inv, placeholderId, 'einvoice-ubl@1');
      const source = await invoiceSource(stack.sql, attachment.invoiceId);
      assert.equal(source?.kind === 'email' && source.fileName, variant.fileName);
    });
  }

  it('a Factur-X PDF (CII embedded) attached to an email is read from its XML and synced', async () => {
    const { inv, spec, placeholderId } = await seededInvoice();
    const message = await mailOne({
      subject: `Invoice ${inv.invoiceNumber}`,
      attachments: [{ filename: 'facturx.pdf', content: await makeFacturXPdf(spec) }],
    });
    assert.equal(message.status, 'ingested', message.reason ?? '');
    assert.equal(message.attachments[0]!.outcome, 'invoice');
    await assertSyncedFromEInvoice(message.attachments[0]!.invoiceId!, inv, placeholderId, 'einvoice-cii@1');
  });

  it("an XRechnung XML with its PDF rendering is one invoice: the PDF is recorded as the XML's companion, shown on the ingestion log", async () => {
    const { inv, spec, placeholderId } = await seededInvoice();
    const xml = xrechnung(spec);
    const rendering = await makeInvoicePdf({ ...inv, currency: 'USD' });
    const account = await newMailAccount();
    const raw = await sendMail(account, {
      subject: `Rechnung ${inv.invoiceNumber}`,
      attachments: [
        // The PDF first, as many mailers order them: the XML is still the invoice.
        { filename: `${inv.invoiceNumber}.pdf`, content: rendering },
        { filename: 'xrechnung.xml', content: xml, contentType: 'application/xml' },
      ],
    });
    const mailboxId = await ingestion.addMailbox(account);
    const [message] = (await settled(mailboxId, 1)) as [Row];
    assert.equal(message.status, 'ingested', message.reason ?? '');
    const byName = new Map(message.attachments.map((a) => [a.fileName, a]));
    const xmlId = invoiceIdFor(sha256Of(xml));
    assert.equal(byName.get('xrechnung.xml')?.outcome, 'invoice');
    assert.equal(byName.get('xrechnung.xml')?.invoiceId, xmlId);
    const companion = byName.get(`${inv.invoiceNumber}.pdf`)!;
    assert.equal(companion.outcome, 'companion');
    assert.equal(companion.invoiceId, xmlId, "linked to the XML's invoice");
    assert.match(
      companion.reason!,
      /^Companion of the e-invoice xrechnung\.xml \(inv-[0-9a-f]{24}\): the XML is the invoice/,
    );
    assert.match(
      message.reason!,
      new RegExp(`Kept with the e-invoice, not read separately: ${inv.invoiceNumber}\\.pdf\\.`),
    );
    // No second invoice from the rendering, and the XML's is not held as a possible duplicate.
    assert.equal(await invoiceCount([invoiceIdFor(sha256Of(rendering))]), 0);
    assert.equal(await getDocument(stack.sql, sha256Of(rendering)), undefined);
    await assertSyncedFromEInvoice(xmlId, inv, placeholderId, 'einvoice-ubl@1');

    // The same message again (a re-send): still nothing from the PDF, the XML linked to its invoice.
    await appendRaw(account, raw);
    const resend = (await settled(mailboxId, 2))[1]!;
    assert.equal(resend.status, 'duplicate', resend.reason ?? '');
    assert.deepEqual(resend.attachments.map((a) => [a.fileName, a.outcome, a.invoiceId]).sort(), [
      [`${inv.invoiceNumber}.pdf`, 'companion', xmlId],
      ['xrechnung.xml', 'resent', xmlId],
    ]);
    assert.equal(await invoiceCount([invoiceIdFor(sha256Of(rendering))]), 0);

    const admin = new PageSession(stack.url);
    assert.equal((await admin.login(ADMIN.email, ADMIN.password)).status, 302);
    const log = await (await admin.fetch('/admin/ingestion')).text();
    assert.ok(log.includes(`${inv.invoiceNumber}.pdf: companion`), 'the log shows the outcome');
    assert.ok(log.includes('Companion of the e-invoice xrechnung.xml'), 'the log shows the reason');
  });

  it('a retry after the worker died between the XML and its companion still records the companion and starts nothing else', async () => {
    const { inv, spec } = await seededInvoice();
    const xml = xrechnung(spec);
    const rendering = await makeInvoicePdf({ ...inv, currency: 'USD' });
    const raw = await buildMail({
      subject: 'Retry',
      attachments: [
        { filename: 'xrechnung.xml', content: xml, contentType: 'text/xml' },
        { filename: 'rendering.pdf', content: rendering },
      ],
    });
    // A mailbox without a poller: the test calls the activity's code itself, twice.
    const mailboxId = `retry-${randomBytes(4).toString('hex')}`;
    await insertMailbox(
      stack.sql,
      {
        id: mailboxId,
        name: mailboxId,
        host: '127.0.0.1',
        port: 1,
        tls: false,
        username: 'u',
        folder: 'INBOX',
        processedFolder: 'Processed',
        allowedSenders: [],
        enabled: true,
      },
      'unused',
    );
    const mailbox = (await getMailbox(stack.sql, mailboxId))!;
    const deps = {
      sql: stack.sql,
      invoices: createInvoiceService({
        sql: stack.sql,
        processes: createInvoiceProcesses(stack.client, stack.config.temporal.taskQueue),
        config: stack.config,
      }),
      maxAttachmentBytes: 2 * 1024 * 1024,
      allowedSenders: [],
      logger: createLogger({ level: 'silent', name: 'einvoice-ingest-test' }),
    };
    const ref = { mailboxId, uidValidity: '1', uid: 1 };
    const first = await processMessage(deps, mailbox, ref, raw);
    assert.deepEqual(first, { status: 'ingested', invoiceIds: [invoiceIdFor(sha256Of(xml))] });
    // Undo what the first attempt did after the XML's invoice was started: as if the worker died there.
    const [{ id: row }] = (await stack.sql<
      { id: string }[]
    >`select id from ingest_messages where mailbox_id = ${mailboxId}`) as unknown as [{ id: string }];
    await stack.sql`delete from ingest_attachments where message_row = ${row} and file_name = 'rendering.pdf'`;
    await stack.sql`update ingest_messages set status = 'received', reason = null where id = ${row}`;

    const again = await processMessage(deps, mailbox, ref, raw);
    assert.deepEqual(again, first);
    const attachments = await attachmentsOf(stack.sql, row);
    assert.deepEqual(attachments.map((a) => [a.fileName, a.outcome]).sort(), [
      ['rendering.pdf', 'companion'],
      ['xrechnung.xml', 'invoice'],
    ]);
    assert.equal(await invoiceCount([invoiceIdFor(sha256Of(rendering))]), 0);
  });

  it('refuses a hostile XML (DOCTYPE with an external entity) with the reason, and still ingests the other attachment', async () => {
    const account = await newMailAccount();
    const { spec } = await seededInvoice();
    await sendMail(account, {
      subject: 'XXE only',
      attachments: [{ filename: 'evil.xml', content: hostile(spec), contentType: 'application/xml' }],
    });
    const pdf = await makeInvoicePdf(uniqueInvoice());
    await sendMail(account, {
      subject: 'XXE and a PDF',
      attachments: [
        { filename: 'evil.xml', content: hostile(spec), contentType: 'text/xml' },
        { filename: 'scan.pdf', content: pdf },
      ],
    });
    const [only, mixed] = await settled(await ingestion.addMailbox(account), 2);

    assert.equal(only!.status, 'skipped');
    assert.match(only!.reason!, /^No usable attachment\. evil\.xml: .*DOCTYPE/);
    assert.equal(only!.attachments[0]!.outcome, 'rejected');
    assert.match(only!.attachments[0]!.reason!, /DOCTYPE/);
    assert.equal(only!.attachments[0]!.invoiceId, null);

    // A refused XML is no e-invoice: the PDF is not its companion but an invoice of its own.
    assert.equal(mixed!.status, 'ingested');
    assert.match(mixed!.reason!, /^Not used: evil\.xml: .*DOCTYPE/);
    const byName = new Map(mixed!.attachments.map((a) => [a.fileName, a]));
    assert.equal(byName.get('evil.xml')?.outcome, 'rejected');
    assert.equal(byName.get('scan.pdf')?.outcome, 'invoice');
    assert.equal(await invoiceCount([invoiceIdFor(sha256Of(pdf))]), 1);
    assert.equal(await invoiceCount([invoiceIdFor(sha256Of(hostile(spec)))]), 0);
  });
});

describe('e-invoices in the watched folder', () => {
  it('an XRechnung XML dropped into the folder becomes an invoice read from the XML and moves to processed/', async () => {
    const { inv, spec, placeholderId } = await seededInvoice();
    const bytes = xrechnung(spec);
    writeFileSync(join(dir, 'xrechnung.xml'), bytes);
    await folder.waitForFile('processed', 'xrechnung.xml');
    assert.ok(!existsSync(join(dir, 'xrechnung.xml')));
    const row = await folder.fileRow('xrechnung.xml');
    assert.equal(row?.status, 'ingested', row?.reason ?? '');
    assert.equal(row?.moved_to, 'processed/xrechnung.xml');
    assert.equal(row?.invoice_id, invoiceIdFor(sha256Of(bytes)));
    await assertSyncedFromEInvoice(row.invoice_id, inv, placeholderId, 'einvoice-ubl@1');
  });

  it('moves a hostile XML to failed/ with the reason in failed/<name>.reason.txt, and takes the file next to it', async () => {
    const { spec } = await seededInvoice();
    const pdf = await makeInvoicePdf(uniqueInvoice());
    writeFileSync(join(dir, 'xxe.xml'), hostile(spec));
    writeFileSync(join(dir, 'beside.pdf'), pdf);
    await folder.waitForFile('failed', 'xxe.xml');
    await folder.waitForFile('processed', 'beside.pdf');
    const reason = readFileSync(join(dir, 'failed', 'xxe.xml.reason.txt'), 'utf8');
    assert.match(reason, /xxe\.xml: .*DOCTYPE/);
    assert.ok(!reason.includes('root:'), 'the entity was never resolved');
    const row = await folder.fileRow('xxe.xml');
    assert.equal(row?.status, 'failed');
    assert.equal(row?.invoice_id, null);
    assert.equal((await folder.fileRow('beside.pdf'))?.status, 'ingested');
    assert.equal(await invoiceCount([invoiceIdFor(sha256Of(pdf))]), 1);
  });
});
