import { loadConfig, platformShape, z } from '@switchboard/config';

export const moderationConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3104),
};

export type ModerationConfig = ReturnType<typeof loadModerationConfig>;
export const loadModerationConfig = (env = process.env) => loadConfig(moderationConfigShape, env);
