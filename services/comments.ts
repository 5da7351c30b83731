// The comment thread's use cases, shared by the invoice page and the JSON API: add a comment or a question
// (mentions resolved, audited, the question handed to the invoice's workflow, mentioned users notified)
// and mark a question answered. The database row comes first and is never lost: when Temporal does not
// answer, the comment stays and the author is told what did not happen yet.
import type { Logger } from 'pino';
import { appendAudit } from '../db/audit.js';
import type { Sql } from '../db/client.js';
import {
  activeUserEmails,
  answerQuestion,
  insertComment,
  listComments,
  type CommentKind,
  type CommentRow,
} from '../db/comments.js';
import { getInvoice } from '../db/invoices.js';
import { mentionTokens, resolveMentions } from '../domain/mentions.js';
import { InvoiceInputError } from './invoices.js';
import { TemporalUnavailableError, type InvoiceProcesses } from './temporal.js';

export interface NewCommentInput {
  invoiceId: string;
  author: string;
  body: string;
  kind: CommentKind;
  requestKey?: string;
}

export interface CommentOutcome {
  comment: CommentRow;
  /** False when the same form or request was sent before: the comment stored then. */
  created: boolean;
  /** What the author should know: mentions that named nobody, a pause or a notice not arranged yet. */
  notes: string[];
}

export interface CommentService {
  list(invoiceId: string): Promise<CommentRow[]>;
  add(input: NewCommentInput): Promise<CommentOutcome>;
  answer(invoiceId: string, commentId: string, by: string): Promise<CommentOutcome>;
}

export function createCommentService(deps: { sql: Sql; processes: InvoiceProcesses; logger?: Logger }): CommentService {
  const { sql, processes } = deps;

  async function requireInvoice(invoiceId: string) {
    if (!(await getInvoice(sql, invoiceId))) throw new InvoiceInputError(404, `No invoice ${invoiceId}.`);
  }

  /** Runs a Temporal call; when Temporal is away, the note says what is still to happen. */
  async function temporal(notes: string[], what: string, call: () => Promise<unknown>) {
    try {
      await call();
    } catch (err) {
      if (!(err instanceof TemporalUnavailableError)) throw err;
      deps.logger?.warn({ err: err.message }, `comment: ${what} not done`);
      notes.push(
        `Saved, but Temporal is not answering, so ${what}. Send the same form again later to retry (it is not stored twice).`,
      );
    }
  }

  return {
    async list(invoiceId) {
      await requireInvoice(invoiceId);
      return listComments(sql, invoiceId);
    },

    async add(input) {
      await requireInvoice(input.invoiceId);
      const tokens = mentionTokens(input.body);
      const mentions = resolveMentions(tokens, tokens.length ? await activeUserEmails(sql) : []);
      const { comment, created } = await insertComment(sql, { ...input, mentions: mentions.users });
      const notes = [
        ...mentions.unknown.map((t) => `No user @${t}: it is shown as plain text and nobody was notified.`),
        ...mentions.ambiguous.map(
          (t) => `@${t} names more than one user: write the whole email address to notify one of them.`,
        ),
      ];
      // Every step below is idempotent, so a resent form completes what an interrupted one left undone.
      await appendAudit(sql, {
        eventKey: `${comment.invoiceId}:comment:${comment.id}`,
        invoiceId: comment.invoiceId,
        kind: comment.kind === 'question' ? 'comment.question_asked' : 'comment.added',
        actor: comment.author,
        data: { commentId: comment.id, text: comment.body, mentions: comment.mentions },
      });
      if (comment.kind === 'question' && !comment.answeredAt) {
        await temporal(notes, 'the escalation clock has not been stopped yet', () =>
          processes.question(comment.invoiceId, 'opened', { questionId: comment.id, actor: comment.author }),
        );
      }
      if (comment.mentions.some((m) => m !== comment.author)) {
        await temporal(notes, 'the mentioned users have not been notified yet', () =>
          processes.announce({
            key: `${comment.invoiceId}:mention:${comment.id}`,
            event: 'mention',
            invoiceId: comment.invoiceId,
            commentId: comment.id,
          }),
        );
      }
      return { comment, created, notes };
    },

    async answer(invoiceId, commentId, by) {
      await requireInvoice(invoiceId);
      const result = await answerQuestion(sql, invoiceId, commentId, by);
      if (!result) throw new InvoiceInputError(404, `Invoice ${invoiceId} has no question ${commentId}.`);
      const { question, answered } = result;
      const notes = answered
        ? []
        : [`Already marked answered by ${question.answeredBy} at ${question.answeredAt!.toISOString()}.`];
      await appendAudit(sql, {
        eventKey: `${invoiceId}:question-answered:${question.id}`,
        invoiceId,
        kind: 'comment.question_answered',
        actor: question.answeredBy!,
        data: { commentId: question.id, askedBy: question.author },
      });
      await temporal(notes, 'the escalation clock has not been started again yet', () =>
        processes.question(invoiceId, 'answered', { questionId: question.id, actor: question.answeredBy! }),
      );
      return { comment: question, created: answered, notes };
    },
  };
}
