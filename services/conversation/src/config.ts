import { loadConfig, platformShape, z } from '@switchboard/config';

export const conversationConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3101),
  // How long one turn may wait for downstream services before the customer gets an honest
  // "we're having trouble" reply and a hand-off instead of silence.
  TURN_DEADLINE_MS: z.coerce.number().int().min(1000).default(90_000),
  MODERATION_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  RETRIEVAL_TIMEOUT_MS: z.coerce.number().int().min(100).default(8_000),
  GENERATION_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
};

export type ConversationConfig = ReturnType<typeof loadConversationConfig>;
export const loadConversationConfig = (env = process.env) => loadConfig(conversationConfigShape, env);
