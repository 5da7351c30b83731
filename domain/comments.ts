// An invoice's comment thread: comments and questions (a question is answered once), each up to
// COMMENT_MAX_LENGTH characters. The rule the form, the JSON API and the store share, and the comment as
// the store returns it and the page shows it.
export const COMMENT_MAX_LENGTH = 4000;
export type CommentKind = 'comment' | 'question';

/** One comment or question of an invoice's thread; `mentions`: the emails of the users it names. */
export interface InvoiceComment {
  id: string;
  author: string;
  body: string;
  kind: CommentKind;
  mentions: string[];
  createdAt: Date;
  answeredAt: Date | null;
  answeredBy: string | null;
}
