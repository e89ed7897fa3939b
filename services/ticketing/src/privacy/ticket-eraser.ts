// Erases the tickets of a customer, or of some conversations: their notes, the tickets, and the
// outbox rows their events left (published or not — an unpublished ticket event sent after the
// erasure would hand the erased summary to integrators). The relay's lock is taken first, so none
// is half-way out. The audit log is kept: see KEPT.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ErasureCommand } from '@switchboard/contracts';
import type { ErasureOutcome } from '@switchboard/contracts';
import { outboxRelayLockKey } from '@switchboard/persistence';

const KEPT = [
  'ticketing.audit_events: kept; entries hold ids and action names, never ticket or message content, and removing one would break the tenant\'s hash chain',
  'Kafka: copies of ticket events in ticket.events.v1 remain until that topic\'s retention deletes them',
];

@Injectable()
export class TicketEraser {
  async erase(m: EntityManager, command: ErasureCommand): Promise<ErasureOutcome> {
    const { tenantId } = command;
    await m.query('select pg_advisory_xact_lock($1)', [outboxRelayLockKey('ticketing')]);
    const rows: Array<{ id: string }> = command.customerId !== ''
      ? await m.query('select id from ticketing.tickets where tenant_id = $1 and customer_id = $2', [tenantId, command.customerId])
      : await m.query('select id from ticketing.tickets where tenant_id = $1 and conversation_id = any($2::uuid[])', [tenantId, command.conversationIds]);
    const ticketIds = rows.map((r) => r.id);

    const outbox = await count(m, 'delete from ticketing.outbox where tenant_id = $1 and key = any($2::text[])', [tenantId, ticketIds]);
    const notes = await count(m, 'delete from ticketing.ticket_notes where tenant_id = $1 and ticket_id = any($2::uuid[])', [tenantId, ticketIds]);
    const tickets = await count(m, 'delete from ticketing.tickets where tenant_id = $1 and id = any($2::uuid[])', [tenantId, ticketIds]);
    return { removed: { 'ticketing.tickets': tickets, 'ticketing.ticket_notes': notes, 'ticketing.outbox': outbox }, kept: KEPT };
  }
}

/** Runs a DELETE and returns how many rows it removed. */
async function count(m: EntityManager, deleteSql: string, parameters: unknown[]): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await m.query(`with gone as (${deleteSql} returning 1) select count(*)::int as n from gone`, parameters);
  return n;
}
