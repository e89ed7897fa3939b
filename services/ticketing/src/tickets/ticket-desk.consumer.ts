// Serves the agents' ticket requests (ticket.* request-reply topics) that the gateway's agent API sends.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { create, ListTicketsResultSchema, Rpcs } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { TicketService } from './ticket.service';

@Injectable()
export class TicketDeskConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly tickets: TicketService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(
      this.bus,
      Rpcs.ticketList,
      async (r) => create(ListTicketsResultSchema, { tickets: await this.tickets.list(r) }),
      this.log,
    );
    await serveRpc(this.bus, Rpcs.ticketGet, (r) => this.tickets.get(r.tenantId, r.ticketId), this.log);
    await serveRpc(this.bus, Rpcs.ticketClaim, (r) => this.tickets.claim(r), this.log);
    await serveRpc(this.bus, Rpcs.ticketNote, (r) => this.tickets.addNote(r), this.log);
    await serveRpc(this.bus, Rpcs.ticketStatus, (r) => this.tickets.changeStatus(r), this.log);
  }
}
