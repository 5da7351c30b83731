// The comment thread on the JSON API: read it, add a comment or a question, mark a question answered.
// The page forms (api/routes/pages.tsx) parse into the same schema.
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { CommentRow } from '../../db/comments.js';
import { COMMENT_MAX_LENGTH } from '../../domain/comments.js';
import { actorOf } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { AUTH_ERRORS, badRequest, errors, guard, InvoiceIdParam as InvoiceId, json, jsonBody } from '../openapi.js';
import { CommentOutcome, CommentThread } from '../schemas.js';

export const CommentBody = z.object({
  body: z.string().trim().min(1, 'write something').max(COMMENT_MAX_LENGTH, `at most ${COMMENT_MAX_LENGTH} characters`),
  kind: z.enum(['comment', 'question']).default('comment'),
});

/** A resubmission key: the form's hidden field, or the API's Idempotency-Key header. */
export const RequestKey = z.string().trim().min(8).max(100).optional().catch(undefined);

const commentJson = (c: CommentRow) => ({
  id: c.id,
  author: c.author,
  body: c.body,
  kind: c.kind,
  mentions: c.mentions,
  createdAt: c.createdAt.toISOString(),
  answeredAt: c.answeredAt?.toISOString() ?? null,
  answeredBy: c.answeredBy,
});

const routes = {
  list: createRoute({
    method: 'get',
    operationId: 'listComments',
    path: '/invoices/{id}/comments',
    tags: ['Comments'],
    summary: 'The comment thread',
    ...guard('invoices:read', 'get', 'Comments and questions, oldest first.'),
    request: { params: InvoiceId },
    responses: { 200: json(CommentThread, 'The thread.'), ...errors({ 404: 'No such invoice.' }), ...AUTH_ERRORS },
  }),
  add: createRoute({
    method: 'post',
    operationId: 'addComment',
    path: '/invoices/{id}/comments',
    tags: ['Comments'],
    summary: 'Add a comment or ask a question',
    ...guard(
      'invoices:comment',
      'post',
      '`@name` mentions notify those users. An open question stops the invoice’s escalation clock until it is answered (when configured so). A repeated `Idempotency-Key` answers the comment it made the first time (200) instead of adding another.',
    ),
    request: { params: InvoiceId, body: jsonBody(CommentBody) },
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'A key of 8-100 characters: sending the same request again adds nothing.',
        schema: { type: 'string', minLength: 8, maxLength: 100 },
      },
    ],
    responses: {
      201: json(CommentOutcome, 'Added: the comment, and notes (such as a mention of no known user).'),
      200: json(CommentOutcome, 'The comment this Idempotency-Key added before.'),
      ...errors({
        400: 'Empty, or longer than the limit.',
        404: 'No such invoice.',
        413: 'The body is larger than the API allows.',
        415: 'The body is not sent as application/json.',
      }),
      ...AUTH_ERRORS,
    },
  }),
  answer: createRoute({
    method: 'post',
    operationId: 'answerQuestion',
    path: '/invoices/{id}/comments/{comment}/answer',
    tags: ['Comments'],
    summary: 'Mark a question answered',
    ...guard('invoices:comment', 'post', 'Marking it again changes nothing (a note says by whom and when it was).'),
    request: { params: InvoiceId.extend({ comment: z.string().meta({ description: 'The question’s comment id.' }) }) },
    responses: {
      200: json(CommentOutcome, 'The question, answered.'),
      ...errors({ 404: 'No such invoice, or it has no such question.' }),
      ...AUTH_ERRORS,
    },
  }),
};

export function commentApiRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: badRequest });

  app.openapi(routes.list, async (c) => {
    const comments = await c.var.deps.invoices.comments.list(c.req.param('id'));
    return c.json({ comments: comments.map(commentJson) }, 200);
  });

  // 201 with the comment and notes (e.g. "No user @xyz"); 200 with the earlier one for a repeated Idempotency-Key.
  app.openapi(routes.add, async (c) => {
    const body = c.req.valid('json');
    const outcome = await c.var.deps.invoices.comments.add({
      invoiceId: c.req.param('id'),
      author: actorOf(c),
      ...body,
      requestKey: RequestKey.parse(c.req.header('Idempotency-Key')),
    });
    return c.json({ comment: commentJson(outcome.comment), notes: outcome.notes }, outcome.created ? 201 : 200);
  });

  app.openapi(routes.answer, async (c) => {
    const outcome = await c.var.deps.invoices.comments.answer(c.req.param('id'), c.req.param('comment'), actorOf(c));
    return c.json({ comment: commentJson(outcome.comment), notes: outcome.notes }, 200);
  });

  return app;
}
