// An invoice's comment thread: comments and questions (a question is answered once), each up to
// COMMENT_MAX_LENGTH characters. The rule the form, the JSON API and the store share.
export const COMMENT_MAX_LENGTH = 4000;
export type CommentKind = 'comment' | 'question';
