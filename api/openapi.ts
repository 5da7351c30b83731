// How the JSON API's routes describe themselves (@hono/zod-openapi): each route is declared with its
// request and response schemas, its permission (the guard that enforces it and the security it documents,
// both from the one table in domain/permissions.ts) and the errors it answers; api/routes/api.ts serves the
// document generated from the declarations at GET /api/openapi.json.
import { z } from 'zod';
import { PERMISSIONS, type Permission } from '../domain/permissions.js';
import { requirePermission, SESSION_COOKIE } from './auth/middleware.js';
import { ErrorBody } from './schemas.js';

/** The security schemes, as the document names them. */
export const SECURITY_SCHEMES = {
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API token (an admin creates it on the API tokens page or with `plexsync token create`), sent as `Authorization: Bearer <token>`. It may do what its scopes grant.',
  },
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'A logged-in session (the pages’ cookie). It may do what the user’s role may do on the pages.',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description:
      'With a session, every POST also carries the session’s CSRF token in this header (and comes from the same site).',
  },
} as const;

/** The request's validation errors as one message, `{error:{message}}` with 400 (every route's validation hook). */
export const badRequest = (
  result: { success: boolean; error?: { issues: z.core.$ZodIssue[] } },
  c: { json: (b: unknown, s: 400) => Response },
) => {
  if (!result.success) {
    const message = result.error!.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    return c.json({ error: { message } }, 400);
  }
};

/** The invoice in a route's path (`{id}`). */
export const InvoiceIdParam = z.object({
  id: z.string().meta({ description: 'The invoice id.', example: 'inv-3f1c0a9e2b7d4c5a6e8f9a0b' }),
});

/** A JSON response of the given schema. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** Error responses (`{error:{message}}`) by status, each with when it happens. */
export function errors<const D extends Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 503, string>>>(
  described: D,
) {
  return Object.fromEntries(
    Object.entries(described).map(([status, description]) => [status, json(ErrorBody, description)]),
  ) as {
    [K in keyof D]: ReturnType<typeof json<typeof ErrorBody>>;
  };
}

/** A JSON request body (validated by the route; a body sent as another content type is refused with 415). */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/**
 * A route's permission: the guard that enforces it, the security it documents (an API token with the
 * permission's scope, or a session whose role holds it; a session's POST also needs its CSRF header), the
 * 401 and 403 it answers, and a sentence saying who may call it.
 */
export function guard(permission: Permission, method: 'get' | 'post', description?: string) {
  const rule = PERMISSIONS[permission];
  const roles = `a session of role ${rule.roles.length > 1 ? `${rule.roles.slice(0, -1).join(', ')} or ${rule.roles.at(-1)}` : rule.roles[0]}`;
  const who = `Needs the \`${permission}\` permission: ${rule.scope ? `an API token with the \`${rule.scope}\` scope, or ${roles}` : `${roles} (API tokens cannot)`}.`;
  const security: Record<string, string[]>[] = [
    ...(rule.scope ? [{ apiToken: [rule.scope] }] : []),
    method === 'get' ? { session: [] } : { session: [], csrfToken: [] },
  ];
  return {
    middleware: requirePermission(permission),
    security,
    description: description ? `${description}\n\n${who}` : who,
    'x-permission': permission,
  };
}

export const AUTH_ERRORS = errors({
  401: 'No valid API token and no session.',
  403: 'The token lacks the scope or the role the permission; or, with a session, the CSRF token is missing or the request came from another site.',
});
