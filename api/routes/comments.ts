// The comment thread on the JSON API: read it, add a comment or a question, mark a question answered.
// The page forms (api/routes/pages.tsx) parse into the same schema.
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { z } from 'zod';
import { COMMENT_MAX_LENGTH, type CommentRow } from '../../db/comments.js';
import { actorOf, requirePermission } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { badRequest } from './json.js';

export const CommentBody = z.object({
  body: z.string().trim().min(1, 'write something').max(COMMENT_MAX_LENGTH, `at most ${COMMENT_MAX_LENGTH} characters`),
  kind: z.enum(['comment', 'question']).default('comment'),
});

/** A resubmission key: the form's hidden field, or the API's Idempotency-Key header. */
export const RequestKey = z.string().trim().min(8).max(100).optional().catch(undefined);

const commentJson = (c: CommentRow) => ({
  id: c.id, author: c.author, body: c.body, kind: c.kind, mentions: c.mentions,
  createdAt: c.createdAt.toISOString(), answeredAt: c.answeredAt?.toISOString() ?? null, answeredBy: c.answeredBy,
});

export function commentApiRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/invoices/:id/comments', requirePermission('invoices:read'), async (c) => {
    const comments = await c.var.deps.invoices.comments.list(c.req.param('id'));
    return c.json({ comments: comments.map(commentJson) });
  });

  // 201 with the comment and notes (e.g. "No user @xyz"); 200 with the earlier one for a repeated Idempotency-Key.
  app.post('/invoices/:id/comments', requirePermission('invoices:comment'), zValidator('json', CommentBody, badRequest), async (c) => {
    const body = c.req.valid('json');
    const outcome = await c.var.deps.invoices.comments.add({
      invoiceId: c.req.param('id'), author: actorOf(c), ...body, requestKey: RequestKey.parse(c.req.header('Idempotency-Key')),
    });
    return c.json({ comment: commentJson(outcome.comment), notes: outcome.notes }, outcome.created ? 201 : 200);
  });

  app.post('/invoices/:id/comments/:comment/answer', requirePermission('invoices:comment'), async (c) => {
    const outcome = await c.var.deps.invoices.comments.answer(c.req.param('id'), c.req.param('comment'), actorOf(c));
    return c.json({ comment: commentJson(outcome.comment), notes: outcome.notes });
  });

  return app;
}
