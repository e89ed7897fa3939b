// The webhook edges: the conversation and ticket event topics (queueing deliveries) and the admin
// request-reply topics. Each is one delegation to WebhookService.
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookService } from './webhook.service';

@Injectable()
export class WebhookConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly bus: KafkaBus,
    private readonly webhooks: WebhookService,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const queue = (queued: number) => (queued > 0 ? this.dispatcher.wake() : undefined);
    await this.bus.subscribe(
      Topics.conversationEvents,
      async ({ message }) => queue(await this.webhooks.onEvent(Topics.conversationEvents, message)),
      { concurrency: 3, maxAttempts: 8 },
    );
    await this.bus.subscribe(Topics.ticketEvents, async ({ message }) => queue(await this.webhooks.onEvent(Topics.ticketEvents, message)), {
      concurrency: 3,
      maxAttempts: 8,
    });
    await serveRpc(this.bus, Rpcs.webhooksCreate, (r) => this.webhooks.createEndpoint(r), this.log);
    await serveRpc(this.bus, Rpcs.webhooksList, (r) => this.webhooks.listEndpoints(r), this.log);
    await serveRpc(this.bus, Rpcs.webhooksDelete, (r) => this.webhooks.deleteEndpoint(r), this.log);
    await serveRpc(this.bus, Rpcs.webhooksDeadLetters, (r) => this.webhooks.listDeadLetters(r), this.log);
    await serveRpc(this.bus, Rpcs.webhooksReplay, (r) => this.webhooks.replay(r), this.log);
    this.dispatcher.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
  }
}
