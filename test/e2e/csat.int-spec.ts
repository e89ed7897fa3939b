// Customer satisfaction end to end: an adapter rates a customer's conversation over gRPC
// (RateConversation); bad input is refused naming the field; another customer's conversation, or
// the right one on the wrong channel, is NOT_FOUND and nothing is stored; a repeat returns the first
// rating. The rating reaches analytics through conversation.events.v1, and a supervisor's question
// on POST /v1/analytics/ask counts it; an agent may not ask. With the tenant's survey setting on,
// the bot offers the survey when the customer closes ("thanks, that's all" / "谢谢，没有了") or an agent
// resolves the hand-off ticket, once, and records the customer's rating reply through the same path
// as RateConversation.
import { randomUUID } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import { waitFor } from '@switchboard/testing';
import type { ChatEvent } from '../../cli/src/chat/chat.client';
import { startTestStack, type TestStack } from '../support/test-stack';

const RUN = randomUUID().slice(0, 8);
const ANN = `cust-ann-${RUN}`;
const BOB = `cust-bob-${RUN}`;

const grpcError = async (call: Promise<unknown>): Promise<ServiceError> => {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('the call was expected to fail');
};

describe('CSAT ratings over gRPC', () => {
  let t: TestStack;
  let annConversation: string;

  beforeAll(async () => {
    t = await startTestStack();
    annConversation = (await t.say(ANN, undefined, 'Hello')).conversationId;
    await t.say(BOB, undefined, 'Hello');
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  const rate = (fields: Partial<{ conversationId: string; customerId: string; channel: string; rating: number; comment: string }>) =>
    t.chat.rateConversation({ conversationId: annConversation, customerId: ANN, channel: 'web', rating: 5, ...fields });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const tooHigh = await grpcError(rate({ rating: 6 }));
    expect(tooHigh.code).toBe(status.INVALID_ARGUMENT);
    expect(tooHigh.details).toMatch(/rating must be between 1 and 5/);
    expect((await grpcError(rate({ rating: 0 }))).details).toMatch(/rating/);
    expect((await grpcError(rate({ conversationId: 'not-a-uuid' }))).details).toMatch(/conversationId.*UUID/);
    expect((await grpcError(rate({ customerId: '' }))).details).toMatch(/customerId/);
    expect((await grpcError(rate({ comment: 'x'.repeat(1001) }))).details).toMatch(/comment.*1000/);
    expect((await t.db.query('select count(*)::int as n from conversation.ratings')).rows[0].n).toBe(0);
  });

  it("refuses another customer's conversation, and the right one on another channel", async () => {
    const stranger = await grpcError(rate({ customerId: BOB }));
    expect(stranger.code).toBe(status.NOT_FOUND);
    expect((await grpcError(rate({ channel: 'app' }))).code).toBe(status.NOT_FOUND);
    expect((await grpcError(rate({ conversationId: randomUUID() }))).code).toBe(status.NOT_FOUND);
    expect((await t.db.query('select count(*)::int as n from conversation.ratings')).rows[0].n).toBe(0);
  });

  it('records the rating once; a repeat returns the first', async () => {
    expect(await rate({ rating: 4, comment: 'Quick and polite' })).toEqual({
      conversationId: annConversation,
      rating: 4,
      duplicate: false,
    });
    expect(await rate({ rating: 1 })).toEqual({ conversationId: annConversation, rating: 4, duplicate: true });
    const { rows } = await t.db.query('select rating, comment from conversation.ratings where conversation_id = $1', [annConversation]);
    expect(rows).toHaveLength(1);
    expect(rows[0].rating).toBe(4);
    expect(rows[0].comment).toMatch(/^enc:/); // the customer's words are encrypted at rest
  });

  it("reaches analytics: a supervisor asks for today's CSAT; an agent may not ask", async () => {
    await waitFor(
      async () => (await t.db.query('select 1 from analytics.ratings where conversation_id = $1', [annConversation])).rows.length > 0,
      'the rating in analytics',
      60_000,
    );
    const supervisor = await t.signIn('demo', `sup-${RUN}`, 'supervisor', ['orders']);
    const answer = await t.rest('POST', '/v1/analytics/ask', { headers: supervisor.headers, json: { question: 'CSAT today' } });
    expect(answer.status).toBe(200);
    expect(answer.body.query).toMatchObject({ metric: 'csat', group_by: [], filters: {}, grain: null });
    expect(answer.body.rows).toEqual([expect.objectContaining({ value: 4, n: 1 })]);
    expect(answer.body.answer).toMatch(/4\.00/);
    const agent = await t.signIn('demo', `agent-${RUN}`, 'agent');
    expect((await t.rest('POST', '/v1/analytics/ask', { headers: agent.headers, json: { question: 'CSAT today' } })).status).toBe(403);
    const missing = await t.rest('POST', '/v1/analytics/ask', { headers: supervisor.headers, json: {} });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toMatch(/question/);

    // The same number as a structured query (what the console's overview sends); bad bodies name the field.
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const query = await t.rest('POST', '/v1/analytics/query', {
      headers: supervisor.headers,
      json: { query: { metric: 'csat', from: today, to: tomorrow }, language: 'zh' },
    });
    expect(query.status).toBe(200);
    expect(query.body.rows).toEqual([expect.objectContaining({ value: 4, n: 1 })]);
    expect(query.body.answer).toMatch(/满意度.*4\.00/);
    for (const [json, field] of [
      [{}, 'query'],
      [{ query: [] }, 'query'],
      [{ query: { metric: 'csat', from: today, to: tomorrow }, language: 'fr' }, 'language'],
    ] as const) {
      const bad = await t.rest('POST', '/v1/analytics/query', { headers: supervisor.headers, json });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain(field);
    }
    const refused = await t.rest('POST', '/v1/analytics/query', {
      headers: supervisor.headers,
      json: { query: { metric: 'csat', from: today, to: tomorrow, sql: 'select 1' } },
    });
    expect(refused.body).toMatchObject({ query: null, answer: expect.stringMatching(/sql: not a query field/) });

    // The tenant's time zone: readable by supervisors, set by admins only, a zone the runtime knows.
    expect((await t.rest('GET', '/v1/analytics/settings', { headers: supervisor.headers })).body).toEqual({ timeZone: 'UTC' });
    expect(
      (await t.rest('PUT', '/v1/analytics/settings', { headers: supervisor.headers, json: { timeZone: 'Asia/Shanghai' } })).status,
    ).toBe(403);
    const adminKey = await t.createApiKey('demo', ['kb:admin']);
    const badZone = await t.rest('PUT', '/v1/analytics/settings', { key: adminKey, json: { timeZone: 'Mars/Olympus' } });
    expect(badZone.status).toBe(400);
    expect(JSON.stringify(badZone.body)).toContain('timeZone');
    const set = await t.rest('PUT', '/v1/analytics/settings', { key: adminKey, json: { timeZone: 'europe/berlin' } });
    expect(set.body).toEqual({ timeZone: 'Europe/Berlin' });
    expect((await t.rest('GET', '/v1/analytics/settings', { headers: supervisor.headers })).body).toEqual({ timeZone: 'Europe/Berlin' });
    await t.rest('PUT', '/v1/analytics/settings', { key: adminKey, json: { timeZone: 'UTC' } });
  });

  it('offers the survey when the tenant turns it on and the customer closes, and records the reply as the rating', async () => {
    const admin = await t.signIn('demo', `admin-${RUN}`, 'admin');
    const agent = await t.signIn('demo', `agent-survey-${RUN}`, 'agent');
    expect((await t.rest('GET', '/v1/settings/survey', { headers: admin.headers })).body).toEqual({ offerOnResolve: false });
    const bad = await t.rest('PUT', '/v1/settings/survey', { headers: admin.headers, json: { offerOnResolve: 'yes', tenantId: 'other' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('offerOnResolve');
    expect(bad.body.error.message).toContain('tenantId');
    expect((await t.rest('PUT', '/v1/settings/survey', { headers: agent.headers, json: { offerOnResolve: true } })).status).toBe(403);

    // Off (the default): closing gets no offer.
    const offMessage = (await t.say(ANN, annConversation, "Thanks, that's all")).reply.text;
    expect(offMessage).not.toMatch(/rate this conversation/);

    const set = await t.rest('PUT', '/v1/settings/survey', { headers: admin.headers, json: { offerOnResolve: true } });
    expect([set.status, set.body]).toEqual([200, { offerOnResolve: true }]);
    try {
      const carol = `cust-carol-${RUN}`;
      const { conversationId } = await t.say(carol, undefined, 'Hello');
      const offer = await t.say(carol, conversationId, "Thanks, that's all");
      expect(offer.reply.text).toMatch(/How would you rate this conversation, from 1 \(poor\) to 5 \(great\)\? You can add a comment\./);
      const thanked = await t.say(carol, conversationId, '5 - quick and kind');
      expect(thanked.reply.text).toBe('Thank you for rating this conversation 5 out of 5.');
      const { rows } = await t.db.query('select rating, comment from conversation.ratings where conversation_id = $1', [conversationId]);
      expect(rows).toHaveLength(1);
      expect(rows[0].rating).toBe(5);
      expect(rows[0].comment).toMatch(/^enc:/);
      // The adapter's call meets the same rating; the survey is not offered again.
      expect(await t.chat.rateConversation({ conversationId, customerId: carol, channel: 'web', rating: 1 })).toEqual({
        conversationId,
        rating: 5,
        duplicate: true,
      });
      expect((await t.say(carol, conversationId, "Thanks, that's all")).reply.text).not.toMatch(/rate this conversation/);

      // In Chinese; a reply that is not a rating is a normal turn and drops the survey.
      const dan = `cust-dan-${RUN}`;
      const zh = await t.say(dan, undefined, '你好');
      expect((await t.say(dan, zh.conversationId, '谢谢，没有了')).reply.text).toMatch(/请为本次对话打分：1（很差）到 5（很好）/);
      expect((await t.say(dan, zh.conversationId, '我想问一下退货政策')).reply.text).not.toMatch(/感谢您的评价/);
      expect((await t.say(dan, zh.conversationId, '五星')).reply.text).not.toMatch(/感谢您的评价/);
      const danRatings = await t.db.query('select 1 from conversation.ratings where conversation_id = $1', [zh.conversationId]);
      expect(danRatings.rows).toHaveLength(0);

      // An agent resolves the hand-off ticket: the offer reaches the customer's stream, and their "4" is the rating.
      const erin = `cust-erin-${RUN}`;
      const handedOff = await t.say(erin, undefined, 'I would like to talk to a human agent please');
      expect(handedOff.handoff).toBeDefined();
      const ticketId = await waitFor(
        async () =>
          (await t.db.query('select id from ticketing.tickets where conversation_id = $1', [handedOff.conversationId])).rows[0]?.id as
            string | undefined,
        'the hand-off ticket',
        60_000,
      );
      const lastEventId = handedOff.events.find((e) => e.kind === 'completed')!.eventId;
      const subscription = t.chat.subscribe(handedOff.conversationId, { customerId: erin, channel: 'web' }, lastEventId);
      const streamed: ChatEvent[] = [];
      const following = (async () => {
        for await (const e of subscription.events) streamed.push(e);
      })();
      const resolved = await t.rest('POST', `/v1/agent/tickets/${ticketId}/resolve`, {
        headers: agent.headers,
        json: { resolution: 'Done.' },
      });
      expect(resolved.status).toBe(200);
      await waitFor(
        () => streamed.find((e) => e.kind === 'reply' && /marked your request as resolved\. How would you rate/.test(e.reply?.text ?? '')),
        "the survey on the customer's stream",
        60_000,
      );
      subscription.cancel();
      await following.catch(() => undefined);
      expect((await t.say(erin, handedOff.conversationId, '4')).reply.text).toBe('Thank you for rating this conversation 4 out of 5.');
    } finally {
      await t.rest('PUT', '/v1/settings/survey', { headers: admin.headers, json: { offerOnResolve: false } });
    }
  });
});
