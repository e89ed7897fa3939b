import { loadConfig, platformShape, z } from '@switchboard/config';
import { DEFAULT_SLA, parseSlaMinutes } from './routing/sla';

export const ticketingConfigShape = {
  ...platformShape,
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3106),
  // Minutes to a ticket's first response by priority, e.g. "urgent=15,high=60,normal=240,low=1440".
  TICKET_SLA_MINUTES: z.string().default(DEFAULT_SLA).transform((text, ctx) => {
    try {
      return parseSlaMinutes(text);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      return z.NEVER;
    }
  }),
};

export type TicketingConfig = ReturnType<typeof loadTicketingConfig>;
export const loadTicketingConfig = (env = process.env) => loadConfig(ticketingConfigShape, env);
