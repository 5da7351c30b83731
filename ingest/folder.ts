// The watched folder: files dropped in become invoices, then move to processed/, duplicates/ or failed/
// (the last two with `<name>.reason.txt`). A file is taken only once its size and modification time were
// the same in two scans; dotfiles and *.part / *.tmp names are never taken, so writers can write under a
// temporary name and rename when done. A file is recorded before its invoice is started and moved last,
// so a worker that dies in between resumes the record instead of starting anything twice; one that dies
// after the move but before recording it is caught up by the next scan (recoverUnrecordedMoves).
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from 'pino';
import type { InvoiceService } from '../services/invoices.js';
import type { Sql } from '../db/client.js';
import {
  claimedMoves,
  eInvoiceListingCompanion,
  finishFile,
  markFileMoved,
  recordFile,
  unmovedFiles,
  type FileRecord,
  type FileStatus,
} from '../db/ingestion.js';
import { getInvoice } from '../db/invoices.js';
import type { FileOutcome, WatchedFile } from '../domain/ingest.js';
import { isEInvoiceXml } from '../extract/einvoice/index.js';
import { formatBytes, ingestDocument, sha256Of } from './documents.js';

export const OUTCOME_DIRS = {
  ingested: 'processed',
  companion: 'processed',
  duplicate: 'duplicates',
  failed: 'failed',
} as const;

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

/** The one filesystem step that moves a file out of the inbox; tests inject a failing one. */
export interface FolderFs {
  rename(from: string, to: string): Promise<void>;
}

export interface FolderDeps {
  sql: Sql;
  invoices: InvoiceService;
  maxBytes: number;
  logger: Logger;
  /** Default: node:fs rename. */
  fs?: FolderFs;
}

/** What identifies a file too large to read: its name, size and modification time (kept by a rename). */
const unreadIdentity = (name: string, size: number, mtimeMs: number) =>
  sha256Of(Buffer.from(`${name}\0${size}\0${mtimeMs}`));

export async function takeFile(deps: FolderDeps, path: string, file: WatchedFile): Promise<FileOutcome> {
  const full = join(path, file.name);
  let current;
  try {
    current = await stat(full);
  } catch {
    return { status: 'gone' };
  }
  if (current.size !== file.size || current.mtimeMs !== file.mtimeMs) return { status: 'changed' };
  // Its e-invoice decides first: INV-1.pdf waits while INV-1.xml is still in the inbox.
  if (!isXmlName(file.name) && (await sameBaseName(path, file.name)).some(isXmlName)) return { status: 'waiting' };

  // Not read when too large: hashing a huge file only to refuse it is wasted work; its name and size identify it.
  const bytes = current.size > deps.maxBytes ? undefined : new Uint8Array(await readFile(full));
  const record = await recordFile(deps.sql, {
    folder: path,
    fileName: file.name,
    sha256: bytes ? sha256Of(bytes) : unreadIdentity(file.name, current.size, current.mtimeMs),
    sizeBytes: bytes?.byteLength ?? current.size,
  });
  if (record.status === 'received') await decide(deps, path, record, bytes);

  const [finished] = await deps.sql<
    { status: Exclude<FileStatus, 'received'>; invoice_id: string | null; reason: string | null }[]
  >`
    select status, invoice_id, reason from ingest_files where id = ${record.id}`;
  const movedTo = await moveAside(
    deps.fs ?? { rename },
    path,
    file.name,
    OUTCOME_DIRS[finished!.status],
    finished!.reason,
  );
  await markFileMoved(deps.sql, record.id, movedTo);
  deps.logger.info(
    { folder: path, file: file.name, status: finished!.status, invoiceId: finished!.invoice_id, movedTo },
    'folder file ingested',
  );
  return { status: finished!.status, invoiceId: finished!.invoice_id ?? undefined, movedTo };
}

/** What a newly recorded file is: a companion of its e-invoice, refused, an invoice, or a duplicate. */
async function decide(
  deps: FolderDeps,
  path: string,
  record: FileRecord,
  bytes: Uint8Array | undefined,
): Promise<void> {
  const eInvoice = isXmlName(record.fileName)
    ? undefined
    : await eInvoiceListingCompanion(deps.sql, path, record.fileName, record.id);
  if (eInvoice) {
    // Nothing is started for a companion: it is kept with the XML's invoice.
    await finishFile(deps.sql, record.id, {
      status: 'companion',
      invoiceId: eInvoice.invoiceId,
      reason: folderCompanionReason(eInvoice.fileName, eInvoice.invoiceId!),
      companionOf: eInvoice.id,
    });
    return;
  }
  if (!bytes) {
    await finishFile(deps.sql, record.id, {
      status: 'failed',
      invoiceId: null,
      reason: `The file is ${formatBytes(record.sizeBytes)}; the limit for ingested files is ${formatBytes(deps.maxBytes)}.`,
    });
    return;
  }
  const outcome = await ingestDocument(deps.invoices, {
    bytes,
    fileName: record.fileName,
    uploadedBy: 'watched folder',
    maxBytes: deps.maxBytes,
  });
  const status: Exclude<FileStatus, 'received'> =
    outcome.kind === 'invoice'
      ? 'ingested'
      : outcome.kind === 'rejected'
        ? 'failed'
        : (await startedByThisRecord(deps.sql, outcome.invoiceId, record))
          ? 'ingested'
          : 'duplicate';
  // An e-invoice XML that is (or already was) an invoice claims the files with its base name now in the inbox.
  const companionNames =
    status !== 'failed' && isEInvoiceXml(bytes)
      ? (await sameBaseName(path, record.fileName)).filter((n) => !isXmlName(n))
      : [];
  await finishFile(deps.sql, record.id, {
    status,
    invoiceId: outcome.kind === 'rejected' ? null : outcome.invoiceId,
    reason:
      outcome.kind === 'rejected'
        ? outcome.reason
        : status === 'duplicate' && outcome.kind === 'already_received'
          ? `Duplicate: ${outcome.reason} Not processed again.`
          : null,
    companionNames,
  });
}

