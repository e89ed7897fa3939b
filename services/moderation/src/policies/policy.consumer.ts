// Serves the policy request-reply topics (the gateway calls them for a tenant's admin).
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { PolicyService } from './policy.service';

@Injectable()
export class PolicyConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly policies: PolicyService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.moderationPolicyPut, (request) => this.policies.put(request), this.log, { concurrency: 3 });
    await serveRpc(this.bus, Rpcs.moderationPolicyGet, (request) => this.policies.get(request), this.log, { concurrency: 3 });
  }
}
