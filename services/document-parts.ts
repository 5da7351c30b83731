// A file that held several invoices becomes one invoice per part: each part is a PDF of its pages, ingested
// exactly as an upload is (stored by hash, its own invoice row and workflow), linked to the source file
// (db/parts.ts). The reading proposes the parts (extract/split.ts) and the source's workflow cuts them;
// a clerk can move the split afterwards, as long as no part it changes is on its way to Plex.
import { createHash } from 'node:crypto';
import type { Sql } from '../db/client.js';
import { getDocument } from '../db/documents.js';
import { getInvoice } from '../db/invoices.js';
import { currentParts, recordParts } from '../db/parts.js';
import { appendAudit } from '../db/audit.js';
import { REVIEWABLE, type InvoiceStatus, type SplitPart } from '../domain/invoice.js';
import { InvoiceInputError, invoiceIdFor, type InvoiceService } from './invoices.js';

export interface PageRange {
  fromPage: number;
  toPage: number;
  evidence: string[];
  /** A part kept from the previous round. */ invoiceId?: string;
}

export interface DocumentPartsDeps {
  sql: Sql;
  /**
   * The invoice service (services/invoices.ts): parts are ingested as uploads are, cut in its reader process
   * (extract/cut.ts: an untrusted file is never opened here), and moving a split rejects the parts it replaces.
   */
  invoices: Pick<InvoiceService, 'ingest' | 'review' | 'cutPages'>;
}

const baseName = (fileName: string) => fileName.replace(/\.(?:pdf|tiff?)$/i, '');
export const partFileName = (fileName: string, r: { fromPage: number; toPage: number }) =>
  `${baseName(fileName)} (page${r.fromPage === r.toPage ? ` ${r.fromPage}` : `s ${r.fromPage}-${r.toPage}`}).pdf`;

/**
 * "1-2, 3, 4-6" → the ranges, checked to cover pages 1..pageCount in order, each page once; the reason a
 * clerk can act on otherwise.
 */
export function parsePageRanges(
  text: string,
  pageCount: number,
): { ok: true; ranges: PageRange[] } | { ok: false; reason: string } {
  const pieces = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (pieces.length === 0) return { ok: false, reason: 'Give the pages of each invoice, e.g. "1-2, 3".' };
  const ranges: PageRange[] = [];
  let next = 1;
  for (const piece of pieces) {
    const m = /^(\d{1,4})(?:[-–](\d{1,4}))?$/.exec(piece);
    if (!m) return { ok: false, reason: `"${piece}" is not a page or a range of pages like 3 or 1-2.` };
    const fromPage = Number(m[1]);
    const toPage = m[2] === undefined ? fromPage : Number(m[2]);
    if (toPage < fromPage) return { ok: false, reason: `${piece}: the range runs backwards.` };
    if (fromPage !== next)
      return {
        ok: false,
        reason:
          fromPage < next
            ? `Page ${fromPage} is in two invoices.`
            : `Page ${next} is in no invoice (each page belongs to one, in order).`,
      };
    if (toPage > pageCount)
      return {
        ok: false,
        reason: `The file has ${pageCount} page${pageCount === 1 ? '' : 's'}; there is no page ${toPage}.`,
      };
    ranges.push({ fromPage, toPage, evidence: [] });
    next = toPage + 1;
  }
  if (next <= pageCount)
    return { ok: false, reason: `Pages ${next}-${pageCount} are in no invoice (each page belongs to one, in order).` };
  return { ok: true, ranges };
}

/** The part invoices of one round: cut, recorded as parts (before they start, so each knows it is one), ingested. */
async function makeParts(
  deps: DocumentPartsDeps,
  source: { id: string; documentSha256: string; fileName: string; uploadedBy: string },
  ranges: PageRange[],
  round: number,
  actor: string,
): Promise<SplitPart[]> {
  const doc = await getDocument(deps.sql, source.documentSha256);
  if (!doc) throw new Error(`The document of ${source.id} is missing.`);
  // a PDF's pages, or a scanner's multi-page TIFF, whose frames become image-only PDFs
  if (doc.mimeType !== 'application/pdf' && doc.mimeType !== 'image/tiff')
    throw new InvoiceInputError(422, 'Only a PDF or a multi-page TIFF can be split into invoices.');
  const fresh = ranges.filter((r) => !r.invoiceId);
  const pdfs = fresh.length
    ? await deps.invoices.cutPages(
        doc.bytes,
        source.fileName,
        fresh.map((r) => ({
          fromPage: r.fromPage,
          toPage: r.toPage,
          subject: `${source.fileName}: pages ${r.fromPage}-${r.toPage} (split ${round})`,
        })),
      )
    : [];
  const cut = ranges.map((range) => {
    if (range.invoiceId) return { range, bytes: null, partInvoiceId: range.invoiceId };
    const bytes = pdfs[fresh.indexOf(range)]!;
    return { range, bytes, partInvoiceId: invoiceIdFor(createHash('sha256').update(bytes).digest('hex')) };
  });
  await recordParts(
    deps.sql,
    source.id,
    round,
    actor,
    cut.map((c) => ({
      partInvoiceId: c.partInvoiceId,
      fromPage: c.range.fromPage,
      toPage: c.range.toPage,
      evidence: c.range.evidence,
    })),
  );
  const parts: SplitPart[] = [];
  for (const c of cut) {
    const invoiceId = c.bytes
      ? (
          await deps.invoices.ingest(
            { bytes: c.bytes, fileName: partFileName(source.fileName, c.range) },
            source.uploadedBy,
          )
        ).invoiceId
      : c.partInvoiceId;
    parts.push({ invoiceId, fromPage: c.range.fromPage, toPage: c.range.toPage, evidence: c.range.evidence });
  }
  return parts;
}

