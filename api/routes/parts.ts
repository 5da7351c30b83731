// What moving a file's split needs from a request's dependencies (services/document-parts.ts).
import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import type { DocumentPartsDeps } from '../../services/document-parts.js';

export function documentPartsDeps(c: Context<AppEnv>): DocumentPartsDeps {
  const { sql, invoices } = c.var.deps;
  return { sql, ingest: (file, by) => invoices.ingest(file, by), review: (id, decision) => invoices.review(id, decision), cutPages: (bytes, name, ranges) => invoices.cutPages(bytes, name, ranges) };
}
