// The gateway's own part of an erasure (gateway-eraser.ts), reported like every other service's.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics, type ErasureCommand } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { erasureReport } from '@switchboard/contracts';
import { GatewayEraser } from './gateway-eraser';

@Injectable()
export class ErasureConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly eraser: GatewayEraser,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe(Topics.erasureCommands, ({ message }) => this.erase(message), {
      concurrency: Topics.erasureCommands.partitions,
    });
  }

  /** Deletes first, then reports; a failed report is retried and then says zeros (the keys are gone). */
  async erase(command: ErasureCommand): Promise<void> {
    const outcome = await this.eraser.erase(command);
    await this.bus.publish(Topics.erasureReports, erasureReport(command, 'gateway', outcome));
    this.log.info({ requestId: command.requestId, reason: command.reason, removed: outcome.removed }, 'erasure done');
  }
}
