import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import { PlatformModule } from '@switchboard/platform';
import type { ConversationConfig } from './config';
import { ConversationRepository } from './conversations/conversation.repository';
import { Conversations1732500000000 } from './migrations/1732500000000-conversations';
import { DownstreamClient } from './turns/downstream.client';
import { TurnConsumer } from './turns/turn.consumer';
import { TurnService } from './turns/turn.service';

@Module({})
export class AppModule {
  static register(config: ConversationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'conversation',
          config,
          topics: [Topics.inbound, Topics.outbound, Topics.conversationEvents, Rpcs.moderationCheck, Rpcs.retrievalSearch, Rpcs.generationAnswer],
          database: { schema: 'conversation', entities: [], migrations: [Conversations1732500000000], outbox: true },
          rpcClient: true,
        }),
      ],
      providers: [ConversationRepository, DownstreamClient, TurnService, TurnConsumer],
    };
  }
}
