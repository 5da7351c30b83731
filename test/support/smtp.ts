// A real SMTP server on a loopback free port (the `smtp-server` package) for notification tests: every
// message is parsed (mailparser) and kept; faults can be queued per message: answer with an SMTP code
// (e.g. 451 or 550), or take the message and never answer (the sender times out, not knowing).
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** RCPT TO of the session. */
  to: string[];
  from: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  /** Whether the server answered 250 (false when a fault was applied after reading the message). */
  accepted: boolean;
}

export type SmtpFault = { kind: 'accept' } | { kind: 'reply'; code: number; message?: string } | { kind: 'hang' };

export interface TestSmtpServer {
  host: string;
  port: number;
  messages: ReceivedMail[];
  /** Faults applied to the next messages, in order, one per message. */
  faults: SmtpFault[];
  /** Messages (accepted or not) addressed to this recipient. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpServer(opts: { auth?: { user: string; pass: string } } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const faults: SmtpFault[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'], // plain loopback; TLS is nodemailer's business, not under test here
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    closeTimeout: 200,
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const next = faults.shift();
          const fault = next?.kind === 'accept' ? undefined : next;
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: mail.subject ?? '',
            messageId: mail.messageId ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            headers: mail.headers,
            accepted: !fault,
          });
          if (!fault) return callback();
          if (fault.kind === 'hang') return; // never answer: the client's socket timeout fires
          return callback(
            Object.assign(new Error(fault.message ?? `test fault ${fault.code}`), { responseCode: fault.code }),
          );
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    messages,
    faults,
    to: (address) => messages.filter((m) => m.to.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
