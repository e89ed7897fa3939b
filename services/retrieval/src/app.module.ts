import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import { PlatformModule } from '@switchboard/platform';
import type { RetrievalConfig } from './config';
import { KnowledgeConsumer } from './knowledge/knowledge.consumer';
import { KnowledgeRepository } from './knowledge/knowledge.repository';
import { KnowledgeService } from './knowledge/knowledge.service';
import { Knowledge1732500000000 } from './migrations/1732500000000-knowledge';

@Module({})
export class AppModule {
  static register(config: RetrievalConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'retrieval',
          config,
          topics: [Rpcs.retrievalSearch, Rpcs.kbIngest],
          database: { schema: 'retrieval', entities: [], migrations: [Knowledge1732500000000] },
        }),
      ],
      providers: [KnowledgeRepository, KnowledgeService, KnowledgeConsumer],
    };
  }
}
