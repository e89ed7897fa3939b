// Customer satisfaction end to end: an adapter rates a customer's conversation over gRPC
// (RateConversation); bad input is refused naming the field; another customer's conversation, or
// the right one on the wrong channel, is NOT_FOUND and nothing is stored; a repeat returns the first
// rating. The rating reaches analytics through conversation.events.v1, and a supervisor's question
// on POST /v1/analytics/ask counts it; an agent may not ask.
import { randomUUID } from 'node:crypto';
import { status, type ServiceError } from '@grpc/grpc-js';
import { waitFor } from '@switchboard/testing';
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
});
