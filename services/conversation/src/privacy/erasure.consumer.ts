// Consumes privacy.erasure.v1: erases this service's part (conversation-eraser.ts) and reports it
// through the outbox, in the erasing transaction (eraseAndReport).
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Topics, type ErasureCommand } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { eraseAndReport, Outbox } from '@switchboard/persistence';
import { LOGGER } from '@switchboard/platform';
import { ConversationEraser } from './conversation-eraser';

@Injectable()
export class ErasureConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly eraser: ConversationEraser,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe(Topics.erasureCommands, ({ message }) => this.erase(message), { concurrency: Topics.erasureCommands.partitions });
  }

  async erase(command: ErasureCommand): Promise<void> {
    const outcome = await eraseAndReport(this.db, this.outbox, command, 'conversation', (m) => this.eraser.erase(m, command));
    // Counts only: the customer id is personal data too.
    this.log.info({ requestId: command.requestId, reason: command.reason, removed: outcome.removed }, 'erasure done');
  }
}
