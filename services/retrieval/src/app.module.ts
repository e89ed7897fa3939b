import { DynamicModule, Module } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import { openVectorStore, type VectorStore } from '@switchboard/knowledge';
import { PlatformModule } from '@switchboard/platform';
import type { RetrievalConfig } from './config';
import { EmbedderRegistry } from './knowledge/embedder-registry';
import { KnowledgeConsumer } from './knowledge/knowledge.consumer';
import { KnowledgeRepository } from './knowledge/knowledge.repository';
import { KnowledgeService, VECTOR_STORE } from './knowledge/knowledge.service';
import { Knowledge1732500000000 } from './migrations/1732500000000-knowledge';
import { KnowledgeBases1732600000000 } from './migrations/1732600000000-knowledge-bases';
import { ConfidenceFloor1733400000000 } from './migrations/1733400000000-confidence-floor';

@Module({})
export class AppModule {
  static register(config: RetrievalConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'retrieval',
          config,
          topics: [
            Rpcs.retrievalSearch,
            Rpcs.kbIngest,
            Rpcs.kbCreate,
            Rpcs.kbList,
            Rpcs.kbDocuments,
            Rpcs.kbChunks,
            Rpcs.kbApproveAnswer,
            Rpcs.kbDeleteDocument,
          ],
          database: {
            schema: 'retrieval',
            entities: [],
            migrations: [Knowledge1732500000000, KnowledgeBases1732600000000, ConfidenceFloor1733400000000],
          },
        }),
      ],
      providers: [
        {
          provide: VECTOR_STORE,
          useFactory: () =>
            openVectorStore({
              qdrantUrl: config.QDRANT_URL,
              qdrantApiKey: config.QDRANT_API_KEY,
              directory: config.VECTOR_DIR,
              memory: { tenantRows: config.VECTOR_MEMORY_ROWS, totalRows: config.VECTOR_MEMORY_TOTAL_ROWS },
              readOnly: config.VECTOR_READER,
            }),
        },
        {
          // Closes the vector store last, after consumers stopped.
          provide: 'VECTOR_STORE_CLOSER',
          inject: [VECTOR_STORE],
          useFactory: (store: VectorStore) => ({ onApplicationShutdown: () => store.close() }),
        },
        EmbedderRegistry,
        KnowledgeRepository,
        KnowledgeService,
        KnowledgeConsumer,
      ],
    };
  }
}
