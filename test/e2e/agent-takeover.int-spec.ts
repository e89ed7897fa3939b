// A support agent's side of a hand-off, through the public APIs and every service: the customer
// asks for a person, ticketing routes the ticket, an agent claims it over the REST API, reads the
// transcript, takes the live conversation over (the bot goes silent, the customer's stream gets the
// agent's words), hands it back to the bot and resolves the ticket. Also: tenant isolation and the
// lifecycle refusing a bad move.
import { randomUUID } from 'node:crypto';
import { Topics, type ConversationLifecycleEvent, type HandoffRequested, type TicketEvent } from '@switchboard/contracts';
import { connectTestBus, waitFor } from '@switchboard/testing';
import type { ChatEvent } from '../../cli/src/chat/chat.client';
import { DEFAULT_RULES, route } from '../../services/ticketing/src/routing/routing-rules';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

const YARA = { email: 'yara.li6570@example.com', customerId: `cust-yara-${RUN}` };
const SAM = 'sam@support';

describe('an agent takes over a conversation', () => {
  let t: TestStack;
  let observer: { close: () => Promise<void> };
  const ticketEvents: TicketEvent[] = [];
  const lifecycle: ConversationLifecycleEvent[] = [];

  beforeAll(async () => {
    t = await startTestStack();
    const events = await connectTestBus('e2e-observer', t.namespace);
    await events.bus.subscribe(Topics.ticketEvents, async ({ message }) => {
      ticketEvents.push(message);
    });
    await events.bus.subscribe(Topics.conversationEvents, async ({ message }) => {
      lifecycle.push(message);
    });
    observer = events;
  }, 180_000);

  afterAll(async () => {
    await observer?.close();
    await t?.close();
  });

  const collect = async (stream: AsyncIterable<ChatEvent>) => {
    const events: ChatEvent[] = [];
    for await (const e of stream) events.push(e);
    return events;
  };

  async function say(conversationId: string | undefined, text: string): Promise<ChatEvent[]> {
    return collect(
      t.chat.converse({
        clientMessageId: randomUUID(),
        customerId: YARA.customerId,
        channel: 'web',
        locale: 'en-US',
        text,
        ...(conversationId ? { conversationId } : {}),
      }),
    );
  }

  it('routes the hand-off to a ticket an agent works, takes the conversation over and hands it back', async () => {
    const asSam = { headers: (await t.signIn(DEMO_TENANT, SAM, 'agent')).headers };
    const asAlex = { headers: (await t.signIn(DEMO_TENANT, 'alex', 'agent')).headers };

    // The customer: an order question, then she asks for a person.
    const first = await say(undefined, 'Hi, where is my order?');
    const c = first[0].conversationId;
    await say(c, `my email is ${YARA.email}`);
    const handoffTurn = await say(c, 'I would like to talk to a human agent please');
    expect(handoffTurn.find((e) => e.kind === 'handoff')?.handoff?.reason).toBe('customer_asked');
    const lastEventId = handoffTurn.find((e) => e.kind === 'completed')!.eventId;

    // Ticketing routed it by the hand-off's facts, with a summary and an SLA due time.
    const handoff = await waitFor(
      () => lifecycle.find((e) => e.conversationId === c && e.kind.case === 'handoffRequested')?.kind.value as HandoffRequested | undefined,
      'the hand-off event',
    );
    const { department, priority } = route(handoff, DEFAULT_RULES);
    const listed = await waitFor(async () => {
      const res = await t.rest('GET', `/v1/agent/tickets?status=open&department=${department}`, asSam);
      expect(res.status).toBe(200);
      return (res.body.tickets as Array<Record<string, string>>).find((ticket) => ticket.conversationId === c);
    }, 'the ticket in the department queue');
    expect(listed).toMatchObject({
      department,
      priority,
      status: 'open',
      assigneeId: '',
      reason: 'customer_asked',
      customerId: YARA.customerId,
    });
    expect(listed.summary.length).toBeGreaterThan(10);
    expect(Date.parse(listed.dueAt)).toBeGreaterThan(Date.parse(listed.createdAt));
    const ticketPath = `/v1/agent/tickets/${listed.id}`;

    // The edge: a signed-in agent is required; API keys (chat or admin) do not open the desk.
    expect((await t.rest('GET', ticketPath)).status).toBe(401);
    expect((await t.rest('GET', ticketPath, { key: t.apiKey })).status).toBe(401);
    // Another tenant cannot see or claim it.
    await t.createTenant('rival-shop');
    const asMallory = { headers: (await t.signIn('rival-shop', 'mallory', 'agent')).headers };
    const rivalClaim = await t.rest('POST', `${ticketPath}/claim`, asMallory);
    expect(rivalClaim.status).toBe(404);
    expect(rivalClaim.body.error.code).toBe('TICKET_NOT_FOUND');
    expect((await t.rest('GET', `/v1/agent/conversations/${c}/transcript`, asMallory)).status).toBe(404);

    // Sam claims it; a colleague cannot take it from him.
    const claimed = await t.rest('POST', `${ticketPath}/claim`, asSam);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'assigned', assigneeId: SAM });
    const stolen = await t.rest('POST', `${ticketPath}/claim`, asAlex);
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.message).toContain(`assigned to ${SAM}`);
    expect(
      (await t.rest('POST', `${ticketPath}/notes`, { ...asSam, json: { text: 'Checking both orders with the warehouse.' } })).status,
    ).toBe(201);
    const withNotes = await t.rest('GET', ticketPath, asSam);
    expect(withNotes.body.notes).toEqual([expect.objectContaining({ author: SAM, text: 'Checking both orders with the warehouse.' })]);

    // The transcript shows what the bot and the customer said.
    const transcript = await t.rest('GET', `/v1/agent/conversations/${c}/transcript`, asSam);
    expect(transcript.status).toBe(200);
    expect(transcript.body.status).toBe('handed_off');
    expect(transcript.body.messages.map((m: { role: string }) => m.role)).toEqual([
      'customer',
      'bot',
      'customer',
      'bot',
      'customer',
      'bot',
    ]);
    expect(transcript.body.messages[0].text).toBe('Hi, where is my order?');

    // Sam takes over; the customer's open stream shows his message.
    const subscription = t.chat.subscribe(c, { customerId: YARA.customerId, channel: 'web' }, lastEventId);
    const streamed: ChatEvent[] = [];
    const following = (async () => {
      for await (const e of subscription.events) streamed.push(e);
    })();
    const takenOver = await t.rest('POST', `/v1/agent/conversations/${c}/takeover`, asSam);
    expect(takenOver.body).toMatchObject({ status: 'agent', agentId: SAM });
    expect((await t.rest('POST', `/v1/agent/conversations/${c}/takeover`, asAlex)).status).toBe(409);
    const hello = await t.rest('POST', `/v1/agent/conversations/${c}/messages`, { ...asSam, json: { text: "Hi, I'm Sam from support" } });
    expect(hello.status).toBe(201);
    expect(hello.body.turnId).toBe('');
    const greeting = await waitFor(
      () => streamed.find((e) => e.kind === 'reply' && e.reply?.text === "Hi, I'm Sam from support"),
      'the agent message on the customer stream',
    );
    expect(greeting.reply).toMatchObject({ mode: 'agent', agentId: SAM });

    // The customer writes while Sam holds it: the bot stays silent, her Converse waits for Sam.
    const question = 'Thanks Sam, can you check the other order too?';
    const waiting = collect(
      t.chat.converse({
        clientMessageId: randomUUID(),
        conversationId: c,
        customerId: YARA.customerId,
        channel: 'web',
        locale: 'en-US',
        text: question,
      }),
    );
    const stored = await waitFor(async () => {
      const rows: Array<{ id: string; turn_id: string; content: string }> = (
        await t.db.query(`select id, turn_id, content from conversation.messages where conversation_id = $1 and role = 'customer'`, [c])
      ).rows;
      return rows.find((r) => t.plain(DEMO_TENANT, 'conversation.messages.content', r.content, r.id) === question);
    }, 'the customer turn stored');
    await waitFor(() => t.logs().includes('turn left to the agent holding the conversation'), 'the bot to leave the turn to the agent');
    const answer = await t.rest('POST', `/v1/agent/conversations/${c}/messages`, {
      ...asSam,
      json: { text: 'It is being processed and ships this week.' },
    });
    expect(answer.body.turnId).toBe(stored.turn_id);
    const turnEvents = await waiting;
    const replies = turnEvents.filter((e) => e.kind === 'reply');
    expect(replies).toHaveLength(1);
    expect(replies[0].reply).toMatchObject({ text: 'It is being processed and ships this week.', mode: 'agent', agentId: SAM });
    expect(turnEvents.at(-1)?.kind).toBe('completed');
    const bot = await t.db.query(`select count(*)::int as n from conversation.messages where turn_id = $1 and role = 'bot'`, [
      stored.turn_id,
    ]);
    expect(bot.rows[0].n).toBe(0);

    // Nothing but Sam spoke while he held the conversation.
    expect(streamed.filter((e) => e.kind === 'reply').map((e) => e.reply?.mode)).toEqual(['agent', 'agent']);

    // Hand back: the bot answers again, and Sam can no longer write.
    const handedBack = await t.rest('POST', `/v1/agent/conversations/${c}/handback`, asSam);
    expect(handedBack.body).toMatchObject({ status: 'bot' });
    const botAgain = await say(c, 'Hello');
    expect(botAgain.find((e) => e.kind === 'reply')?.reply?.mode).not.toBe('agent');
    const late = await t.rest('POST', `/v1/agent/conversations/${c}/messages`, { ...asSam, json: { text: 'one more thing' } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('NOT_HELD');
    subscription.cancel();
    await following;

    // Sam resolves the ticket; the lifecycle refuses to move it backwards, naming from and to.
    expect((await t.rest('POST', `${ticketPath}/status`, { ...asSam, json: { status: 'waiting_on_customer' } })).body.status).toBe(
      'waiting_on_customer',
    );
    const resolved = await t.rest('POST', `${ticketPath}/resolve`, { ...asSam, json: { resolution: 'Told her both order statuses.' } });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const backwards = await t.rest('POST', `${ticketPath}/status`, { ...asSam, json: { status: 'waiting_on_customer' } });
    expect(backwards.status).toBe(409);
    expect(backwards.body.error).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(backwards.body.error.message).toContain('from resolved to waiting_on_customer');

    const kinds = await waitFor(() => {
      const mine = ticketEvents.filter((e) => e.ticketId === listed.id).map((e) => e.kind.case);
      return mine.includes('resolved') ? mine : undefined;
    }, 'the ticket events');
    // claim: open → assigned; then → waiting_on_customer, → resolved.
    expect([...kinds].sort()).toEqual(['assigned', 'created', 'noteAdded', 'resolved', 'statusChanged', 'statusChanged', 'statusChanged']);
    expect(ticketEvents.every((e) => e.tenantId === DEMO_TENANT || e.ticketId !== listed.id)).toBe(true);
  });
});
