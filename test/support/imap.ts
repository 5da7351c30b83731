// A real IMAP server (Dovecot on loopback) for the ingestion tests, one per test process, with a fresh
// user per test; messages are built with nodemailer and APPENDed over IMAP like a mail server delivers them.
import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { ensureDovecot, startDovecot, type DovecotServer } from '../../scripts/lib/dovecot.js';
import type { ImapAccount } from '../../ingest/imap.js';

let server: Promise<DovecotServer> | undefined;
// Users are written before Dovecot starts: its passwd-file reload on change is not immediate enough to
// rely on between two quick tests, so each test takes the next unused one.
const USERS = Array.from({ length: 60 }, (_, i) => ({
  name: `ap-${i + 1}`,
  password: randomBytes(9).toString('base64url'),
}));
let nextUser = 0;

export function getDovecot(): Promise<DovecotServer> {
  return (server ??= (async () => {
    const started = await startDovecot({ binary: await ensureDovecot(), users: USERS, unref: true });
    process.once('beforeExit', () => void started.stop());
    return started;
  })());
}

export async function stopDovecot(): Promise<void> {
  if (!server) return;
  const s = await server;
  server = undefined;
  await s.stop();
}

/** A new mail user with an empty INBOX. */
export async function newMailAccount(): Promise<ImapAccount> {
  const dovecot = await getDovecot();
  const user = USERS[nextUser++];
  if (!user) throw new Error(`Only ${USERS.length} test mail users exist; raise the number in test/support/imap.ts.`);
  return { host: dovecot.host, port: dovecot.port, tls: false, username: user.name, password: user.password };
}

export async function withClient<T>(account: ImapAccount, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: false,
    auth: { user: account.username, pass: account.password },
    logger: false,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export async function appendRaw(account: ImapAccount, raw: Uint8Array | string, folder = 'INBOX'): Promise<void> {
  await withClient(account, async (client) => {
    await client.append(folder, typeof raw === 'string' ? raw : Buffer.from(raw));
  });
}

export interface TestMail {
  from?: string;
  subject?: string;
  messageId?: string;
  text?: string;
  html?: string;
  attachments?: {
    filename: string;
    content: Uint8Array;
    contentType?: string;
    cid?: string;
    contentDisposition?: 'attachment' | 'inline';
  }[];
}

/** RFC 822 bytes of a message, as a mail client would send it. */
export async function buildMail(mail: TestMail): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail({
    from: mail.from ?? 'billing@acme-fasteners.example',
    to: 'ap@plexsync.example',
    subject: mail.subject ?? 'Invoice',
    messageId: mail.messageId ?? `<${randomBytes(8).toString('hex')}@acme-fasteners.example>`,
    text: mail.text ?? 'Please find our invoice attached.',
    html: mail.html,
    attachments: mail.attachments?.map((a) => ({ ...a, content: Buffer.from(a.content) })),
  });
  return info.message as Buffer;
}

export async function sendMail(account: ImapAccount, mail: TestMail): Promise<Buffer> {
  const raw = await buildMail(mail);
  await appendRaw(account, raw);
  return raw;
}

/** Messages in a folder: subject and flags (the folder may not exist yet: then empty). */
export async function folderMessages(
  account: ImapAccount,
  folder: string,
): Promise<{ uid: number; subject: string; flags: string[] }[]> {
  return withClient(account, async (client) => {
    const list = await client.list();
    if (!list.some((box) => box.path === folder)) return [];
    const lock = await client.getMailboxLock(folder);
    try {
      const out: { uid: number; subject: string; flags: string[] }[] = [];
      for await (const m of client.fetch('1:*', { uid: true, envelope: true, flags: true })) {
        out.push({ uid: m.uid, subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])] });
      }
      return out;
    } finally {
      lock.release();
    }
  });
}
