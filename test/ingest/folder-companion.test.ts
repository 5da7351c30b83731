// The watched folder's companion rule: an e-invoice XML and a PDF with the same base name dropped together
// (INV-1.xml + INV-1.pdf) are one invoice. The XML is ingested; the PDF moves to processed/ beside it with
// a reason file naming the XML's invoice, and no second invoice is started. A refused XML leaves the PDF to
// be ingested as usual; a PDF of that name dropped after the XML was taken is an invoice of its own.
// File bytes are unique per test: invoice ids are the file hash and one Temporal server serves the whole run.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { invoiceIdFor, sha256Of } from '../../ingest/documents.js';
import { eInvoiceSpec, toUbl } from '../../testkit/einvoice.js';
import { withWatchedFolder, type WatchedFolder } from '../support/ingest.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let dir: string;
let folder: WatchedFolder;
withWatchedFolder('plexsync-companion-inbox-', {}, (started) => {
  ({ stack, dir, folder } = started);
});

const uniqueXml = () =>
  new TextEncoder().encode(
    toUbl(eInvoiceSpec(randomInt(1, 2 ** 31), { invoiceNumber: `RE-${randomBytes(5).toString('hex')}` }), {
      customization: 'XRECHNUNG',
    }),
  );
const hostileXml = () =>
  new TextEncoder().encode(
    toUbl(eInvoiceSpec(randomInt(1, 2 ** 31))).replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    ),
  );
const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

const invoiceExists = async (id: string) => (await stack.sql`select 1 from invoices where id = ${id}`).length === 1;

describe('watched folder: an e-invoice XML and its PDF', () => {
  it("INV.xml + INV.pdf dropped together are one invoice: the PDF moves to processed/ as the companion of the XML's invoice", async () => {
    const name = uniqueName('INV');
    const xml = uniqueXml();
    const pdf = await makeInvoicePdf(uniqueInvoice());
    writeFileSync(join(dir, `${name}.xml`), xml);
    writeFileSync(join(dir, `${name}.pdf`), pdf);

    await folder.waitForFile('processed', `${name}.xml`);
    await folder.waitForFile('processed', `${name}.pdf`);
    const xmlRow = await folder.fileRow(`${name}.xml`);
    assert.equal(xmlRow?.status, 'ingested', xmlRow?.reason ?? '');
    assert.equal(xmlRow?.invoice_id, invoiceIdFor(sha256Of(xml)));
    assert.ok(await invoiceExists(xmlRow.invoice_id), 'the XML is the invoice');

    const pdfRow = await folder.fileRow(`${name}.pdf`);
    assert.equal(pdfRow?.status, 'companion');
    assert.equal(pdfRow?.invoice_id, xmlRow.invoice_id, "linked to the XML's invoice");
    assert.equal(pdfRow?.companion_of, xmlRow.id);
    assert.equal(pdfRow?.moved_to, `processed/${name}.pdf`);
    const reason = readFileSync(join(dir, 'processed', `${name}.pdf.reason.txt`), 'utf8');
    assert.match(reason, new RegExp(`^Companion of ${name}\\.xml's invoice \\(${xmlRow.invoice_id}\\)`));
    assert.equal(await invoiceExists(invoiceIdFor(sha256Of(pdf))), false, 'the PDF is not a second invoice');
    assert.ok(!existsSync(join(dir, `${name}.pdf`)) && !existsSync(join(dir, `${name}.xml`)));
    const page = await stack.sql<
      { status: string }[]
    >`select status from ingest_files where folder = ${dir} and file_name like ${`${name}.%`} order by id`;
    assert.deepEqual(
      page.map((r) => r.status),
      ['ingested', 'companion'],
      'one record each, the XML first',
    );
  });

  it('when the XML is refused, the PDF with its name is ingested as an invoice of its own', async () => {
    const name = uniqueName('INV');
    const pdf = await makeInvoicePdf(uniqueInvoice());
    writeFileSync(join(dir, `${name}.xml`), hostileXml());
    writeFileSync(join(dir, `${name}.pdf`), pdf);

    await folder.waitForFile('failed', `${name}.xml`);
    await folder.waitForFile('processed', `${name}.pdf`);
    assert.match(readFileSync(join(dir, 'failed', `${name}.xml.reason.txt`), 'utf8'), /DOCTYPE/);
    const pdfRow = await folder.fileRow(`${name}.pdf`);
    assert.equal(pdfRow?.status, 'ingested');
    assert.equal(pdfRow?.invoice_id, invoiceIdFor(sha256Of(pdf)));
    assert.equal(pdfRow?.companion_of, null);
    assert.ok(await invoiceExists(pdfRow.invoice_id));
    assert.ok(!existsSync(join(dir, 'processed', `${name}.pdf.reason.txt`)));
  });

  it("a PDF with the XML's name dropped after the XML was taken is not its companion", async () => {
    const name = uniqueName('INV');
    writeFileSync(join(dir, `${name}.xml`), uniqueXml());
    await folder.waitForFile('processed', `${name}.xml`);
    const pdf = await makeInvoicePdf(uniqueInvoice());
    writeFileSync(join(dir, `${name}.pdf`), pdf);
    await folder.waitForFile('processed', `${name}.pdf`);
    const pdfRow = await folder.fileRow(`${name}.pdf`);
    assert.equal(pdfRow?.status, 'ingested');
    assert.equal(pdfRow?.invoice_id, invoiceIdFor(sha256Of(pdf)));
  });
});
