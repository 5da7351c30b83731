// The watched folder: dropped files become invoices and move to processed/; refused files go to failed/
// and duplicates to duplicates/, each with a reason file; files still being written, dotfiles and
// *.part / *.tmp names are left alone until they are complete.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { folderStatus, invoiceSource } from '../../db/ingestion.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { withWatchedFolder, type WatchedFolder } from '../support/ingest.js';
import { uniqueInvoice, type Stack } from '../../testkit/stack.js';

let stack: Stack;
let dir: string;
let folder: WatchedFolder;
withWatchedFolder('plexsync-inbox-', { config: { maxAttachmentBytes: 300 * 1024 } }, (started) => {
  ({ stack, dir, folder } = started);
});

describe('watched folder', () => {
  it('turns a dropped PDF into an invoice and moves it to processed/', async () => {
    writeFileSync(join(dir, 'acme-4711.pdf'), await makeInvoicePdf(uniqueInvoice()));
    await folder.waitForFile('processed', 'acme-4711.pdf');
    assert.ok(!existsSync(join(dir, 'acme-4711.pdf')));
    const row = await folder.fileRow('acme-4711.pdf');
    assert.equal(row?.status, 'ingested');
    assert.equal(row?.moved_to, 'processed/acme-4711.pdf');
    const state = await stack.waitFor(row.invoice_id!, (s) => s.status === 'awaiting_review');
    assert.equal(state.status, 'awaiting_review');
    const source = await invoiceSource(stack.sql, row.invoice_id!);
    assert.equal(source?.kind, 'folder');
    const status = await folderStatus(stack.sql, dir);
    assert.ok(status?.lastScanAt, 'the scan is recorded for the admin page');
    assert.equal(status?.lastError, null);
  });

  it('moves a file that is not an invoice document to failed/ with a reason file', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'call the vendor back');
    await folder.waitForFile('failed', 'notes.txt');
    assert.match(readFileSync(join(dir, 'failed', 'notes.txt.reason.txt'), 'utf8'), /notes\.txt: /);
    assert.equal((await folder.fileRow('notes.txt'))?.status, 'failed');
  });

  it('refuses an oversize file with the limit in the reason, without reading it', async () => {
    writeFileSync(join(dir, 'huge.pdf'), Buffer.alloc(400 * 1024, 0x41));
    await folder.waitForFile('failed', 'huge.pdf');
    assert.match(
      readFileSync(join(dir, 'failed', 'huge.pdf.reason.txt'), 'utf8'),
      /limit for ingested files is 300 KB/,
    );
  });

  it('reports a duplicate by content (another name, same bytes) in duplicates/ and does not process it again', async () => {
    const bytes = await makeInvoicePdf(uniqueInvoice());
    writeFileSync(join(dir, 'first.pdf'), bytes);
    await folder.waitForFile('processed', 'first.pdf');
    const original = await folder.fileRow('first.pdf');
    writeFileSync(join(dir, 'again.pdf'), bytes);
    await folder.waitForFile('duplicates', 'again.pdf');
    const reason = readFileSync(join(dir, 'duplicates', 'again.pdf.reason.txt'), 'utf8');
    assert.match(reason, new RegExp(`already invoice ${original!.invoice_id}`));
    const row = await folder.fileRow('again.pdf');
    assert.equal(row?.status, 'duplicate');
    assert.equal(row?.invoice_id, original!.invoice_id);
    const [{ n }] = (await stack.sql<
      { n: number }[]
    >`select count(*)::int as n from invoices where id = ${original!.invoice_id}`) as unknown as [{ n: number }];
    assert.equal(n, 1);
  });

  it('keeps both files when a processed name is taken: the second becomes "name (2)"', async () => {
    writeFileSync(join(dir, 'same-name.pdf'), await makeInvoicePdf(uniqueInvoice()));
    await folder.waitForFile('processed', 'same-name.pdf');
    writeFileSync(join(dir, 'same-name.pdf'), await makeInvoicePdf(uniqueInvoice()));
    await folder.waitForFile('processed', 'same-name (2).pdf');
  });

  it('does not take a file while it is still growing, nor .part/.tmp/dotfiles; a rename when done is taken', async () => {
    const bytes = await makeInvoicePdf(uniqueInvoice());
    const half = Math.floor(bytes.byteLength / 2);
    // Written in pieces over several scans: each scan sees another size, so it is never "stable".
    writeFileSync(join(dir, 'growing.pdf'), bytes.subarray(0, 100));
    for (let offset = 100; offset < half; offset += 200) {
      await appendFile(join(dir, 'growing.pdf'), bytes.subarray(offset, Math.min(offset + 200, half)));
      await new Promise((r) => setTimeout(r, 120));
      assert.equal(await folder.fileRow('growing.pdf'), undefined, 'a file still being written is not taken');
    }
    writeFileSync(join(dir, 'upload.pdf.part'), bytes);
    writeFileSync(join(dir, '.hidden.pdf'), bytes);
    writeFileSync(join(dir, 'scan.tmp'), bytes);
    await appendFile(join(dir, 'growing.pdf'), bytes.subarray(half));
    await folder.waitForFile('processed', 'growing.pdf');
    assert.equal((await folder.fileRow('growing.pdf'))?.status, 'ingested');
    // Two more scans have passed the ignored names by now.
    assert.deepEqual(['upload.pdf.part', '.hidden.pdf', 'scan.tmp'].filter((n) => existsSync(join(dir, n))).length, 3);
    assert.equal(await folder.fileRow('upload.pdf.part'), undefined);
    renameSync(join(dir, 'upload.pdf.part'), join(dir, 'renamed.pdf'));
    await folder.waitForFile('duplicates', 'renamed.pdf'); // the same bytes as growing.pdf: reported, not processed
  });
});
