// Opens a ticket for every hand-off, once per hand-off event, and tells integrators about it.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { create, TicketEventSchema, Topics, type ConversationLifecycleEvent, type HandoffRequested } from '@switchboard/contracts';
import { Outbox } from '@switchboard/persistence';

// Reasons that put the customer at the front of the queue.
const URGENT_REASONS = new Set(['moderation', 'system_unavailable']);

@Injectable()
export class TicketService {
  constructor(private readonly db: DataSource, private readonly outbox: Outbox) {}

  async onConversationEvent(event: ConversationLifecycleEvent): Promise<void> {
    if (event.kind.case !== 'handoffRequested') return;
    await this.openTicket(event, event.kind.value);
    await this.outbox.flush();
  }

  private async openTicket(event: ConversationLifecycleEvent, handoff: HandoffRequested): Promise<void> {
    const ticketId = randomUUID();
    const priority = URGENT_REASONS.has(handoff.reason) ? 'high' : 'normal';
    const department = 'customer-support';
    await this.db.transaction(async (m) => {
      const inserted: unknown[] = await m.query(
        `insert into ticketing.tickets (tenant_id, id, conversation_id, customer_id, department, priority, reason, summary, source_event_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (tenant_id, source_event_id) do nothing returning id`,
        [event.tenantId, ticketId, event.conversationId, handoff.customerId, department, priority, handoff.reason, handoff.summary, event.eventId],
      );
      if (inserted.length === 0) return; // this hand-off already has its ticket
      await this.outbox.stage(m, Topics.ticketEvents, create(TicketEventSchema, {
        tenantId: event.tenantId, ticketId, eventId: randomUUID(), occurredAt: new Date().toISOString(),
        kind: { case: 'created', value: { conversationId: event.conversationId, customerId: handoff.customerId, department, priority, summary: handoff.summary, reason: handoff.reason } },
      }), { conversationId: event.conversationId });
    });
  }

  async ticketsOf(tenantId: string, conversationId: string): Promise<Array<{ id: string; status: string; department: string; priority: string; summary: string }>> {
    return this.db.query('select id, status, department, priority, summary from ticketing.tickets where tenant_id = $1 and conversation_id = $2 order by created_at', [tenantId, conversationId]);
  }
}
