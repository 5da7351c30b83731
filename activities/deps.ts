// What activities are built from: injected clients, no module-level singletons.
import type { Logger } from 'pino';
import type { Sql } from '../db/client.js';
import type { Extractor } from '../extract/index.js';
import type { MatchingSettings } from '../matching/settings.js';
import type { PlexCallRecorder } from '../plex/call-recorder.js';
import type { PlexClient } from '../plex/types.js';
import type { Learning } from './learn.js';
import type { NotifyDeps } from './notify.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import type { InvoiceService } from '../services/invoices.js';

export interface ActivityDeps {
  sql: Sql;
  plex: PlexClient;
  /** The `fetch` of `plex` records through this, so the sync can log each attempt's Plex exchanges. */
  plexCalls: PlexCallRecorder;
  extractor: Extractor;
  clock: () => Date;
  logger: Logger;
  /** Matching tolerances and date window (config MATCH_*); the documented defaults when absent. */
  matching?: MatchingSettings;
  /** Learning from clerks' corrections (the vendor-knowledge store); without it nothing is learned. */
  learning?: Learning;
  /** SMTP/webhook configuration for notifications (config.notify); without it nothing is sent. */
  notify?: NotifyDeps;
  /** The worker's Prometheus metrics (documents read, time to read); none recorded when absent. */
  metrics?: WorkerMetrics;
  /** Starts invoices as an upload does: a file that held several invoices becomes one per part. Without it a file is never split. */
  invoices?: Pick<InvoiceService, 'ingest' | 'review' | 'cutPages'>;
}
