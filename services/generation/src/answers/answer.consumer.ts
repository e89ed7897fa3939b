import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { AnswerService } from './answer.service';

@Injectable()
export class AnswerConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly answers: AnswerService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.generationAnswer, (request) => this.answers.answer(request), this.log, { concurrency: 6 });
  }
}
