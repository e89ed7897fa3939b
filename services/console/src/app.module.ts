import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { PlatformModule } from '@switchboard/platform';
import type { ConsoleConfig } from './config';
import { GatewayIdentity } from './live/gateway-identity';
import { LiveController } from './live/live.controller';
import { LiveEventsConsumer } from './live/live-events.consumer';
import { LiveHub } from './live/live-hub';

@Module({})
export class AppModule {
  static register(config: ConsoleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // No database and no request-reply client: the console reads events and serves files.
        PlatformModule.forRoot({
          service: 'console',
          config,
          topics: [Topics.ticketEvents, Topics.conversationEvents, Topics.inbound, Topics.outbound],
        }),
      ],
      controllers: [LiveController],
      providers: [LiveHub, LiveEventsConsumer, GatewayIdentity],
    };
  }
}
