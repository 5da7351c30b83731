// Server-rendered pages for clerks and ops (hono/jsx + htmx); htmx requests get fragments.
import { Hono, type Context } from 'hono';
import { auditForInvoice } from '../../db/audit.js';
import { listNotificationsForInvoice } from '../../db/notifications.js';
import {
  cachedStatusCounts,
  failedSyncSummaries,
  getInvoice,
  listInvoices,
  listQueue,
  listSyncOperations,
  nextForReview,
  reviewNeighbours,
} from '../../db/invoices.js';
import { documentMimeType, getDocument } from '../../db/documents.js';
import { FailedSyncsPage } from '../../views/failed.js';
import { InvoicePage, type DecisionNoticeProps, type DocumentPartsProps } from '../../views/invoice.js';
import { currentParts, partOf } from '../../db/parts.js';
import { moveSplit } from '../../services/document-parts.js';
import { Assignee, BulkRequest, ReviewAction } from '../../domain/invoice.js';
import { BulkResultsPage, QueuePage, QueueRows, queueHref } from '../../views/queue.js';
import { UploadPage, UploadResult, UploadResults, type UploadOutcome } from '../../views/upload.js';
import { actorOf, requirePermission } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { InvoiceInputError } from '../../services/invoices.js';
import { createQueueActions } from '../../services/queue-actions.js';
import { ReviewRejectedError } from '../../services/temporal.js';
import { eInvoiceXmlResponse } from './einvoice.js';
import { fieldText, QueueQueryForm, reviewFromForm, uploadedFiles } from './forms.js';
import { durationMs, getEffectiveSettings } from '../../db/settings.js';
import { listComments } from '../../db/comments.js';
import { isAllowed } from '../../domain/permissions.js';
import { CommentThread, type CommentThreadProps } from '../../views/comments.js';
import { CommentBody, RequestKey } from './comments.js';
import {
  auditEntry,
  bulkInvoice,
  failedSyncItem,
  invoiceHeader,
  notificationItem,
  pageContext,
  queueItem,
  syncAttempt,
} from '../view-models.js';

