import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import { PlatformModule } from '@switchboard/platform';
import { ModerationConsumer } from './checks/moderation.consumer';
import { ModerationService } from './checks/moderation.service';
import type { ModerationConfig } from './config';

@Module({})
export class AppModule {
  static register(config: ModerationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'moderation', config, topics: [Rpcs.moderationCheck] })],
      providers: [ModerationService, ModerationConsumer],
    };
  }
}
