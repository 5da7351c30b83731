// Message content for each event: email subject, plain text and HTML (hono/jsx, escaped by default),
// and the webhook payload — Slack incoming-webhook compatible (`text` + `blocks`), readable by Teams
// (`text`), plus the same facts as plain JSON fields for any other receiver.
import type { NotificationEvent } from '../db/notifications.js';
import type { JSX } from 'hono/jsx/jsx-runtime';

export interface InvoiceFacts {
  id: string;
  invoiceNumber: string | null;
  vendorName: string | null;
  poNumber: string | null;
  total: string | null;
  currency: string | null;
  status: string;
  fileName: string;
  url: string;
}

export interface InvoiceNotice {
  event: Exclude<NotificationEvent, 'digest' | 'mention'>;
  invoice: InvoiceFacts;
  reasons: string[];
}

export interface DigestNotice {
  /** The digest's day in the configured time zone, e.g. 2026-11-02. */
  day: string;
  waiting: (InvoiceFacts & { waitingSince: Date; escalated: boolean })[];
  /** All invoices waiting, when more than the list shows. */
  totalWaiting: number;
  queueUrl: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  webhookPayload: WebhookPayload;
}

export interface WebhookPayload {
  /** Slack's fallback/notification text; Teams' Incoming Webhook shows it as the message (markdown). */
  text: string;
  /** Slack Block Kit. */
  blocks: unknown[];
  /** The same facts for any other receiver. */
  event: string;
  invoice?: InvoiceFacts;
  reasons?: string[];
  digest?: {
    day: string;
    totalWaiting: number;
    invoices: (InvoiceFacts & { waitingSince: string; escalated: boolean })[];
  };
  idempotencyKey: string;
}

const HEADLINE: Record<InvoiceNotice['event'], string> = {
  escalated: 'Escalated: waiting for review past the SLA',
  sync_failed: 'Sync to Plex failed',
};

const label = (i: Pick<InvoiceFacts, 'invoiceNumber' | 'fileName'>) =>
  i.invoiceNumber ?? `(no number; file ${i.fileName})`;
const vendor = (i: Pick<InvoiceFacts, 'vendorName'>) => i.vendorName ?? 'unknown vendor';
const amount = (i: Pick<InvoiceFacts, 'total' | 'currency'>) =>
  i.total ? `${i.total}${i.currency ? ` ${i.currency}` : ''}` : '—';
// Slack mrkdwn: &, < and > must be escaped in text; links are <url|label>.
const slack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderInvoiceNotice(n: InvoiceNotice, idempotencyKey: string): RenderedMessage {
  const i = n.invoice;
  const subject = `[PlexSync] ${n.event === 'escalated' ? 'Escalated' : 'Sync failed'}: invoice ${label(i)} from ${vendor(i)}`;
  const reasonTitle = n.event === 'escalated' ? 'Why it needs review' : 'Why the sync failed';
  const text = [
    HEADLINE[n.event],
    '',
    `Invoice: ${label(i)}`,
    `Vendor: ${vendor(i)}`,
    `PO: ${i.poNumber ?? '—'}`,
    `Total: ${amount(i)}`,
    `Status: ${i.status.replace('_', ' ')}`,
    '',
    `${reasonTitle}:`,
    ...(n.reasons.length ? n.reasons.map((r) => `- ${r}`) : ['- (no reason recorded)']),
    '',
    `Open the invoice: ${i.url}`,
  ].join('\n');
  const html = htmlDocument(
    <html>
      <body>
        <h2>{HEADLINE[n.event]}</h2>
        <table>
          <tr>
            <th align="left">Invoice</th>
            <td>{label(i)}</td>
          </tr>
          <tr>
            <th align="left">Vendor</th>
            <td>{vendor(i)}</td>
          </tr>
          <tr>
            <th align="left">PO</th>
            <td>{i.poNumber ?? '—'}</td>
          </tr>
          <tr>
            <th align="left">Total</th>
            <td>{amount(i)}</td>
          </tr>
          <tr>
            <th align="left">Status</th>
            <td>{i.status.replace('_', ' ')}</td>
          </tr>
        </table>
        <h3>{reasonTitle}</h3>
        <ul>{n.reasons.length ? n.reasons.map((r) => <li>{r}</li>) : <li>(no reason recorded)</li>}</ul>
        <p>
          <a href={i.url}>Open the invoice in PlexSync</a>
        </p>
      </body>
    </html>,
  );
  const summary = `${n.event === 'escalated' ? ':warning: Escalated' : ':x: Sync failed'}: invoice ${label(i)} from ${vendor(i)} (PO ${i.poNumber ?? '—'}, ${amount(i)})`;
  const webhookPayload: WebhookPayload = {
    text: `${summary}. ${n.reasons.join(' ')} ${i.url}`.trim(),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slack(summary)}*` } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: n.reasons.map((r) => `• ${slack(r)}`).join('\n') || '(no reason recorded)' },
      },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open invoice' }, url: i.url }],
      },
    ],
    event: `invoice.${n.event}`,
    invoice: i,
    reasons: n.reasons,
    idempotencyKey,
  };
  return { subject, text, html, webhookPayload };
}

export interface MentionNotice {
  invoice: InvoiceFacts;
  /** Who wrote the comment (an email, or token:<name>). */
  author: string;
  body: string;
  question: boolean;
}

/** Longer comments are cut here in messages; the whole thread is on the invoice page. */
const MENTION_EXCERPT = 600;

export function renderMention(n: MentionNotice, idempotencyKey: string): RenderedMessage {
  const i = n.invoice;
  const what = n.question ? 'asked you a question' : 'mentioned you';
  const subject = `[PlexSync] ${n.author} ${what} on invoice ${label(i)} from ${vendor(i)}`;
  const excerpt = n.body.length > MENTION_EXCERPT ? `${n.body.slice(0, MENTION_EXCERPT)}…` : n.body;
  const text = [
    `${n.author} ${what} on invoice ${label(i)} (${vendor(i)}, PO ${i.poNumber ?? '—'}, ${amount(i)}):`,
    '',
    ...excerpt.split('\n').map((l) => `> ${l}`),
    '',
    ...(n.question ? ['Until someone marks the question answered, the invoice does not escalate.', ''] : []),
    `Open the invoice: ${i.url}#comments`,
  ].join('\n');
  const html = htmlDocument(
    <html>
      <body>
        <p>
          {n.author} {what} on invoice <strong>{label(i)}</strong> ({vendor(i)}, PO {i.poNumber ?? '—'}, {amount(i)}):
        </p>
        <blockquote style="white-space: pre-wrap">{excerpt}</blockquote>
        {n.question && <p>Until someone marks the question answered, the invoice does not escalate.</p>}
        <p>
          <a href={`${i.url}#comments`}>Open the invoice in PlexSync</a>
        </p>
      </body>
    </html>,
  );
  const summary = `${n.author} ${what} on invoice ${label(i)} from ${vendor(i)}`;
  const webhookPayload: WebhookPayload = {
    text: `${summary}: ${excerpt} ${i.url}#comments`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slack(summary)}*` } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: excerpt
            .split('\n')
            .map((l) => `> ${slack(l)}`)
            .join('\n'),
        },
      },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open invoice' }, url: `${i.url}#comments` }],
      },
    ],
    event: n.question ? 'invoice.question' : 'invoice.mention',
    invoice: i,
    idempotencyKey,
  };
  return { subject, text, html, webhookPayload };
}

