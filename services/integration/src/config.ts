import { loadConfig, platformShape, z } from '@switchboard/config';

export const integrationConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3105),
};

export type IntegrationConfig = ReturnType<typeof loadIntegrationConfig>;
export const loadIntegrationConfig = (env = process.env) => loadConfig(integrationConfigShape, env);
