// Preloaded (node --import) into a process to prove it works offline: every way out to the network throws,
// in the main thread and in every worker thread (preloads run in workers too), and says so on stderr.
import net from 'node:net';
import { isMainThread } from 'node:worker_threads';

const blocked = (what: string) => () => {
  const message = `network blocked: ${what} in the ${isMainThread ? 'main thread' : 'worker thread'}`;
  process.stderr.write(`${message}\n`);
  throw new Error(message);
};
globalThis.fetch = blocked('fetch');
net.Socket.prototype.connect = blocked('socket connect');
net.connect = blocked('net.connect');
net.createConnection = blocked('net.createConnection');
