// Serves agents' conversation requests (transcript, take-over, message, hand-back) that the gateway's agent API sends.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { TakeoverService } from './takeover.service';

@Injectable()
export class AgentDeskConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly takeover: TakeoverService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.conversationTranscript, (r) => this.takeover.transcript(r), this.log);
    await serveRpc(this.bus, Rpcs.conversationTakeOver, (r) => this.takeover.takeOver(r), this.log);
    await serveRpc(this.bus, Rpcs.conversationAgentMessage, (r) => this.takeover.sendMessage(r), this.log);
    await serveRpc(this.bus, Rpcs.conversationHandBack, (r) => this.takeover.handBack(r), this.log);
  }
}
