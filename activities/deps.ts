// What activities are built from: injected clients, no module-level singletons.
import type { Logger } from 'pino';
import type { Sql } from '../db/client.js';
import type { Extractor } from '../extract/index.js';
import type { PlexClient } from '../plex/types.js';

export interface ActivityDeps {
  sql: Sql;
  plex: PlexClient;
  extractor: Extractor;
  clock: () => Date;
  logger: Logger;
}
