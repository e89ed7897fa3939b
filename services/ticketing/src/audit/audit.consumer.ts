// Appends audit.events.v1 to the chain, and serves the gateway's audit.list.v1 / audit.verify.v1.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { create, ListAuditEntriesResultSchema, Rpcs, Topics } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { AuditLogService } from './audit-log.service';

@Injectable()
export class AuditConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly audit: AuditLogService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Partitions (keyed by tenant) run concurrently, each in order; the tenant's advisory lock keeps other instances from forking the chain.
    await this.bus.subscribe(Topics.auditEvents, ({ message }) => this.audit.append(message), { concurrency: 3, maxAttempts: 8 });
    await serveRpc(
      this.bus,
      Rpcs.auditList,
      async (r) => create(ListAuditEntriesResultSchema, { entries: await this.audit.list(r) }),
      this.log,
    );
    await serveRpc(this.bus, Rpcs.auditVerify, (r) => this.audit.verify(r.tenantId), this.log);
  }
}
