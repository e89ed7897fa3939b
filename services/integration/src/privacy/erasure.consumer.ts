// Consumes privacy.erasure.v1 (its own consumer group): erases this service's part and publishes
// the report on privacy.erasure.reports.v1. The deletion commits only once the report is published,
// so a failure before either retries both, and the report counts what was actually removed; a
// redelivered command finds nothing left and reports zeros. A malformed command is dead-lettered
// by the bus (the topic's field rules), and the consumer carries on.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { erasureReport, Topics, type ErasureCommand } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { DataSource } from 'typeorm';
import { IntegrationEraser } from './integration-eraser';

export const ERASURE_SERVICE = 'integration';

@Injectable()
export class ErasureConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly db: DataSource,
    private readonly eraser: IntegrationEraser,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe(Topics.erasureCommands, ({ message }) => this.erase(message), {
      concurrency: Topics.erasureCommands.partitions,
    });
  }

  async erase(command: ErasureCommand): Promise<void> {
    const outcome = await this.db.transaction(async (m) => {
      const result = await this.eraser.erase(m, command);
      await this.bus.publish(Topics.erasureReports, erasureReport(command, ERASURE_SERVICE, result));
      return result;
    });
    // Counts only: the customer id is personal data too.
    this.log.info(
      { tenantId: command.tenantId, requestId: command.requestId, reason: command.reason, removed: outcome.removed },
      'erasure done',
    );
  }
}
