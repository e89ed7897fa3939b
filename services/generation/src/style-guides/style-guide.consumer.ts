import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { StyleGuideService } from './style-guide.service';

@Injectable()
export class StyleGuideConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly styleGuides: StyleGuideService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.generationStylePut, (request) => this.styleGuides.put(request), this.log);
    await serveRpc(this.bus, Rpcs.generationStyleGet, (request) => this.styleGuides.get(request.tenantId), this.log);
  }
}
