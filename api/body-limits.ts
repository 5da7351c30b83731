// Request body limits per route, checked before a body is read: a Content-Length above the route's limit
// is refused at once (413) and the connection closed, so the rest is never received; a body without
// Content-Length (chunked) is counted as it streams and refused as soon as it passes the limit.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Sign-in: an e-mail address, a password and a CSRF token. */
export const LOGIN_BODY_BYTES = 8 * 1024;
/** Page forms (review with corrections, settings, replay a selection of a few hundred invoices). */
export const FORM_BODY_BYTES = 64 * 1024;
/** JSON API bodies other than uploads (review decisions with line corrections). */
export const JSON_BODY_BYTES = 1024 * 1024;
/** Files in one upload request; each file is also checked against MAX_UPLOAD_BYTES. */
export const FILES_PER_UPLOAD = 8;

/** The routes that take files: the Upload page and the JSON API's upload. */
const isUpload = (method: string, path: string) =>
  method === 'POST' && (path === '/upload' || path === '/api/invoices');

export function bodyLimitFor(method: string, path: string, maxUploadBytes: number): number {
  if (isUpload(method, path)) return maxUploadBytes * FILES_PER_UPLOAD + 1024 * 1024; // + multipart framing
  if (path === '/login') return LOGIN_BODY_BYTES;
  if (path.startsWith('/api/')) return JSON_BODY_BYTES;
  return FORM_BODY_BYTES;
}

const kib = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;

export function bodyLimits(maxUploadBytes: number): MiddlewareHandler {
  const limiters = new Map<number, MiddlewareHandler>();
  const refuse = (c: Context, maxSize: number) => {
    const message = isUpload(c.req.method, c.req.path)
      ? `The upload is too large (limit ${kib(maxUploadBytes)} per file, ${FILES_PER_UPLOAD} files per request).`
      : `The request body is too large (limit ${kib(maxSize)} for this page).`;
    // Close the connection: otherwise Node reads (and discards) the rest of the body to reuse it.
    c.header('Connection', 'close');
    return c.req.path.startsWith('/api/') ? c.json({ error: { message } }, 413) : c.text(message, 413);
  };
  return (c, next) => {
    const maxSize = bodyLimitFor(c.req.method, c.req.path, maxUploadBytes);
    let limiter = limiters.get(maxSize);
    if (!limiter) limiters.set(maxSize, (limiter = bodyLimit({ maxSize, onError: (ctx) => refuse(ctx, maxSize) })));
    return limiter(c, next);
  };
}
