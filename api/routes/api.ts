// The JSON API under /api: its routes (each declared with its schemas and permission) and the OpenAPI 3.1
// document generated from them at GET /api/openapi.json, for integrators to read or generate a client from.
// The document is public like /healthz: it describes the routes and holds no data.
import { createRequire } from 'node:module';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { publicRoute } from '../auth/middleware.js';
import type { AppEnv } from '../context.js';
import { badRequest, json, SECURITY_SCHEMES } from '../openapi.js';
import { commentApiRoutes } from './comments.js';
import { jsonRoutes } from './json.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const OPENAPI_PATH = '/api/openapi.json';

const TAGS = [
  {
    name: 'Invoices',
    description: 'Upload invoice files; list and read invoices, their documents’ words and e-invoice XML.',
  },
  {
    name: 'Review',
    description: 'Decide on invoices one by one or several at once, assign them, take an approval back.',
  },
  { name: 'Split files', description: 'Files that held several invoices: their parts, and moving the split.' },
  { name: 'Comments', description: 'The reviewers’ thread on an invoice: comments, questions, answers.' },
  { name: 'Syncs', description: 'Writing invoices into Plex again after a failed sync.' },
  { name: 'API', description: 'This description.' },
];

const document = createRoute({
  method: 'get',
  path: OPENAPI_PATH,
  operationId: 'getOpenApiDocument',
  tags: ['API'],
  summary: 'This OpenAPI document',
  description: 'Open to anyone who can reach the server (like /healthz): it describes the routes and holds no data.',
  middleware: publicRoute,
  security: [],
  responses: {
    200: json(
      z.looseObject({
        openapi: z.string(),
        info: z.looseObject({ title: z.string(), version: z.string() }),
        paths: z.record(z.string(), z.unknown()),
      }),
      'The OpenAPI 3.1 document of the JSON API.',
    ),
  },
});

export function apiRoutes() {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: badRequest });
  api.route('/api', jsonRoutes());
  api.route('/api', commentApiRoutes());
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES))
    api.openAPIRegistry.registerComponent('securitySchemes', name, scheme);

  let generated: (ReturnType<typeof api.getOpenAPI31Document> & { paths: object }) | undefined;
  const generate = () => {
    const doc = api.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'PlexSync API',
        version,
        description:
          'Vendor invoices read, matched to purchase orders and synced into Plex. Authenticate with an API token (`Authorization: Bearer <token>`, allowed what its scopes grant) or a logged-in session (its role’s permissions; every POST also sends the `X-CSRF-Token` header). Every error is `{"error": {"message": "…"}}`.',
      },
      tags: TAGS,
    });
    return { ...doc, paths: doc.paths ?? {} };
  };
  api.openapi(document, (c) => c.json((generated ??= generate()), 200));
  return api;
}
