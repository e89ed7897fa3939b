// What the live channel tells a browser: that something of its tenant changed, by id and kind, and
// never what changed. The browser refetches through the gateway, which applies the caller's role,
// departments and masking; so a notice cannot leak a summary, a message or a customer detail, even
// to an agent who may not read that ticket.
import type { ConversationLifecycleEvent, InboundTurn, OutboundEvent, TicketEvent } from '@switchboard/contracts';

export interface LiveNotice {
  tenantId: string;
  /** What to refetch: the inbox (a ticket changed) or one conversation's transcript. */
  kind: 'ticket' | 'conversation';
  /** created, assigned, statusChanged, noteAdded, resolved; handoffRequested, turnCompleted, customerMessage, reply, … */
  change: string;
  ticketId?: string;
  conversationId?: string;
  occurredAt: string;
}

export function ticketNotice(event: TicketEvent): LiveNotice | undefined {
  if (!event.kind.case) return undefined;
  // The conversation id links the ticket to an open conversation view; only `created` carries it.
  const conversationId = event.kind.case === 'created' ? event.kind.value.conversationId : undefined;
  return {
    tenantId: event.tenantId,
    kind: 'ticket',
    change: event.kind.case,
    ticketId: event.ticketId,
    ...(conversationId ? { conversationId } : {}),
    occurredAt: event.occurredAt,
  };
}

export function lifecycleNotice(event: ConversationLifecycleEvent): LiveNotice | undefined {
  if (!event.kind.case) return undefined;
  return {
    tenantId: event.tenantId,
    kind: 'conversation',
    change: event.kind.case,
    conversationId: event.conversationId,
    occurredAt: event.occurredAt,
  };
}

/** A customer wrote; while an agent holds the conversation no other event says so. */
export function inboundNotice(turn: InboundTurn): LiveNotice {
  return {
    tenantId: turn.tenantId,
    kind: 'conversation',
    change: 'customerMessage',
    conversationId: turn.conversationId,
    occurredAt: turn.receivedAt,
  };
}

/** A reply (bot or agent) was stored; deltas and the rest of a turn's stream add nothing to refetch. */
export function outboundNotice(outbound: OutboundEvent): LiveNotice | undefined {
  const event = outbound.event;
  if (!event || event.kind.case !== 'reply') return undefined;
  return {
    tenantId: outbound.tenantId,
    kind: 'conversation',
    change: 'reply',
    conversationId: event.conversationId,
    occurredAt: event.occurredAt,
  };
}
