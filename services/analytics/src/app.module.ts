import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { PlatformModule } from '@switchboard/platform';
import { AskService } from './ask/ask.service';
import type { AnalyticsConfig } from './config';
import { FactRecorder } from './facts/fact.recorder';
import { FactsConsumer } from './facts/facts.consumer';
import { KpiRepository } from './kpi/kpi.repository';
import { AnalyticsFacts1785000000000 } from './migrations/1785000000000-analytics-facts';
import { ConversationRollups1787000000000 } from './migrations/1787000000000-conversation-rollups';
import { TenantSettings1787000000001 } from './migrations/1787000000001-tenant-settings';
import { AnalyticsEraser } from './privacy/analytics-eraser';
import { AnalyticsSettingsService } from './settings/analytics-settings.service';

@Module({})
export class AppModule {
  static register(config: AnalyticsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'analytics',
          config,
          topics: [
            Topics.conversationEvents,
            Topics.ticketEvents,
            Rpcs.analyticsAsk,
            Rpcs.analyticsSettingsGet,
            Rpcs.analyticsSettingsPut,
            Rpcs.generationFillKpiQuery,
            Topics.erasureCommands,
            Topics.erasureReports,
          ],
          database: {
            schema: 'analytics',
            entities: [],
            migrations: [AnalyticsFacts1785000000000, ConversationRollups1787000000000, TenantSettings1787000000001],
            outbox: { cipher: FieldCipher.fromConfig(config) },
          },
          // Questions ask the generation service's LLM to fill their query (ask.service.ts).
          rpcClient: true,
        }),
      ],
      providers: [FactRecorder, FactsConsumer, KpiRepository, AnalyticsSettingsService, AskService, AnalyticsEraser],
    };
  }
}
