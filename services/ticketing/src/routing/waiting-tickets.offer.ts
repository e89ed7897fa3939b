// Every few seconds, tickets waiting unassigned are offered again (TicketService.offerWaiting):
// routing respects presence for the queue too, not only for tickets arriving while someone is online.
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from '@switchboard/logging';
import { LOGGER, RepeatingTask } from '@switchboard/platform';
import { TicketService } from '../tickets/ticket.service';

/** Someone coming online gets the queue's oldest tickets within this long (their heartbeat may take longer to arrive). */
export const OFFER_WAITING_EVERY_MS = 5_000;

@Injectable()
export class WaitingTicketsOffer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: RepeatingTask;

  constructor(tickets: TicketService, @Inject(LOGGER) log: Logger) {
    this.task = new RepeatingTask('offering waiting tickets', () => tickets.offerWaiting(), log);
  }

  onApplicationBootstrap(): void {
    this.task.start(OFFER_WAITING_EVERY_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }
}
