// Every few seconds, tickets waiting unassigned are offered again (TicketService.offerWaiting):
// routing respects presence for the queue too, not only for tickets arriving while someone is online.
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@switchboard/logging';
import { LOGGER } from '@switchboard/platform';
import { TicketService } from '../tickets/ticket.service';

/** Someone coming online gets the queue's oldest tickets within this long (their heartbeat may take longer to arrive). */
export const OFFER_WAITING_EVERY_MS = 5_000;

@Injectable()
export class WaitingTicketsOffer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly tickets: TicketService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tickets
        .offerWaiting()
        .then(() => undefined)
        .catch((error: unknown) => this.log.warn({ err: error }, 'waiting tickets not offered this time; trying again shortly'))
        .finally(() => (this.running = undefined));
    }, OFFER_WAITING_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
