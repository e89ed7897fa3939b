// Serves privacy.retention.put.v1 / get.v1: the gateway's /v1/privacy/retention and
// `switchboard privacy retention` read and set a tenant's periods here.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { create, RetentionPolicySchema, Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, PermanentError, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { RetentionPolicyRepository } from './retention-policy.repository';

@Injectable()
export class RetentionConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly policies: RetentionPolicyRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(
      this.bus,
      Rpcs.retentionPut,
      async (request) => {
        const policy = request.policy!; // required by the topic's field rules
        if (policy.tenantId !== '' && policy.tenantId !== request.tenantId)
          throw new PermanentError('INVALID_ARGUMENT', 'policy.tenantId: must be empty or equal tenantId');
        const stored = await this.policies.put({
          tenantId: request.tenantId,
          conversationDays: policy.conversationDays,
          attachmentDays: policy.attachmentDays,
        });
        this.log.info({ conversationDays: stored.conversationDays, attachmentDays: stored.attachmentDays }, 'retention policy set');
        return create(RetentionPolicySchema, stored);
      },
      this.log,
    );

    await serveRpc(
      this.bus,
      Rpcs.retentionGet,
      async (request) => create(RetentionPolicySchema, await this.policies.get(request.tenantId)),
      this.log,
    );
  }
}
