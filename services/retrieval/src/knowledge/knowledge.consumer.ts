import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { KnowledgeService } from './knowledge.service';

@Injectable()
export class KnowledgeConsumer implements OnApplicationBootstrap {
  constructor(private readonly bus: KafkaBus, private readonly knowledge: KnowledgeService, @Inject(LOGGER) private readonly log: Logger) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.retrievalSearch, (request) => this.knowledge.search(request), this.log, { concurrency: 6 });
    await serveRpc(this.bus, Rpcs.kbIngest, (request) => this.knowledge.ingest(request), this.log, { concurrency: 1 });
  }
}
