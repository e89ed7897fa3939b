import { z } from '@switchboard/config';

// Defaults: 10 attempts, 30 s doubling to at most 1 h between them (about 4.5 h in all).
export const webhookConfigShape = {
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(3_600_000),
  // One POST's limit; a slower endpoint counts as failed.
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // How often the delivery table is polled when there is nothing to do (new events wake it at once).
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(1_000),
  // Deliveries sent at once by one replica.
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
};

export interface WebhookConfig {
  WEBHOOK_MAX_ATTEMPTS: number;
  WEBHOOK_RETRY_BASE_MS: number;
  WEBHOOK_RETRY_MAX_MS: number;
  WEBHOOK_TIMEOUT_MS: number;
  WEBHOOK_POLL_MS: number;
  WEBHOOK_CONCURRENCY: number;
}