/** The reading's split (round 1), cut by the source's workflow; idempotent. */
export async function splitDocument(
  deps: DocumentPartsDeps,
  sourceInvoiceId: string,
  ranges: PageRange[],
): Promise<SplitPart[]> {
  const source = await getInvoice(deps.sql, sourceInvoiceId);
  if (!source) throw new Error(`No invoice ${sourceInvoiceId}.`);
  return makeParts(deps, source, ranges, 1, 'system');
}

/** Statuses in which a part may be replaced by a moved split: nothing is on its way to Plex. */
const REPLACEABLE: readonly InvoiceStatus[] = [...REVIEWABLE, 'rejected'];

/**
 * A clerk moves the split of a file: the parts whose pages change are rejected (only while they wait for a
 * person or were rejected, never once approved or written) and the new ones start; parts whose pages stay
 * the same stay as they are. Audited on the source.
 */
export async function moveSplit(
  deps: DocumentPartsDeps,
  sourceInvoiceId: string,
  rangesText: string,
  actor: string,
): Promise<SplitPart[]> {
  const source = await getInvoice(deps.sql, sourceInvoiceId);
  if (!source) throw new InvoiceInputError(404, `No invoice ${sourceInvoiceId}.`);
  const before = await currentParts(deps.sql, sourceInvoiceId);
  if (before.length === 0) throw new InvoiceInputError(409, 'This file was not split into invoices.');
  const doc = await getDocument(deps.sql, source.documentSha256);
  const parsed = parsePageRanges(rangesText, doc?.pageCount ?? 0);
  if (!parsed.ok) throw new InvoiceInputError(422, parsed.reason);
  const same = (a: { fromPage: number; toPage: number }, b: { fromPage: number; toPage: number }) =>
    a.fromPage === b.fromPage && a.toPage === b.toPage;
  const dropped = before.filter((p) => !parsed.ranges.some((r) => same(r, p)));
  if (dropped.length === 0 && parsed.ranges.length === before.length)
    throw new InvoiceInputError(422, 'That is the split as it is.');
  for (const part of dropped) {
    const row = await getInvoice(deps.sql, part.partInvoiceId);
    if (row && !REPLACEABLE.includes(row.status)) {
      throw new InvoiceInputError(
        409,
        `Pages ${part.fromPage}-${part.toPage} (invoice ${row.invoiceNumber ?? row.id}) are ${row.status.replace('_', ' ')}: a part on its way to Plex or still being read cannot be replaced. Nothing was changed.`,
      );
    }
  }
  const kept = new Map(before.filter((p) => !dropped.includes(p)).map((p) => [`${p.fromPage}-${p.toPage}`, p]));
  const ranges = parsed.ranges.map((r): PageRange => {
    const keep = kept.get(`${r.fromPage}-${r.toPage}`);
    return keep
      ? { ...r, evidence: keep.evidence, invoiceId: keep.partInvoiceId }
      : { ...r, evidence: [`split moved by ${actor}`] };
  });
  const round = before[0]!.round + 1;
  for (const part of dropped) {
    const row = await getInvoice(deps.sql, part.partInvoiceId);
    if (row && row.status !== 'rejected') {
      await deps.invoices.review(part.partInvoiceId, {
        action: 'reject',
        actor,
        reason: `The split of ${source.fileName} was moved by ${actor}: pages ${part.fromPage}-${part.toPage} are no longer one invoice.`,
      });
    }
  }
  const parts = await makeParts(deps, source, ranges, round, actor);
  await appendAudit(deps.sql, {
    eventKey: `${sourceInvoiceId}:split-moved:${round}`,
    invoiceId: sourceInvoiceId,
    kind: 'document.split_moved',
    actor,
    data: {
      round,
      before: before.map((p) => ({ invoiceId: p.partInvoiceId, fromPage: p.fromPage, toPage: p.toPage })),
      after: parts.map((p) => ({ invoiceId: p.invoiceId, fromPage: p.fromPage, toPage: p.toPage })),
    },
  });
  return parts;
}
