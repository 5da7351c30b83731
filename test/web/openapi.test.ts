// The JSON API's OpenAPI document (GET /api/openapi.json) against the real API: the document is well formed,
// names every /api route the app answers and no other, and every route called with real data (uploaded
// invoices through the real worker, Temporal and the Plex simulator) answers a body that the document's
// schema for that path, method and status accepts. A status the document does not list fails too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createApp } from '../../api/app.js';
import { savePolicy } from '../../db/policies.js';
import { NO_STORED_SETTINGS as NONE, saveSettings } from '../../db/settings.js';
import { createApiToken } from '../../db/users.js';
import type { InvoiceState } from '../../domain/invoice.js';
import type { TokenScope } from '../../domain/permissions.js';
import { Policy } from '../../domain/policy.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { createInvoiceService } from '../../services/invoices.js';
import { createInvoiceProcesses } from '../../services/temporal.js';
import { eInvoiceSpecForPo, toUbl } from '../../testkit/einvoice.js';
import { eventually } from '../support/eventually.js';
import { makeInvoicePdf } from '../../testkit/invoice-pdf.js';
import { seedPurchaseOrder, startStack, uniqueInvoice, type Stack } from '../../testkit/stack.js';
import { PDFDocument } from 'pdf-lib';

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown>; schemas?: Record<string, unknown> };
}

let stack: Stack;
let doc: Document;
let ajv: Ajv2020;
let appRoutes: { method: string; path: string }[];
/** `METHOD /path/{param} STATUS` of every answer checked against the document. */
const seen = new Set<string>();

before(async () => {
  stack = await startStack();
  // The routes as the app registers them (the served document must name each /api one).
  const { config, sql } = stack;
  const invoices = createInvoiceService({
    sql,
    processes: createInvoiceProcesses(stack.client, config.temporal.taskQueue),
    config,
  });
  const app = createApp({
    config,
    sql,
    logger: createLogger({ level: 'silent', name: 'test' }),
    metrics: createMetrics(sql),
    invoices,
  });
  appRoutes = app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
    .map((r) => ({ method: r.method, path: r.path }));
  await invoices.close();

  const res = await fetch(`${stack.url}/api/openapi.json`); // no credentials: the document is public
  assert.equal(res.status, 200);
  doc = (await res.json()) as Document;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv); // CommonJS: under NodeNext the default import is the module, its plugin is .default
  ajv.addFormat('binary', true);
  ajv.addSchema(doc, 'openapi.json');
});
after(async () => {
  await stack?.stop();
});

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const validators = new Map<string, ValidateFunction>();

/**
 * Calls a route (`template` as the document writes it, `{id}` filled from `params`) and checks the answer
 * against the document: the status is listed for the operation, the content type is one it lists, and the
 * body matches that content's schema. Returns the status and the parsed body.
 */
async function call<T = Record<string, unknown>>(
  method: 'GET' | 'POST',
  template: string,
  opts: {
    params?: Record<string, string>;
    query?: string;
    json?: unknown;
    body?: BodyInit;
    headers?: Record<string, string>;
    token?: string | null;
  } = {},
): Promise<{ status: number; body: T }> {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(opts.params?.[name] ?? assert.fail(`no value for {${name}}`)),
  );
  const headers: Record<string, string> = {
    ...(opts.token === null ? {} : { Authorization: `Bearer ${opts.token ?? stack.token}` }),
    ...opts.headers,
  };
  if (opts.json !== undefined) headers['Content-Type'] ??= 'application/json';
  const res = await fetch(`${stack.url}${path}${opts.query ?? ''}`, {
    method,
    headers,
    body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body,
  });
  const text = await res.text();
  const where = `${method} ${template} ${res.status}`;
  const operation = doc.paths[template]?.[method.toLowerCase()];
  assert.ok(operation, `${method} ${template} is not in the document`);
  const response = operation.responses?.[String(res.status)];
  assert.ok(
    response,
    `${where} is not a documented answer (documented: ${Object.keys(operation.responses ?? {}).join(', ')}): ${text.slice(0, 300)}`,
  );
  const type = (res.headers.get('Content-Type') ?? '').split(';')[0]!.trim();
  const media = response.content?.[type];
  assert.ok(
    media?.schema,
    `${where}: ${type} is not a documented content type (documented: ${Object.keys(response.content ?? {}).join(', ')})`,
  );
  const body: unknown = type === 'application/json' ? JSON.parse(text) : text;
  const ref = `openapi.json#/${pointer('paths', template, method.toLowerCase(), 'responses', String(res.status), 'content', type, 'schema')}`;
  let validate = validators.get(ref);
  if (!validate) validators.set(ref, (validate = ajv.getSchema(ref) ?? assert.fail(`no schema at ${ref}`)));
  assert.ok(
    validate(body),
    `${where}: the body does not match the document:\n${ajv.errorsText(validate.errors, { separator: '\n' })}\n${text.slice(0, 2000)}`,
  );
  seen.add(where);
  return { status: res.status, body: body as T };
}

