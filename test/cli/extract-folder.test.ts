// `npx plexsync extract DIR`: a folder read in one process, one JSON line per file, and an exit code that
// says whether any file failed. No database or Temporal needed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ExtractionContract } from '../../extract/contract.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { uniqueInvoice } from '../../testkit/stack.js';
import { npxPlexsync } from './npx.js';

const root = mkdtempSync(join(tmpdir(), 'plexsync-cli-dir-'));

async function folderOf(name: string, files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
  return dir;
}

test('extract DIR --json prints one JSON line per document, in name order, and exits 0 when all were read', async () => {
  const [a, b] = [uniqueInvoice(), uniqueInvoice()];
  const dir = await folderOf('good', {
    'b.pdf': await makeInvoicePdf(b),
    'a.pdf': await makeInvoicePdf(a),
    'notes.txt': 'not an invoice',
  });
  const r = await npxPlexsync(['extract', dir, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; contract: unknown });
  assert.deepEqual(
    lines.map((l) => l.file),
    [join(dir, 'a.pdf'), join(dir, 'b.pdf')],
  );
  assert.deepEqual(
    lines.map((l) => ExtractionContract.parse(l.contract).fields.invoiceNumber.value),
    [a.invoiceNumber, b.invoiceNumber],
  );
  assert.match(r.stderr, /skipped 1 file\(s\) that are not PDF, image or XML/);
  assert.match(r.stderr, /2 of 2 file\(s\) read$/m);
});

test('extract DIR exits 1 when a file fails, with the reason on its own line, and still reads the others', async () => {
  const inv = uniqueInvoice();
  const dir = await folderOf('mixed', { 'good.pdf': await makeInvoicePdf(inv), 'broken.pdf': 'not a pdf at all' });
  const json = await npxPlexsync(['extract', dir, '--json']);
  assert.equal(json.status, 1);
  const lines = json.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; error?: string; contract?: unknown });
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.file, join(dir, 'broken.pdf'));
  assert.match(lines[0]!.error!, /not a PDF or image/);
  assert.equal(ExtractionContract.parse(lines[1]!.contract).fields.invoiceNumber.value, inv.invoiceNumber);
  assert.match(json.stderr, /^plexsync: cannot extract broken\.pdf: .*not a PDF or image/m);
  assert.match(json.stderr, /1 of 2 file\(s\) read, 1 failed$/m);

  const table = await npxPlexsync(['extract', dir]);
  assert.equal(table.status, 1);
  assert.match(table.stdout, new RegExp(`^== ${join(dir, 'good.pdf')}\\n`, 'm'));
  assert.match(table.stdout, /^invoiceNumber\s+/m);
});

test('extract of an empty folder or one with no documents says so and exits 1', async () => {
  const dir = await folderOf('empty', { 'readme.md': '# nothing here' });
  const r = await npxPlexsync(['extract', dir, '--json']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /holds no PDF, image or XML file/);
});
