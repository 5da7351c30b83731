// The only module that talks IMAP (imapflow): connect and log in, open the watched folder, list UIDs
// after the last one handled, fetch a message, move (or flag) it, IDLE until new mail, test a connection.
import { ImapFlow } from 'imapflow';

export interface ImapAccount {
  host: string;
  port: number;
  /** TLS from the first byte; otherwise STARTTLS when offered, else plain (meant for loopback only). */
  tls: boolean;
  username: string;
  password: string;
}

export type ImapProblemKind = 'auth' | 'connect' | 'folder' | 'protocol';

export class ImapProblem extends Error {
  override name = 'ImapProblem';
  constructor(
    readonly kind: ImapProblemKind,
    message: string,
  ) {
    super(message);
  }
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ETIMEOUT', 'CONNECT_TIMEOUT']);
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'NoConnection', 'ClosedAfterConnectTLS', 'ClosedAfterConnectText']);
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT/;

/** One sentence a person can act on, per way a connection fails (shown on the admin page and the poller's status). */
function classify(err: unknown, account: ImapAccount): ImapProblem {
  if (err instanceof ImapProblem) return err;
  const e = err as { authenticationFailed?: boolean; code?: string; message?: string; responseText?: string };
  const at = `${account.host}:${account.port}`;
  const code = e.code ?? '';
  if (e.authenticationFailed)
    return new ImapProblem('auth', `The server refused the login for ${account.username} (wrong user or password).`);
  if (code === 'ENOTFOUND')
    return new ImapProblem('connect', `The host ${account.host} was not found (check the name).`);
  if (code === 'EAI_AGAIN')
    return new ImapProblem(
      'connect',
      `The host ${account.host} could not be looked up right now (DNS did not answer); try again.`,
    );
  if (code === 'ECONNREFUSED')
    return new ImapProblem(
      'connect',
      `${at} refused the connection: nothing listens on that port (IMAP is usually 993 with TLS, 143 without).`,
    );
  if (UNREACHABLE.has(code))
    return new ImapProblem('connect', `No answer from ${at} (${code}): check the host, the port and any firewall.`);
  if (code === 'GREETING_TIMEOUT') {
    return new ImapProblem(
      'connect',
      account.tls
        ? `${at} sent no IMAP greeting.`
        : `${at} sent no IMAP greeting: it probably expects TLS from the first byte (usually port 993); tick TLS.`,
    );
  }
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    /wrong version number|packet length too long/i.test(e.message ?? '')
  ) {
    return new ImapProblem(
      'connect',
      `${at} does not speak TLS from the first byte: untick TLS (STARTTLS is used when the server offers it), or use its TLS port (usually 993).`,
    );
  }
  if (CERTIFICATE.test(code))
    return new ImapProblem(
      'connect',
      `The TLS certificate of ${account.host} is not trusted (${code}): the server must present a valid certificate for this name.`,
    );
  if (DROPPED.has(code))
    return new ImapProblem(
      'connect',
      `${at} closed the connection (${code})${account.tls ? '' : '; if it expects TLS from the first byte (usually port 993), tick TLS'}.`,
    );
  return new ImapProblem('protocol', `IMAP error from ${account.host}: ${e.responseText ?? e.message ?? String(err)}`);
}

