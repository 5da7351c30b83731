// The AI model stage from configuration: off (undefined) unless OPENAI_API_KEY is set.
import { createModelReader, type ModelClientOptions } from './client.js';
import type { ModelStageOptions, PageRenderer } from './stage.js';

/** The AI model's settings, read from the environment by config/. */
export interface ModelConfig {
  apiKey: string;
  baseUrl?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  maxImages: number;
}

export { createModelReader, type ModelReader, type ModelResult } from './client.js';
export { applyModel, type ModelStageOptions, type PageRenderer } from './stage.js';
export { ModelInvoice } from './schema.js';

export function modelStageFromConfig(
  config: ModelConfig | undefined,
  extra: { onUsage?: ModelClientOptions['onUsage']; renderPages?: PageRenderer } = {},
): ModelStageOptions | undefined {
  if (!config) return undefined;
  const { apiKey, baseUrl, model, timeoutMs, maxRetries, maxImages } = config;
  return {
    reader: createModelReader({ apiKey, baseUrl, model, timeoutMs, maxRetries, onUsage: extra.onUsage }),
    renderPages: extra.renderPages,
    maxImages,
  };
}
