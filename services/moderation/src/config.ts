import path from 'node:path';
import { databaseShape, loadConfig, localDefault, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape } from '@switchboard/crypto';

/** The repository root: services/moderation/{src,dist}/config.* sits three levels below it. */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const moderationConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Its stored replies to requests asked again hold customer text (libs/messaging reply-store.ts).
  ...encryptionConfigShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3104),
  // The shared community word lists (houbb-sensitive-word/, konsheng-sensitive-lexicon/), read at
  // start-up and never copied into the repository. Missing: the service warns and uses its seed lists.
  MODERATION_LISTS_DIR: localDefault(z.string().min(1), path.resolve(REPO_ROOT, '..', 'shared', 'data', 'moderation')),
  // How often a replica looks for a newer tenant policy (per tenant, on that tenant's next check).
  POLICY_RELOAD_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
};

export type ModerationConfig = ReturnType<typeof loadModerationConfig>;
export const loadModerationConfig = (env = process.env) => loadConfig(moderationConfigShape, env);
