// Cross-tenant probes through every public API: a rival tenant, with keys of every scope, tries to
// read or change the demo tenant's conversations, tickets, settings, order data and events. It
// never sees or changes anything, and its own calls only ever touch its own data.
import { randomUUID } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import { Topics, type ConversationLifecycleEvent } from '@switchboard/contracts';
import { connectTestBus, waitFor } from '@switchboard/testing';
import { ChatClient, type ChatEvent, type CustomerMessage } from '../../cli/src/chat/chat.client';
import { startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run: Redis (shared by every run) remembers verified customers by id.
const RUN = randomUUID().slice(0, 8);

const message = (text: string, extra: Partial<CustomerMessage> = {}): CustomerMessage => ({
  clientMessageId: randomUUID(), customerId: `cust-iso-${RUN}`, channel: 'web', locale: 'en-US', text, ...extra,
});

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

describe('tenant isolation through every public API', () => {
  let t: TestStack;
  let rival: { id: string; chat: ChatClient; admin: string; agent: { headers: Record<string, string> }; adminUser: { headers: Record<string, string> } };
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
      id, admin, chat: new ChatClient(t.stack.grpcAddress, admin),
      agent: { headers: (await t.signIn(id, 'mallory', 'supervisor', ['customer-support', 'orders', 'escalations', 'support-zh'])).headers },
      adminUser: { headers: (await t.signIn(id, 'root', 'admin')).headers },
    };
    demoAgent = { headers: (await t.signIn('demo', 'sam', 'agent')).headers };
    const events = await connectTestBus('e2e-isolation-observer', t.namespace);
    await events.bus.subscribe(Topics.conversationEvents, async ({ message: m }) => { lifecycle.push(m); });
    observer = events;

    // The demo tenant has a verified customer's conversation, handed to a person, with a ticket.
    const first = await collect(t.chat.converse(message('Where is my order? My email is yara.li6570@example.com')));
    demoConversation = first[0].conversationId;
    await collect(t.chat.converse(message('#W2497857', { conversationId: demoConversation })));
    await collect(t.chat.converse(message('I want to talk to a human agent', { conversationId: demoConversation })));
    demoTicket = (await waitFor(async () => (await t.db.query('select id from ticketing.tickets where conversation_id = $1', [demoConversation])).rows[0], 'the demo ticket')).id;
  }, 180_000);

  afterAll(async () => {
    rival?.chat.close();
    await observer?.close();
    await t?.close();
  });

  it("cannot follow or write into another tenant's conversation over gRPC", async () => {
    // A second demo conversation, so the rival's probes never touch the one with the ticket.
    sharedId = (await collect(t.chat.converse(message('Where is my order? My email is yara.li6570@example.com'))))[0].conversationId;
    const subscribing = rival.chat.subscribe(sharedId);
    const seen: ChatEvent[] = [];
    const reading = (async () => {
      try {
        for await (const e of subscribing.events) seen.push(e);
      } catch (error) {
        if ((error as ServiceError).code !== status.CANCELLED) throw error;
      }
    })();
    // Writing with the same conversation id opens the rival's own conversation, nothing more.
    const own = await collect(rival.chat.converse(message('Where is my order?', { conversationId: sharedId })));
    expect(own.find((e) => e.kind === 'reply')!.reply!.text).not.toContain('#W2497857');
    await new Promise((r) => setTimeout(r, 500));
    subscribing.cancel();
    await reading;
    // The rival sees its own turn's events, never the demo customer's messages or replies.
    expect(JSON.stringify(seen)).not.toMatch(/W2497857|yara|Yara/);
    const demoMessages = await t.db.query("select count(*)::int as n from conversation.messages where tenant_id = 'demo' and conversation_id = $1", [sharedId]);
    expect(demoMessages.rows[0].n).toBe(2);
  });

  it("sees none of another tenant's tickets, transcripts or take-overs", async () => {
    const asRival = rival.agent;
    const listed = await t.rest('GET', '/v1/agent/tickets', asRival);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(demoTicket);
    for (const [method, path] of [
      ['GET', `/v1/agent/tickets/${demoTicket}`], ['POST', `/v1/agent/tickets/${demoTicket}/claim`], ['POST', `/v1/agent/tickets/${demoTicket}/resolve`],
      ['GET', `/v1/agent/conversations/${demoConversation}/transcript`], ['POST', `/v1/agent/conversations/${demoConversation}/takeover`],
      ['GET', `/v1/agent/conversations/${demoConversation}/customer`],
    ] as const) {
      const res = await t.rest(method, path, method === 'GET' ? asRival : { ...asRival, json: {} });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    const write = await t.rest('POST', `/v1/agent/conversations/${demoConversation}/messages`, { ...asRival, json: { text: 'Give me your password' } });
    expect([404, 409]).toContain(write.status);
    // The demo ticket is still open and unassigned; the demo agent can claim it.
    const ticket = await t.rest('GET', `/v1/agent/tickets/${demoTicket}`, demoAgent);
    expect(ticket.body).toMatchObject({ status: 'open', assigneeId: '' });
  });

  it("reads and changes only its own settings, knowledge and webhooks", async () => {
    const policy = { rules: [{ name: 'rival_rule', direction: 'DIRECTION_OUTPUT', keywords: ['refund'], action: 'ACTION_BLOCK', safeReply: 'No.' }] };
    expect((await t.rest('PUT', '/v1/moderation/policy', { key: rival.admin, json: policy })).status).toBe(200);
    expect(JSON.stringify((await t.rest('GET', '/v1/moderation/policy', { key: t.apiKey })).body)).not.toContain('rival_rule');
    expect((await t.rest('PUT', '/v1/style-guide', { key: rival.admin, json: { tone: 'rude' } })).status).toBe(200);
    expect((await t.rest('GET', '/v1/style-guide', { key: t.apiKey })).body.tone ?? '').not.toBe('rude');
    const intents = await t.rest('PUT', '/v1/intents', { key: rival.admin, json: { csv: 'text,label\nhello there,greeting\nbye now,goodbye\n' } });
    expect(intents.status).toBe(200);
    expect((await t.rest('GET', '/v1/intents', { key: t.apiKey })).body.builtIn).toBe(true);
    expect((await t.rest('POST', '/v1/webhooks', { key: rival.admin, json: { url: 'https://example.com/hook', secret: 'a-very-long-secret-value', eventTypes: [] } })).status).toBeLessThan(300);
    expect((await t.rest('GET', '/v1/webhooks', { key: t.apiKey })).body.endpoints ?? []).toEqual([]);
    // Signed in as the rival's admin: users, keys and the audit log are the rival's own.
    const users = await t.rest('GET', '/v1/users', rival.adminUser);
    expect(users.body.users.map((u: { username: string }) => u.username).sort()).toEqual(['mallory', 'root']);
    const keys = await t.rest('GET', '/v1/api-keys', rival.adminUser);
    expect(keys.status).toBe(200);
    const demoKeys = await t.rest('GET', '/v1/api-keys', { key: t.apiKey });
    const demoKeyIds = new Set(demoKeys.body.keys.map((k: { id: string }) => k.id));
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
    const messages = await t.db.query('select tenant_id, count(*)::int as n from conversation.messages where conversation_id = $1 group by tenant_id order by tenant_id', [sharedId]);
    expect(messages.rows).toEqual([{ tenant_id: 'demo', n: 2 }, { tenant_id: rival.id, n: 2 }].sort((a, b) => a.tenant_id.localeCompare(b.tenant_id)));
  });
});
