// Prometheus metrics for the web process; invoice counts per status are read from the database at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Sql } from '../db/client.js';
import { countByStatus } from '../db/invoices.js';

export function createMetrics(sql: Sql) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'plexsync_' });
  const httpRequests = new Counter({
    name: 'plexsync_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'plexsync_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const uploads = new Counter({
    name: 'plexsync_uploads_total',
    help: 'Uploaded files by outcome (accepted, duplicate, rejected)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const loginFailures = new Counter({
    name: 'plexsync_login_failures_total',
    help: 'Failed logins',
    registers: [registry],
  });
  new Gauge({
    name: 'plexsync_invoices',
    help: 'Invoices by status (read model)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [status, n] of Object.entries(await countByStatus(sql))) this.set({ status }, n);
    },
  });
  return { registry, httpRequests, httpDuration, uploads, loginFailures };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Tokens and requests of the optional AI model, per model and outcome (answered, refused, malformed, failed). */
export function createModelMetrics(registry: Registry) {
  const tokens = new Counter({
    name: 'plexsync_model_tokens_total',
    help: 'Tokens used by the AI model, by model and kind (prompt, completion)',
    labelNames: ['model', 'kind'] as const,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'plexsync_model_requests_total',
    help: 'Documents sent to the AI model, by model and outcome',
    labelNames: ['model', 'outcome'] as const,
    registers: [registry],
  });
  return {
    tokens,
    requests,
    record: (usage: { model: string; promptTokens: number; completionTokens: number; outcome: string }) => {
      tokens.inc({ model: usage.model, kind: 'prompt' }, usage.promptTokens);
      tokens.inc({ model: usage.model, kind: 'completion' }, usage.completionTokens);
      requests.inc({ model: usage.model, outcome: usage.outcome });
    },
  };
}

/** The worker process's own metrics: documents read (by outcome and extractor) and how long reading took. */
export function createWorkerMetrics(registry: Registry) {
  collectDefaultMetrics({ register: registry, prefix: 'plexsync_worker_' });
  const parsed = new Counter({
    name: 'plexsync_documents_parsed_total',
    help: 'Documents read by the parse stage, by outcome (read, unreadable) and extractor (text-layer@1, ocr@1, einvoice-cii@1, …) or, when unreadable, the reason (encrypted, timeout, …)',
    labelNames: ['outcome', 'extractor'] as const,
    registers: [registry],
  });
  const parseSeconds = new Histogram({
    name: 'plexsync_parse_duration_seconds',
    help: 'Time to read one document (all stages: e-invoice, text layer, OCR, learned patterns, model)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  return {
    record(outcome: 'read' | 'unreadable', extractor: string, seconds: number) {
      parsed.inc({ outcome, extractor });
      parseSeconds.observe(seconds);
    },
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
