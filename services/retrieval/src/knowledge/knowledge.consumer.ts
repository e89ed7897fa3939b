import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { RetrievalConfig } from '../config';
import { KnowledgeService } from './knowledge.service';

@Injectable()
export class KnowledgeConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly knowledge: KnowledgeService,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(CONFIG) private readonly config: RetrievalConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.retrievalSearch, (r) => this.knowledge.search(r), this.log, { concurrency: 6 });
    // A reader only searches; the group gives the other topics to the writer alone (decision 3).
    if (this.config.VECTOR_READER) return;
    // One ingestion at a time per replica: embedding is CPU-bound and LanceDB has one writer.
    await serveRpc(this.bus, Rpcs.kbIngest, (r) => this.knowledge.ingest(r), this.log, { concurrency: 1 });
    await serveRpc(this.bus, Rpcs.kbCreate, (r) => this.knowledge.createKnowledgeBase(r), this.log);
    await serveRpc(this.bus, Rpcs.kbList, (r) => this.knowledge.listKnowledgeBases(r), this.log);
    await serveRpc(this.bus, Rpcs.kbDocuments, (r) => this.knowledge.documents(r), this.log);
    await serveRpc(this.bus, Rpcs.kbChunks, (r) => this.knowledge.chunks(r), this.log);
    await serveRpc(this.bus, Rpcs.kbApproveAnswer, (r) => this.knowledge.approveAnswer(r), this.log);
    await serveRpc(this.bus, Rpcs.kbDeleteDocument, (r) => this.knowledge.deleteDocument(r), this.log);
  }
}
