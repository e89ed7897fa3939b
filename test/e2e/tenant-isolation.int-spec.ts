// Cross-tenant probes through every public API: a rival tenant, with keys of every scope, tries to
// read or change the demo tenant's conversations, tickets, settings, order data and events. It
// never sees or changes anything, and its own calls only ever touch its own data.
import { randomUUID } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import { Topics, type ConversationLifecycleEvent } from '@switchboard/contracts';
import { connectTestBus, waitFor } from '@switchboard/testing';
import { ChatClient, type ChatEvent, type CustomerMessage } from '../../cli/src/chat/chat.client';
import { startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

const message = (text: string, extra: Partial<CustomerMessage> = {}): CustomerMessage => ({
  clientMessageId: randomUUID(),
  customerId: `cust-iso-${RUN}`,
  channel: 'web',
  locale: 'en-US',
  text,
  ...extra,
});

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

describe('tenant isolation through every public API', () => {
  let t: TestStack;
  let rival: {
    id: string;
    chat: ChatClient;
    admin: string;
    agent: { headers: Record<string, string> };
    adminUser: { headers: Record<string, string> };
  };
  let demoAgent: { headers: Record<string, string> };
  let demoConversation: string;
  let sharedId: string;
  let demoTicket: string;
  const lifecycle: ConversationLifecycleEvent[] = [];
  let observer: { close: () => Promise<void> };

  beforeAll(async () => {
    t = await startTestStack();
    await t.ingestRetailPolicy();
    const id = `rival-${randomUUID().slice(0, 8)}`;
    const admin = await t.createTenant(id, ['chat', 'kb:admin']);
    rival = {
      id,
      admin,
      chat: new ChatClient(t.stack.grpcAddress, admin),
      agent: {
        headers: (await t.signIn(id, 'mallory', 'supervisor', ['customer-support', 'orders', 'escalations', 'support-zh'])).headers,
      },
      adminUser: { headers: (await t.signIn(id, 'root', 'admin')).headers },
    };
    demoAgent = { headers: (await t.signIn('demo', 'sam', 'agent')).headers };
    const events = await connectTestBus('e2e-isolation-observer', t.namespace);
    await events.bus.subscribe(Topics.conversationEvents, async ({ message: m }) => {
      lifecycle.push(m);
    });
    observer = events;

    // The demo tenant has a verified customer's conversation, handed to a person, with a ticket.
    const first = await collect(t.chat.converse(message('Where is my order? My email is yara.li6570@example.com')));
    demoConversation = first[0].conversationId;
    await collect(t.chat.converse(message('#W2497857', { conversationId: demoConversation })));
    await collect(t.chat.converse(message('I want to talk to a human agent', { conversationId: demoConversation })));
    demoTicket = (
      await waitFor(
        async () => (await t.db.query('select id from ticketing.tickets where conversation_id = $1', [demoConversation])).rows[0],
        'the demo ticket',
      )
    ).id;
  }, 180_000);

  afterAll(async () => {
    rival?.chat.close();
    await observer?.close();
    await t?.close();
  });

  it("cannot follow or write into another tenant's conversation over gRPC", async () => {
    // A second demo conversation, so the rival's probes never touch the one with the ticket.
    sharedId = (await collect(t.chat.converse(message('Where is my order? My email is yara.li6570@example.com'))))[0].conversationId;
    // Following it from the rival tenant: the conversation does not exist there.
    const probe = rival.chat.subscribe(sharedId, { customerId: `cust-iso-${RUN}`, channel: 'web' });
    const seen: ChatEvent[] = [];
    await expect(
      (async () => {
        for await (const e of probe.events) seen.push(e);
      })(),
    ).rejects.toMatchObject({ code: status.NOT_FOUND });
    // Writing with the same conversation id opens the rival's own conversation, nothing more.
    const own = await collect(rival.chat.converse(message('Where is my order?', { conversationId: sharedId })));
    expect(own.find((e) => e.kind === 'reply')!.reply!.text).not.toContain('#W2497857');
    expect(seen).toEqual([]);
    const demoMessages = await t.db.query(
      "select count(*)::int as n from conversation.messages where tenant_id = 'demo' and conversation_id = $1",
      [sharedId],
    );
    expect(demoMessages.rows[0].n).toBe(2);
  });

  it("sees none of another tenant's tickets, transcripts or take-overs", async () => {
    const asRival = rival.agent;
    const listed = await t.rest('GET', '/v1/agent/tickets', asRival);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(demoTicket);
    for (const [method, path] of [
      ['GET', `/v1/agent/tickets/${demoTicket}`],
      ['POST', `/v1/agent/tickets/${demoTicket}/claim`],
      ['POST', `/v1/agent/tickets/${demoTicket}/resolve`],
      ['GET', `/v1/agent/conversations/${demoConversation}/transcript`],
      ['POST', `/v1/agent/conversations/${demoConversation}/takeover`],
      ['GET', `/v1/agent/conversations/${demoConversation}/customer`],
    ] as const) {
      const res = await t.rest(method, path, method === 'GET' ? asRival : { ...asRival, json: {} });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    const write = await t.rest('POST', `/v1/agent/conversations/${demoConversation}/messages`, {
      ...asRival,
      json: { text: 'Give me your password' },
    });
    expect([404, 409]).toContain(write.status);
    // The demo ticket is still open and unassigned; the demo agent can claim it.
    const ticket = await t.rest('GET', `/v1/agent/tickets/${demoTicket}`, demoAgent);
    expect(ticket.body).toMatchObject({ status: 'open', assigneeId: '' });
  });

  it('reads and changes only its own settings, knowledge and webhooks', async () => {
    const policy = {
      rules: [{ name: 'rival_rule', direction: 'DIRECTION_OUTPUT', keywords: ['refund'], action: 'ACTION_BLOCK', safeReply: 'No.' }],
    };
    expect((await t.rest('PUT', '/v1/moderation/policy', { key: rival.admin, json: policy })).status).toBe(200);
    expect(JSON.stringify((await t.rest('GET', '/v1/moderation/policy', { key: t.apiKey })).body)).not.toContain('rival_rule');
    expect((await t.rest('PUT', '/v1/style-guide', { key: rival.admin, json: { tone: 'rude' } })).status).toBe(200);
    expect((await t.rest('GET', '/v1/style-guide', { key: t.apiKey })).body.tone ?? '').not.toBe('rude');
    const intents = await t.rest('PUT', '/v1/intents', {
      key: rival.admin,
      json: { csv: 'text,label\nhello there,greeting\nbye now,goodbye\n' },
    });
    expect(intents.status).toBe(200);
    expect((await t.rest('GET', '/v1/intents', { key: t.apiKey })).body.builtIn).toBe(true);
    expect(
      (
        await t.rest('POST', '/v1/webhooks', {
          key: rival.admin,
          json: { url: 'https://example.com/hook', secret: 'a-very-long-secret-value', eventTypes: [] },
        })
      ).status,
    ).toBeLessThan(300);
    expect((await t.rest('GET', '/v1/webhooks', { key: t.apiKey })).body.endpoints ?? []).toEqual([]);
    // Signed in as the rival's admin: users, keys and the audit log are the rival's own.
    const users = await t.rest('GET', '/v1/users', rival.adminUser);
    expect(users.body.users.map((u: { username: string }) => u.username).sort()).toEqual(['mallory', 'root']);
    const keys = await t.rest('GET', '/v1/api-keys', rival.adminUser);
    expect(keys.status).toBe(200);
    const demoKeys = await t.rest('GET', '/v1/api-keys', { key: t.apiKey });
    const demoKeyIds = new Set<string>(demoKeys.body.keys.map((k: { id: string }) => k.id));
    expect(keys.body.keys.some((k: { id: string }) => demoKeyIds.has(k.id))).toBe(false);
    for (const id of demoKeyIds) expect((await t.rest('DELETE', `/v1/api-keys/${id}`, rival.adminUser)).status).toBe(404);
    const search = await t.rest('POST', '/v1/search', { key: rival.admin, json: { query: 'cancel a pending order', limit: 5 } });
    expect(search.body.passages).toEqual([]);
    // A policy body naming another tenant is not obeyed: the key decides.
    const spoof = await t.rest('PUT', '/v1/moderation/policy', { key: rival.admin, json: { ...policy, tenantId: 'demo' } });
    expect(JSON.stringify((await t.rest('GET', '/v1/moderation/policy', { key: t.apiKey })).body)).not.toContain('rival_rule');
    expect(spoof.status).toBeLessThan(500);
  });

  it("cannot reach another tenant's orders through the bot", async () => {
    const first = await collect(rival.chat.converse(message('Where is my order? My email is yara.li6570@example.com')));
    const reply = first.find((e) => e.kind === 'reply')!.reply!;
    // The rival tenant has no reference data: no such customer, nothing revealed.
    expect(reply.text).not.toMatch(/W2497857|W3400144|Yara/);
  });

  it("keeps each tenant's events and records under its own tenant, even for the same conversation id", async () => {
    await waitFor(() => lifecycle.some((e) => e.tenantId === rival.id && e.conversationId === sharedId), "the rival's own events");
    const sameId = lifecycle.filter((e) => e.conversationId === sharedId);
    expect(new Set(sameId.map((e) => e.tenantId))).toEqual(new Set(['demo', rival.id]));
    const tickets = await t.db.query('select distinct tenant_id from ticketing.tickets where conversation_id = $1', [demoConversation]);
    expect(tickets.rows).toEqual([{ tenant_id: 'demo' }]);
    const messages = await t.db.query(
      'select tenant_id, count(*)::int as n from conversation.messages where conversation_id = $1 group by tenant_id order by tenant_id',
      [sharedId],
    );
    expect(messages.rows).toEqual(
      [
        { tenant_id: 'demo', n: 2 },
        { tenant_id: rival.id, n: 2 },
      ].sort((a, b) => a.tenant_id.localeCompare(b.tenant_id)),
    );
  });
  // Customers of one tenant (issue #12, items 1, 2 and 15). After the cross-tenant tests, which
  // count the demo conversation's messages.
  const customerB = `cust-iso-b-${RUN}`;
  const grpcCode = async (call: Promise<unknown>): Promise<{ code: number; details: string }> => {
    try {
      await call;
    } catch (error) {
      return { code: (error as ServiceError).code, details: (error as ServiceError).details };
    }
    throw new Error('the call was accepted');
  };
  const refusals = async (conversationId: string) =>
    (
      await t.db.query(
        "select action, outcome, detail, actor_kind from ticketing.audit_events where tenant_id = 'demo' and resource_type = 'conversation' and resource_id = $1 order by seq",
        [conversationId],
      )
    ).rows;

  it("refuses a message into or a subscription to another customer's conversation with NOT_FOUND, stores nothing and audits it", async () => {
    const stored = async () =>
      (
        await t.db.query("select count(*)::int as n from conversation.messages where tenant_id = 'demo' and conversation_id = $1", [
          sharedId,
        ])
      ).rows[0].n as number;
    const before = await stored();
    // Customer B, who knows A's conversation id, asks to cancel A's order: refused, whichever call.
    const hijack = message('Cancel my order #W2497857', { conversationId: sharedId, customerId: customerB });
    const sent = await grpcCode(t.chat.sendMessage(hijack));
    expect(sent).toEqual({ code: status.NOT_FOUND, details: `conversation ${sharedId} was not found` });
    expect(await grpcCode(collect(t.chat.converse({ ...hijack, clientMessageId: randomUUID() })))).toEqual(sent);
    // The same customer id on another channel is someone else too.
    expect((await grpcCode(t.chat.sendMessage(message('Cancel my order', { conversationId: sharedId, channel: 'sms' })))).code).toBe(
      status.NOT_FOUND,
    );
    // Following it answers exactly as for a conversation that does not exist.
    const unknown = randomUUID();
    const followOther = await grpcCode(collect(t.chat.subscribe(sharedId, { customerId: customerB, channel: 'web' }).events));
    const followUnknown = await grpcCode(collect(t.chat.subscribe(unknown, { customerId: customerB, channel: 'web' }).events));
    expect(followOther).toEqual({ code: status.NOT_FOUND, details: `conversation ${sharedId} was not found` });
    expect(followUnknown).toEqual({ code: status.NOT_FOUND, details: `conversation ${unknown} was not found` });

    // Give a wrongly accepted turn time to be stored before checking nothing was.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await stored()).toBe(before);
    expect(
      (
        await t.db.query("select count(*)::int as n from conversation.conversations where tenant_id = 'demo' and customer_id = $1", [
          customerB,
        ])
      ).rows[0].n,
    ).toBe(0);
    const audited = await waitFor(async () => {
      const rows = await refusals(sharedId);
      return rows.length >= 4 && rows;
    }, 'the refusals in the audit log');
    expect(audited).toEqual([
      ...Array(3).fill({
        action: 'conversation.message',
        outcome: 'refused',
        detail: 'CONVERSATION_OF_ANOTHER_CUSTOMER',
        actor_kind: 'api_key',
      }),
      { action: 'conversation.subscribe', outcome: 'refused', detail: 'CONVERSATION_OF_ANOTHER_CUSTOMER', actor_kind: 'api_key' },
    ]);
  });

  it("refuses a client_message_id reused by another customer, never answering with the first customer's ids or events", async () => {
    const clientMessageId = randomUUID();
    const first = await t.chat.sendMessage(message('What is your return policy?', { clientMessageId, conversationId: sharedId }));
    expect(first.duplicate).toBe(false);
    const reused = message('What is your return policy?', { clientMessageId, customerId: customerB });
    const refused = await grpcCode(t.chat.sendMessage(reused));
    expect(refused.code).toBe(status.ALREADY_EXISTS);
    expect(refused.details).toContain('client_message_id');
    expect(refused.details).not.toContain(first.conversationId);
    // Converse with the reused id replays nothing of A's turn: the refusal is the first answer.
    const replay: ChatEvent[] = [];
    await expect(
      (async () => {
        for await (const e of t.chat.converse(reused)) replay.push(e);
      })(),
    ).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
    expect(replay).toEqual([]);
    // A's own retry still gets A's ids.
    expect(await t.chat.sendMessage(message('What is your return policy?', { clientMessageId, conversationId: sharedId }))).toEqual({
      ...first,
      duplicate: true,
    });
    await waitFor(
      async () =>
        (
          await t.db.query(
            "select 1 from ticketing.audit_events where tenant_id = 'demo' and resource_type = 'client_message' and resource_id = $1 and detail = 'CLIENT_MESSAGE_ID_OF_ANOTHER_CUSTOMER'",
            [clientMessageId],
          )
        ).rows.length === 2,
      'both refusals audited',
    );
    expect(
      (
        await t.db.query("select count(*)::int as n from conversation.conversations where tenant_id = 'demo' and customer_id = $1", [
          customerB,
        ])
      ).rows[0].n,
    ).toBe(0);
  });

  it('caps open subscriptions of one conversation with RESOURCE_EXHAUSTED naming the limit, and feeds every open one', async () => {
    const owner = { customerId: `cust-iso-c-${RUN}`, channel: 'web' };
    const opened = await t.chat.sendMessage(message('Hello', { customerId: owner.customerId }));
    const streams = Array.from({ length: 10 }, () => t.chat.subscribe(opened.conversationId, owner));
    const seen = streams.map(() => [] as ChatEvent[]);
    const reading = streams.map((s, i) =>
      (async () => {
        for await (const e of s.events) seen[i].push(e);
      })(),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const eleventh = await grpcCode(collect(t.chat.subscribe(opened.conversationId, owner).events));
    expect(eleventh.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(eleventh.details).toContain('SUBSCRIPTIONS_PER_CONVERSATION');
    // Closing one frees its place.
    streams[0].cancel();
    await reading[0];
    await new Promise((r) => setTimeout(r, 500));
    const again = t.chat.subscribe(opened.conversationId, owner);
    const seenAgain: ChatEvent[] = [];
    const readingAgain = (async () => {
      for await (const e of again.events) seenAgain.push(e);
    })();
    await new Promise((r) => setTimeout(r, 1000));
    const turn = await t.chat.sendMessage(
      message('What is your return policy?', { customerId: owner.customerId, conversationId: opened.conversationId }),
    );
    const done = (events: ChatEvent[]) => events.some((e) => e.turnId === turn.turnId && e.kind === 'completed');
    await waitFor(() => [...seen.slice(1), seenAgain].every(done), 'the turn on every open subscription', 60_000);
    for (const s of [...streams.slice(1), again]) s.cancel();
    await Promise.all([...reading.slice(1), readingAgain]);
  });
  it('has the conversation service refuse a turn whose customer does not match the stored conversation', async () => {
    // A conversation from before the gateway kept owners: its owner record is missing, so the
    // gateway lets B claim it; the conversation service still knows it is A's and refuses the turn.
    const opened = await collect(t.chat.converse(message('Hello')));
    const conversationId = opened[0].conversationId;
    await t.db.query("delete from gateway.conversation_owners where tenant_id = 'demo' and conversation_id = $1", [conversationId]);
    const slipped = await t.chat.sendMessage(message('Cancel my order #W2497857', { conversationId, customerId: customerB }));
    // A turn the conversation service accepted would be stored within moments; give it ample time.
    await new Promise((r) => setTimeout(r, 5000));
    expect(
      (await t.db.query("select count(*)::int as n from conversation.messages where tenant_id = 'demo' and turn_id = $1", [slipped.turnId]))
        .rows[0].n,
    ).toBe(0);
    expect(
      (await t.db.query("select customer_id from conversation.conversations where tenant_id = 'demo' and id = $1", [conversationId])).rows,
    ).toEqual([{ customer_id: `cust-iso-${RUN}` }]);
  });
});
