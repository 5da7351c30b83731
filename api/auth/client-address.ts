// The client's address for login throttling: the socket's peer, or — when that peer is one of
// TRUSTED_PROXIES — the nearest untrusted address in X-Forwarded-For (a client can prepend anything to
// that header, so it is read from the right and only behind a proxy we trust).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv } from '../context.js';

export function clientAddress(c: Context<AppEnv>): string {
  let peer = 'unknown';
  try {
    peer = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // not served by @hono/node-server (app.request in tests): no socket to ask
  }
  const trusted = c.var.deps.config.web.trustedProxies;
  if (!trusted.includes(peer)) return peer;
  const hops = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.includes(hops[i]!)) return hops[i]!;
  return peer;
}
