import { loadConfig, platformShape, z } from '@switchboard/config';

export const retrievalConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3102),
};

export type RetrievalConfig = ReturnType<typeof loadRetrievalConfig>;
export const loadRetrievalConfig = (env = process.env) => loadConfig(retrievalConfigShape, env);
