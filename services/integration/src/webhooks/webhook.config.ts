import { z } from '@switchboard/config';

// Defaults: 10 attempts, 30 s doubling to at most 1 h between them (about 4.5 h in all).
export const webhookConfigShape = {
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10).describe('Delivery attempts of one webhook event (1-50).'),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000).describe('The first wait before a retry; it doubles per attempt.'),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000).describe('The longest wait between two attempts.'),
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(10_000)
    .describe("One POST's limit; a slower endpoint counts as failed."),
  // New events wake the loop at once; this is only the idle poll.
  WEBHOOK_POLL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(1_000)
    .describe('How often the delivery table is polled when there is nothing to do.'),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8).describe('Deliveries sent at once by one replica.'),
};

export interface WebhookConfig {
  WEBHOOK_MAX_ATTEMPTS: number;
  WEBHOOK_RETRY_BASE_MS: number;
  WEBHOOK_RETRY_MAX_MS: number;
  WEBHOOK_TIMEOUT_MS: number;
  WEBHOOK_POLL_MS: number;
  WEBHOOK_CONCURRENCY: number;
}
