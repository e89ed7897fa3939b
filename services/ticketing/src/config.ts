import { databaseShape, httpPort, loadConfig, platformShape, z } from '@switchboard/config';
import { encryptionConfigShape, FieldCipher } from '@switchboard/crypto';
import { DEFAULT_SLA, parseSlaMinutes } from './routing/sla';

export const ticketingConfigShape = {
  ...platformShape,
  ...databaseShape,
  // Encryption at rest of ticket summaries and notes (libs/crypto; docs/security.md).
  ...encryptionConfigShape,
  HTTP_PORT: httpPort(3106),
  TICKET_SLA_MINUTES: z
    .string()
    .default(DEFAULT_SLA)
    .describe("Minutes to a ticket's first response by priority, e.g. `urgent=15,high=60,normal=240,low=1440`.")
    .transform((text, ctx) => {
      try {
        return parseSlaMinutes(text);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        return z.NEVER;
      }
    }),
};

export type TicketingConfig = ReturnType<typeof loadTicketingConfig>;
export const loadTicketingConfig = (env = process.env) => {
  const config = loadConfig(ticketingConfigShape, env);
  FieldCipher.fromConfig(config); // a missing or malformed key stops start-up here, naming the variable
  return config;
};
