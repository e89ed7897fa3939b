import { databaseShape, httpPort, loadConfig, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape, FieldCipher } from '@switchboard/crypto';

export const analyticsConfigShape = {
  ...platformShape,
  ...databaseShape,
  // The outbox (erasure reports) encrypts its payloads at rest like every service's (docs/security.md).
  ...encryptionConfigShape,
  HTTP_PORT: httpPort(3108),
  QUESTION_LLM_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15_000)
    .describe(
      "How long a question waits for the generation service's LLM to fill its query; past it (or with no LLM configured there) the deterministic parser answers.",
    ),
  KPI_DAYS_REFRESH_S: z.coerce
    .number()
    .int()
    .min(0)
    .default(30)
    .describe(
      'How often the day rollups of the KPIs fold in the days changed since (0: never). Until a day is folded in, questions read it from the facts: slower over long periods, never staler.',
    ),
};

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>;
export const loadAnalyticsConfig = (env = process.env) => {
  const config = loadConfig(analyticsConfigShape, env);
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  return config;
};
