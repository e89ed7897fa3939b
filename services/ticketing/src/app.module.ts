import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { PlatformModule } from '@switchboard/platform';
import type { TicketingConfig } from './config';
import { Tickets1732500000000 } from './migrations/1732500000000-tickets';
import { TicketConsumer } from './tickets/ticket.consumer';
import { TicketService } from './tickets/ticket.service';

@Module({})
export class AppModule {
  static register(config: TicketingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'ticketing',
          config,
          topics: [Topics.conversationEvents, Topics.ticketEvents],
          database: { schema: 'ticketing', entities: [], migrations: [Tickets1732500000000], outbox: true },
        }),
      ],
      providers: [TicketService, TicketConsumer],
    };
  }
}