test('the document is OpenAPI 3.1, names every /api route of the app (and only those), each with its answers and security', () => {
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.equal(doc.info.title, 'PlexSync API');
  assert.match(doc.info.version, /^\d+\.\d+\.\d+/);
  const schemes = Object.keys(doc.components?.securitySchemes ?? {});
  assert.deepEqual(schemes.sort(), ['apiToken', 'csrfToken', 'session']);

  const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const registered = [...new Set(appRoutes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`))];
  assert.ok(registered.length >= 15, `found ${registered.length} /api routes`);
  assert.deepEqual(
    registered.filter((r) => !documented.includes(r)),
    [],
    'routes the app answers that the document does not name',
  );
  assert.deepEqual(
    documented.filter((r) => !registered.includes(r)),
    [],
    'routes the document names that the app does not answer',
  );

  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(op.operationId && !ids.has(op.operationId), `${where}: an operationId of its own`);
      ids.add(op.operationId);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const pathParameters = (op.parameters ?? []).filter((p) => p.in === 'path' && p.required).map((p) => p.name);
      assert.deepEqual(pathParameters.sort(), inPath.sort(), `${where}: its path parameters`);
      const statuses = Object.keys(op.responses ?? {});
      assert.ok(
        statuses.some((s) => /^2\d\d$/.test(s)),
        `${where}: a success answer`,
      );
      for (const s of statuses) assert.ok(op.responses![s]!.content, `${where} ${s}: its content`);
      for (const requirement of op.security ?? [])
        for (const name of Object.keys(requirement))
          assert.ok(schemes.includes(name), `${where}: security scheme ${name}`);
      if (path !== '/api/openapi.json') {
        assert.ok((op.security ?? []).length > 0, `${where}: says how to authenticate`);
        assert.ok(statuses.includes('401') && statuses.includes('403'), `${where}: 401 and 403`);
      }
    }
  }
  // Every schema of the document compiles (a $ref that leads nowhere fails here).
  for (const name of Object.keys(doc.components?.schemas ?? {})) {
    assert.ok(ajv.getSchema(`openapi.json#/${pointer('components', 'schemas', name)}`), name);
  }
});

type Row = { id: string; status: string };
type Uploaded = { invoices: ({ id: string; duplicate: boolean } | { fileName: string; error: { status: number } })[] };

/** Uploads one file through the checked call; returns its invoice id. */
async function upload(name: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append('files', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  const { status, body } = await call<Uploaded>('POST', '/api/invoices', { body: form });
  assert.equal(status, 201, JSON.stringify(body));
  return (body.invoices[0] as { id: string }).id;
}
const files = (...list: [string, Uint8Array][]) => {
  const form = new FormData();
  for (const [name, bytes] of list) form.append('files', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return form;
};
async function twoInvoicesInOneFile(
  a: ReturnType<typeof uniqueInvoice>,
  b: ReturnType<typeof uniqueInvoice>,
): Promise<Uint8Array> {
  const merged = await PDFDocument.create();
  for (const inv of [a, b]) {
    const src = await PDFDocument.load(await makeInvoicePdf(inv));
    for (const page of await merged.copyPages(src, src.getPageIndices())) merged.addPage(page);
  }
  return merged.save();
}

test('every route answers with real data as the document says, successes and errors alike', async () => {
  const UNKNOWN = 'inv-000000000000000000000000';

  // A sync that fails until its retries run out (auto-approved, Plex answering 5xx): sync_failed.
  await saveSettings(stack.sql, NONE, 'test');
  const failing = uniqueInvoice();
  await seedPurchaseOrder(stack.plex, {
    poNumber: failing.poNumber,
    supplier: failing.vendorName,
    lines: failing.lines,
  });
  stack.plex.store.setFault('ap-invoices.put', { status5xx: 1 });
  const failedId = await upload('failing.pdf', await makeInvoicePdf(failing));

  // Invoices that wait for a clerk, with an undo window for approvals: a clean one, a file of two, an e-invoice XML.
  await saveSettings(stack.sql, { ...NONE, autoApproveThreshold: 1.01, undoWindow: '10m' }, 'test');
  const clean = uniqueInvoice();
  await seedPurchaseOrder(stack.plex, { poNumber: clean.poNumber, supplier: clean.vendorName, lines: clean.lines });
  const cleanBytes = await makeInvoicePdf(clean);
  const id = await upload('clean.pdf', cleanBytes);
  const [a, b] = [uniqueInvoice(), uniqueInvoice()];
  const fileId = await upload('two-invoices.pdf', await twoInvoicesInOneFile(a, b));
  const xmlInv = uniqueInvoice();
  await seedPurchaseOrder(stack.plex, { poNumber: xmlInv.poNumber, supplier: xmlInv.vendorName, lines: xmlInv.lines });
  const xmlId = await upload(
    'xrechnung.xml',
    new TextEncoder().encode(toUbl(eInvoiceSpecForPo(xmlInv), { customization: 'XRECHNUNG' })),
  );

  await stack.waitFor(failedId, (s) => s.status === 'sync_failed');
  stack.plex.store.clearFaults();
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  const split = await stack.waitFor(fileId, (s) => s.status === 'split');
  const partIds = split.split!.parts.map((p) => p.invoiceId);
  for (const part of partIds) await stack.waitFor(part, (s) => s.status === 'awaiting_review');
  await stack.waitFor(xmlId, (s) => s.status === 'awaiting_review');

  // Uploads: the same file again, and refusals of one file or of all of several.
  const again = await call<Uploaded>('POST', '/api/invoices', { body: files(['clean-again.pdf', cleanBytes]) });
  assert.deepEqual([again.status, (again.body.invoices[0] as { duplicate: boolean }).duplicate], [201, true]);
  assert.equal((await call('POST', '/api/invoices', { body: new FormData() })).status, 400);
  assert.equal((await call('POST', '/api/invoices', { body: files(['empty.pdf', new Uint8Array()]) })).status, 400);
  assert.equal(
    (await call('POST', '/api/invoices', { body: files(['notes.pdf', new TextEncoder().encode('not a PDF at all')]) }))
      .status,
    415,
  );
  assert.equal(
    (await call('POST', '/api/invoices', { body: files(['cut.pdf', cleanBytes.slice(0, 900)]) })).status,
    422,
  );
  const noneTaken = await call<Uploaded>('POST', '/api/invoices', {
    body: files(['a.pdf', new TextEncoder().encode('text')], ['b.pdf', new Uint8Array()]),
  });
  assert.deepEqual(
    [noneTaken.status, noneTaken.body.invoices.map((r) => 'error' in r && r.error.status)],
    [422, [415, 400]],
  );

  // The list, a page at a time.
  const first = await call<{ invoices: Row[]; next: string | null }>('GET', '/api/invoices', { query: '?limit=2' });
  assert.equal(first.body.invoices.length, 2);
  assert.ok(first.body.next);
  await call('GET', '/api/invoices', { query: `?limit=200&cursor=${encodeURIComponent(first.body.next)}` });
  const failedList = await call<{ invoices: Row[] }>('GET', '/api/invoices', {
    query: '?status=sync_failed,awaiting_review',
  });
  assert.ok(failedList.body.invoices.some((r) => r.id === failedId));
  assert.equal((await call('GET', '/api/invoices', { query: '?status=bogus' })).status, 400);

  // Reading: the invoice with its state, its words, its e-invoice XML, its parts.
  const detail = await call<{ state: InvoiceState }>('GET', '/api/invoices/{id}', { params: { id } });
  assert.equal(detail.body.state.status, 'awaiting_review');
  await call('GET', '/api/invoices/{id}', { params: { id: fileId } });
  await call('GET', '/api/invoices/{id}', { params: { id: failedId } });
  assert.equal((await call('GET', '/api/invoices/{id}', { params: { id: UNKNOWN } })).status, 404);
  const words = await call<{ pages: unknown[] }>('GET', '/api/invoices/{id}/words', { params: { id } });
  assert.ok(words.body.pages.length > 0);
  assert.equal((await call('GET', '/api/invoices/{id}/words', { params: { id: UNKNOWN } })).status, 404);
  const shown = await call<string>('GET', '/api/invoices/{id}/einvoice.xml', { params: { id: xmlId } });
  assert.ok(shown.body.includes(xmlInv.invoiceNumber));
  assert.equal(
    (await call('GET', '/api/invoices/{id}/einvoice.xml', { params: { id: xmlId }, query: '?download' })).status,
    200,
  );
  assert.equal((await call('GET', '/api/invoices/{id}/einvoice.xml', { params: { id } })).status, 404);
  const parts = await call<{ parts: unknown[] }>('GET', '/api/invoices/{id}/parts', { params: { id: fileId } });
  assert.equal(parts.body.parts.length, 2);
  assert.ok(
    (await call<{ partOf: unknown }>('GET', '/api/invoices/{id}/parts', { params: { id: partIds[0]! } })).body.partOf,
  );
  await call('GET', '/api/invoices/{id}/parts', { params: { id } });

  // Comments: a comment naming nobody known, a question (sent twice with one key), its answer.
  assert.equal(
    (await call('POST', '/api/invoices/{id}/comments', { params: { id }, json: { body: 'Checked with @nobody-here' } }))
      .status,
    201,
  );
  const key = { 'Idempotency-Key': 'question-key-0001' };
  const asked = await call<{ comment: { id: string } }>('POST', '/api/invoices/{id}/comments', {
    params: { id },
    json: { body: 'Is the PO right?', kind: 'question' },
    headers: key,
  });
  assert.equal(asked.status, 201);
  assert.equal(
    (
      await call('POST', '/api/invoices/{id}/comments', {
        params: { id },
        json: { body: 'Is the PO right?', kind: 'question' },
        headers: key,
      })
    ).status,
    200,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/comments', { params: { id }, json: { body: '   ' } })).status,
    400,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/comments', { params: { id: UNKNOWN }, json: { body: 'hello' } })).status,
    404,
  );
  const question = { id, comment: asked.body.comment.id };
  assert.equal((await call('POST', '/api/invoices/{id}/comments/{comment}/answer', { params: question })).status, 200);
  assert.equal((await call('POST', '/api/invoices/{id}/comments/{comment}/answer', { params: question })).status, 200);
  assert.equal(
    (await call('POST', '/api/invoices/{id}/comments/{comment}/answer', { params: { id, comment: '999999' } })).status,
    404,
  );
  const thread = await call<{ comments: unknown[] }>('GET', '/api/invoices/{id}/comments', { params: { id } });
  assert.equal(thread.body.comments.length, 2);
  assert.equal((await call('GET', '/api/invoices/{id}/comments', { params: { id: UNKNOWN } })).status, 404);

  // Assigning, one and several.
  assert.equal(
    (await call('POST', '/api/invoices/{id}/assign', { params: { id }, json: { assignee: 'admin@test.local' } }))
      .status,
    200,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/assign', { params: { id }, json: { assignee: 'nobody@test.local' } }))
      .status,
    422,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/assign', { params: { id }, json: { assignee: 'not an address' } })).status,
    400,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/assign', { params: { id: UNKNOWN }, json: { assignee: null } })).status,
    404,
  );
  const bulk = await call<{ outcomes: { outcome: string }[] }>('POST', '/api/invoices/bulk', {
    json: { action: 'assign', ids: [id, UNKNOWN], assignee: null },
  });
  assert.deepEqual(
    bulk.body.outcomes.map((o) => o.outcome),
    ['released', 'skipped'],
  );
  assert.equal((await call('POST', '/api/invoices/bulk', { json: { action: 'approve', ids: [] } })).status, 400);

  // Deciding: refusals first, then an approval taken back in its undo window, then a rejection.
  const box = { page: 9, box: { x: 10, y: 10, width: 50, height: 12 } };
  assert.equal(
    (
      await call('POST', '/api/invoices/{id}/review', {
        params: { id },
        json: { action: 'approve', corrections: { total: '1.00' }, provenance: { total: box } },
      })
    ).status,
    422,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/review', { params: { id }, json: { action: 'maybe' } })).status,
    400,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/review', { params: { id: UNKNOWN }, json: { action: 'approve' } })).status,
    404,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/recall', { params: { id }, json: {} })).status,
    409,
    'nothing to take back yet',
  );
  const approved = await call<{ decisionId: string }>('POST', '/api/invoices/{id}/review', {
    params: { id },
    json: { action: 'approve' },
  });
  assert.equal(approved.status, 202);
  await call('GET', '/api/invoices/{id}', { params: { id } }); // the state with its undo window open
  assert.equal(
    (
      await call('POST', '/api/invoices/{id}/recall', {
        params: { id },
        json: { decisionId: approved.body.decisionId, reason: 'wrong PO' },
      })
    ).status,
    202,
  );
  assert.equal((await call('POST', '/api/invoices/{id}/recall', { params: { id: UNKNOWN }, json: {} })).status, 404);
  await stack.waitFor(id, (s) => s.status === 'awaiting_review');
  await eventually(
    'the rejection was taken',
    async () =>
      (
        await call('POST', '/api/invoices/{id}/review', {
          params: { id },
          json: { action: 'reject', reason: 'not ours' },
        })
      ).status === 202,
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  await stack.result(id);
  assert.equal(
    (await call('POST', '/api/invoices/{id}/review', { params: { id }, json: { action: 'approve' } })).status,
    409,
    'a closed invoice is not decided again',
  );
  await call('GET', '/api/invoices/{id}', { params: { id } }); // the state with its decisions

  // Moving the split of the file of two: refused when the pages do not add up or the file was not split.
  assert.equal(
    (await call('POST', '/api/invoices/{id}/split', { params: { id: fileId }, json: { pages: '1' } })).status,
    422,
  );
  assert.equal((await call('POST', '/api/invoices/{id}/split', { params: { id }, json: { pages: '1' } })).status, 409);
  assert.equal(
    (await call('POST', '/api/invoices/{id}/split', { params: { id: fileId }, json: { pages: 1 } })).status,
    400,
  );
  assert.equal(
    (await call('POST', '/api/invoices/{id}/split', { params: { id: UNKNOWN }, json: { pages: '1' } })).status,
    404,
  );
  const moved = await call<{ parts: unknown[] }>('POST', '/api/invoices/{id}/split', {
    params: { id: fileId },
    json: { pages: '1-2' },
  });
  assert.deepEqual([moved.status, moved.body.parts.length], [202, 1]);

  // Replaying the failed sync (and refusing to replay what did not fail).
  assert.equal((await call('POST', '/api/invoices/{id}/retry-sync', { params: { id: failedId } })).status, 202);
  assert.equal((await call('POST', '/api/invoices/{id}/retry-sync', { params: { id: xmlId } })).status, 409);
  assert.equal((await call('POST', '/api/invoices/{id}/retry-sync', { params: { id: UNKNOWN } })).status, 404);
  await stack.waitFor(failedId, (s) => s.status === 'synced');
  await call('GET', '/api/invoices/{id}', { params: { id: failedId } }); // synced, with its sync attempts

  assert.equal(
    (await call('POST', '/api/invoices/{id}/recall', { params: { id: xmlId }, json: { decisionId: '' } })).status,
    400,
  );

  // Under an approval policy the invoice and its state carry the approval path.
  await saveSettings(stack.sql, NONE, 'test');
  await savePolicy(
    stack.sql,
    Policy.parse({
      rules: [
        {
          name: 'Everything',
          when: {},
          autoApprove: { allowed: false, threshold: 1 },
          steps: [{ name: 'AP clerk', approvers: { kind: 'role', role: 'clerk' }, required: 1, sla: '1d' }],
        },
      ],
    }),
    'test',
  );
  const underPolicy = uniqueInvoice();
  await seedPurchaseOrder(stack.plex, {
    poNumber: underPolicy.poNumber,
    supplier: underPolicy.vendorName,
    lines: underPolicy.lines,
  });
  const policyId = await upload('under-policy.pdf', await makeInvoicePdf(underPolicy));
  await stack.waitFor(policyId, (s) => s.status === 'awaiting_review' && s.approval !== undefined);
  await eventually(
    'the approval path in the row and the state',
    async () => {
      const { body } = await call<{ invoice: { approval: unknown }; state: InvoiceState | null }>(
        'GET',
        '/api/invoices/{id}',
        { params: { id: policyId } },
      );
      return body.invoice.approval !== null && body.state?.approval !== undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  await call('GET', '/api/invoices', { query: '?status=awaiting_review' });

  assert.equal((await call('GET', '/api/openapi.json', { token: null })).status, 200);
});

test('the answers every route shares: nobody, a token without the scope, a JSON body of another type or over the limit', async () => {
  const tokenWith = async (scope: TokenScope) =>
    (await createApiToken(stack.sql, { name: `only ${scope}`, userId: null, scopes: [scope] })).token;
  const [readOnly, replayOnly] = [await tokenWith('invoices:read'), await tokenWith('syncs:replay')];
  const params = { id: 'inv-000000000000000000000000', comment: '1' };
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path === '/api/openapi.json') continue;
    for (const [lower, op] of Object.entries(item)) {
      const method = lower.toUpperCase() as 'GET' | 'POST';
      const jsonBody = op.requestBody?.content['application/json'] !== undefined;
      assert.equal((await call(method, path, { params, token: null })).status, 401);
      const scope = op.security?.find((s) => s.apiToken)?.apiToken?.[0];
      const without = scope === 'invoices:read' ? replayOnly : readOnly;
      assert.equal(
        (await call(method, path, { params, token: without, ...(jsonBody ? { json: {} } : {}) })).status,
        403,
        `${method} ${path} without ${scope}`,
      );
      if (!jsonBody) continue;
      assert.equal(
        (await call(method, path, { params, body: '{}', headers: { 'Content-Type': 'text/plain' } })).status,
        415,
      );
      assert.equal((await call(method, path, { params, json: { padding: 'x'.repeat(1024 * 1024) } })).status, 413);
    }
  }
});

test('every documented operation was called with real data and answered a documented success', (t) => {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const succeeded = operations.filter((op) => [...seen].some((s) => s.startsWith(`${op} 2`)));
  assert.deepEqual(
    operations.filter((op) => !succeeded.includes(op)),
    [],
    'operations never called successfully',
  );
  assert.equal(operations.length, 16);
  // Answers documented but not produced here (a Temporal outage, for one): listed, not failed.
  const answers = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, op]) =>
      Object.keys(op.responses ?? {}).map((status) => `${method.toUpperCase()} ${path} ${status}`),
    ),
  );
  t.diagnostic(
    `${seen.size} of ${answers.length} documented answers checked; not produced here: ${answers.filter((a) => !seen.has(a)).join(', ')}`,
  );
});
