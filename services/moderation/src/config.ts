import path from 'node:path';
import { databaseShape, httpPort, loadConfig, localDefault, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape, FieldCipher } from '@switchboard/crypto';

/** The repository root: services/moderation/{src,dist}/config.* sits three levels below it. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const moderationConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Stored request-reply answers (libs/messaging reply-store.ts) hold customer text: sealed at rest.
  ...encryptionConfigShape,
  HTTP_PORT: httpPort(3104),
  // Shared community lists, never copied into the repository.
  MODERATION_LISTS_DIR: localDefault(
    z
      .string()
      .min(1)
      .describe(
        'The sensitive-word lists (`houbb-sensitive-word/`, `konsheng-sensitive-lexicon/`), read at start-up. Missing: the service warns and uses its small built-in seed lists.',
      ),
    path.resolve(REPO_ROOT, '..', 'shared', 'data', 'moderation'),
  ),
  POLICY_RELOAD_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(1000)
    .describe("How often a replica looks for a newer tenant policy (per tenant, on that tenant's next check)."),
};

export type ModerationConfig = ReturnType<typeof loadModerationConfig>;
export const loadModerationConfig = (env = process.env) => {
  const config = loadConfig(moderationConfigShape, env);
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  return config;
};
