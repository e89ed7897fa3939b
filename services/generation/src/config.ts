import { loadConfig, platformShape, z } from '@switchboard/config';

export const generationConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3103),
  // Any OpenAI-compatible endpoint (OpenAI, Azure, DeepSeek, Qwen, vLLM, Ollama). Unset: the
  // grounded extractive answerer replies on its own.
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().default('none'),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
};

export type GenerationConfig = ReturnType<typeof loadGenerationConfig>;
export const loadGenerationConfig = (env = process.env) => loadConfig(generationConfigShape, env);
