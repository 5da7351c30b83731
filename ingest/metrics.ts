// Prometheus gauges for ingestion, read from the records at scrape time (so they count what every worker
// did): emails seen by outcome, files taken by outcome, invoices created from each channel.
import { Gauge, type Registry } from 'prom-client';
import type { Sql } from '../db/client.js';

export function registerIngestMetrics(registry: Registry, sql: Sql): void {
  // a gauge a status: the rows of one ingestion table counted by their status column
  const byStatus = (name: string, help: string, table: 'ingest_messages' | 'ingest_files') =>
    new Gauge({
      name,
      help,
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of await sql<
          { status: string; n: number }[]
        >`select status, count(*)::int as n from ${sql(table)} group by status`)
          this.set({ status: row.status }, row.n);
      },
    });
  byStatus(
    'plexsync_ingest_messages',
    'Emails seen by ingestion, by outcome (ingested, duplicate, skipped, failed, received = in progress)',
    'ingest_messages',
  );
  byStatus('plexsync_ingest_files', 'Files taken from the watched folder, by outcome', 'ingest_files');
  new Gauge({
    name: 'plexsync_ingest_invoices',
    help: 'Invoices created by ingestion, by channel (email, folder)',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      const [row] = await sql<{ email: number; folder: number }[]>`
        select (select count(*)::int from ingest_attachments where outcome = 'invoice') as email,
               (select count(*)::int from ingest_files where status = 'ingested') as folder`;
      this.set({ channel: 'email' }, row?.email ?? 0);
      this.set({ channel: 'folder' }, row?.folder ?? 0);
    },
  });
}
