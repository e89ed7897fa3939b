// Every replica reads every erasure report: a consumer group of its own (by INSTANCE_ID), starting
// at the end of the topic, since only reports of requests it is waiting for matter to it.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import { CONFIG } from '@switchboard/platform';
import type { GatewayConfig } from '../config';
import { ErasureWaiter } from './erasure-waiter';

@Injectable()
export class ErasureReportsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly waiter: ErasureWaiter,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe(Topics.erasureReports, async ({ message }) => this.waiter.accept(message), {
      groupId: `gateway.${Topics.erasureReports.name}.${this.config.INSTANCE_ID}`,
      fromBeginning: false,
      concurrency: Topics.erasureReports.partitions,
    });
  }
}
