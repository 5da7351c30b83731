// The web app: security headers, request ids and metrics, sessions + CSRF, pages, JSON API, static assets.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { routePath } from 'hono/route';
import { bodyLimits } from './body-limits.js';
import { csrfMiddleware, publicRoute, sessionMiddleware } from './auth/middleware.js';
import type { AppDeps, AppEnv } from './context.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { ingestionRoutes } from './routes/ingestion.js';
import { registerIngestMetrics } from '../ingest/metrics.js';
import { apiRoutes } from './routes/api.js';
import { notificationRoutes } from './routes/notifications.js';
import { pageRoutes } from './routes/pages.js';
import { policyRoutes } from './routes/policies.js';
import { settingsRoutes } from './routes/settings.js';
import { InvoiceInputError } from '../services/invoices.js';
import { ReviewRejectedError, TemporalUnavailableError } from '../services/temporal.js';

const require = createRequire(import.meta.url);
const STATIC: Record<string, { path: string; type: string }> = {
  'htmx.min.js': { path: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'app.js': {
    path: fileURLToPath(new URL('../views/static/app.js', import.meta.url)),
    type: 'text/javascript; charset=utf-8',
  },
  'app.css': {
    path: fileURLToPath(new URL('../views/static/app.css', import.meta.url)),
    type: 'text/css; charset=utf-8',
  },
  'viewer.js': {
    path: fileURLToPath(new URL('../views/static/viewer.js', import.meta.url)),
    type: 'text/javascript; charset=utf-8',
  },
  'pdfjs/pdf.min.mjs': {
    path: require.resolve('pdfjs-dist/build/pdf.min.mjs'),
    type: 'text/javascript; charset=utf-8',
  },
  'pdfjs/pdf.worker.min.mjs': {
    path: require.resolve('pdfjs-dist/build/pdf.worker.min.mjs'),
    type: 'text/javascript; charset=utf-8',
  },
};
// pdf.js needs the standard fonts for PDFs that do not embed theirs (Helvetica and friends).
const STANDARD_FONTS = dirname(require.resolve('pdfjs-dist/standard_fonts/FoxitFixed.pfb'));

export function createApp(deps: AppDeps) {
  registerIngestMetrics(deps.metrics.registry, deps.sql);
  const app = new Hono<AppEnv>();
  const isApi = (path: string) => path.startsWith('/api/');

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    const started = performance.now();
    await next();
    const route = routePath(c as Context<AppEnv>) || 'unmatched';
    deps.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    deps.logger.info(
      {
        requestId: c.var.requestId,
        method: c.req.method,
        route,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
        user: c.var.user?.email,
      },
      'request',
    );
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  );
  // Bodies limited per route (login and forms a few KB, uploads MAX_UPLOAD_BYTES per file), refused before read.
  app.use('*', bodyLimits(deps.config.web.maxUploadBytes));

  app.get('/healthz', publicRoute, async (c) => {
    try {
      await deps.sql`select 1`;
      return c.json({ ok: true });
    } catch (err) {
      // The reason goes to the log, not to whoever asks (it can name hosts, users and databases).
      deps.logger.error({ err }, 'health check: database unreachable');
      return c.json({ ok: false }, 503);
    }
  });
  app.get('/metrics', publicRoute, async (c) => {
    c.header('Content-Type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
  const cacheControl = deps.config.env === 'production' ? 'public, max-age=86400' : 'no-cache';
  app.get('/static/pdfjs/standard_fonts/:file{[A-Za-z0-9_-]+\\.[a-z]+}', publicRoute, async (c) => {
    if (!/\.(pfb|ttf)$/.test(c.req.param('file'))) return c.notFound();
    c.header('Content-Type', 'application/octet-stream');
    c.header('Cache-Control', cacheControl);
    return c.body(await readFile(join(STANDARD_FONTS, c.req.param('file'))));
  });
  app.get('/static/:file{.+}', publicRoute, async (c) => {
    const asset = STATIC[c.req.param('file')];
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', cacheControl);
    return c.body(await readFile(asset.path));
  });

  app.use('*', sessionMiddleware);
  app.use('*', csrfMiddleware);
  app.route('/', authRoutes());
  app.route('/', apiRoutes());
  app.route('/', pageRoutes());
  app.route('/', dashboardRoutes());
  app.route('/', adminRoutes());
  app.route('/', settingsRoutes());
  app.route('/', policyRoutes());
  app.route('/', ingestionRoutes());
  app.route('/', notificationRoutes());

  app.notFound((c) =>
    isApi(c.req.path) ? c.json({ error: { message: 'Not found.' } }, 404) : c.text('Not found.', 404),
  );
  app.onError((err, c) => {
    const status =
      err instanceof InvoiceInputError
        ? err.status
        : err instanceof ReviewRejectedError
          ? 409
          : err instanceof TemporalUnavailableError
            ? 503
            : err instanceof HTTPException
              ? err.status
              : 500;
    const message = status === 500 ? 'Something went wrong on our side; it has been logged.' : err.message;
    if (err instanceof TemporalUnavailableError) c.header('Retry-After', String(err.retryAfterSeconds));
    if (status === 500) deps.logger.error({ err, requestId: c.var.requestId, path: c.req.path }, 'request failed');
    if (isApi(c.req.path) || c.req.header('Accept')?.includes('application/json')) {
      return c.json({ error: { message, requestId: c.var.requestId } }, status as 400);
    }
    return c.text(message, status as 400);
  });
  return app;
}
