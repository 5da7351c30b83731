// DEV/TEST DOUBLE OF PLEX — not Plex. Starts the Plex Connect simulator: a Hono app on
// @hono/node-server serving the Plex endpoints PlexSync uses (routes.ts) plus simulator-only admin
// endpoints under /__admin (admin.ts). Tests start it on 127.0.0.1 port 0 and drive it through `store`.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { adminRoutes } from './admin.js';
import { plexRoutes, type SimEnv } from './routes.js';
import { plexError } from './ap-invoice-write.js';
import { persistState, restoreState } from './persist.js';
import { DEFAULT_SETTINGS, SimulatorStore, type SimulatorSettings } from './store.js';
import type { SeedDataset } from './seed.js';

export { SimulatorStore } from './store.js';
export type { FaultKnobs, FaultRoute, SimRoute, SimulatorSettings, WriteRecord } from './store.js';
export { DEV_PURCHASE_ORDERS, DEV_SUPPLIERS, type DevPurchaseOrder } from './seed.js';

export interface PlexSimulatorOptions {
  /** Default 127.0.0.1 (loopback): a test double has no business on a network. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The only key accepted in X-Plex-Connect-Api-Key. */
  apiKey: string;
  /** Default 'dev'. */
  seed?: SeedDataset;
  /**
   * Keep the records in this file between runs (dev mode): read at start instead of the seed when it
   * exists, saved about once a second after a change and on close.
   */
  stateFile?: string;
  /** Per-key budget; default 200 per rolling window. */
  rateLimitPerMinute?: number;
  /** Rolling window for rateLimitPerMinute; default 60 000 ms. */
  rateWindowMs?: number;
  /** Accept PATCH like PUT (the prototype's behaviour); default false → 405. */
  allowPatch?: boolean;
  /** Silently truncate lists to this many items; default off. */
  listCap?: number | null;
  /** Default 'exact'. */
  invoiceNumberFilter?: SimulatorSettings['invoiceNumberFilter'];
  /** Pretend Plex ignores list filters; default false. */
  ignoreListFilters?: boolean;
  rejectDuplicateInvoiceNumbers?: boolean;
}

export interface PlexSimulator {
  url: string;
  /** The key it accepts, for Plex routes and /__admin alike. */
  apiKey: string;
  store: SimulatorStore;
  /** Stops listening and drops open connections; safe to call more than once. */
  close(): Promise<void>;
}

export function createSimulatorApp(store: SimulatorStore, apiKey: string): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  // Admin routes change data and faults: the simulator's key is required there too (no key, no admin).
  app.use('/__admin/*', async (c, next) => {
    if (c.req.header('X-Plex-Connect-Api-Key') !== apiKey) {
      return c.json(
        plexError(
          'REQUEST_NOT_AUTHENTICATED',
          'The simulator admin endpoints need the simulator key in X-Plex-Connect-Api-Key.',
        ),
        401,
      );
    }
    await next();
  });
  app.route('/__admin', adminRoutes(store));
  app.route('/', plexRoutes(store, apiKey));
  app.notFound((c) => {
    store.countCall('unknown');
    return c.json(plexError('RESOURCE_NOT_FOUND', `No resource at ${c.req.method} ${c.req.path}.`), 404);
  });
  app.onError((err, c) => {
    console.error('plex simulator: unhandled error', err);
    return c.json(plexError('INTERNAL_SERVER_ERROR', 'An unexpected error occurred.'), 500);
  });
  return app;
}

export async function startPlexSimulator(opts: PlexSimulatorOptions): Promise<PlexSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const settings: SimulatorSettings = {
    ...DEFAULT_SETTINGS,
    ...definedOnly({
      allowPatch: opts.allowPatch,
      listCap: opts.listCap,
      invoiceNumberFilter: opts.invoiceNumberFilter,
      ignoreListFilters: opts.ignoreListFilters,
      rateLimitPerMinute: opts.rateLimitPerMinute,
      rateWindowMs: opts.rateWindowMs,
      rejectDuplicateInvoiceNumbers: opts.rejectDuplicateInvoiceNumbers,
    }),
  };
  const store = new SimulatorStore(settings, opts.seed ?? 'dev');
  if (opts.stateFile) restoreState(store, opts.stateFile);
  const stopPersisting = opts.stateFile ? persistState(store, opts.stateFile) : () => {};
  const app = createSimulatorApp(store, opts.apiKey);

  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, (info: AddressInfo) =>
      resolve({ server, port: info.port }),
    );
    server.once('error', reject);
  });
  const httpServer = server as Server;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    store.releaseHangs();
    stopPersisting();
    closing ??= new Promise<void>((resolve, reject) => {
      httpServer.close((err) => (err ? reject(err) : resolve()));
      httpServer.closeAllConnections();
    });
    return closing;
  };
  return { url, apiKey: opts.apiKey, store, close };
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
