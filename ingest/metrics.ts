// Prometheus gauges for ingestion, read from the records at scrape time (so they count what every worker
// did): emails seen by outcome, files taken by outcome, invoices created from each channel.
import { Gauge, type Registry } from 'prom-client';
import type { Sql } from '../db/client.js';

export function registerIngestMetrics(registry: Registry, sql: Sql): void {
  new Gauge({
    name: 'plexsync_ingest_messages',
    help: 'Emails seen by ingestion, by outcome (ingested, duplicate, skipped, failed, received = in progress)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await sql<
        { status: string; n: number }[]
      >`select status, count(*)::int as n from ingest_messages group by status`)
        this.set({ status: row.status }, row.n);
    },
  });
  new Gauge({
    name: 'plexsync_ingest_files',
    help: 'Files taken from the watched folder, by outcome',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await sql<
        { status: string; n: number }[]
      >`select status, count(*)::int as n from ingest_files group by status`)
        this.set({ status: row.status }, row.n);
    },
  });
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
