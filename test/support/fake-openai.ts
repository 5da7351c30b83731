// A local OpenAI-compatible chat-completions server for tests (a faithful double, not a mock of our code).
// It CHECKS each request — API key, model, a strict json_schema response format with the invoice fields
// and the line items' fields, a system and a user message carrying the document text or a page image — and
// answers with a 400 naming what is wrong when a check fails. Answers are computed from the request: the
// scenario whose key appears in the document text (or "image" for image-only requests), header fields and
// line items as the test gave them, filled up to a schema-valid object. Queued faults come first: HTTP
// errors (with Retry-After), malformed JSON, refusals, schema violations (in a header field or a line
// item), slowness.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, beforeEach } from 'node:test';
import type { AddressInfo, Socket } from 'node:net';
import { ModelInvoice, ModelLineItem } from '../../extract/model/schema.js';

/** A schema-valid answer with nothing read: every field null, no PO numbers, no line items. */
export const EMPTY_MODEL_ANSWER: ModelInvoice = {
  invoiceNumber: null,
  invoiceDate: null,
  dueDate: null,
  vendorName: null,
  vendorTaxId: null,
  vendorEmailDomain: null,
  billTo: null,
  currency: null,
  subtotal: null,
  tax: null,
  total: null,
  amountDue: null,
  poNumbers: [],
  paymentTerms: null,
  lineItems: [],
};

export type FakeBehaviour =
  | { kind: 'status'; status: number; retryAfterMs?: number }
  | { kind: 'malformed' }
  | { kind: 'refusal'; message?: string }
  /** An answer outside the schema: a total with a thousands separator, or (in: 'lineItem') a line amount. */
  | { kind: 'schema_violation'; in?: 'header' | 'lineItem' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'truncated' };

export interface RecordedRequest {
  body: Record<string, unknown>;
  /** The user message's text parts, joined. */
  text: string;
  images: string[];
  violations: string[];
  answeredWith: FakeBehaviour['kind'] | 'answer' | 'rejected';
}

export interface FakeOpenAI {
  /** Base URL for the SDK (`…/v1`). */
  url: string;
  apiKey: string;
  model: string;
  requests: RecordedRequest[];
  /** The answer to give when `key` appears in the document text ("image": to image-only requests). */
  scenario(key: string, answer: Partial<ModelInvoice>): void;
  /** Behaviours for the next requests, in order, before scenario answers resume. */
  queue(...behaviours: FakeBehaviour[]): void;
  close(): Promise<void>;
}

const EXPECTED_FIELDS = Object.keys(ModelInvoice.shape).sort();
const EXPECTED_LINE_FIELDS = Object.keys(ModelLineItem.shape).sort();
// OpenAI bills ~4 characters per text token and a "high" detail letter page as 4 tiles of 170 + 85 tokens.
const CHARS_PER_TOKEN = 4;
const TOKENS_PER_PAGE_IMAGE = 765;

