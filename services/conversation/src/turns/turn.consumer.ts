import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import { IntentModels } from '../intents/intent-models';
import { TurnService } from './turn.service';

@Injectable()
export class TurnConsumer implements OnApplicationBootstrap {
  constructor(private readonly bus: KafkaBus, private readonly turns: TurnService, private readonly intents: IntentModels) {}

  async onApplicationBootstrap(): Promise<void> {
    // The built-in intent model is trained before the first turn is taken, not during it.
    await this.intents.warmUp();
    // Partitions run in parallel; one conversation's turns share a partition and stay in order.
    // Generous retries: a customer message is dead-lettered only after ~40 s of failures.
    await this.bus.subscribe(Topics.inbound, ({ message }) => this.turns.handle(message), { concurrency: Topics.inbound.partitions, maxAttempts: 12 });
  }
}
