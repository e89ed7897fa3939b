import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import { CONFIG } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { IntentModels } from '../intents/intent-models';
import { TurnService } from './turn.service';

@Injectable()
export class TurnConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly turns: TurnService,
    private readonly intents: IntentModels,
    @Inject(CONFIG) private readonly config: ConversationConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Up to TURNS_AT_ONCE turns of different conversations at once (a turn mostly waits on other
    // services; too few places and the turns waiting on a restarting service hold them all, so
    // turns that do not need it wait too); one conversation's turns stay in order. Generous
    // retries: a customer message is dead-lettered only after ~40 s of failures (an outage of a
    // dependency is waited out).
    await this.bus.subscribe(Topics.inbound, ({ message }) => this.turns.handle(message), {
      concurrency: this.config.TURNS_AT_ONCE,
      maxAttempts: 12,
    });
    // Ready means the built-in intent model is there too (training since onModuleInit; from the
    // shared cache in Redis, a fraction of a second); a turn that arrived first waits for it inside classify().
    await this.intents.warmUp();
  }
}
