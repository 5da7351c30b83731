// The optional AI model behind one narrow interface: one chat completion per document with a strict
// JSON-schema response format built from the zod schema by the SDK's helper, bounded by a timeout and
// the SDK's retries (429 and 5xx, honouring Retry-After). It never throws for the provider's sake: a
// refusal, a malformed answer, a timeout or an outage comes back as a warning and the text reading stands.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { PageText } from '../pdf-text.js';
import { buildMessages } from './prompt.js';
import { ModelInvoice } from './schema.js';

export interface ModelClientOptions {
  apiKey: string;
  /** An OpenAI-compatible endpoint ("http://localhost:11434/v1"); OpenAI's own when absent. */
  baseUrl?: string;
  model: string;
  /** Per attempt; the SDK aborts the request after this long. */
  timeoutMs: number;
  /** Retries of 408/409/429/5xx and connection errors, with the SDK's backoff. */
  maxRetries: number;
  /** Called once per document with the tokens it cost (for metrics). */
  onUsage?: (usage: { model: string; promptTokens: number; completionTokens: number; outcome: ModelOutcome }) => void;
}

export type ModelOutcome = 'answered' | 'refused' | 'malformed' | 'failed';

export interface ModelRequest {
  pages: PageText[];
  images: string[];
  fileName: string;
}

export type ModelResult =
  | { outcome: 'answered'; reading: ModelInvoice; model: string; promptTokens: number; completionTokens: number }
  | {
      outcome: Exclude<ModelOutcome, 'answered'>;
      warning: string;
      model: string;
      promptTokens: number;
      completionTokens: number;
    };

export interface ModelReader {
  readonly model: string;
  read(request: ModelRequest): Promise<ModelResult>;
}

export function createModelReader(opts: ModelClientOptions): ModelReader {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs,
    maxRetries: opts.maxRetries,
  });
  const responseFormat = zodResponseFormat(ModelInvoice, 'invoice_fields');
  return {
    model: opts.model,
    async read(request) {
      const result = await ask(request);
      opts.onUsage?.({
        model: opts.model,
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        outcome: result.outcome,
      });
      return result;
    },
  };

  async function ask(request: ModelRequest): Promise<ModelResult> {
    const none = { model: opts.model, promptTokens: 0, completionTokens: 0 };
    let completion: OpenAI.ChatCompletion;
    try {
      // create() rather than parse(): parse() throws on malformed JSON before the usage can be read, and
      // a failed answer costs tokens too. The answer is parsed with the same zod schema below.
      completion = await client.chat.completions.create({
        model: opts.model,
        messages: buildMessages(request),
        response_format: responseFormat,
        temperature: 0,
      });
    } catch (err) {
      return { outcome: 'failed', warning: `The AI model was not consulted: ${describeFailure(err, opts)}`, ...none };
    }
    const used = {
      model: opts.model,
      promptTokens: completion.usage?.prompt_tokens ?? 0,
      completionTokens: completion.usage?.completion_tokens ?? 0,
    };
    const choice = completion.choices[0];
    if (!choice) return { outcome: 'malformed', warning: 'The AI model returned no answer.', ...used };
    if (choice.message.refusal)
      return {
        outcome: 'refused',
        warning: `The AI model declined to read the invoice: ${choice.message.refusal.slice(0, 200)}`,
        ...used,
      };
    if (choice.finish_reason === 'length')
      return {
        outcome: 'malformed',
        warning: 'The AI model ran out of tokens before finishing its answer; it was ignored.',
        ...used,
      };
    if (choice.finish_reason === 'content_filter')
      return {
        outcome: 'refused',
        warning: "The AI model's answer was withheld by the provider's content filter.",
        ...used,
      };
    let json: unknown;
    try {
      json = JSON.parse(choice.message.content ?? '');
    } catch {
      return { outcome: 'malformed', warning: 'The AI model answered with malformed JSON; it was ignored.', ...used };
    }
    const parsed = ModelInvoice.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`)
        .join('; ');
      return {
        outcome: 'malformed',
        warning: `The AI model's answer did not fit the schema (${issues}); it was ignored.`,
        ...used,
      };
    }
    return { outcome: 'answered', reading: parsed.data, ...used };
  }
}

function describeFailure(err: unknown, opts: ModelClientOptions): string {
  const attempts = `${opts.maxRetries + 1} attempt${opts.maxRetries ? 's' : ''}`;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return `no answer within ${opts.timeoutMs} ms (${attempts}).`;
  if (err instanceof OpenAI.RateLimitError) return `the provider's rate limit (HTTP 429) held after ${attempts}.`;
  if (err instanceof OpenAI.AuthenticationError) return 'the provider refused the API key (HTTP 401).';
  if (err instanceof OpenAI.APIConnectionError) return `the provider could not be reached (${attempts}).`;
  if (err instanceof OpenAI.APIError)
    return `the provider answered HTTP ${err.status ?? '?'} (${String(err.message).slice(0, 200)}).`;
  return err instanceof Error ? err.message : String(err);
}
