import { databaseShape, loadConfig, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape } from '@switchboard/crypto';

const ms = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

export const generationConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Its stored replies to requests asked again hold customer text (libs/messaging reply-store.ts).
  ...encryptionConfigShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3103),
  // Any OpenAI-compatible endpoint (OpenAI, Azure, DeepSeek, Qwen, vLLM, Ollama). Unset: the
  // grounded extractive answerer replies on its own.
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().default('none'),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  // One model call, from request to the last streamed token; longer counts as a failure.
  LLM_TIMEOUT_MS: ms(20_000, 100),
  // Everything one answer may spend with the LLM (every round, retry and tool call) before falling back.
  // Keep it below the conversation's GENERATION_TIMEOUT_MS so the fallback arrives in time.
  LLM_ANSWER_BUDGET_MS: ms(25_000, 100),
  // Retries after the first attempt, for 429, 5xx, timeouts and broken connections only.
  LLM_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  LLM_RETRY_BASE_MS: ms(300),
  // Upper bound for one backoff, including a server's Retry-After.
  LLM_RETRY_MAX_DELAY_MS: ms(5_000),
  // The breaker opens when more than this share of the calls in the window failed...
  LLM_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
  // ...and the window holds at least this many calls.
  LLM_BREAKER_MIN_CALLS: z.coerce.number().int().min(1).default(5),
  LLM_BREAKER_WINDOW_MS: ms(60_000, 1_000),
  // How long an open breaker answers extractively before letting one call through (half-open).
  LLM_BREAKER_RESET_MS: ms(30_000, 100),
  LLM_MAX_PROMPT_TOKENS: z.coerce.number().int().min(500).default(6_000),
  LLM_MAX_ANSWER_TOKENS: z.coerce.number().int().min(16).default(600),
  // Rounds in which the model may call tools; the answer after the last round must be text.
  LLM_MAX_TOOL_ROUNDS: z.coerce.number().int().min(0).max(10).default(4),
  // Request-reply timeout for the integration service's tools.
  TOOLS_TIMEOUT_MS: ms(8_000, 100),
  // Request-reply timeout for the output check of each streamed sentence; past it the preview
  // stops and the customer gets the final reply only.
  STREAM_CHECK_TIMEOUT_MS: ms(3_000, 100),
  // Another replica's style-guide change is seen within this time (this replica's at once).
  STYLE_GUIDE_CACHE_MS: ms(30_000),
};

export type GenerationConfig = ReturnType<typeof loadGenerationConfig>;
export const loadGenerationConfig = (env = process.env) => loadConfig(generationConfigShape, env);
