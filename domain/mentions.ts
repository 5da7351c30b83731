// @mentions in a comment: `@` and a user's email (`@ana@example.com`) or, when only one active user has
// it, the email's local part (`@ana`). Pure functions: the caller passes the users to resolve against.

/** `@` not glued to a preceding word (so a plain address `ana@example.com` is not a mention). */
const MENTION = /(?<![\w.+-])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)/g;

/** What was written after each `@`, in order, without trailing punctuation (`@ana.` → `ana`). */
export function mentionTokens(body: string): string[] {
  return [...body.matchAll(MENTION)].map((m) => trimTrailing(m[1]!)).filter((t) => t.length > 0);
}

export interface ResolvedMentions {
  /** The mentioned users' emails, each once, in the order first mentioned. */
  users: string[];
  /** Tokens that name nobody (or, as a bare local part, more than one user): shown as plain text. */
  unknown: string[];
  /** Bare local parts several active users share; the author should write the whole email. */
  ambiguous: string[];
}

/** Resolves the tokens against the active users' emails (lower case). */
export function resolveMentions(tokens: string[], activeEmails: readonly string[]): ResolvedMentions {
  const byEmail = new Set(activeEmails.map((e) => e.toLowerCase()));
  const byLocal = new Map<string, string[]>();
  for (const email of byEmail) {
    const local = email.slice(0, email.lastIndexOf('@'));
    byLocal.set(local, [...(byLocal.get(local) ?? []), email]);
  }
  const users: string[] = [];
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  const add = (list: string[], v: string) => list.includes(v) || list.push(v);
  for (const token of tokens) {
    const t = token.toLowerCase();
    if (t.includes('@')) {
      if (byEmail.has(t)) add(users, t);
      else add(unknown, token);
      continue;
    }
    const matches = byLocal.get(t) ?? [];
    if (matches.length === 1) add(users, matches[0]!);
    else if (matches.length > 1) add(ambiguous, token);
    else add(unknown, token);
  }
  return { users, unknown, ambiguous };
}

export type BodySegment = { text: string } | { mention: string; email: string };

/**
 * The comment's text cut into plain text and the mentions that named a user (as stored with it), for
 * showing. Anything else after an `@` stays plain text.
 */
export function bodySegments(body: string, mentioned: readonly string[]): BodySegment[] {
  const resolved = resolveMentions(mentionTokens(body), mentioned);
  const segments: BodySegment[] = [];
  let at = 0;
  for (const m of body.matchAll(MENTION)) {
    const token = trimTrailing(m[1]!);
    const email = resolveMentions([token], mentioned).users[0];
    if (!email || !resolved.users.includes(email)) continue;
    const start = m.index;
    if (start > at) segments.push({ text: body.slice(at, start) });
    segments.push({ mention: `@${token}`, email });
    at = start + 1 + token.length;
  }
  if (at < body.length) segments.push({ text: body.slice(at) });
  return segments;
}

const trimTrailing = (token: string) => token.replace(/[._%+-]+$/, '');
