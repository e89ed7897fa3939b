// What the agents' desk answers an L1 agent about a ticket and a transcript, over the real Kafka
// request-reply path: summary, notes and a customer id that is a phone number or email come back
// masked; a senior agent gets them as stored. The ticketing and conversation services are stood in
// for by responders on the same topics that answer what those services store.
import { randomUUID } from 'node:crypto';
import { create, ListTicketsResultSchema, Rpcs, TicketSchema, TranscriptSchema } from '@switchboard/contracts';
import { RpcClient, serveRpc, type KafkaBus } from '@switchboard/messaging';
import { connectTestBus, deleteTopicsWithPrefix, quietLogger, uniqueName } from '@switchboard/testing';
import { AgentsService, type Agent } from './agents.service';

describe('AgentsService: what an agent sees of tickets and transcripts', () => {
  const namespace = `${uniqueName('desk').toLowerCase()}.`;
  const tenantId = uniqueName('tenant');
  const ticketId = randomUUID();
  const conversationId = randomUUID();
  const stored = create(TicketSchema, {
    id: ticketId,
    conversationId,
    customerId: '+15557654321',
    department: 'orders',
    status: 'open',
    summary: 'Customer: identity not verified. Last messages: customer: write to mia.q@example.com',
    notes: [{ id: randomUUID(), author: 'kim', text: 'Called +1 415-555-0199, no answer' }],
  });
  let bus: KafkaBus;
  let close: () => Promise<void>;
  let rpc: RpcClient;
  let desk: AgentsService;
  const as = (role: Agent['role']): Agent => ({ tenantId, actor: { kind: 'user', id: role }, role, departments: [] });

  beforeAll(async () => {
    ({ bus, close } = await connectTestBus(uniqueName('gateway'), namespace));
    await bus.ensureTopics([Rpcs.ticketGet, Rpcs.ticketList, Rpcs.conversationTranscript].map((t) => ({ name: t.name, partitions: 1 })));
    await serveRpc(bus, Rpcs.ticketGet, async () => create(TicketSchema, stored), quietLogger());
    await serveRpc(
      bus,
      Rpcs.ticketList,
      async () => create(ListTicketsResultSchema, { tickets: [create(TicketSchema, { ...stored, notes: [] })] }),
      quietLogger(),
    );
    await serveRpc(
      bus,
      Rpcs.conversationTranscript,
      async () => create(TranscriptSchema, { conversationId, customerId: 'mia.q@example.com', channel: 'email', messages: [] }),
      quietLogger(),
    );
    rpc = new RpcClient(bus, quietLogger());
    await rpc.start();
    desk = new AgentsService(rpc);
  });

  afterAll(async () => {
    await rpc?.stop();
    await close?.();
    await deleteTopicsWithPrefix(namespace).catch(() => undefined);
  });

  it('masks summary, notes and a phone or email customer id for an agent', async () => {
    const ticket = (await desk.getTicket(as('agent'), ticketId)) as { customerId: string; summary: string; notes: Array<{ text: string }> };
    expect(ticket.customerId).toBe('+•••4321');
    expect(ticket.summary).toBe('Customer: identity not verified. Last messages: customer: write to m•••@example.com');
    expect(ticket.notes[0].text).toBe('Called •••0199, no answer');
    const listed = (await desk.listTickets(as('agent'), {})) as { tickets: Array<{ customerId: string; summary: string }> };
    expect(listed.tickets[0]).toMatchObject({ customerId: '+•••4321', summary: expect.stringContaining('m•••@example.com') });
    const transcript = (await desk.transcript(as('agent'), conversationId)) as unknown as { customerId: string };
    expect(transcript.customerId).toBe('m•••@example.com');
  }, 60_000);

  it('shows a senior agent the ticket as stored', async () => {
    const ticket = (await desk.getTicket(as('senior_agent'), ticketId)) as { customerId: string; notes: Array<{ text: string }> };
    expect(ticket.customerId).toBe('+15557654321');
    expect(ticket.notes[0].text).toContain('+1 415-555-0199');
  }, 60_000);
});
