// The comment thread of an invoice (invoice_comments): comments and questions, append-only; a question is
// answered once. Mentions are resolved before the insert (domain/mentions.ts) and stored as emails.
import type { CommentKind, InvoiceComment } from '../domain/comments.js';
import type { Sql } from './client.js';

export type { CommentKind } from '../domain/comments.js';

export interface CommentRow extends InvoiceComment {
  invoiceId: string;
}

interface RawComment {
  id: string;
  invoice_id: string;
  author: string;
  body: string;
  kind: CommentKind;
  mentions: string[];
  created_at: Date;
  answered_at: Date | null;
  answered_by: string | null;
}

const toRow = (r: RawComment): CommentRow => ({
  id: String(r.id),
  invoiceId: r.invoice_id,
  author: r.author,
  body: r.body,
  kind: r.kind,
  mentions: r.mentions,
  createdAt: r.created_at,
  answeredAt: r.answered_at,
  answeredBy: r.answered_by,
});

export interface NewComment {
  invoiceId: string;
  author: string;
  body: string;
  kind: CommentKind;
  mentions: string[];
  /** A resubmitted form or API call with the same key returns the comment stored the first time. */
  requestKey?: string;
}

/** Stores the comment; `created: false` when its request key was seen before (the earlier row returned). */
export async function insertComment(sql: Sql, c: NewComment): Promise<{ comment: CommentRow; created: boolean }> {
  const [row] = await sql<RawComment[]>`
    insert into invoice_comments (invoice_id, author, body, kind, mentions, request_key)
    values (${c.invoiceId}, ${c.author}, ${c.body}, ${c.kind}, ${c.mentions}, ${c.requestKey ?? null})
    on conflict (invoice_id, request_key) do nothing
    returning *`;
  if (row) return { comment: toRow(row), created: true };
  const [earlier] = await sql<RawComment[]>`
    select * from invoice_comments where invoice_id = ${c.invoiceId} and request_key = ${c.requestKey ?? null}`;
  return { comment: toRow(earlier!), created: false };
}

/** The thread in the order it was written. */
export async function listComments(sql: Sql, invoiceId: string): Promise<CommentRow[]> {
  const rows = await sql<
    RawComment[]
  >`select * from invoice_comments where invoice_id = ${invoiceId} order by created_at, id`;
  return rows.map(toRow);
}

export async function getComment(sql: Sql, invoiceId: string, commentId: string): Promise<CommentRow | undefined> {
  if (!/^\d{1,18}$/.test(commentId)) return undefined;
  const [row] = await sql<
    RawComment[]
  >`select * from invoice_comments where invoice_id = ${invoiceId} and id = ${commentId}`;
  return row ? toRow(row) : undefined;
}

/**
 * Marks an open question answered. `answered: false` with the row when it was answered already (the first
 * answer stands), undefined when there is no such question.
 */
export async function answerQuestion(
  sql: Sql,
  invoiceId: string,
  commentId: string,
  by: string,
): Promise<{ question: CommentRow; answered: boolean } | undefined> {
  if (!/^\d{1,18}$/.test(commentId)) return undefined;
  const [row] = await sql<RawComment[]>`
    update invoice_comments set answered_at = now(), answered_by = ${by}
    where invoice_id = ${invoiceId} and id = ${commentId} and kind = 'question' and answered_at is null
    returning *`;
  if (row) return { question: toRow(row), answered: true };
  const existing = await getComment(sql, invoiceId, commentId);
  return existing?.kind === 'question' ? { question: existing, answered: false } : undefined;
}

/** Active users' emails: who an @mention can name. */
export async function activeUserEmails(sql: Sql): Promise<string[]> {
  const rows = await sql<{ email: string }[]>`select email from users where not disabled order by email`;
  return rows.map((r) => r.email);
}
