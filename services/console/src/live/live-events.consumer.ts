// Every console replica reads every event (a consumer group of its own, by INSTANCE_ID), from the
// end of the topics: a browser only needs what happens while it is connected, and refetches the
// whole state through the gateway when it (re)connects.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import { CONFIG } from '@switchboard/platform';
import type { ConsoleConfig } from '../config';
import { LiveHub } from './live-hub';
import { inboundNotice, lifecycleNotice, outboundNotice, ticketNotice, type LiveNotice } from './live-notice';

@Injectable()
export class LiveEventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly hub: LiveHub,
    @Inject(CONFIG) private readonly config: ConsoleConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const publish = (notice: LiveNotice | undefined) => {
      if (notice) this.hub.publish(notice);
    };
    const options = (topic: { name: string; partitions: number }) => ({
      groupId: `console.${topic.name}.${this.config.INSTANCE_ID}`,
      fromBeginning: false,
      concurrency: topic.partitions,
    });
    await Promise.all([
      this.bus.subscribe(Topics.ticketEvents, async ({ message }) => publish(ticketNotice(message)), options(Topics.ticketEvents)),
      this.bus.subscribe(
        Topics.conversationEvents,
        async ({ message }) => publish(lifecycleNotice(message)),
        options(Topics.conversationEvents),
      ),
      this.bus.subscribe(Topics.inbound, async ({ message }) => publish(inboundNotice(message)), options(Topics.inbound)),
      this.bus.subscribe(Topics.outbound, async ({ message }) => publish(outboundNotice(message)), options(Topics.outbound)),
    ]);
  }
}