/** Log in, run `work`, always log out. Errors come out as ImapProblem. */
export async function withImap<T>(account: ImapAccount, work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: account.host,
    port: account.port,
    secure: account.tls,
    auth: { user: account.username, pass: account.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
  });
  // A dropped connection is reported as an 'error' event too; the awaited command fails on its own.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    throw classify(err, account);
  }
  try {
    return await work(client);
  } catch (err) {
    throw classify(err, account);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export interface OpenedFolder {
  uidValidity: string;
  uidNext: number;
  exists: number;
}

export async function openFolder(client: ImapFlow, folder: string): Promise<OpenedFolder> {
  try {
    const box = await client.mailboxOpen(folder);
    return { uidValidity: String(box.uidValidity), uidNext: Number(box.uidNext), exists: box.exists };
  } catch (err) {
    // Dovecot appends its timings ("(0.001 + 0.000 secs)"): noise for the person reading the reason.
    const why = ((err as { responseText?: string }).responseText ?? (err as Error).message).replace(
      /\s*\([\d.]+( \+ [\d.]+)* secs\)/,
      '',
    );
    throw new ImapProblem('folder', `Cannot open the folder "${folder}": ${why}`);
  }
}

/** UIDs above `afterUid`, oldest first (`n:*` always matches the last message, hence the filter). */
export async function uidsAfter(client: ImapFlow, afterUid: number): Promise<number[]> {
  const found = await client.search({ uid: `${afterUid + 1}:*` }, { uid: true });
  return (found || []).filter((uid) => uid > afterUid).sort((a, b) => a - b);
}

export async function fetchSource(client: ImapFlow, uid: number): Promise<Buffer | undefined> {
  const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
  return message ? message.source : undefined;
}

export const supportsIdle = (client: ImapFlow) => client.capabilities.has('IDLE');

/**
 * Move the message to `destination` (created when missing); `flag` also marks it \Flagged so a person
 * browsing the folder notices it. When the move is impossible the message stays and is flagged instead.
 */
export async function moveOrFlag(
  client: ImapFlow,
  uid: number,
  destination: string,
  flag: boolean,
): Promise<{ settled: 'moved' | 'flagged' | 'gone'; note?: string }> {
  const present = await client.search({ uid: String(uid) }, { uid: true });
  if (!present || !present.includes(uid)) return { settled: 'gone', note: 'The message was no longer in the folder.' };
  await client.messageFlagsAdd(String(uid), flag ? ['\\Seen', '\\Flagged'] : ['\\Seen'], { uid: true });
  try {
    await client.mailboxCreate(destination).catch((err: { responseText?: string; serverResponseCode?: string }) => {
      if (err.serverResponseCode !== 'ALREADYEXISTS' && !/exist/i.test(err.responseText ?? '')) throw err;
    });
    const moved = await client.messageMove(String(uid), destination, { uid: true });
    if (moved === false) throw new Error('the server refused the move');
    return { settled: 'moved' };
  } catch (err) {
    await client.messageFlagsAdd(String(uid), ['\\Flagged'], { uid: true });
    const why = (err as { responseText?: string }).responseText ?? (err as Error).message;
    return { settled: 'flagged', note: `Could not move it to "${destination}" (${why}); flagged instead.` };
  }
}

/**
 * IDLE in the open folder until a message arrives (EXISTS grows or UIDNEXT passes `uidNext`), `maxMs`
 * passes or `signal` aborts. `beat` is called every few seconds so the activity heartbeats.
 */
export async function idleUntilNewMail(
  client: ImapFlow,
  opts: { uidNext: number; maxMs: number; beat: () => void; signal: AbortSignal },
): Promise<'new_mail' | 'timeout' | 'cancelled'> {
  if (Number(client.mailbox && client.mailbox.uidNext) > opts.uidNext) return 'new_mail';
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (result: 'new_mail' | 'timeout' | 'cancelled') => {
      timers.forEach(clearTimeout);
      clearInterval(beating);
      client.off('exists', onExists);
      opts.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onExists = (event: { count: number; prevCount: number }) => {
      if (event.count > event.prevCount) finish('new_mail');
    };
    const onAbort = () => finish('cancelled');
    const beating = setInterval(opts.beat, 5_000);
    timers.push(setTimeout(() => finish('timeout'), opts.maxMs));
    client.on('exists', onExists);
    opts.signal.addEventListener('abort', onAbort);
    // idle() resolves when IDLE ends (our logout or the server); a failed IDLE ends the wait as a timeout.
    void client.idle().then(
      (ok) => ok === false && finish('timeout'),
      () => finish('timeout'),
    );
  });
}

export interface ConnectionReport {
  ok: boolean;
  problem?: string;
  messages?: number;
  idle?: boolean;
  move?: boolean;
  processedFolderExists?: boolean;
}

/** The admin page's "Test connection": log in, open the folder, report what the server can do. */
export async function testConnection(
  account: ImapAccount,
  folder: string,
  processedFolder: string,
): Promise<ConnectionReport> {
  try {
    return await withImap(account, async (client) => {
      const list = await client.list();
      const opened = await openFolder(client, folder).catch((err: unknown) => {
        const names = list.map((box) => box.path).sort();
        if (err instanceof ImapProblem)
          throw new ImapProblem(
            'folder',
            `${err.message.replace(/\.?$/, '.')} Folders on the server: ${names.join(', ') || 'none'}.`,
          );
        throw err;
      });
      return {
        ok: true,
        messages: opened.exists,
        idle: supportsIdle(client),
        move: client.capabilities.has('MOVE'),
        processedFolderExists: list.some((box) => box.path === processedFolder),
      };
    });
  } catch (err) {
    return { ok: false, problem: err instanceof ImapProblem ? err.message : String(err) };
  }
}
