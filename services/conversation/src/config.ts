import { databaseShape, loadConfig, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape, FieldCipher } from '@switchboard/crypto';

export const conversationConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Encryption at rest of message content (libs/crypto; docs/security.md).
  ...encryptionConfigShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3101),
  // How long one turn may wait for downstream services before the customer gets an honest
  // "we're having trouble" reply and a hand-off instead of silence.
  TURN_DEADLINE_MS: z.coerce.number().int().min(1000).default(90_000),
  MODERATION_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  RETRIEVAL_TIMEOUT_MS: z.coerce.number().int().min(100).default(8_000),
  GENERATION_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  INTEGRATION_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  // How long a hand-off waits for the LLM to write its summary before the state's summary is used.
  SUMMARY_TIMEOUT_MS: z.coerce.number().int().min(100).default(8_000),
  // Intent models: the local embedding models they run on, how sure a prediction must be to act on
  // it, how often a replica looks for a tenant's new examples, and how many unsure turns in a row
  // hand the customer to a person.
  NLU_MODEL_EN: z.string().default('bge-small-en-v1.5'),
  NLU_MODEL_ZH: z.string().default('bge-small-zh-v1.5'),
  INTENT_CONFIDENCE_MIN: z.coerce.number().min(0).max(1).default(0.5),
  INTENT_RELOAD_MS: z.coerce.number().int().min(0).default(2_000),
  LOW_CONFIDENCE_HANDOFF_TURNS: z.coerce.number().int().min(1).default(2),
  // Frustration (0..1) at which one message hands off, and at which two in a row do.
  FRUSTRATION_HANDOFF: z.coerce.number().min(0).max(1).default(0.75),
  FRUSTRATION_SUSTAINED: z.coerce.number().min(0).max(1).default(0.5),
  DIALOGUE_STATE_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 24 * 3600),
  // How long a verified customer is recognised in their next conversations (0 < TTL; per customer id).
  KNOWN_CUSTOMER_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 3600),
  // How often the retention sweep enforces tenants' retention periods (privacy/retention-sweep.ts).
  RETENTION_SWEEP_MS: z.coerce.number().int().min(1000).default(3_600_000),
};

export type ConversationConfig = ReturnType<typeof loadConversationConfig>;
export const loadConversationConfig = (env = process.env) => {
  const config = loadConfig(conversationConfigShape, env);
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  return config;
};
