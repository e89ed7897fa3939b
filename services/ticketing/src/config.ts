import { loadConfig, platformShape, z } from '@switchboard/config';

export const ticketingConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3106),
};

export type TicketingConfig = ReturnType<typeof loadTicketingConfig>;
export const loadTicketingConfig = (env = process.env) => loadConfig(ticketingConfigShape, env);