export async function startFakeOpenAI(opts: { model?: string } = {}): Promise<FakeOpenAI> {
  const apiKey = `sk-test-${randomBytes(6).toString('hex')}`;
  const model = opts.model ?? 'gpt-test-mini';
  const scenarios = new Map<string, Partial<ModelInvoice>>();
  const faults: FakeBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) =>
      json(res, 500, { error: { message: String(err), type: 'server_error' } }),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return json(res, 404, { error: { message: `No route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: { message: 'Request body is not JSON', type: 'invalid_request_error' } });
    }
    const recorded = inspect(req, body);
    requests.push(recorded);
    if (recorded.violations.length) {
      recorded.answeredWith = 'rejected';
      const status = recorded.violations.some((v) => v.startsWith('api key')) ? 401 : 400;
      return json(res, status, { error: { message: recorded.violations.join('; '), type: 'invalid_request_error' } });
    }
    const fault = faults.shift();
    recorded.answeredWith = fault?.kind ?? 'answer';
    const usage = {
      prompt_tokens:
        Math.ceil((JSON.stringify(body.messages).length - recorded.images.join('').length) / CHARS_PER_TOKEN) +
        recorded.images.length * TOKENS_PER_PAGE_IMAGE,
      completion_tokens: 0,
      total_tokens: 0,
    };
    const complete = (message: Record<string, unknown>, finish = 'stop') => {
      usage.completion_tokens = Math.ceil(
        (typeof message.content === 'string'
          ? message.content
          : typeof message.refusal === 'string'
            ? message.refusal
            : ''
        ).length / CHARS_PER_TOKEN,
      );
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
      json(res, 200, {
        id: `chatcmpl-${randomBytes(6).toString('hex')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, refusal: null, ...message },
            finish_reason: finish,
            logprobs: null,
          },
        ],
        usage,
      });
    };
    switch (fault?.kind) {
      case 'status':
        res.setHeader('retry-after-ms', String(fault.retryAfterMs ?? 10));
        return json(res, fault.status, {
          error: {
            message: `Simulated HTTP ${fault.status}`,
            type: fault.status === 429 ? 'rate_limit_exceeded' : 'server_error',
          },
        });
      case 'malformed':
        return complete({ content: '{"invoiceNumber": "INV-1", "total": ' });
      case 'refusal':
        return complete({ refusal: fault.message ?? "I'm sorry, I can't help with that." });
      case 'schema_violation': {
        const answer = answerFor(recorded);
        if (fault.in !== 'lineItem') return complete({ content: JSON.stringify({ ...answer, total: '1,234.56' }) });
        const [
          first = { description: 'Item', quantity: null, unitPrice: null, partNumber: null, poLine: null, page: 1 },
          ...rest
        ] = answer.lineItems;
        return complete({
          content: JSON.stringify({ ...answer, lineItems: [{ ...first, amount: '1,234.56' }, ...rest] }),
        });
      }
      case 'truncated':
        return complete({ content: '{"invoiceNumber": "INV' }, 'length');
      case 'slow': {
        // Answers late; a client that gave up has closed the socket by then.
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) complete({ content: JSON.stringify(answerFor(recorded)) });
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
      default:
        return complete({ content: JSON.stringify(answerFor(recorded)) });
    }
  }

  function inspect(req: IncomingMessage, body: Record<string, unknown>): RecordedRequest {
    const violations: string[] = [];
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      violations.push('api key: missing or wrong Authorization header');
    if (body.model !== model) violations.push(`model: expected "${model}", got ${JSON.stringify(body.model)}`);
    type ObjectSchema = {
      required?: string[];
      additionalProperties?: boolean;
      properties?: Record<string, { items?: ObjectSchema }>;
    };
    const format = body.response_format as
      { type?: string; json_schema?: { name?: string; strict?: boolean; schema?: ObjectSchema } } | undefined;
    if (format?.type !== 'json_schema') violations.push('response_format: expected type json_schema');
    else {
      const schema = format.json_schema?.schema;
      if (format.json_schema?.strict !== true) violations.push('response_format: json_schema.strict must be true');
      if (JSON.stringify([...(schema?.required ?? [])].sort()) !== JSON.stringify(EXPECTED_FIELDS))
        violations.push(`response_format: schema must require ${EXPECTED_FIELDS.join(', ')}`);
      if (schema?.additionalProperties !== false)
        violations.push('response_format: schema must forbid additional properties');
      const line = schema?.properties?.lineItems?.items;
      if (JSON.stringify([...(line?.required ?? [])].sort()) !== JSON.stringify(EXPECTED_LINE_FIELDS))
        violations.push(`response_format: line items must require ${EXPECTED_LINE_FIELDS.join(', ')}`);
      else if (line?.additionalProperties !== false)
        violations.push('response_format: line items must forbid additional properties');
    }
    const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: string; content?: unknown }>) : [];
    if (!messages.some((m) => m.role === 'system' && typeof m.content === 'string' && m.content.length > 0))
      violations.push('messages: a system message with instructions is expected');
    const user = messages.find((m) => m.role === 'user');
    const parts = Array.isArray(user?.content)
      ? (user.content as Array<{ type?: string; text?: string; image_url?: { url?: string } }>)
      : [{ type: 'text', text: typeof user?.content === 'string' ? user.content : '' }];
    const text = parts
      .filter((p) => p.type === 'text')
      .map((p) => p.text ?? '')
      .join('\n');
    const images = parts.filter((p) => p.type === 'image_url').map((p) => p.image_url?.url ?? '');
    if (images.some((u) => !/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+=*$/.test(u)))
      violations.push('messages: images must be PNG or JPEG data URLs');
    if (!/--- page \d+/.test(text) && images.length === 0)
      violations.push('messages: neither document text nor a page image was sent');
    return { body, text, images, violations, answeredWith: 'answer' };
  }

  function answerFor(request: RecordedRequest): ModelInvoice {
    const key =
      [...scenarios.keys()].find((k) => k !== 'image' && request.text.includes(k)) ??
      (request.images.length ? 'image' : undefined);
    // Nothing known about this document: a model that finds nothing answers with nulls.
    return ModelInvoice.parse({ ...EMPTY_MODEL_ANSWER, ...(key ? scenarios.get(key) : {}) });
  }

  return {
    url,
    apiKey,
    model,
    requests,
    scenario: (key, answer) => void scenarios.set(key, answer),
    queue: (...behaviours) => void faults.push(...behaviours),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * One fake for the whole test file: started in `before`, closed in `after`, its recorded requests cleared
 * before each test. The returned object stands for the running server.
 */
export function useFakeOpenAI(): FakeOpenAI {
  let fake: FakeOpenAI | undefined;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    if (fake) fake.requests.length = 0;
  });
  return new Proxy({} as FakeOpenAI, {
    get(_target, key) {
      if (!fake) throw new Error('The fake OpenAI server starts in before(); use it inside tests.');
      const value: unknown = Reflect.get(fake, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(fake) : value;
    },
  });
}
