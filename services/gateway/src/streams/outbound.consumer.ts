import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import { ConversationStreamStore } from './conversation-stream.store';

@Injectable()
export class OutboundConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly streams: ConversationStreamStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe(
      Topics.outbound,
      async ({ message }) => {
        // A dropped delta (shown already, or of a later run of the answer) is the gate's intent, not a failure.
        await this.streams.append(message.tenantId, message.event!);
      },
      {
        concurrency: Topics.outbound.partitions,
        maxAttempts: 10,
      },
    );
  }
}
