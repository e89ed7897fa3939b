// Serves the tenant's automatic assignment setting (ticket.routing.settings.* request-reply topics)
// to the gateway's admin API, which validates the body; the topic's rules check the cap again here.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { create, RoutingSettingsSchema, Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { RoutingSettingsRepository, type RoutingSettings } from './routing-settings.repository';

const answer = (tenantId: string, s: RoutingSettings) =>
  create(RoutingSettingsSchema, { tenantId, autoAssign: s.autoAssign, maxOpenPerAgent: s.maxOpenPerAgent });

@Injectable()
export class RoutingSettingsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly settings: RoutingSettingsRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.routingSettingsGet, async (r) => answer(r.tenantId, await this.settings.of(r.tenantId)), this.log);
    await serveRpc(
      this.bus,
      Rpcs.routingSettingsPut,
      async (r) =>
        answer(r.tenantId, await this.settings.put(r.tenantId, { autoAssign: r.autoAssign, maxOpenPerAgent: r.maxOpenPerAgent })),
      this.log,
    );
  }
}
