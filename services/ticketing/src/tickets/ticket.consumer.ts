import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import { TicketService } from './ticket.service';

@Injectable()
export class TicketConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly tickets: TicketService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe(Topics.conversationEvents, ({ message }) => this.tickets.onConversationEvent(message), {
      concurrency: 3,
      maxAttempts: 8,
    });
  }
}
