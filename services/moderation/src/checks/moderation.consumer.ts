import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { ModerationService } from './moderation.service';

@Injectable()
export class ModerationConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly moderation: ModerationService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.moderationCheck, async (request) => this.moderation.check(request), this.log, { concurrency: 6 });
  }
}
