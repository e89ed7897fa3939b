import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs, Topics } from '@switchboard/contracts';
import { PlatformModule } from '@switchboard/platform';
import { AnswerConsumer } from './answers/answer.consumer';
import { AnswerService } from './answers/answer.service';
import { LlmAnswerer } from './answers/llm-answerer';
import { ReplyDeltas } from './answers/reply-deltas';
import type { GenerationConfig } from './config';
import { GuardedLlm } from './llm/guarded-llm';
import { LlmClient } from './llm/llm.client';
import { StyleGuides1733000000000 } from './migrations/1733000000000-style-guides';
import { KpiQueryFillerService } from './kpi-queries/kpi-query-filler.service';
import { HandoffSummaryService } from './summaries/handoff-summary.service';
import { StyleGuideConsumer } from './style-guides/style-guide.consumer';
import { StyleGuideRepository } from './style-guides/style-guide.repository';
import { StyleGuideService } from './style-guides/style-guide.service';
import { ToolsClient } from './tools/tools.client';

@Module({})
export class AppModule {
  static register(config: GenerationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'generation',
          config,
          topics: [
            Rpcs.generationAnswer,
            Rpcs.generationSummarize,
            Rpcs.generationFillKpiQuery,
            Rpcs.generationStylePut,
            Rpcs.generationStyleGet,
            Rpcs.integrationTools,
            Rpcs.integrationTool,
            Rpcs.moderationCheck,
            Topics.outbound,
          ],
          database: { schema: 'generation', entities: [], migrations: [StyleGuides1733000000000] },
          rpcClient: true,
        }),
      ],
      providers: [
        LlmClient,
        GuardedLlm,
        ToolsClient,
        ReplyDeltas,
        LlmAnswerer,
        AnswerService,
        AnswerConsumer,
        StyleGuideRepository,
        StyleGuideService,
        StyleGuideConsumer,
        HandoffSummaryService,
        KpiQueryFillerService,
      ],
    };
  }
}
