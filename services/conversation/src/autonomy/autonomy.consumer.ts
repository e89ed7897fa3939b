// Serves conversation.autonomy.put/get.v1 (the gateway's /v1/autonomy) and
// conversation.approvals.list/decide.v1 (the gateway's /v1/agent/approvals).
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AutonomyPolicySchema, create, Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { ApprovalService } from './approval.service';
import { AutonomyService } from './autonomy.service';

@Injectable()
export class AutonomyConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly autonomy: AutonomyService,
    private readonly approvals: ApprovalService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(
      this.bus,
      Rpcs.autonomyPut,
      async (request) => {
        const bars = await this.autonomy.putBars(request.tenantId, request.bars);
        this.log.info({ bars }, 'autonomy bars set');
        return create(AutonomyPolicySchema, { tenantId: request.tenantId, bars });
      },
      this.log,
    );
    await serveRpc(
      this.bus,
      Rpcs.autonomyGet,
      async (request) => create(AutonomyPolicySchema, { tenantId: request.tenantId, bars: await this.autonomy.bars(request.tenantId) }),
      this.log,
    );
    await serveRpc(this.bus, Rpcs.approvalsList, (request) => this.approvals.list(request), this.log);
    await serveRpc(this.bus, Rpcs.approvalsDecide, (request) => this.approvals.decide(request), this.log);
  }
}
