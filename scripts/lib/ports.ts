// Local TCP ports for the dev and test servers: pick a free one, prefer a well-known one, wait for release.
import net from 'node:net';

/** A port the OS says is free right now (bind to 0, read it back, release it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The preferred port when it is free; otherwise says so (what wanted it, which port it got instead, how
 * to choose) and takes a free one, so a bookmark that stops working is explained, not a mystery.
 */
export async function choosePort(
  what: string,
  preferred: number,
  setWith?: string,
  avoid: number[] = [],
  log = (line: string) => console.error(line),
): Promise<number> {
  if (!avoid.includes(preferred) && (await isPortFree(preferred))) return preferred;
  let port = await freePort();
  while (avoid.includes(port)) port = await freePort();
  log(
    `Port ${preferred} (${what}) is taken by another program, so ${what} uses port ${port} this time.${setWith ? ` Set ${setWith} to choose, or free port ${preferred}.` : ` Free port ${preferred} to get it back.`}`,
  );
  return port;
}

/** True when something accepts TCP connections on host:port. */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
