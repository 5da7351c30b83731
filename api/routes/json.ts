// The JSON API (bearer tokens or a session, each with exactly its permissions): upload, list, read, review, recall (undo), replay.
// Each route is declared with its schemas (api/openapi.ts), so GET /api/openapi.json describes it.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { currentParts, partOf } from '../../db/parts.js';
import { moveSplit } from '../../services/document-parts.js';
import { z } from 'zod';
import { listInvoices } from '../../db/invoices.js';
import { CorrectionProvenance, FieldCorrections } from '../../domain/extraction.js';
import { Assignee, BulkRequest, InvoiceStatus, ReviewAction } from '../../domain/invoice.js';
import { actorOf } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { AUTH_ERRORS, badRequest, errors, guard, InvoiceIdParam as InvoiceId, json, jsonBody } from '../openapi.js';
import * as schemas from '../schemas.js';
import { ErrorBody } from '../schemas.js';
import { InvoiceInputError } from '../../services/invoices.js';
import { createQueueActions } from '../../services/queue-actions.js';
import { eInvoiceXmlResponse } from './einvoice.js';
import { uploadedFiles } from './forms.js';

const ListQuery = z.object({
  status: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = s.split(',').map((x) => x.trim());
      for (const v of list) {
        if (!InvoiceStatus.safeParse(v).success) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown status "${v}"; one of ${InvoiceStatus.options.join(', ')}`,
          });
          return z.NEVER;
        }
      }
      return list;
    })
    .meta({ description: `Statuses separated by commas (${InvoiceStatus.options.join(', ')}); all when absent.` }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().meta({ description: 'The `next` of the previous page.' }),
});

const ReviewBody = z.object({
  action: ReviewAction,
  reason: z.string().max(2000).optional(),
  corrections: FieldCorrections.optional(),
  /** Where on the document corrected values were picked, by correction key (checked against the document). */
  provenance: CorrectionProvenance.optional().meta({
    description:
      'Where on the document corrected values were picked, by correction key (checked against the document).',
  }),
  /** The placeholder chosen among the match's candidates (when the match is ambiguous). */
  placeholderId: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'The placeholder chosen among the match’s candidates (when the match is ambiguous).' }),
  /** An admin's explicit four-eyes override under an approval policy (needs a reason). */
  override: z
    .boolean()
    .optional()
    .meta({ description: 'An admin’s explicit four-eyes override under an approval policy (needs a reason).' }),
});

const RecallBody = z.object({
  decisionId: z.string().min(1).max(200).optional(),
  reason: z.string().max(2000).optional(),
});

const TOO_LARGE = 'The body is larger than the API allows.';
const NOT_JSON = 'The body is not sent as application/json.';
const TEMPORAL_DOWN = 'Temporal (the workflow service) is not answering; Retry-After says when to try again.';

const routes = {
  upload: createRoute({
    method: 'post',
    operationId: 'uploadInvoices',
    path: '/invoices',
    tags: ['Invoices'],
    summary: 'Upload invoice files',
    ...guard(
      'invoices:write',
      'post',
      'One or more files (PDF, PNG, JPEG, TIFF, or an e-invoice XML) as multipart/form-data fields named `files`; each becomes an invoice whose workflow reads it, matches it and syncs it. The same file again is no new invoice (`duplicate: true`). With several files each gets its own result; with one, a refused file fails the request with its own status.',
    ),
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                files: {
                  type: 'array',
                  items: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' },
                  description: 'The files (one field per file); `file` is taken too.',
                },
              },
              required: ['files'],
            },
          },
        },
      },
    },
    responses: {
      201: json(schemas.UploadResults, 'Taken: at least one file became an invoice (or was one already).'),
      ...errors({
        400: 'No files were sent, or the one file sent is empty.',
        413: 'A file or the request is over the upload limit.',
        415: 'The one file sent is not a PDF, PNG, JPEG, TIFF or e-invoice XML by its bytes (its name does not count).',
      }),
      422: json(
        z.union([schemas.UploadResults, ErrorBody]),
        'Several files and none was taken (each result says why); or the one file sent is truncated, corrupt, password-protected, page-less or has too many pages.',
      ),
      ...errors({
        503: 'The file is saved, but Temporal (the workflow service) is not answering: its processing starts by itself once it is back; sending the file again is safe.',
      }),
      ...AUTH_ERRORS,
    },
  }),
  list: createRoute({
    method: 'get',
    operationId: 'listInvoices',
    path: '/invoices',
    tags: ['Invoices'],
    summary: 'List invoices, newest first',
    ...guard('invoices:read', 'get', 'Keyset-paginated: pass the answer’s `next` as `cursor` for the next page.'),
    request: { query: ListQuery },
    responses: {
      200: json(schemas.InvoiceList, 'A page of invoices.'),
      ...errors({ 400: 'An unknown status, or a limit outside 1-200.' }),
      ...AUTH_ERRORS,
    },
  }),
  get: createRoute({
    method: 'get',
    operationId: 'getInvoice',
    path: '/invoices/{id}',
    tags: ['Invoices'],
    summary: 'Read an invoice with its workflow state',
    ...guard(
      'invoices:read',
      'get',
      'The read model always; the workflow’s state when Temporal answers in time (`workflow` says which).',
    ),
    request: { params: InvoiceId },
    responses: {
      200: json(schemas.InvoiceDetail, 'The invoice.'),
      ...errors({ 404: 'No such invoice.' }),
      ...AUTH_ERRORS,
    },
  }),
  words: createRoute({
    method: 'get',
    operationId: 'getInvoiceWords',
    path: '/invoices/{id}/words',
    tags: ['Invoices'],
    summary: 'The document’s words with their boxes',
    ...guard(
      'invoices:read',
      'get',
      'Per page (in the page’s units: PDF points, origin bottom-left; pixels for an image), as the review page’s viewer picks values from. An e-invoice XML has none.',
    ),
    request: { params: InvoiceId },
    responses: {
      200: json(schemas.DocumentWords, 'The words of each page.'),
      ...errors({ 404: 'No such invoice.', 422: 'The document cannot be read.' }),
      ...AUTH_ERRORS,
    },
  }),
  eInvoiceXml: createRoute({
    method: 'get',
    operationId: 'getEInvoiceXml',
    path: '/invoices/{id}/einvoice.xml',
    tags: ['Invoices'],
    summary: 'The e-invoice XML',
    ...guard(
      'invoices:read',
      'get',
      'The uploaded XML, or the XML embedded in a Factur-X/ZUGFeRD PDF: as text to read, or with `?download` as the file.',
    ),
    request: { params: InvoiceId },
    parameters: [
      {
        name: 'download',
        in: 'query',
        required: false,
        description: 'Present: the raw file (application/xml, as an attachment).',
        schema: { type: 'string' },
      },
    ],
    responses: {
      200: {
        description: 'The XML: as text (text/plain), or with `?download` as the file (application/xml).',
        content: { 'text/plain': { schema: z.string() }, 'application/xml': { schema: z.string() } },
      },
      ...errors({
        404: 'No such invoice, or it has no e-invoice XML.',
        422: 'The PDF cannot be opened to look for one.',
      }),
      ...AUTH_ERRORS,
    },
  }),
  review: createRoute({
    method: 'post',
    operationId: 'reviewInvoice',
    path: '/invoices/{id}/review',
    tags: ['Review'],
    summary: 'Decide on an invoice',
    ...guard(
      'invoices:review',
      'post',
      'Approve (and sync), reject (with a reason), send back (to be read and matched again) or hold (for goods receipt), with corrected fields. The workflow checks the decision: 409 with why when it refuses it.',
    ),
    request: { params: InvoiceId, body: jsonBody(ReviewBody) },
    responses: {
      202: json(schemas.Accepted, 'The workflow took the decision.'),
      ...errors({
        400: 'The body is not a valid decision.',
        404: 'No such invoice.',
        409: 'The workflow refused the decision (not waiting for review, four eyes, a rejection without reason…).',
        413: TOO_LARGE,
        415: NOT_JSON,
        422: 'A `provenance` box is not on the document.',
        503: TEMPORAL_DOWN,
      }),
      ...AUTH_ERRORS,
    },
  }),
  assign: createRoute({
    method: 'post',
    operationId: 'assignInvoice',
    path: '/invoices/{id}/assign',
    tags: ['Review'],
    summary: 'Assign an invoice to a reviewer',
    ...guard('invoices:review', 'post', 'To a user who may review (by e-mail); `null` releases it. Audited.'),
    request: { params: InvoiceId, body: jsonBody(z.strictObject({ assignee: Assignee })) },
    responses: {
      200: json(schemas.Assigned, 'Assigned or released.'),
      ...errors({
        400: 'Not an e-mail address (or null).',
        404: 'No such invoice.',
        413: TOO_LARGE,
        415: NOT_JSON,
        422: 'The assignee is no user who may review invoices.',
      }),
      ...AUTH_ERRORS,
    },
  }),
  bulk: createRoute({
    method: 'post',
    operationId: 'decideInvoices',
    path: '/invoices/bulk',
    tags: ['Review'],
    summary: 'One decision for up to 50 invoices',
    ...guard(
      'invoices:review',
      'post',
      'Approve (only those that pass every check), reject with one reason, or assign. One refused never stops the others; each outcome says what happened or why it was skipped.',
    ),
    request: { body: jsonBody(BulkRequest) },
    responses: {
      200: json(schemas.BulkOutcomes, 'An outcome per invoice.'),
      ...errors({ 400: 'The body is not a valid request.', 413: TOO_LARGE, 415: NOT_JSON, 503: TEMPORAL_DOWN }),
      ...AUTH_ERRORS,
    },
  }),
  recall: createRoute({
    method: 'post',
    operationId: 'recallApproval',
    path: '/invoices/{id}/recall',
    tags: ['Review'],
    summary: 'Take back an approval (undo)',
    ...guard(
      'invoices:review',
      'post',
      'While the approval’s undo window is open, before its sync starts. Name the approval (`decisionId`) so a later one is never recalled by mistake.',
    ),
    request: { params: InvoiceId, body: jsonBody(RecallBody) },
    responses: {
      202: json(schemas.Recalled, 'The approval is taken back; the invoice waits for review again.'),
      ...errors({
        400: 'The body is not valid.',
        404: 'No such invoice.',
        409: 'Nothing to take back: no approval waiting, or its sync has started.',
        413: TOO_LARGE,
        415: NOT_JSON,
        503: TEMPORAL_DOWN,
      }),
      ...AUTH_ERRORS,
    },
  }),
  parts: createRoute({
    method: 'get',
    operationId: 'getInvoiceParts',
    path: '/invoices/{id}/parts',
    tags: ['Split files'],
    summary: 'The invoices a file was split into',
    ...guard(
      'invoices:read',
      'get',
      'A file that held several invoices: its parts now (empty for a file of one invoice); for a part, the file it was cut from.',
    ),
    request: { params: InvoiceId },
    responses: { 200: json(schemas.InvoiceParts, 'The parts, and the source.'), ...AUTH_ERRORS },
  }),
  split: createRoute({
    method: 'post',
    operationId: 'moveSplit',
    path: '/invoices/{id}/split',
    tags: ['Split files'],
    summary: 'Move the split of a file',
    ...guard(
      'invoices:review',
      'post',
      'The pages of each invoice, e.g. `{"pages": "1-2, 3"}`: parts whose pages change are rejected and new ones start; parts whose pages stay stay as they are.',
    ),
    request: { params: InvoiceId, body: jsonBody(z.strictObject({ pages: z.string().max(2000) })) },
    responses: {
      202: json(schemas.SplitParts, 'The parts now.'),
      ...errors({
        400: 'The body is not valid.',
        404: 'No such invoice.',
        409: 'The file was not split, or a part that would change is approved, on its way to Plex or written.',
        413: TOO_LARGE,
        415: NOT_JSON,
        422: 'The pages do not add up (a page in two invoices or in none, past the end), or it is the split as it is.',
        503: TEMPORAL_DOWN,
      }),
      ...AUTH_ERRORS,
    },
  }),
  retrySync: createRoute({
    method: 'post',
    operationId: 'retrySync',
    path: '/invoices/{id}/retry-sync',
    tags: ['Syncs'],
    summary: 'Replay a failed sync',
    ...guard(
      'syncs:replay',
      'post',
      'An invoice in `sync_failed` is written to Plex again (never twice: the sync checks what Plex has first).',
    ),
    request: { params: InvoiceId },
    responses: {
      202: json(schemas.RetryAccepted, 'The sync starts again.'),
      ...errors({ 404: 'No such invoice.', 409: 'The invoice is not a failed sync.', 503: TEMPORAL_DOWN }),
      ...AUTH_ERRORS,
    },
  }),
};

export function jsonRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: badRequest });

  app.openapi(routes.upload, async (c) => {
    const files = await uploadedFiles(c);
    if (files.length === 0)
      throw new InvoiceInputError(400, 'Send one or more files as multipart/form-data fields named "files".');
    const results = [];
    for (const file of files) {
      try {
        const r = await c.var.deps.invoices.ingest(
          { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name },
          actorOf(c),
        );
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

  app.openapi(routes.list, async (c) => {
    const q = c.req.valid('query');
    const page = await listInvoices(c.var.deps.sql, { status: q.status, limit: q.limit, cursor: q.cursor });
    return c.json({ invoices: page.rows, next: page.next ?? null }, 200);
  });

  app.openapi(routes.get, async (c) => {
    const { row, state, workflow } = await c.var.deps.invoices.get(c.req.param('id'));
    return c.json({ invoice: row, state: state ?? null, workflow }, 200);
  });

  // The document's words with their boxes per page (in the page's units), as the review page's viewer picks from.
  app.openapi(routes.words, async (c) => c.json({ pages: await c.var.deps.invoices.words(c.req.param('id')) }, 200));

  // The e-invoice XML (uploaded, or embedded in the PDF); ?download for the raw file.
  app.openapi(routes.eInvoiceXml, (c) => eInvoiceXmlResponse(c, c.req.param('id'), 'json'));

  app.openapi(routes.review, async (c) => {
    const body = c.req.valid('json');
    const result = await c.var.deps.invoices.review(c.req.param('id'), {
      ...body,
      corrections: body.corrections ?? {},
      actor: actorOf(c),
    });
    return c.json({ accepted: true as const, decisionId: result.decisionId }, 202);
  });

  // Assign to a clerk who may review (null releases it); 422 for anyone else.
  app.openapi(routes.assign, async (c) => {
    const outcome = await createQueueActions(c.var.deps).assign(
      c.req.param('id'),
      c.req.valid('json').assignee,
      actorOf(c),
    );
    return c.json({ outcome }, 200);
  });

  // One decision for up to 50 invoices; each outcome says what happened or why it was left unchanged.
  app.openapi(routes.bulk, async (c) => {
    return c.json({ outcomes: await createQueueActions(c.var.deps).bulk(c.req.valid('json'), actorOf(c)) }, 200);
  });

  // Takes back an approval while its undo window is open; 409 with the reason once the sync has started.
  app.openapi(routes.recall, async (c) => {
    const result = await c.var.deps.invoices.recall(c.req.param('id'), { ...c.req.valid('json'), actor: actorOf(c) });
    return c.json({ recalled: true as const, decisionId: result.decisionId }, 202);
  });

  // A file that held several invoices: its parts now (and the file a part was cut from).
  app.openapi(routes.parts, async (c) => {
    const id = c.req.param('id');
    const { sql } = c.var.deps;
    const [parts, source] = await Promise.all([currentParts(sql, id), partOf(sql, id)]);
    return c.json(
      {
        parts: parts.map((p) => ({
          invoiceId: p.partInvoiceId,
          fromPage: p.fromPage,
          toPage: p.toPage,
          evidence: p.evidence,
          round: p.round,
        })),
        partOf: source
          ? { sourceInvoiceId: source.sourceInvoiceId, fromPage: source.fromPage, toPage: source.toPage }
          : null,
      },
      200,
    );
  });

  // Moves the split: `{ "pages": "1-2, 3" }`; 422 with the reason for pages that do not add up, 409 when a
  // part that would change is approved, syncing or synced.
  app.openapi(routes.split, async (c) => {
    const parts = await moveSplit(c.var.deps, c.req.param('id'), c.req.valid('json').pages, actorOf(c));
    return c.json({ parts }, 202);
  });

  app.openapi(routes.retrySync, async (c) => {
    await c.var.deps.invoices.retrySync(c.req.param('id'), actorOf(c));
    return c.json({ accepted: true as const }, 202);
  });

  return app;
}
