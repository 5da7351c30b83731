// The invoice's comment thread: comments and questions in the order written (who, when, text — always
// text, mentions of users set off), "Mark answered" on an open question, and the form to add one. Plain
// form posts that htmx upgrades to swapping this section; the new comment (or the notes) takes the focus.
import { randomUUID } from 'node:crypto';
import { COMMENT_MAX_LENGTH, type InvoiceComment } from '../domain/comments.js';
import { bodySegments } from '../domain/mentions.js';
import { CsrfField } from './layout.js';

export interface CommentThreadProps {
  invoiceId: string;
  comments: InvoiceComment[];
  csrfToken?: string;
  /** The viewer may comment, ask and answer (invoices:comment). */
  canComment: boolean;
  /** QUESTIONS_PAUSE_ESCALATION: what an open question does, said next to it. */
  questionsPause: boolean;
  /** What the author should know after posting (unknown mentions, Temporal away). */
  notes?: string[];
  error?: string;
  /** The comment to focus (just posted or answered). */
  focusId?: string;
  /** The text to put back in the form after a refused post. */
  draft?: string;
  /** htmx's answer to a post: the form starts empty (the page's own refresh keeps a draft instead). */
  fragment?: boolean;
}

const when = (d: Date) => <time datetime={d.toISOString()}>{d.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>;

export function CommentThread(p: CommentThreadProps) {
  const open = p.comments.filter((c) => c.kind === 'question' && !c.answeredAt).length;
  const base = `/invoices/${encodeURIComponent(p.invoiceId)}/comments`;
  const swap = { 'hx-target': '#comments', 'hx-swap': 'outerHTML' };
  return (
    <section class="card comments" id="comments" aria-labelledby="comments-h">
      <h2 id="comments-h">Comments and questions</h2>
      {open > 0 && (
        <p class="flash hold" role="status">
          {open === 1 ? '1 open question' : `${open} open questions`}
          {p.questionsPause
            ? ': the escalation clock stands still until it is answered.'
            : ' (questions do not pause escalation here).'}
        </p>
      )}
      {p.error && (
        <p class="flash error" role="alert" tabindex={-1} autofocus={!p.focusId}>
          {p.error}
        </p>
      )}
      {p.notes && p.notes.length > 0 && (
        <ul class="flash error comment-notes" role="status">
          {p.notes.map((n) => (
            <li>{n}</li>
          ))}
        </ul>
      )}
      {p.comments.length === 0 ? (
        <p class="meta">No comments yet.</p>
      ) : (
        <ol class="thread">
          {p.comments.map((c) => (
            <li id={`comment-${c.id}`} class={c.kind} tabindex={-1} autofocus={c.id === p.focusId}>
              <p class="meta">
                <strong>{c.author}</strong> {c.kind === 'question' && <span class="badge">question</span>}{' '}
                {when(c.createdAt)}
              </p>
              <p class="comment-body">
                {bodySegments(c.body, c.mentions).map((s) =>
                  'mention' in s ? (
                    <strong class="mention" title={s.email}>
                      {s.mention}
                    </strong>
                  ) : (
                    s.text
                  ),
                )}
              </p>
              {c.kind === 'question' &&
                (c.answeredAt ? (
                  <p class="meta">
                    Answered — marked by {c.answeredBy} {when(c.answeredAt)}
                  </p>
                ) : (
                  p.canComment && (
                    <form method="post" action={`${base}/${c.id}/answer`} hx-post={`${base}/${c.id}/answer`} {...swap}>
                      <CsrfField token={p.csrfToken} />
                      <button type="submit" aria-describedby={`comment-${c.id}-by`}>
                        Mark answered
                      </button>
                      <span id={`comment-${c.id}-by`} hidden>
                        the question by {c.author}
                      </span>
                    </form>
                  )
                ))}
            </li>
          ))}
        </ol>
      )}
      {p.canComment && (
        <form method="post" action={base} hx-post={base} {...swap} class="comment-form">
          <CsrfField token={p.csrfToken} />
          {/* One key per form shown: the same form sent twice stores one comment. */}
          <input type="hidden" name="requestKey" value={randomUUID()} />
          <p>
            <label for="comment-body">Add a comment or a question</label>
            <textarea
              id="comment-body"
              name="body"
              rows={3}
              maxlength={COMMENT_MAX_LENGTH}
              required
              aria-describedby="comment-hint"
              hx-preserve={p.fragment ? undefined : 'true'}
            >
              {p.draft ?? ''}
            </textarea>
            <span id="comment-hint" class="meta">
              Mention someone with @ and their email, or the part before the @ when only one user has it: they are told
              by email.
            </span>
          </p>
          <p>
            <input type="checkbox" id="comment-question" name="kind" value="question" />{' '}
            <label for="comment-question">
              Question — {p.questionsPause ? 'pauses escalation until answered' : 'marked open until answered'}
            </label>
          </p>
          <button type="submit">Post</button>
        </form>
      )}
    </section>
  );
}
