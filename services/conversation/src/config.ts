import { databaseShape, httpPort, loadConfig, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape, FieldCipher } from '@switchboard/crypto';

const timeoutMs = (fallback: number, what: string) => z.coerce.number().int().min(100).default(fallback).describe(what);

export const conversationConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Encryption at rest of message content (libs/crypto; docs/security.md).
  ...encryptionConfigShape,
  HTTP_PORT: httpPort(3101),
  TURN_DEADLINE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(90_000)
    .describe(
      'How long one turn may wait for downstream services before the customer gets an honest "we\'re having trouble" reply and a hand-off instead of silence.',
    ),
  TURNS_AT_ONCE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(64)
    .describe(
      'Turns of different conversations one replica handles at once. A turn mostly waits on other services: while one of them restarts, the turns waiting on it hold their places, and the others need places of their own.',
    ),
  MODERATION_TIMEOUT_MS: timeoutMs(5_000, 'Per request to the moderation service.'),
  RETRIEVAL_TIMEOUT_MS: timeoutMs(8_000, 'Per request to the retrieval service.'),
  // Keep it above generation's LLM_ANSWER_BUDGET_MS, so generation's own fallback arrives in time.
  GENERATION_TIMEOUT_MS: timeoutMs(30_000, "Per request to the generation service; keep it above generation's `LLM_ANSWER_BUDGET_MS`."),
  INTEGRATION_TIMEOUT_MS: timeoutMs(5_000, 'Per request to the integration service (customer verification, orders).'),
  SUMMARY_TIMEOUT_MS: timeoutMs(
    8_000,
    "How long a hand-off waits for the LLM to write its summary before the dialogue state's summary is used.",
  ),
  NLU_MODEL_EN: z.string().default('bge-small-en-v1.5').describe('The local embedding model the English intent classifier runs on.'),
  NLU_MODEL_ZH: z.string().default('bge-small-zh-v1.5').describe('The local embedding model the Chinese intent classifier runs on.'),
  INTENT_CONFIDENCE_MIN: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('How sure an intent prediction must be (0-1) to act on it; below it the bot asks.'),
  INTENT_RELOAD_MS: z.coerce.number().int().min(0).default(2_000).describe("How often a replica looks for a tenant's new intent examples."),
  LOW_CONFIDENCE_HANDOFF_TURNS: z.coerce
    .number()
    .int()
    .min(1)
    .default(2)
    .describe('How many unsure turns in a row hand the customer to a person.'),
  FRUSTRATION_HANDOFF: z.coerce.number().min(0).max(1).default(0.75).describe('Frustration (0-1) of one message that hands off.'),
  FRUSTRATION_SUSTAINED: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('Frustration (0-1) of two messages in a row that hands off.'),
  DIALOGUE_STATE_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 24 * 3600)
    .describe("How long a conversation's dialogue state is kept after its last turn."),
  KNOWN_CUSTOMER_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 3600)
    .describe('How long a verified customer is recognised in their next conversations (per customer id).'),
  // conversations/bot-conversations.responder.ts
  BOT_ACTIVE_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30)
    .describe(
      'How recent a customer or bot message must be for a conversation to count as "with the bot now" on the console overview (a web chat idle for half an hour is usually abandoned).',
    ),
  // privacy/retention-sweep.ts
  RETENTION_SWEEP_MS: z.coerce.number().int().min(1000).default(3_600_000).describe("How often tenants' retention periods are enforced."),
};

export type ConversationConfig = ReturnType<typeof loadConversationConfig>;
export const loadConversationConfig = (env = process.env) => {
  const config = loadConfig(conversationConfigShape, env);
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  return config;
};
