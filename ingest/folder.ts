// The watched folder: files dropped in become invoices, then move to processed/, duplicates/ or failed/
// (the last two with `<name>.reason.txt`). A file is taken only once its size and modification time were
// the same in two scans; dotfiles and *.part / *.tmp names are never taken, so writers can write under a
// temporary name and rename when done. A file is recorded before its invoice is started and moved last,
// so a worker that dies in between resumes the record instead of starting anything twice.
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import type { InvoiceService } from '../api/services/invoices.js';
import type { Sql } from '../db/client.js';
import { finishFile, markFileMoved, recordFile, type FileRecord, type FileStatus } from '../db/ingestion.js';
import { getInvoice } from '../db/invoices.js';
import type { FileOutcome, WatchedFile } from '../domain/ingest.js';
import { formatBytes, ingestDocument, sha256Of } from './documents.js';

export const OUTCOME_DIRS = { ingested: 'processed', duplicate: 'duplicates', failed: 'failed' } as const;

/** Names a writer uses while a file is incomplete, and our own outputs. */
export const isIgnoredName = (name: string) =>
  name.startsWith('.') || /\.(part|tmp|partial|crdownload|download)$/i.test(name) || name.endsWith('~');

export async function scanFolder(path: string): Promise<WatchedFile[]> {
  await mkdir(path, { recursive: true });
  const entries = await readdir(path, { withFileTypes: true });
  const files: WatchedFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || isIgnoredName(entry.name)) continue;
    try {
      const s = await stat(join(path, entry.name));
      files.push({ name: entry.name, size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // removed between readdir and stat
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

export interface FolderDeps {
  sql: Sql;
  invoices: InvoiceService;
  maxBytes: number;
  logger: Logger;
}

export async function takeFile(deps: FolderDeps, path: string, file: WatchedFile): Promise<FileOutcome> {
  const full = join(path, file.name);
  let current;
  try {
    current = await stat(full);
  } catch {
    return { status: 'gone' };
  }
  if (current.size !== file.size || current.mtimeMs !== file.mtimeMs) return { status: 'changed' };

  let record: FileRecord;
  if (current.size > deps.maxBytes) {
    // Not read at all: hashing a huge file only to refuse it is wasted work; its name and size identify it.
    record = await recordFile(deps.sql, { folder: path, fileName: file.name, sha256: sha256Of(Buffer.from(`${file.name}\0${current.size}\0${current.mtimeMs}`)), sizeBytes: current.size });
    if (record.status === 'received') {
      await finishFile(deps.sql, record.id, { status: 'failed', invoiceId: null, reason: `The file is ${formatBytes(current.size)}; the limit for ingested files is ${formatBytes(deps.maxBytes)}.` });
    }
  } else {
    const bytes = new Uint8Array(await readFile(full));
    record = await recordFile(deps.sql, { folder: path, fileName: file.name, sha256: sha256Of(bytes), sizeBytes: bytes.byteLength });
    if (record.status === 'received') {
      const outcome = await ingestDocument(deps.invoices, { bytes, fileName: file.name, uploadedBy: 'watched folder', maxBytes: deps.maxBytes });
      const status: Exclude<FileStatus, 'received'> = outcome.kind === 'invoice' ? 'ingested' : outcome.kind === 'rejected' ? 'failed' : (await startedByThisRecord(deps.sql, outcome.invoiceId, record)) ? 'ingested' : 'duplicate';
      await finishFile(deps.sql, record.id, {
        status,
        invoiceId: outcome.kind === 'rejected' ? null : outcome.invoiceId,
        reason: outcome.kind === 'rejected' ? outcome.reason : status === 'duplicate' && outcome.kind === 'already_received' ? `Duplicate: ${outcome.reason} Not processed again.` : null,
      });
    }
  }
  const [finished] = await deps.sql<{ status: Exclude<FileStatus, 'received'>; invoice_id: string | null; reason: string | null }[]>`
    select status, invoice_id, reason from ingest_files where id = ${record.id}`;
  const movedTo = await moveAside(path, file.name, OUTCOME_DIRS[finished!.status], finished!.reason);
  await markFileMoved(deps.sql, record.id, movedTo);
  deps.logger.info({ folder: path, file: file.name, status: finished!.status, invoiceId: finished!.invoice_id, movedTo }, 'folder file ingested');
  return { status: finished!.status, invoiceId: finished!.invoice_id ?? undefined, movedTo };
}

/** An interrupted earlier attempt of this very record started the invoice (it is younger than the record). */
async function startedByThisRecord(sql: Sql, invoiceId: string, record: FileRecord): Promise<boolean> {
  const invoice = await getInvoice(sql, invoiceId);
  return Boolean(invoice && invoice.createdAt.getTime() >= record.createdAt.getTime());
}

/** Move into `dir` under a free name (`a.pdf`, `a (2).pdf`, …); with a reason, also write `<name>.reason.txt`. */
async function moveAside(path: string, name: string, dir: string, reason: string | null): Promise<string> {
  const target = join(path, dir);
  await mkdir(target, { recursive: true });
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${stem} (${n})${ext}`;
    const exists = await stat(join(target, candidate)).then(() => true, () => false);
    if (exists) continue;
    await rename(join(path, name), join(target, candidate));
    if (reason) await writeFile(join(target, `${candidate}.reason.txt`), `${reason}\n`);
    return `${dir}/${candidate}`;
  }
}