export function pageRoutes() {
  const app = new Hono<AppEnv>();
  // The queue tabs' counts, refreshed every few seconds (one app serves one database).
  let counter: (() => Promise<Record<string, number>>) | undefined;
  const statusCounts = (sql: AppEnv['Variables']['deps']['sql']) => (counter ??= cachedStatusCounts(sql));
  const queueActions = (c: Context<AppEnv>) => createQueueActions(c.var.deps);

  app.get('/', requirePermission('invoices:read'), (c) => c.redirect('/invoices'));

  app.get('/upload', requirePermission('invoices:write'), (c) =>
    c.html(<UploadPage ctx={pageContext(c)} maxMb={Math.floor(c.var.deps.config.web.maxUploadBytes / 1024 / 1024)} />),
  );

  app.post('/upload', requirePermission('invoices:write'), async (c) => {
    const { invoices, metrics } = c.var.deps;
    const files = await uploadedFiles(c);
    const outcomes: UploadOutcome[] = [];
    for (const file of files) {
      try {
        const result = await invoices.ingest(
          { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name },
          actorOf(c),
        );
        metrics.uploads.inc({ outcome: result.duplicate ? 'duplicate' : 'accepted' });
        outcomes.push({ ok: true, ...result });
      } catch (err) {
        if (!(err instanceof InvoiceInputError)) throw err;
        metrics.uploads.inc({ outcome: 'rejected' });
        outcomes.push({ ok: false, fileName: file.name, error: err.message });
      }
    }
    if (files.length === 0) outcomes.push({ ok: false, fileName: '(none)', error: 'Choose at least one file.' });
    const status = outcomes.some((o) => o.ok) ? 200 : 422;
    if (c.req.header('HX-Request')) return c.html(<UploadResults outcomes={outcomes} />, status);
    return c.html(
      <UploadPage
        ctx={pageContext(c)}
        maxMb={Math.floor(c.var.deps.config.web.maxUploadBytes / 1024 / 1024)}
        outcomes={outcomes}
      />,
      status,
    );
  });

  // One upload result following its invoice's status (polled by htmx until a person or Plex acts next).
  app.get('/upload/status/:id', requirePermission('invoices:write'), async (c) => {
    const row = await getInvoice(c.var.deps.sql, c.req.param('id'));
    if (!row) return c.text('No such invoice.', 404);
    return c.html(
      <UploadResult
        invoiceId={row.id}
        fileName={row.fileName}
        status={row.status}
        duplicate={c.req.query('duplicate') === '1'}
      />,
    );
  });

  const queue = async (c: Context<AppEnv>) => {
    const { sql, config } = c.var.deps;
    const query = QueueQueryForm.parse(c.req.query());
    const { escalateAfter, autoApproveThreshold } = await getEffectiveSettings(sql, config);
    const page = await listQueue(sql, {
      status: query.status ? [query.status] : undefined,
      reason: query.reason,
      lowConfidenceBelow: autoApproveThreshold,
      vendor: query.vendor,
      poNumber: query.po,
      assignedTo: query.mine ? c.var.user?.email : undefined,
      band: query.band,
      olderThanHours: query.age ? Number(query.age) : undefined,
      order: query.order,
      cursor: c.req.query('cursor'),
      limit: 50,
    });
    return { query, page, slaHours: durationMs(escalateAfter) / 3_600_000 };
  };
  app.get('/invoices', requirePermission('invoices:read'), async (c) => {
    const { query, page, slaHours } = await queue(c);
    const assignable = await queueActions(c).assignableUsers();
    return c.html(
      <QueuePage
        ctx={pageContext(c)}
        rows={page.rows.map(queueItem)}
        next={page.next}
        query={query}
        counts={await statusCounts(c.var.deps.sql)()}
        slaHours={slaHours}
        live={!c.req.query('cursor')}
        assignable={assignable}
      />,
    );
  });
  app.get('/invoices/rows', requirePermission('invoices:read'), async (c) => {
    const { query, page, slaHours } = await queue(c);
    return c.html(
      <QueueRows
        rows={page.rows.map(queueItem)}
        slaHours={slaHours}
        refreshUrl={queueHref(query, '/invoices/rows')}
        selected={c.req.queries('ids') ?? []}
      />,
    );
  });

  /** The comment thread as the viewer may use it; `extra`: notes, an error or the comment to focus. */
  const thread = async (
    c: Context<AppEnv>,
    id: string,
    extra: Partial<CommentThreadProps> = {},
  ): Promise<CommentThreadProps> => ({
    invoiceId: id,
    comments: await listComments(c.var.deps.sql, id),
    csrfToken: c.var.csrfToken,
    canComment: Boolean(c.var.user && isAllowed('invoices:comment', { kind: 'session', role: c.var.user.role })),
    questionsPause: c.var.deps.config.review.questionsPauseEscalation,
    ...extra,
  });

  /** The parts of a file that held several invoices (on the file's page), or the file a part was cut from. */
  const documentPartsOf = async (
    c: Context<AppEnv>,
    row: { id: string; documentSha256: string },
  ): Promise<DocumentPartsProps | undefined> => {
    const { sql } = c.var.deps;
    const [parts, source] = await Promise.all([currentParts(sql, row.id), partOf(sql, row.id)]);
    if (parts.length > 0) {
      const rows = await Promise.all(parts.map((p) => getInvoice(sql, p.partInvoiceId)));
      const doc = await getDocument(sql, row.documentSha256);
      return {
        parts: {
          round: parts[0]!.round,
          pageCount: doc?.pageCount ?? parts.at(-1)!.toPage,
          canMove: Boolean(c.var.user && isAllowed('invoices:review', { kind: 'session', role: c.var.user.role })),
          items: parts.map((p, i) => ({
            invoiceId: p.partInvoiceId,
            fromPage: p.fromPage,
            toPage: p.toPage,
            evidence: p.evidence,
            status: rows[i]?.status ?? null,
            invoiceNumber: rows[i]?.invoiceNumber ?? null,
            vendorName: rows[i]?.vendorName ?? null,
            total: rows[i]?.total ?? null,
          })),
        },
      };
    }
    if (source) {
      const sourceRow = await getInvoice(sql, source.sourceInvoiceId);
      return {
        source: {
          invoiceId: source.sourceInvoiceId,
          fileName: sourceRow?.fileName ?? source.sourceInvoiceId,
          fromPage: source.fromPage,
          toPage: source.toPage,
        },
      };
    }
    return undefined;
  };

  const renderInvoice = async (
    c: Context<AppEnv>,
    id: string,
    status: 200 | 202 | 409 | 422 = 200,
    error?: string,
    flash?: string,
    notice?: DecisionNoticeProps,
    comments?: Partial<CommentThreadProps>,
  ) => {
    const { sql, invoices, config } = c.var.deps;
    const { row, state } = await invoices.get(id);
    const [audit, syncOps, mimeType, neighbours, commentThread, notifications, assignable] = await Promise.all([
      auditForInvoice(sql, id),
      listSyncOperations(sql, id),
      documentMimeType(sql, row.documentSha256),
      reviewNeighbours(sql, id),
      thread(c, id, comments),
      listNotificationsForInvoice(sql, id),
      queueActions(c).assignableUsers(),
    ]);
    const temporalLink = `${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(id)}`;
    const parts = await documentPartsOf(c, row);
    return c.html(
      <InvoicePage
        ctx={pageContext(c, flash ? { kind: 'ok', text: flash } : undefined)}
        invoice={invoiceHeader(row)}
        state={state}
        audit={audit.map(auditEntry)}
        syncOps={syncOps.map(syncAttempt)}
        notifications={notifications.map(notificationItem)}
        temporalLink={temporalLink}
        error={error}
        mimeType={mimeType}
        neighbours={neighbours}
        notice={notice}
        assignable={assignable}
        comments={commentThread}
        parts={parts}
      />,
      status,
    );
  };

  app.get('/invoices/:id', requirePermission('invoices:read'), async (c) => {
    const flash = c.req.query('replayed')
      ? 'Replay requested: the sync runs again.'
      : c.req.query('recalled')
        ? 'Approval taken back: nothing was written to Plex; the invoice waits for review again.'
        : c.req.query('split')
          ? 'Split moved: the new parts are being read.'
          : undefined;
    const focus = c.req.query('comment');
    return renderInvoice(
      c,
      c.req.param('id'),
      200,
      undefined,
      flash,
      await decisionNotice(c),
      focus ? { focusId: focus } : undefined,
    );
  });

  // A comment or a question. Without JavaScript: post, then back to the page at the new comment; with htmx:
  // the thread section swapped in place, the new comment focused, notes (e.g. "No user @xyz") above it.
  app.post('/invoices/:id/comments', requirePermission('invoices:comment'), async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    const htmx = Boolean(c.req.header('HX-Request'));
    const parsed = CommentBody.safeParse({ body: form.body, kind: form.kind === 'question' ? 'question' : 'comment' });
    if (!parsed.success) {
      const error = `Not posted: ${parsed.error.issues.map((i) => i.message).join('; ')}.`;
      const draft = typeof form.body === 'string' ? form.body : undefined;
      if (htmx) return c.html(<CommentThread {...await thread(c, id, { error, draft, fragment: true })} />, 422);
      return renderInvoice(c, id, 422, undefined, undefined, undefined, { error, draft });
    }
    const outcome = await c.var.deps.invoices.comments.add({
      invoiceId: id,
      author: actorOf(c),
      ...parsed.data,
      requestKey: RequestKey.parse(form.requestKey),
    });
    const done = { focusId: outcome.comment.id, notes: outcome.notes };
    if (htmx) return c.html(<CommentThread {...await thread(c, id, { ...done, fragment: true })} />);
    // Notes are shown on the page itself; otherwise back to the page (a reload does not post again).
    if (outcome.notes.length > 0) return renderInvoice(c, id, 202, undefined, undefined, undefined, done);
    return c.redirect(
      `/invoices/${encodeURIComponent(id)}?comment=${outcome.comment.id}#comment-${outcome.comment.id}`,
    );
  });

  app.post('/invoices/:id/comments/:comment/answer', requirePermission('invoices:comment'), async (c) => {
    const id = c.req.param('id');
    const outcome = await c.var.deps.invoices.comments.answer(id, c.req.param('comment'), actorOf(c));
    const done = { focusId: outcome.comment.id, notes: outcome.notes };
    if (c.req.header('HX-Request'))
      return c.html(<CommentThread {...await thread(c, id, { ...done, fragment: true })} />);
    if (outcome.notes.length > 0) return renderInvoice(c, id, 202, undefined, undefined, undefined, done);
    return c.redirect(
      `/invoices/${encodeURIComponent(id)}?comment=${outcome.comment.id}#comment-${outcome.comment.id}`,
    );
  });

  /** What the clerk just decided (?done=…&from=…), read back from that invoice's workflow, for the notice with Undo. */
  const decisionNotice = async (c: Context<AppEnv>): Promise<DecisionNoticeProps | undefined> => {
    const done = ReviewAction.safeParse(c.req.query('done'));
    const from = c.req.query('from') ?? c.req.param('id');
    if (!done.success || !from) return undefined;
    try {
      const { row, state } = await c.var.deps.invoices.get(from);
      return {
        invoiceId: row.id,
        label: `${row.invoiceNumber ?? row.fileName} (${row.vendorName ?? 'unknown vendor'})`,
        decision: done.data,
        status: state?.status ?? row.status,
        undo: state?.undo ?? null,
      };
    } catch (err) {
      if (err instanceof InvoiceInputError) return undefined;
      throw err;
    }
  };

  app.get('/invoices/:id/document', requirePermission('invoices:read'), async (c) => {
    const row = await getInvoice(c.var.deps.sql, c.req.param('id'));
    const doc = row && (await getDocument(c.var.deps.sql, row.documentSha256));
    if (!doc) return c.text('No such document.', 404);
    // An uploaded e-invoice is shown as sandboxed text, never rendered as XML in our origin.
    if (doc.mimeType === 'application/xml') return eInvoiceXmlResponse(c, c.req.param('id'), 'text');
    // A download, never a page of our origin: opening the link saves the file. The viewer on the invoice
    // page loads the same URL with fetch (pdf.js) or as an image, which a download disposition does not affect.
    c.header('Content-Type', doc.mimeType);
    c.header('Content-Disposition', `attachment; filename="${doc.fileName.replace(/[^\w.\- ]/g, '_')}"`);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(doc.bytes as Uint8Array<ArrayBuffer>);
  });

  // The document's words with their boxes (per page, in the page's units), for picking a value off the
  // document in the review page's viewer. Whoever may see the document may see its words.
  app.get('/invoices/:id/words', requirePermission('invoices:read'), async (c) => {
    try {
      const pages = await c.var.deps.invoices.words(c.req.param('id'));
      c.header('Cache-Control', 'private, max-age=300');
      return c.json({ pages });
    } catch (err) {
      if (err instanceof InvoiceInputError) return c.json({ error: err.message }, err.status);
      throw err;
    }
  });

  app.get('/invoices/:id/einvoice.xml', requirePermission('invoices:read'), (c) =>
    eInvoiceXmlResponse(c, c.req.param('id'), 'text'),
  );

  app.post('/invoices/:id/assign', requirePermission('invoices:review'), async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    const me = c.var.user!.email;
    // "Release", "Assign to me", or a named clerk from the list (no choice sent: the clerk asking).
    const named = typeof form.assignee === 'string' && form.assignee.trim() ? form.assignee : me;
    const chosen = form.release === '1' ? null : form.to === 'me' ? me : named;
    const assignee = Assignee.safeParse(chosen);
    if (!assignee.success)
      return renderInvoice(
        c,
        id,
        422,
        `Cannot assign to "${String(chosen)}": ${assignee.error.issues[0]?.message ?? 'invalid'}.`,
      );
    try {
      await queueActions(c).assign(id, assignee.data, actorOf(c));
    } catch (err) {
      if (err instanceof InvoiceInputError && err.status === 422) return renderInvoice(c, id, 422, err.message);
      throw err;
    }
    return c.redirect(`/invoices/${id}`);
  });

  // One decision for the invoices ticked in the queue; the page lists what became of each.
  app.post('/invoices/bulk', requirePermission('invoices:review'), async (c) => {
    const form = await c.req.parseBody({ all: true });
    const ids = [form.ids ?? []].flat().filter((v): v is string => typeof v === 'string');
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const action = text(form.action);
    const assignee = text(form.assignee);
    const parsed = BulkRequest.safeParse({
      action,
      ids,
      reason: text(form.reason),
      assignee: assignee === '' ? null : assignee,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message =
        issue?.path[0] === 'action'
          ? 'Choose what to do with the selected invoices.'
          : `${issue?.message ?? 'invalid request'}.`;
      return c.html(
        <BulkResultsPage
          ctx={pageContext(c)}
          outcomes={[]}
          invoices={[]}
          error={message[0]!.toUpperCase() + message.slice(1)}
        />,
        422,
      );
    }
    const outcomes = await queueActions(c).bulk(parsed.data, actorOf(c));
    const rows = await Promise.all(outcomes.map((o) => getInvoice(c.var.deps.sql, o.invoiceId)));
    return c.html(
      <BulkResultsPage
        ctx={pageContext(c)}
        action={parsed.data.action}
        outcomes={outcomes}
        invoices={rows.filter((r) => r !== undefined).map(bulkInvoice)}
      />,
    );
  });

  app.post('/invoices/:id/review', requirePermission('invoices:review'), async (c) => {
    const id = c.req.param('id');
    const parsed = await reviewFromForm(c, actorOf(c));
    if (!parsed.ok) return renderInvoice(c, id, 422, parsed.error);
    try {
      await c.var.deps.invoices.review(id, parsed.decision);
    } catch (err) {
      if (err instanceof ReviewRejectedError) return renderInvoice(c, id, 409, err.message);
      // A box picked off the document that is not on it (services/invoices.ts checkPickedBoxes).
      if (err instanceof InvoiceInputError && err.status === 422) return renderInvoice(c, id, 422, err.message);
      throw err;
    }
    // Keep the clerk moving: on to the next invoice waiting for review, if there is one; its page names this
    // invoice and its decision, with Undo while an approval's undo window is open.
    const next = await nextForReview(c.var.deps.sql, id);
    return c.redirect(`/invoices/${next ?? id}?done=${parsed.decision.action}&from=${id}`);
  });

  // Move the split of a file that held several invoices (services/document-parts.ts).
  app.post('/invoices/:id/split', requirePermission('invoices:review'), async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    try {
      await moveSplit(c.var.deps, id, fieldText(form.pages), actorOf(c));
    } catch (err) {
      if (err instanceof InvoiceInputError || err instanceof ReviewRejectedError)
        return renderInvoice(
          c,
          id,
          err instanceof InvoiceInputError && err.status === 422 ? 422 : 409,
          `The split was not moved: ${err.message}`,
        );
      throw err;
    }
    return c.redirect(`/invoices/${id}?split=moved`);
  });

  app.post('/invoices/:id/recall', requirePermission('invoices:review'), async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    const decisionId = typeof form.decisionId === 'string' && form.decisionId ? form.decisionId : undefined;
    try {
      await c.var.deps.invoices.recall(id, { actor: actorOf(c), decisionId });
    } catch (err) {
      if (err instanceof ReviewRejectedError) return renderInvoice(c, id, 409, err.message);
      throw err;
    }
    return c.redirect(`/invoices/${id}?recalled=1`);
  });

  app.get('/syncs/failed', requirePermission('syncs:replay'), async (c) => {
    const { sql, config } = c.var.deps;
    const page = await listInvoices(sql, { status: ['sync_failed'], limit: 200 });
    const summaries = await failedSyncSummaries(
      sql,
      page.rows.map((r) => r.id),
    );
    const replayed = c.req.query('replayed');
    const flash = replayed ? { kind: 'ok' as const, text: `Replay requested for ${replayed} invoice(s).` } : undefined;
    return c.html(
      <FailedSyncsPage
        ctx={pageContext(c, flash)}
        rows={page.rows.map((r) => failedSyncItem(r, summaries.get(r.id)))}
        temporalUiUrl={config.temporal.uiUrl}
        namespace={config.temporal.namespace}
      />,
    );
  });

  app.post('/syncs/replay-selected', requirePermission('syncs:replay'), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const ids = ([] as unknown[]).concat(body['ids'] ?? []).filter((v): v is string => typeof v === 'string');
    let done = 0;
    for (const id of ids) {
      try {
        await c.var.deps.invoices.retrySync(id, actorOf(c));
        done++;
      } catch (err) {
        if (!(err instanceof InvoiceInputError)) throw err; // no longer failed (replayed meanwhile): skip
      }
    }
    return c.redirect(`/syncs/failed?replayed=${done}`);
  });

  app.post('/syncs/replay-all', requirePermission('syncs:replay'), async (c) => {
    const ids = await c.var.deps.invoices.retryAllFailed(actorOf(c));
    c.var.deps.logger.info({ count: ids.length, by: actorOf(c) }, 'replay all failed syncs');
    return c.redirect(`/syncs/failed?replayed=${ids.length}`);
  });

  app.post('/syncs/:id/replay', requirePermission('syncs:replay'), async (c) => {
    const id = c.req.param('id');
    try {
      await c.var.deps.invoices.retrySync(id, actorOf(c));
    } catch (err) {
      if (err instanceof InvoiceInputError && err.status === 409) return renderInvoice(c, id, 409, err.message);
      throw err;
    }
    return c.redirect(`/invoices/${id}?replayed=1`);
  });

  return app;
}