const isXmlName = (name: string) => /\.xml$/i.test(name);
const baseName = (name: string) => name.slice(0, name.length - extname(name).length);

/** The other files in the inbox with the same name before the extension (INV-1.pdf for INV-1.xml), ignored names left out. */
async function sameBaseName(path: string, name: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name !== name && !isIgnoredName(e.name) && baseName(e.name) === baseName(name))
    .map((e) => e.name);
}

export const folderCompanionReason = (xmlName: string, invoiceId: string) =>
  `Companion of ${xmlName}'s invoice (${invoiceId}): the e-invoice XML is the invoice, so this file with the same name (usually its PDF rendering) is kept with it and not read as a separate invoice.`;

/** An interrupted earlier attempt of this very record started the invoice (it is younger than the record). */
async function startedByThisRecord(sql: Sql, invoiceId: string, record: FileRecord): Promise<boolean> {
  const invoice = await getInvoice(sql, invoiceId);
  return Boolean(invoice && invoice.createdAt.getTime() >= record.createdAt.getTime());
}

/** Move into `dir` under a free name (`a.pdf`, `a (2).pdf`, …); with a reason, also write `<name>.reason.txt`. */
async function moveAside(
  fs: FolderFs,
  path: string,
  name: string,
  dir: string,
  reason: string | null,
): Promise<string> {
  const target = join(path, dir);
  await mkdir(target, { recursive: true });
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${stem} (${n})${ext}`;
    const exists = await stat(join(target, candidate)).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    await fs.rename(join(path, name), join(target, candidate));
    if (reason) await writeFile(join(target, `${candidate}.reason.txt`), `${reason}\n`);
    return `${dir}/${candidate}`;
  }
}

/** `a.pdf` itself or a clash name moveAside gives it (`a (2).pdf`, …), with its number (1 for the name itself). */
function clashNumber(candidate: string, name: string): number | undefined {
  if (candidate === name) return 1;
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  if (!candidate.startsWith(`${stem} (`) || !candidate.endsWith(`)${ext}`)) return undefined;
  const n = candidate.slice(stem.length + 2, candidate.length - ext.length - 1);
  return /^[1-9][0-9]*$/.test(n) ? Number(n) : undefined;
}

/**
 * A worker that died after renaming a file into processed/ (or failed/, duplicates/) but before recording
 * it left a finished record without `moved_to`, and the file is no longer in the inbox, so takeFile never
 * sees it again. Find it in its outcome folder by name (or clash name) and content, not claimed by another
 * record, and record the move (writing the reason file if that was lost too). Returns how many were caught up.
 */
export async function recoverUnrecordedMoves(deps: FolderDeps, path: string): Promise<number> {
  let recovered = 0;
  for (const record of await unmovedFiles(deps.sql, path)) {
    const inInbox = await stat(join(path, record.fileName)).then(
      () => true,
      () => false,
    );
    if (inInbox) continue; // takeFile resumes it (same name and bytes) or it is a different file
    const dir = OUTCOME_DIRS[record.status as Exclude<FileStatus, 'received'>];
    const names = await readdir(join(path, dir)).catch(() => [] as string[]);
    const candidates = names
      .map((n) => ({ name: n, number: clashNumber(n, record.fileName) }))
      .filter((c): c is { name: string; number: number } => c.number !== undefined)
      .sort((a, b) => a.number - b.number)
      .map((c) => `${dir}/${c.name}`);
    const claimed = new Set(await claimedMoves(deps.sql, path, candidates));
    for (const movedTo of candidates) {
      if (claimed.has(movedTo) || !(await sameFile(deps, join(path, movedTo), record))) continue;
      if (record.reason) {
        const reasonFile = join(path, `${movedTo}.reason.txt`);
        if (
          !(await stat(reasonFile).then(
            () => true,
            () => false,
          ))
        )
          await writeFile(reasonFile, `${record.reason}\n`);
      }
      await markFileMoved(deps.sql, record.id, movedTo);
      deps.logger.warn(
        { folder: path, file: record.fileName, movedTo },
        'folder file was moved but not recorded; recorded now',
      );
      recovered++;
      break;
    }
  }
  return recovered;
}

async function sameFile(deps: FolderDeps, full: string, record: FileRecord): Promise<boolean> {
  const s = await stat(full).catch(() => undefined);
  if (!s?.isFile() || s.size !== record.sizeBytes) return false;
  if (s.size > deps.maxBytes) return unreadIdentity(record.fileName, s.size, s.mtimeMs) === record.sha256;
  return sha256Of(new Uint8Array(await readFile(full))) === record.sha256;
}
