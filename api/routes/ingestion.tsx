// The Ingestion admin page (admins only): add and edit mailboxes (the password is stored encrypted and
// never shown again), test a mailbox's connection, see each poller's last status, the watched folder and
// the ingestion log. Changes are audited and wake the mailbox's poller. Also the invoice page's "Source" box.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  folderStatus,
  getMailbox,
  insertMailbox,
  listMailboxes,
  recentFiles,
  recentMessages,
  updateMailbox,
  invoiceSource,
  type MailboxRow,
  type MailboxSettings,
} from '../../db/ingestion.js';
import { MailboxId } from '../../domain/ingest.js';
import { testConnection, type ConnectionReport } from '../../ingest/imap.js';
import { createSecretBox } from '../../ingest/secret.js';
import type { PageContext } from '../../views/layout.js';
import {
  ConnectionResult,
  IngestionPage,
  InvoiceSourceBox,
  MailboxEditPage,
  type MailboxFormValues,
} from '../../views/ingestion.js';
import { requirePermission } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { auditAdmin, issuesText } from './admin.js';
import { fieldText } from './forms.js';
import {
  connectionResult,
  connectionText,
  fileLogItem,
  mailboxFormValues,
  mailboxItem,
  messageLogItem,
  pageContext,
} from '../view-models.js';

