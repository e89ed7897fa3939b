import { databaseShape, httpPort, loadConfig, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape, FieldCipher } from '@switchboard/crypto';

const ms = (fallback: number, min: number, what: string) => z.coerce.number().int().min(min).default(fallback).describe(what);

export const generationConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Stored request-reply answers (libs/messaging reply-store.ts) hold customer text: sealed at rest.
  ...encryptionConfigShape,
  HTTP_PORT: httpPort(3103),
  LLM_BASE_URL: z
    .string()
    .url()
    .optional()
    .describe(
      'Any OpenAI-compatible endpoint (OpenAI, Azure, DeepSeek, Qwen, vLLM, Ollama), e.g. `https://api.openai.com/v1`. Unset: the grounded extractive answerer replies on its own. Leave it out rather than empty.',
    ),
  LLM_API_KEY: z.string().default('none').describe('Sent to that endpoint as a bearer token; never logged.'),
  LLM_MODEL: z.string().default('gpt-4o-mini').describe('The model name at that endpoint.'),
  LLM_TIMEOUT_MS: ms(20_000, 100, 'One model call, from request to the last streamed token; longer counts as a failure.'),
  // Below the conversation's GENERATION_TIMEOUT_MS, the fallback arrives before the conversation gives up.
  LLM_ANSWER_BUDGET_MS: ms(
    25_000,
    100,
    "Everything one answer may spend with the LLM (every round, retry and tool call) before falling back; keep it below the conversation's `GENERATION_TIMEOUT_MS`.",
  ),
  LLM_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(2)
    .describe('Retries after the first attempt, for 429, 5xx, timeouts and broken connections only.'),
  LLM_RETRY_BASE_MS: ms(300, 0, 'The first backoff step (doubles, with jitter).'),
  LLM_RETRY_MAX_DELAY_MS: ms(5_000, 0, "Upper bound for one backoff, a server's `Retry-After` included."),
  LLM_BREAKER_ERROR_PERCENT: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .describe('The breaker opens when more than this share of the calls in the window failed...'),
  LLM_BREAKER_MIN_CALLS: z.coerce.number().int().min(1).default(5).describe('...and the window holds at least this many calls.'),
  LLM_BREAKER_WINDOW_MS: ms(60_000, 1_000, 'The window failures are counted in.'),
  LLM_BREAKER_RESET_MS: ms(30_000, 100, 'How long an open breaker answers extractively before letting one call through (half-open).'),
  LLM_MAX_PROMPT_TOKENS: z.coerce
    .number()
    .int()
    .min(500)
    .default(6_000)
    .describe('Prompt budget (estimated); the lowest-ranked passages are dropped first.'),
  LLM_MAX_ANSWER_TOKENS: z.coerce.number().int().min(16).default(600).describe('`max_tokens` of each call.'),
  LLM_MAX_TOOL_ROUNDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(4)
    .describe('Rounds in which the model may call tools; the answer after the last round must be text.'),
  TOOLS_TIMEOUT_MS: ms(8_000, 100, "Request-reply timeout for the integration service's tools."),
  STREAM_CHECK_TIMEOUT_MS: ms(
    3_000,
    100,
    'Request-reply timeout for the output check of each streamed sentence; past it the preview stops and the customer gets the final reply only.',
  ),
  // This replica's own change is seen at once.
  STYLE_GUIDE_CACHE_MS: ms(
    30_000,
    0,
    "How long a replica caches a tenant's style guide: another replica's change is seen within this time.",
  ),
};

export type GenerationConfig = ReturnType<typeof loadGenerationConfig>;
export const loadGenerationConfig = (env = process.env) => {
  const config = loadConfig(generationConfigShape, env);
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  return config;
};
