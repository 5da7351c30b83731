// A local webhook receiver on a loopback free port: records every request (headers and JSON body) and
// answers 200 unless a fault is queued — a status code, or no answer until the sender gives up.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The status answered, or null when the request was left hanging. */
  status: number | null;
}

export type HookFault = { kind: 'status'; status: number } | { kind: 'hang' };

export interface TestWebhook {
  url: string;
  requests: ReceivedHook[];
  faults: HookFault[];
  /** Requests with distinct Idempotency-Key values: what a receiver that honours the header processes. */
  distinctKeys(): string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<TestWebhook> {
  const requests: ReceivedHook[] = [];
  const faults: HookFault[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = { unparsable: Buffer.concat(chunks).toString('utf8') };
      }
      const fault = faults.shift();
      const status = !fault ? 200 : fault.kind === 'status' ? fault.status : null;
      requests.push({ headers: req.headers, body, status });
      if (status === null) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : `test fault ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/T000/B000/secret-part`,
    requests,
    faults,
    distinctKeys: () => [...new Set(requests.map((r) => String(r.headers['idempotency-key'])))],
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
