// What every request handler can reach: the app's dependencies and the per-request auth state.
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Sql } from '../db/client.js';
import type { User } from '../db/users.js';
import type { TokenScope } from '../domain/permissions.js';
import type { Metrics } from '../observability/metrics.js';
import type { PlexClient } from '../plex/types.js';
import type { IngestPollers } from '../ingest/pollers.js';
import type { InvoiceService } from '../services/invoices.js';

export interface AppDeps {
  config: Config;
  sql: Sql;
  invoices: InvoiceService;
  logger: Logger;
  metrics: Metrics;
  /** For the Settings page's connection test; absent when Plex is not configured for the web process. */
  plex?: PlexClient;
  /** Starts/wakes mailbox pollers after an admin change; absent = the worker starts them at its next start. */
  ingest?: IngestPollers;
  /** Creates, updates or removes the daily digest's Temporal Schedule after an admin change; absent = the
   * worker applies the saved time at its next start. */
  digestSchedule?: (digest: { at?: string; timeZone: string }) => Promise<'created' | 'updated' | 'removed' | 'off'>;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    user?: User;
    csrfToken?: string;
    sessionId?: string;
    apiToken?: { id: string; name: string; scopes: TokenScope[] };
  };
};
