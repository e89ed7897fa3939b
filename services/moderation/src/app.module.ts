import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER, PlatformModule } from '@switchboard/platform';
import { ModerationConsumer } from './checks/moderation.consumer';
import { ModerationService } from './checks/moderation.service';
import type { ModerationConfig } from './config';
import { BuiltInLists } from './lists/built-in-lists';
import { Policies1764100000000 } from './migrations/1764100000000-policies';
import { PolicyCache } from './policies/policy-cache';
import { PolicyConsumer } from './policies/policy.consumer';
import { PolicyRepository } from './policies/policy.repository';
import { PolicyService } from './policies/policy.service';

@Module({})
export class AppModule {
  static register(config: ModerationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'moderation',
          config,
          topics: [Rpcs.moderationCheck, Rpcs.moderationPolicyPut, Rpcs.moderationPolicyGet],
          database: { schema: 'moderation', entities: [], migrations: [Policies1764100000000] },
        }),
      ],
      providers: [
        // Built once at start-up (a few hundred ms for the shared lists), then read-only.
        {
          provide: BuiltInLists,
          inject: [CONFIG, LOGGER],
          useFactory: (c: ModerationConfig, log: Logger) => BuiltInLists.load(c.MODERATION_LISTS_DIR, log),
        },
        PolicyRepository,
        PolicyCache,
        ModerationService,
        PolicyService,
        ModerationConsumer,
        PolicyConsumer,
      ],
    };
  }
}
