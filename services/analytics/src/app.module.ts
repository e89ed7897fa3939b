import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { PlatformModule } from '@switchboard/platform';
import { AskService } from './ask/ask.service';
import type { AnalyticsConfig } from './config';
import { FactRecorder } from './facts/fact.recorder';
import { FactsConsumer } from './facts/facts.consumer';
import { KpiDaysRefresher } from './kpi/kpi-days.refresher';
import { KpiRepository } from './kpi/kpi.repository';
import { ANALYTICS_MIGRATIONS } from './migrations';
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
            migrations: ANALYTICS_MIGRATIONS,
            outbox: { cipher: FieldCipher.fromConfig(config) },
          },
          // Questions ask the generation service's LLM to fill their query (ask.service.ts).
          rpcClient: true,
        }),
      ],
      providers: [FactRecorder, FactsConsumer, KpiRepository, KpiDaysRefresher, AnalyticsSettingsService, AskService, AnalyticsEraser],
    };
  }
}
