// Request bodies are limited per route and refused before they are read: a 10 MB POST to /login must not
// be received (let alone buffered) by the web process, while uploads keep their MAX_UPLOAD_BYTES limit.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { FORM_BODY_BYTES, LOGIN_BODY_BYTES } from '../../api/body-limits.js';
import { withStack, type Stack } from '../../testkit/stack.js';

let stack: Stack;
withStack({ worker: false }, (started) => (stack = started));

interface RawReply {
  status: number;
  head: string;
  /** The server closed the connection after answering (it will not read the rest of the body). */
  closed: Promise<void>;
}

/**
 * Sends the request head and only the first `sentBytes` of the body, then waits for the answer without
 * sending more: a server that needs the whole body before answering never answers, and the test fails.
 */
function postPartially(path: string, headers: Record<string, string>, firstPart: Buffer): Promise<RawReply> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let received = '';
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.setTimeout(30_000, () => {
      socket.destroy();
      reject(new Error(`no answer to a partly sent body on ${path}: the server waits for the whole body`));
    });
    socket.on('error', () => undefined); // the server may reset the connection after answering
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.setTimeout(0);
      const head = received.slice(0, end);
      resolve({ status: Number(head.split(' ')[1]), head, closed });
    });
    const lines = [
      `POST ${path} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(lines.join('\r\n') + '\r\n\r\n');
    socket.write(firstPart);
  });
}

const TEN_MB = 10 * 1024 * 1024;
const formPart = (bytes: number) => Buffer.from(`email=a%40b.c&password=${'x'.repeat(bytes)}`);

describe('request body limits', () => {
  test('a 10 MB POST to /login is refused with 413 from its Content-Length, before the body is sent', async () => {
    const reply = await postPartially(
      '/login',
      { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(TEN_MB) },
      formPart(64 * 1024),
    );
    assert.equal(reply.status, 413, reply.head);
    assert.match(reply.head, /connection: close/i);
    await reply.closed; // the rest of the 10 MB is never read
  });

  test('a chunked POST to /login is refused with 413 once it passes the login limit, without the rest', async () => {
    const chunk = formPart(LOGIN_BODY_BYTES * 2);
    const firstChunk = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const reply = await postPartially(
      '/login',
      { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' },
      firstChunk,
    );
    assert.equal(reply.status, 413, reply.head);
    await reply.closed;
  });

  test('page forms are limited to a few tens of KB and the JSON API to about 1 MB', async () => {
    const form = await postPartially(
      '/invoices/x/review',
      { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(FORM_BODY_BYTES + 1) },
      Buffer.from('a=1'),
    );
    assert.equal(form.status, 413, form.head);
    const json = await postPartially(
      '/api/invoices/x/review',
      {
        'Content-Type': 'application/json',
        'Content-Length': String(2 * 1024 * 1024),
        Authorization: `Bearer ${stack.token}`,
      },
      Buffer.from('{"a":'),
    );
    assert.equal(json.status, 413, json.head);
  });

  test('an upload may be larger than a form: a 10 MB file is read and judged by the per-file limit', async () => {
    const res = await stack.upload([{ name: 'big.pdf', bytes: new Uint8Array(TEN_MB) }]);
    assert.notEqual(res.status, 413, await res.clone().text());
    const tooBig = await stack.upload([
      { name: 'huge.pdf', bytes: new Uint8Array(stack.config.web.maxUploadBytes + 1) },
    ]);
    assert.equal(tooBig.status, 413);
    assert.match(((await tooBig.json()) as { error: { message: string } }).error.message, /limit/);
  });
});
