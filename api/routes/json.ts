// The JSON API (bearer tokens or a session, each with exactly its permissions): upload, list, read, review, recall (undo), replay.
import { zValidator } from '@hono/zod-validator';
import { currentParts, partOf } from '../../db/parts.js';
import { moveSplit } from '../../services/document-parts.js';
import { Hono } from 'hono';
import { z } from 'zod';
import { listInvoices } from '../../db/invoices.js';
import { CorrectionProvenance, FieldCorrections } from '../../domain/extraction.js';
import { Assignee, BulkRequest, InvoiceStatus, ReviewAction } from '../../domain/invoice.js';
import { actorOf, requirePermission } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { InvoiceInputError } from '../../services/invoices.js';
import { createQueueActions } from '../../services/queue-actions.js';
import { eInvoiceXmlResponse } from './einvoice.js';
import { uploadedFiles } from './forms.js';

const ListQuery = z.object({
  status: z.string().optional().transform((s, ctx) => {
    if (!s) return undefined;
    const list = s.split(',').map((x) => x.trim());
    for (const v of list) {
      if (!InvoiceStatus.safeParse(v).success) {
        ctx.addIssue({ code: 'custom', message: `unknown status "${v}"; one of ${InvoiceStatus.options.join(', ')}` });
        return z.NEVER;
      }
    }
    return list;
  }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const ReviewBody = z.object({
  action: ReviewAction,
  reason: z.string().max(2000).optional(),
  corrections: FieldCorrections.optional(),
  /** Where on the document corrected values were picked, by correction key (checked against the document). */
  provenance: CorrectionProvenance.optional(),
  /** The placeholder chosen among the match's candidates (when the match is ambiguous). */
  placeholderId: z.string().min(1).max(100).optional(),
  /** An admin's explicit four-eyes override under an approval policy (needs a reason). */
  override: z.boolean().optional(),
});

const RecallBody = z.object({ decisionId: z.string().min(1).max(200).optional(), reason: z.string().max(2000).optional() });

export const badRequest = (result: { success: boolean; error?: { issues: z.core.$ZodIssue[] } }, c: { json: (b: unknown, s: 400) => Response }) => {
  if (!result.success) {
    const message = result.error!.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    return c.json({ error: { message } }, 400);
  }
};

export function jsonRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/invoices', requirePermission('invoices:write'), async (c) => {
    const files = await uploadedFiles(c);
    if (files.length === 0) throw new InvoiceInputError(400, 'Send one or more files as multipart/form-data fields named "files".');
    const results = [];
    for (const file of files) {
      try {
        const r = await c.var.deps.invoices.ingest({ bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name }, actorOf(c));
        c.var.deps.metrics.uploads.inc({ outcome: r.duplicate ? 'duplicate' : 'accepted' });
        results.push({ ...r, id: r.invoiceId });
      } catch (err) {
        if (!(err instanceof InvoiceInputError)) throw err;
        c.var.deps.metrics.uploads.inc({ outcome: 'rejected' });
        // With a single file the whole request fails with that file's status; otherwise report per file.
        if (files.length === 1) throw err;
        results.push({ fileName: file.name, error: { message: err.message, status: err.status } });
      }
    }
    const anyOk = results.some((r) => 'id' in r);
    return c.json({ invoices: results }, anyOk ? 201 : 422);
  });

  app.get('/invoices', requirePermission('invoices:read'), zValidator('query', ListQuery, badRequest), async (c) => {
    const q = c.req.valid('query');
    const page = await listInvoices(c.var.deps.sql, { status: q.status, limit: q.limit, cursor: q.cursor });
    return c.json({ invoices: page.rows, next: page.next ?? null });
  });

  app.get('/invoices/:id', requirePermission('invoices:read'), async (c) => {
    const { row, state, workflow } = await c.var.deps.invoices.get(c.req.param('id'));
    return c.json({ invoice: row, state: state ?? null, workflow });
  });

  // The document's words with their boxes per page (in the page's units), as the review page's viewer picks from.
  app.get('/invoices/:id/words', requirePermission('invoices:read'), async (c) => c.json({ pages: await c.var.deps.invoices.words(c.req.param('id')) }));

  // The e-invoice XML (uploaded, or embedded in the PDF); ?download for the raw file.
  app.get('/invoices/:id/einvoice.xml', requirePermission('invoices:read'), (c) => eInvoiceXmlResponse(c, c.req.param('id'), 'json'));

  app.post('/invoices/:id/review', requirePermission('invoices:review'), zValidator('json', ReviewBody, badRequest), async (c) => {
    const body = c.req.valid('json');
    const result = await c.var.deps.invoices.review(c.req.param('id'), { ...body, corrections: body.corrections ?? {}, actor: actorOf(c) });
    return c.json({ accepted: true, decisionId: result.decisionId }, 202);
  });

  // Assign to a clerk who may review (null releases it); 422 for anyone else.
  app.post('/invoices/:id/assign', requirePermission('invoices:review'), zValidator('json', z.strictObject({ assignee: Assignee }), badRequest), async (c) => {
    const outcome = await createQueueActions(c.var.deps).assign(c.req.param('id'), c.req.valid('json').assignee, actorOf(c));
    return c.json({ outcome });
  });

  // One decision for up to 50 invoices; each outcome says what happened or why it was left unchanged.
  app.post('/invoices/bulk', requirePermission('invoices:review'), zValidator('json', BulkRequest, badRequest), async (c) => {
    return c.json({ outcomes: await createQueueActions(c.var.deps).bulk(c.req.valid('json'), actorOf(c)) });
  });

  // Takes back an approval while its undo window is open; 409 with the reason once the sync has started.
  app.post('/invoices/:id/recall', requirePermission('invoices:review'), zValidator('json', RecallBody, badRequest), async (c) => {
    const result = await c.var.deps.invoices.recall(c.req.param('id'), { ...c.req.valid('json'), actor: actorOf(c) });
    return c.json({ recalled: true, decisionId: result.decisionId }, 202);
  });

  // A file that held several invoices: its parts now (and the file a part was cut from).
  app.get('/invoices/:id/parts', requirePermission('invoices:read'), async (c) => {
    const id = c.req.param('id');
    const { sql } = c.var.deps;
    const [parts, source] = await Promise.all([currentParts(sql, id), partOf(sql, id)]);
    return c.json({
      parts: parts.map((p) => ({ invoiceId: p.partInvoiceId, fromPage: p.fromPage, toPage: p.toPage, evidence: p.evidence, round: p.round })),
      partOf: source ? { sourceInvoiceId: source.sourceInvoiceId, fromPage: source.fromPage, toPage: source.toPage } : null,
    });
  });

  // Moves the split: `{ "pages": "1-2, 3" }`; 422 with the reason for pages that do not add up, 409 when a
  // part that would change is approved, syncing or synced.
  app.post('/invoices/:id/split', requirePermission('invoices:review'), zValidator('json', z.strictObject({ pages: z.string().max(2000) }), badRequest), async (c) => {
    const parts = await moveSplit(c.var.deps, c.req.param('id'), c.req.valid('json').pages, actorOf(c));
    return c.json({ parts }, 202);
  });

  app.post('/invoices/:id/retry-sync', requirePermission('syncs:replay'), async (c) => {
    await c.var.deps.invoices.retrySync(c.req.param('id'), actorOf(c));
    return c.json({ accepted: true }, 202);
  });

  return app;
}
