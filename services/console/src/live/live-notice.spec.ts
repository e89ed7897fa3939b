import {
  ConversationEventSchema,
  ConversationLifecycleEventSchema,
  create,
  InboundTurnSchema,
  OutboundEventSchema,
  TicketEventSchema,
} from '@switchboard/contracts';
import { inboundNotice, lifecycleNotice, outboundNotice, ticketNotice } from './live-notice';

// Words that only appear in the events' content: none may reach a notice.
const SECRET = 'yara.li6570@example.com wants a refund for #W2497857';

describe('live notices', () => {
  it('say which ticket changed and how, without its summary, reason or customer', () => {
    const notice = ticketNotice(
      create(TicketEventSchema, {
        tenantId: 'demo',
        ticketId: 't-1',
        eventId: 'e-1',
        occurredAt: '2026-12-05T22:00:00Z',
        kind: {
          case: 'created',
          value: {
            conversationId: 'c-1',
            customerId: 'cust-yara',
            department: 'orders',
            priority: 'high',
            summary: SECRET,
            reason: 'customer_asked',
            dueAt: '2026-12-05T23:00:00Z',
          },
        },
      }),
    );
    expect(notice).toEqual({
      tenantId: 'demo',
      kind: 'ticket',
      change: 'created',
      ticketId: 't-1',
      conversationId: 'c-1',
      occurredAt: '2026-12-05T22:00:00Z',
    });
  });

  it("leave a note's text and a resolution out", () => {
    const note = ticketNotice(
      create(TicketEventSchema, {
        tenantId: 'demo',
        ticketId: 't-1',
        eventId: 'e-2',
        kind: { case: 'noteAdded', value: { noteId: 'n', author: 'sam', text: SECRET } },
      }),
    );
    const resolved = ticketNotice(
      create(TicketEventSchema, {
        tenantId: 'demo',
        ticketId: 't-1',
        eventId: 'e-3',
        kind: { case: 'resolved', value: { agentId: 'sam', resolution: SECRET } },
      }),
    );
    expect(JSON.stringify([note, resolved])).not.toMatch(/yara|refund|sam/);
    expect(note).toMatchObject({ change: 'noteAdded', ticketId: 't-1' });
  });

  it('announce a customer message and a stored reply by conversation id only', () => {
    const inbound = inboundNotice(
      create(InboundTurnSchema, {
        tenantId: 'demo',
        conversationId: 'c-1',
        turnId: 'u-1',
        customerId: 'cust-yara',
        text: SECRET,
        receivedAt: '2026-12-05T22:01:00Z',
      }),
    );
    const reply = outboundNotice(
      create(OutboundEventSchema, {
        tenantId: 'demo',
        event: create(ConversationEventSchema, {
          conversationId: 'c-1',
          turnId: 'u-1',
          occurredAt: 'x',
          kind: { case: 'reply', value: { text: SECRET } },
        }),
      }),
    );
    const handoff = lifecycleNotice(
      create(ConversationLifecycleEventSchema, {
        tenantId: 'demo',
        conversationId: 'c-1',
        eventId: 'e',
        kind: { case: 'handoffRequested', value: { summary: SECRET, customerId: 'cust-yara' } },
      }),
    );
    expect(inbound).toEqual({
      tenantId: 'demo',
      kind: 'conversation',
      change: 'customerMessage',
      conversationId: 'c-1',
      occurredAt: '2026-12-05T22:01:00Z',
    });
    expect(reply).toMatchObject({ kind: 'conversation', change: 'reply', conversationId: 'c-1' });
    expect(handoff).toMatchObject({ kind: 'conversation', change: 'handoffRequested', conversationId: 'c-1' });
    expect(JSON.stringify([inbound, reply, handoff])).not.toMatch(/yara|refund/);
  });

  it('skip reply deltas, which would refetch a transcript per token', () => {
    const delta = outboundNotice(
      create(OutboundEventSchema, {
        tenantId: 'demo',
        event: create(ConversationEventSchema, { conversationId: 'c-1', kind: { case: 'delta', value: { text: 'Hel' } } }),
      }),
    );
    expect(delta).toBeUndefined();
  });
});
