// Erases the tickets of a customer, or of some conversations: their notes, the tickets, and the
// outbox rows their events left (published or not — an unpublished ticket event sent after the
// erasure would hand the erased summary to integrators). consumeErasures holds the relay first, so
// none is half-way out. The audit log is kept: see KEPT.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ErasureCommand, ErasureOutcome } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { consumeErasures, deleteCounting, Outbox } from '@switchboard/persistence';
import { LOGGER } from '@switchboard/platform';

const KEPT = [
  "ticketing.audit_events: kept; entries hold ids and action names, never ticket or message content, and removing one would break the tenant's hash chain",
  "Kafka: copies of ticket events in ticket.events.v1 remain until that topic's retention deletes them",
];

@Injectable()
export class TicketEraser implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await consumeErasures(this.bus, this.db, this.outbox, 'ticketing', this.log, (m, command) => this.erase(m, command));
  }

  /** Runs inside the erasing transaction. */
  async erase(m: EntityManager, command: ErasureCommand): Promise<ErasureOutcome> {
    const { tenantId } = command;
    const rows: Array<{ id: string }> =
      command.customerId !== ''
        ? await m.query('select id from ticketing.tickets where tenant_id = $1 and customer_id = $2', [tenantId, command.customerId])
        : await m.query('select id from ticketing.tickets where tenant_id = $1 and conversation_id = any($2::uuid[])', [
            tenantId,
            command.conversationIds,
          ]);
    const ticketIds = rows.map((r) => r.id);

    const outbox = await deleteCounting(m, 'delete from ticketing.outbox where tenant_id = $1 and key = any($2::text[])', [
      tenantId,
      ticketIds,
    ]);
    const notes = await deleteCounting(m, 'delete from ticketing.ticket_notes where tenant_id = $1 and ticket_id = any($2::uuid[])', [
      tenantId,
      ticketIds,
    ]);
    const tickets = await deleteCounting(m, 'delete from ticketing.tickets where tenant_id = $1 and id = any($2::uuid[])', [
      tenantId,
      ticketIds,
    ]);
    return { removed: { 'ticketing.tickets': tickets, 'ticketing.ticket_notes': notes, 'ticketing.outbox': outbox }, kept: KEPT };
  }
}
