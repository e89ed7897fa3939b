// Feeds the facts from the lifecycle events of conversations and tickets.
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import { FactRecorder } from './fact.recorder';

@Injectable()
export class FactsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly facts: FactRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe(Topics.conversationEvents, async ({ message }) => void (await this.facts.onConversationEvent(message)), {
      concurrency: 3,
      maxAttempts: 8,
    });
    await this.bus.subscribe(Topics.ticketEvents, async ({ message }) => void (await this.facts.onTicketEvent(message)), {
      concurrency: 3,
      maxAttempts: 8,
    });
  }
}