export function renderDigest(d: DigestNotice, idempotencyKey: string): RenderedMessage {
  const escalated = d.waiting.filter((w) => w.escalated).length;
  const subject = `[PlexSync] Daily digest ${d.day}: ${d.totalWaiting} invoice${d.totalWaiting === 1 ? '' : 's'} waiting for review${escalated ? ` (${escalated} escalated)` : ''}`;
  const rest = (w: DigestNotice['waiting'][number]) =>
    `${vendor(w)} · PO ${w.poNumber ?? '—'} · ${amount(w)} · waiting since ${w.waitingSince.toISOString().slice(0, 16).replace('T', ' ')} UTC${w.escalated ? ' · ESCALATED' : ''}`;
  const line = (w: DigestNotice['waiting'][number]) => `${label(w)} · ${rest(w)}`;
  const more = d.totalWaiting > d.waiting.length ? `…and ${d.totalWaiting - d.waiting.length} more in the queue.` : '';
  const text = [
    `${d.totalWaiting} invoice(s) wait for review (oldest first):`,
    '',
    ...d.waiting.map((w) => `- ${line(w)}\n  ${w.url}`),
    ...(more ? ['', more] : []),
    '',
    `Review queue: ${d.queueUrl}`,
  ].join('\n');
  const html = htmlDocument(
    <html>
      <body>
        <h2>
          {d.totalWaiting} invoice{d.totalWaiting === 1 ? '' : 's'} waiting for review
        </h2>
        <ul>
          {d.waiting.map((w) => (
            <li>
              <a href={w.url}>{label(w)}</a> · {rest(w)}
            </li>
          ))}
        </ul>
        {more && <p>{more}</p>}
        <p>
          <a href={d.queueUrl}>Open the review queue</a>
        </p>
      </body>
    </html>,
  );
  const webhookPayload: WebhookPayload = {
    text: `PlexSync digest ${d.day}: ${d.totalWaiting} invoice(s) waiting for review${escalated ? `, ${escalated} escalated` : ''}. ${d.queueUrl}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slack(subject.replace('[PlexSync] ', ''))}*` } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            d.waiting
              .slice(0, 20)
              .map((w) => `• <${w.url}|${slack(label(w))}> · ${slack(rest(w))}`)
              .join('\n') + (more ? `\n${slack(more)}` : ''),
        },
      },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the queue' }, url: d.queueUrl }],
      },
    ],
    event: 'digest',
    digest: {
      day: d.day,
      totalWaiting: d.totalWaiting,
      invoices: d.waiting.map((w) => ({ ...w, waitingSince: w.waitingSince.toISOString() })),
    },
    idempotencyKey,
  };
  return { subject, text, html, webhookPayload };
}

/** An e-mail's HTML: the doctype and the rendered page (e-mail templates have no async parts). */
function htmlDocument(page: JSX.Element): string {
  if (page instanceof Promise) throw new Error('An e-mail template rendered asynchronously.');
  return `<!doctype html>${page.toString()}`;
}