const SENDER = /^(@[^@\s]+\.[^@\s]+|[^@\s]+@[^@\s]+\.[^@\s]+)$/;
const checkbox = z.preprocess((v) => v === 'on' || v === 'true', z.boolean());
const text = (label: string, max = 200) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} is too long.`);

const MailboxFields = z.object({
  name: text('Name', 100),
  host: text('Host', 253).regex(/^[A-Za-z0-9.-]+$/, 'The host is a name like imap.example.com or an address.'),
  port: z.coerce
    .number({ error: 'The port must be a number.' })
    .int()
    .min(1, 'The port is 1–65535.')
    .max(65535, 'The port is 1–65535.'),
  tls: checkbox,
  username: text('User'),
  folder: text('Folder'),
  processedFolder: text('Processed folder'),
  allowedSenders: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(/[,\s]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((s) => SENDER.test(s)),
      'Allowed senders are addresses (name@vendor.com) or domains (@vendor.com).',
    ),
  enabled: checkbox,
  password: z.string().max(500, 'The password is too long.').default(''),
});

/** What "Test connection" on the add and edit forms needs, as typed (the name, senders and enabled do not matter to it). */
const ConnectionFields = MailboxFields.pick({
  host: true,
  port: true,
  tls: true,
  username: true,
  folder: true,
  processedFolder: true,
  password: true,
});
type ConnectionFields = z.infer<typeof ConnectionFields>;

const formOf = (body: Record<string, unknown>): MailboxFormValues => ({
  id: fieldText(body.id),
  name: fieldText(body.name),
  host: fieldText(body.host),
  port: fieldText(body.port),
  tls: body.tls === 'on',
  username: fieldText(body.username),
  folder: fieldText(body.folder),
  processedFolder: fieldText(body.processedFolder),
  allowedSenders: fieldText(body.allowedSenders),
  enabled: body.enabled === 'on',
});

export function ingestionRoutes() {
  const app = new Hono<AppEnv>();
  const secretsOf = (c: Context<AppEnv>) => createSecretBox(c.var.deps.config.ingest.secretKey);

  const page = async (
    c: Context<AppEnv>,
    status: 200 | 404 | 409 | 422,
    flash?: PageContext['flash'],
    form?: MailboxFormValues,
  ) => {
    const { sql, config } = c.var.deps;
    const folderPath = config.ingest.folder?.path;
    return c.html(
      <IngestionPage
        ctx={pageContext(c, flash)}
        mailboxes={(await listMailboxes(sql)).map(mailboxItem)}
        folder={folderPath ? { path: folderPath, status: await folderStatus(sql, folderPath) } : undefined}
        messages={(await recentMessages(sql)).map(messageLogItem)}
        files={(await recentFiles(sql)).map(fileLogItem)}
        form={form}
        canStorePasswords={Boolean(secretsOf(c))}
      />,
      status,
    );
  };
  const DONE: Record<string, string> = {
    added: 'Mailbox added; its poller is starting.',
    saved: 'Mailbox saved; the poller uses it from its next round.',
  };

  /** Start the poller (or wake it to see the change); a web app without Temporal access leaves it to the worker's next start. */
  const wake = async (c: Context<AppEnv>, mailboxId: string) => {
    try {
      await c.var.deps.ingest?.startMailbox(mailboxId);
    } catch (err) {
      c.var.deps.logger.warn(
        { err, mailboxId },
        'could not start the mailbox poller; the worker starts it on its next start',
      );
    }
  };

  app.get('/admin/ingestion', requirePermission('ingestion:manage'), (c) => {
    const done = c.req.query('done');
    return page(c, 200, done && DONE[done] ? { kind: 'ok', text: DONE[done] } : undefined);
  });

  app.post('/admin/ingestion/mailboxes', requirePermission('ingestion:manage'), async (c) => {
    const body = await c.req.parseBody();
    const form = formOf(body);
    const secrets = secretsOf(c);
    if (!secrets)
      return page(c, 409, { kind: 'error', text: 'Set INGEST_SECRET_KEY to store mailbox passwords.' }, form);
    const id = MailboxId.safeParse(body.id);
    const fields = MailboxFields.safeParse(body);
    if (!id.success || !fields.success)
      return page(
        c,
        422,
        {
          kind: 'error',
          text: [id.error, fields.error]
            .filter(Boolean)
            .map((e) => issuesText(e!))
            .join(' '),
        },
        form,
      );
    const { password, ...settings } = fields.data;
    if (!password) return page(c, 422, { kind: 'error', text: 'Enter the mailbox password.' }, form);
    const mailbox: MailboxSettings = { id: id.data, ...settings };
    if (!(await insertMailbox(c.var.deps.sql, mailbox, secrets.seal(password)))) {
      return page(c, 409, { kind: 'error', text: `A mailbox with the id ${id.data} already exists.` }, form);
    }
    await auditAdmin(c, 'ingest.mailbox_added', id.data, { mailboxId: id.data, ...settings });
    await wake(c, id.data);
    return c.redirect('/admin/ingestion?done=added');
  });

  const editable = async (c: Context<AppEnv>): Promise<MailboxRow | undefined> => {
    const mailbox = await getMailbox(c.var.deps.sql, c.req.param('id') ?? '');
    return mailbox && !mailbox.fromEnv ? mailbox : undefined;
  };

  app.get('/admin/ingestion/mailboxes/:id', requirePermission('ingestion:manage'), async (c) => {
    const mailbox = await editable(c);
    if (!mailbox)
      return page(c, 404, {
        kind: 'error',
        text: 'No such mailbox (mailboxes from the environment are changed there).',
      });
    return c.html(
      <MailboxEditPage
        ctx={pageContext(c)}
        values={mailboxFormValues(mailbox)}
        hasPassword={Boolean(mailbox.passwordEncrypted)}
        canStorePasswords={Boolean(secretsOf(c))}
      />,
    );
  });

  app.post('/admin/ingestion/mailboxes/:id', requirePermission('ingestion:manage'), async (c) => {
    const before = await editable(c);
    if (!before)
      return page(c, 404, {
        kind: 'error',
        text: 'No such mailbox (mailboxes from the environment are changed there).',
      });
    const body = await c.req.parseBody();
    const secrets = secretsOf(c);
    const fields = MailboxFields.safeParse(body);
    const renderError = (status: 409 | 422, message: string) =>
      c.html(
        <MailboxEditPage
          ctx={pageContext(c, { kind: 'error', text: message })}
          values={{ ...formOf(body), id: before.id }}
          hasPassword={Boolean(before.passwordEncrypted)}
          canStorePasswords={Boolean(secrets)}
        />,
        status,
      );
    if (!secrets) return renderError(409, 'Set INGEST_SECRET_KEY to store mailbox passwords.');
    if (!fields.success) return renderError(422, issuesText(fields.error));
    const { password, ...settings } = fields.data;
    await updateMailbox(c.var.deps.sql, { id: before.id, ...settings }, password ? secrets.seal(password) : undefined);
    const changed = Object.fromEntries(
      Object.entries(settings)
        .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof MailboxRow]))
        .map(([k, v]) => [k, { from: before[k as keyof MailboxRow], to: v }]),
    );
    await auditAdmin(c, 'ingest.mailbox_changed', before.id, {
      mailboxId: before.id,
      changes: changed,
      passwordChanged: Boolean(password),
    });
    await wake(c, before.id);
    return c.redirect('/admin/ingestion?done=saved');
  });

  /**
   * Test the settings as typed on the add or edit form (before saving them): the typed password, or the
   * saved one when it was left empty on the edit form. Audited like the saved mailbox's test, without the
   * password. htmx gets the result fragment; without JavaScript the form comes back with the result.
   */
  const testTyped = async (c: Context<AppEnv>, body: Record<string, unknown>, saved?: MailboxRow) => {
    const fields = ConnectionFields.safeParse(body);
    const typedId = saved?.id ?? (MailboxId.safeParse(body.id).success ? String(body.id) : undefined);
    let report: ConnectionReport;
    let tested: Omit<ConnectionFields, 'password'> | undefined;
    if (!fields.success) {
      report = { ok: false, problem: `Not tested: ${issuesText(fields.error)}` };
    } else {
      const { password: typedPassword, ...account } = fields.data;
      tested = account;
      let password: string | undefined = typedPassword || undefined;
      let problem: string | undefined;
      if (!password && saved?.passwordEncrypted) {
        const secrets = secretsOf(c);
        if (!secrets)
          problem =
            'Not tested: INGEST_SECRET_KEY is not set for the web app, so the saved password cannot be read; type the password.';
        else {
          try {
            password = secrets.open(saved.passwordEncrypted);
          } catch (err) {
            problem = `Not tested: ${(err as Error).message}`;
          }
        }
      }
      if (!password && !problem) problem = 'Not tested: enter the mailbox password.';
      report =
        problem || !password
          ? { ok: false, problem }
          : await testConnection(
              { host: account.host, port: account.port, tls: account.tls, username: account.username, password },
              account.folder,
              account.processedFolder,
            );
    }
    await auditAdmin(c, 'ingest.mailbox_tested', typedId ?? 'unsaved', {
      mailboxId: typedId ?? null,
      asTyped: true,
      saved: Boolean(saved),
      ...tested,
      ok: report.ok,
      problem: report.problem,
    });
    if (c.req.header('HX-Request')) return c.html(<ConnectionResult {...connectionResult(report)} />);
    const flash = { kind: report.ok ? 'ok' : 'error', text: connectionText(report) } as const;
    if (!saved) return page(c, 200, flash, formOf(body));
    return c.html(
      <MailboxEditPage
        ctx={pageContext(c, flash)}
        values={{ ...formOf(body), id: saved.id }}
        hasPassword={Boolean(saved.passwordEncrypted)}
        canStorePasswords={Boolean(secretsOf(c))}
      />,
    );
  };

  // Registered apart from /admin/ingestion/mailboxes/:id: "test" is a valid mailbox id.
  app.post('/admin/ingestion/test-connection', requirePermission('ingestion:manage'), async (c) =>
    testTyped(c, await c.req.parseBody()),
  );

  app.post('/admin/ingestion/mailboxes/:id/test', requirePermission('ingestion:manage'), async (c) => {
    const { sql, config } = c.var.deps;
    const mailbox = await getMailbox(sql, c.req.param('id'));
    if (!mailbox) return c.text('No such mailbox.', 404);
    // From the edit form: the values as typed. From the mailbox list: the saved mailbox.
    const body = await c.req.parseBody();
    if ('host' in body) {
      if (mailbox.fromEnv) return c.text('Mailboxes from the environment are changed there.', 409);
      return testTyped(c, body, mailbox);
    }
    let password: string | undefined;
    try {
      password = mailbox.fromEnv
        ? config.ingest.envMailbox?.password
        : mailbox.passwordEncrypted
          ? secretsOf(c)?.open(mailbox.passwordEncrypted)
          : undefined;
    } catch (err) {
      return c.html(<ConnectionResult {...connectionResult({ ok: false, problem: (err as Error).message })} />);
    }
    const report = password
      ? await testConnection(
          { host: mailbox.host, port: mailbox.port, tls: mailbox.tls, username: mailbox.username, password },
          mailbox.folder,
          mailbox.processedFolder,
        )
      : {
          ok: false,
          problem: mailbox.fromEnv
            ? 'INGEST_IMAP_PASSWORD is not set for the web app.'
            : 'INGEST_SECRET_KEY is not set for the web app, so the saved password cannot be read.',
        };
    await auditAdmin(c, 'ingest.mailbox_tested', mailbox.id, {
      mailboxId: mailbox.id,
      ok: report.ok,
      problem: report.problem,
    });
    if (c.req.header('HX-Request')) return c.html(<ConnectionResult {...connectionResult(report)} />);
    return page(c, 200, { kind: report.ok ? 'ok' : 'error', text: `${mailbox.name}: ${connectionText(report)}` });
  });

  // "Poll now": the poller lists the mailbox at once (ending its IDLE or poll-interval wait) and adopts the
  // current poll settings; a poller that is not running is started.
  app.post('/admin/ingestion/mailboxes/:id/poll', requirePermission('ingestion:manage'), async (c) => {
    const { sql, ingest, logger } = c.var.deps;
    const mailbox = await getMailbox(sql, c.req.param('id'));
    if (!mailbox) return c.text('No such mailbox.', 404);
    let result: { ok: boolean; text: string };
    if (!mailbox.enabled) result = { ok: false, text: `${mailbox.name} is disabled; enable it to poll it.` };
    else if (!ingest)
      result = { ok: false, text: 'This web app has no connection to Temporal, so it cannot wake the poller.' };
    else {
      try {
        await ingest.startMailbox(mailbox.id);
        result = {
          ok: true,
          text: `${mailbox.name}: polling now; new messages show in the ingestion log below as they are taken.`,
        };
      } catch (err) {
        logger.warn({ err, mailboxId: mailbox.id }, 'could not wake the mailbox poller');
        result = { ok: false, text: `Could not wake the poller of ${mailbox.name}: ${(err as Error).message}` };
      }
    }
    await auditAdmin(c, 'ingest.mailbox_poll_requested', mailbox.id, {
      mailboxId: mailbox.id,
      ok: result.ok,
      problem: result.ok ? undefined : result.text,
    });
    if (c.req.header('HX-Request')) return c.html(<ConnectionResult {...result} />);
    return page(c, 200, { kind: result.ok ? 'ok' : 'error', text: result.text });
  });

  // The invoice page loads this box: where the invoice came from (email or watched folder).
  app.get('/invoices/:id/source', requirePermission('invoices:read'), async (c) =>
    c.html(<InvoiceSourceBox source={await invoiceSource(c.var.deps.sql, c.req.param('id'))} />),
  );

  return app;
}
