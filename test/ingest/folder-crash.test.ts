// The watched folder when a worker dies (here: the activity fails, as Temporal sees a dead worker) between
// recording a file and moving it: the file is never ingested twice and never lost. Before the move, the
// retry resumes the record and completes the move; after the move but before it was recorded, the next
// scan finds the file in its outcome folder by name and content and records it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import type { FolderFs } from '../../ingest/folder.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { withWatchedFolder, type Ingestion, type WatchedFolder } from '../support/ingest.js';
import { uniqueInvoice, type Stack } from '../../testkit/stack.js';

/** Dies once per planned file: before the rename (nothing moved) or right after it (moved, not recorded). */
type Crash = 'before_move' | 'after_move';
const planned = new Map<string, Crash>();
const crashed: string[] = [];
const crashingFs: FolderFs = {
  async rename(from, to) {
    const crash = planned.get(basename(from));
    if (crash) planned.delete(basename(from));
    if (crash === 'before_move') {
      crashed.push(`${basename(from)}:${crash}`);
      throw new Error('worker died before the move');
    }
    await rename(from, to);
    if (crash === 'after_move') {
      crashed.push(`${basename(from)}:${crash}`);
      throw new Error('worker died after the move, before recording it');
    }
  },
};

let stack: Stack;
let ingestion: Ingestion;
let dir: string;
let folder: WatchedFolder;
withWatchedFolder('plexsync-inbox-crash-', { folderFs: crashingFs }, (started) => {
  ({ stack, ingestion, dir, folder } = started);
});
beforeEach(() => {
  planned.clear();
  crashed.length = 0;
});

const rowsOf = (name: string) =>
  stack.sql<{ status: string; invoice_id: string | null; moved_to: string | null }[]>`
    select status, invoice_id, moved_to from ingest_files where folder = ${dir} and file_name = ${name} order by id`;
const recorded = (name: string, movedTo: string) =>
  ingestion.waitUntil(`${name} recorded as moved to ${movedTo}`, async () => {
    const rows = await rowsOf(name);
    return rows.some((r) => r.moved_to === movedTo) ? rows : undefined;
  });
const invoicesFor = async (bytes: Uint8Array) => {
  const sha = createHash('sha256').update(bytes).digest('hex');
  const [row] = await stack.sql<
    { n: number }[]
  >`select count(*)::int as n from invoices where document_sha256 = ${sha}`;
  return row!.n;
};

describe('watched folder crash between record and move', () => {
  it('dies before the move: the retry completes the move, one record, one invoice', async () => {
    const bytes = await makeInvoicePdf(uniqueInvoice());
    planned.set('before.pdf', 'before_move');
    writeFileSync(join(dir, 'before.pdf'), bytes);
    const rows = await recorded('before.pdf', 'processed/before.pdf');
    assert.deepEqual(crashed, ['before.pdf:before_move'], 'the crash was injected');
    assert.deepEqual(
      rows.map((r) => r.status),
      ['ingested'],
      'one record, resumed rather than duplicated',
    );
    assert.equal(await invoicesFor(bytes), 1);
    assert.deepEqual(folder.filesIn('processed'), ['before.pdf']);
    assert.ok(!existsSync(join(dir, 'before.pdf')));
    assert.deepEqual(folder.filesIn('duplicates'), [], 'the resumed file is not reported as its own duplicate');
  });

  it('dies after the move, before recording it: the next scan records where it went (name clash included)', async () => {
    // processed/ already holds another file of that name, so this one went to "clash (2).pdf".
    writeFileSync(join(dir, 'clash.pdf'), await makeInvoicePdf(uniqueInvoice()));
    await recorded('clash.pdf', 'processed/clash.pdf');
    const bytes = await makeInvoicePdf(uniqueInvoice());
    planned.set('clash.pdf', 'after_move');
    writeFileSync(join(dir, 'clash.pdf'), bytes);
    const rows = await recorded('clash.pdf', 'processed/clash (2).pdf');
    assert.deepEqual(crashed, ['clash.pdf:after_move']);
    assert.deepEqual(
      rows.map((r) => [r.status, r.moved_to]),
      [
        ['ingested', 'processed/clash.pdf'],
        ['ingested', 'processed/clash (2).pdf'],
      ],
    );
    assert.equal(await invoicesFor(bytes), 1, 'the file became one invoice');
    assert.deepEqual(
      folder.filesIn('processed').filter((n) => n.startsWith('clash')),
      ['clash (2).pdf', 'clash.pdf'],
      'nothing lost, nothing moved twice',
    );
  });

  it('a refused file that died after its move gets its record and its lost reason file back', async () => {
    planned.set('memo.txt', 'after_move');
    writeFileSync(join(dir, 'memo.txt'), 'not an invoice');
    const rows = await recorded('memo.txt', 'failed/memo.txt');
    assert.deepEqual(crashed, ['memo.txt:after_move']);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['failed'],
    );
    assert.match(readFileSync(join(dir, 'failed', 'memo.txt.reason.txt'), 'utf8'), /memo\.txt: /);
  });
});
