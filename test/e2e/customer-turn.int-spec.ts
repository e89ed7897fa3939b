// One customer turn end to end, through every service, over the public gRPC API. Every turn here is
// traced (TRACE_SAMPLE_RATE=1), and `switchboard trace` shows where one spent its time.
import { randomUUID } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import Redis from 'ioredis';
import { readTrace } from '@switchboard/messaging';
import { waitFor } from '@switchboard/testing';
import { renderTrace } from '../../cli/src/commands/trace.command';
import { ChatClient, type ChatEvent, type CustomerMessage } from '../../cli/src/chat/chat.client';
import { startTestStack, type TestStack } from '../support/test-stack';

// Customer ids are per run, so a run never meets an earlier run's records of a customer.
const RUN = randomUUID().slice(0, 8);

const message = (text: string, extra: Partial<CustomerMessage> = {}): CustomerMessage => ({
  clientMessageId: randomUUID(),
  customerId: `cust-e2e-${RUN}`,
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

describe('a customer turn through every service', () => {
  let t: TestStack;
  let redis: Redis;

  beforeAll(async () => {
    t = await startTestStack({ env: { TRACE_SAMPLE_RATE: '1' } });
    redis = t.redis();
    expect(await t.ingestRetailPolicy()).toBeGreaterThan(5);
  }, 120_000);

  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
  });

  it('answers a return question from the retail policy, with sources, over Converse', async () => {
    const events = await collect(t.chat.converse(message('How do I return an item from a delivered order?')));
    expect(events.map((e) => e.kind)).toEqual(['accepted', 'reply', 'completed']);
    const reply = events[1].reply!;
    expect(reply.grounded).toBe(true);
    expect(reply.mode).toBe('extractive');
    expect(reply.text).toMatch(/return/i);
    expect(reply.sources.map((s) => s.title).join(' | ')).toMatch(/Return delivered order/i);

    const stored = await t.db.query(`select id, role, content from conversation.messages where conversation_id = $1 order by created_at`, [
      events[0].conversationId,
    ]);
    expect(stored.rows.map((r) => r.role)).toEqual(['customer', 'bot']);
    expect(t.plain('demo', 'conversation.messages.content', stored.rows[1].content, stored.rows[1].id)).toBe(reply.text);
  });

  it('records where a sampled turn spent its time: every hop, by service, linked to the turn', async () => {
    const events = await collect(t.chat.converse(message('Can I exchange an item for a different size?')));
    const turnId = events[0].turnId;
    const spans = await waitFor(async () => {
      const found = await readTrace(redis, 'demo', turnId);
      return found.some((s) => s.topic === 'conversation.outbound.v1' && s.service === 'gateway') ? found : undefined;
    }, 'the reply reaching the gateway, recorded');
    const hops = spans.map((s) => `${s.service} ${s.topic}`);
    expect(hops[0]).toBe('conversation conversation.inbound.v1');
    expect(spans[0].messageId).toBe(turnId);
    for (const hop of ['moderation moderation.check.v1', 'retrieval retrieval.search.v1', 'gateway conversation.outbound.v1'])
      expect(hops).toContain(hop);
    // Every later hop descends from the turn's message.
    const ids = new Set(spans.map((s) => s.messageId));
    for (const s of spans.slice(1)) expect(ids.has(s.causationId!)).toBe(true);
    console.log(renderTrace(spans).join('\n'));
  });

  it('keeps a conversation across turns and says honestly when the policy has no answer', async () => {
    const first = await collect(t.chat.converse(message('Can I cancel a pending order?')));
    const conversationId = first[0].conversationId;
    expect(first[1].reply!.text).toMatch(/cancel/i);
    const second = await collect(t.chat.converse(message("What's the weather in Paris tomorrow?", { conversationId })));
    expect(second[0].conversationId).toBe(conversationId);
    expect(second[1].reply!.grounded).toBe(false);
    expect(second[1].reply!.text).toMatch(/couldn't find an answer/i);
    const count = await t.db.query('select count(*)::int as n from conversation.messages where conversation_id = $1', [conversationId]);
    expect(count.rows[0].n).toBe(4);
  });

  it('accepts a retried SendMessage once and streams its reply to a subscriber', async () => {
    const first = await t.chat.sendMessage(message('placeholder to open the conversation'));
    const subscription = t.chat.subscribe(first.conversationId, { customerId: `cust-e2e-${RUN}`, channel: 'web' });
    const seen: ChatEvent[] = [];
    const reading = (async () => {
      for await (const e of subscription.events) seen.push(e);
    })();
    // The subscription starts at "now"; give it a moment to be in place.
    await new Promise((r) => setTimeout(r, 300));

    const retried = message('Can I exchange an item for a different size?', { conversationId: first.conversationId });
    const a = await t.chat.sendMessage(retried);
    const b = await t.chat.sendMessage(retried);
    expect(b).toEqual({ ...a, duplicate: true });
    expect(a.duplicate).toBe(false);

    await waitFor(
      () => seen.some((e) => e.turnId === a.turnId && e.kind === 'completed'),
      'the retried turn to complete on the subscription',
    );
    subscription.cancel();
    await reading;
    expect(seen.find((e) => e.turnId === a.turnId && e.kind === 'reply')!.reply!.text).toMatch(/exchange/i);
    const stored = await t.db.query(`select count(*)::int as n from conversation.messages where turn_id = $1 and role = 'customer'`, [
      a.turnId,
    ]);
    expect(stored.rows[0].n).toBe(1);
  });

  it('hands off to a human with a ticket whose summary carries no PII', async () => {
    const events = await collect(t.chat.converse(message('My email is jane.doe@example.com, please let me talk to a human agent')));
    expect(events.map((e) => e.kind)).toEqual(['accepted', 'reply', 'handoff', 'completed']);
    expect(events[2].handoff!.reason).toBe('customer_asked');
    const conversationId = events[0].conversationId;
    const ticket = await waitFor(
      async () =>
        (
          await t.db.query('select id, department, priority, status, summary from ticketing.tickets where conversation_id = $1', [
            conversationId,
          ])
        ).rows[0],
      'a ticket for the hand-off',
    );
    expect(ticket).toMatchObject({ department: 'customer-support', priority: 'normal', status: 'open' });
    const summary = t.plain('demo', 'ticketing.tickets.summary', ticket.summary, ticket.id);
    expect(summary).toContain('[EMAIL]');
    expect(summary).not.toContain('jane.doe@example.com');
    const conv = await t.db.query('select status from conversation.conversations where id = $1', [conversationId]);
    expect(conv.rows[0].status).toBe('handed_off');
  });

  describe('bad requests', () => {
    const customerId = `bad-requests-${randomUUID()}`;
    const storedFor = async () =>
      (await t.db.query('select count(*)::int as n from conversation.conversations where customer_id = $1', [customerId])).rows[0]
        .n as number;

    it('rejects a malformed message with INVALID_ARGUMENT naming the fields, storing nothing', async () => {
      const bad = message('', { customerId, conversationId: 'not-a-uuid', channel: 'Web Chat' });
      const error = (await t.chat.sendMessage(bad).catch((e: unknown) => e)) as ServiceError;
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toBe(
        'message.conversation_id must be a UUID; message.channel must be 1-32 lowercase letters, digits, _ or -; message.text is required',
      );
      const missing = (await t.chat.sendMessage(null).catch((e: unknown) => e)) as ServiceError;
      expect(missing.code).toBe(status.INVALID_ARGUMENT);
      expect(missing.details).toBe('message is required');
      expect(await redis.exists(`t:demo:idem:${bad.clientMessageId}`)).toBe(0);
      // Give a wrongly accepted message time to arrive before checking nothing was stored.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await storedFor()).toBe(0);
    });

    it('rejects a wrong or missing API key with UNAUTHENTICATED, storing nothing', async () => {
      const stranger = new ChatClient(t.stack.grpcAddress, 'sb_demo_thisIsNotARealKeyAtAll000000');
      const anonymous = new ChatClient(t.stack.grpcAddress, '');
      try {
        const wrong = (await stranger.sendMessage(message('hello', { customerId })).catch((e: unknown) => e)) as ServiceError;
        expect(wrong.code).toBe(status.UNAUTHENTICATED);
        expect(wrong.details).toBe('invalid API key');
        const none = (await anonymous.sendMessage(message('hello', { customerId })).catch((e: unknown) => e)) as ServiceError;
        expect(none.code).toBe(status.UNAUTHENTICATED);
        expect(none.details).toMatch(/missing API key/);
        const streamError = (await collect(stranger.converse(message('hello', { customerId }))).catch((e: unknown) => e)) as ServiceError;
        expect(streamError.code).toBe(status.UNAUTHENTICATED);
      } finally {
        stranger.close();
        anonymous.close();
      }
      await new Promise((r) => setTimeout(r, 1500));
      expect(await storedFor()).toBe(0);
    });
  });
});
