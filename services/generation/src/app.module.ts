import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import { PlatformModule } from '@switchboard/platform';
import { AnswerConsumer } from './answers/answer.consumer';
import { AnswerService } from './answers/answer.service';
import type { GenerationConfig } from './config';
import { LlmClient } from './llm/llm.client';

@Module({})
export class AppModule {
  static register(config: GenerationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot({ service: 'generation', config, topics: [Rpcs.generationAnswer] })],
      providers: [LlmClient, AnswerService, AnswerConsumer],
    };
  }
}
