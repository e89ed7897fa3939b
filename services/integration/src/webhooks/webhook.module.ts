// Outgoing webhooks (see docs/events/README.md): endpoints, deliveries and their poller.
import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import { FieldCipher, type EncryptionConfig } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';
import { LOGGER } from '@switchboard/platform';
import { DataSource } from 'typeorm';
import { OutboundPolicy, type OutboundConfig } from '../outbound/outbound-policy';
import type { WebhookConfig } from './webhook.config';
import { WebhookConsumer } from './webhook.consumer';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookRepository } from './webhook.repository';
import { WebhookService } from './webhook.service';

/** The topics the webhook feature consumes, for PlatformModule to create. */
export const webhookTopics = [
  Topics.conversationEvents,
  Topics.ticketEvents,
  Rpcs.webhooksCreate,
  Rpcs.webhooksList,
  Rpcs.webhooksDelete,
  Rpcs.webhooksDeadLetters,
  Rpcs.webhooksReplay,
];

@Module({})
export class WebhookModule {
  static register(config: WebhookConfig & EncryptionConfig & OutboundConfig): DynamicModule {
    const outbound = OutboundPolicy.fromConfig(config);
    return {
      module: WebhookModule,
      providers: [
        {
          provide: WebhookRepository,
          inject: [DataSource],
          useFactory: (db: DataSource) => new WebhookRepository(db, FieldCipher.fromConfig(config)),
        },
        {
          provide: WebhookService,
          inject: [WebhookRepository, LOGGER],
          useFactory: (store: WebhookRepository, log: Logger) =>
            new WebhookService(
              store,
              new WebhookHttpClient(outbound, config.WEBHOOK_TIMEOUT_MS),
              {
                baseMs: config.WEBHOOK_RETRY_BASE_MS,
                maxDelayMs: config.WEBHOOK_RETRY_MAX_MS,
                maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
                timeoutMs: config.WEBHOOK_TIMEOUT_MS,
              },
              outbound,
              log.child({ component: 'webhooks' }),
            ),
        },
        {
          provide: WebhookDispatcher,
          inject: [WebhookService, WebhookRepository, LOGGER],
          useFactory: (webhooks: WebhookService, store: WebhookRepository, log: Logger) =>
            new WebhookDispatcher(
              webhooks,
              store,
              { pollMs: config.WEBHOOK_POLL_MS, concurrency: config.WEBHOOK_CONCURRENCY },
              log.child({ component: 'webhooks' }),
            ),
        },
        WebhookConsumer,
      ],
      // Erasure deletes deliveries too.
      exports: [WebhookRepository],
    };
  }
}
