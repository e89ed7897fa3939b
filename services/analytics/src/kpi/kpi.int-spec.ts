// Every KPI against a hand-built history published through the real Kafka to the analytics
// service (real Postgres): the answers below are worked out by hand from the timeline, including a
// come-back within 24 h, a come-back after 24 h but within 7 days, a come-back about another
// intent, a reopened ticket, an SLA miss and a ticket still open past its due time. Ticket events
// are published before the conversation events (cross-topic order must not matter), one event is
// replayed under a new message id (facts must not double), and another tenant's conversation must
// not leak in. Then the same facts answer a question over analytics.ask.v1, and an erasure clears
// the customer id while the counts stay.
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import {
  AnalyticsSettingsSchema,
  AskRequestSchema,
  FillKpiQueryResultSchema,
  GetAnalyticsSettingsRequestSchema,
  type FillKpiQueryRequest,
  type FillKpiQueryResult,
  ConversationLifecycleEventSchema,
  create,
  ErasureCommandSchema,
  Rpcs,
  TicketEventSchema,
  Topics,
  type ConversationLifecycleEvent,
  type ErasureReport,
  type MessageInitShape,
  type TicketEvent,
} from '@switchboard/contracts';
import { KafkaBus, RpcClient, serveRpc } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { AppModule } from '../app.module';
import { loadAnalyticsConfig } from '../config';
import { KpiRepository } from './kpi.repository';
import { KpiDaysRefresher } from './kpi-days.refresher';
import { RELATIVE_ERROR } from './kpi-days';
import { buildKpiSql } from './kpi-sql';
import { runKpi } from './run-kpi';
import { rebuildRollups } from '../facts/conversation-rollups';
import { METRICS, type KpiQuery } from './kpi-definitions';

const namespace = `${uniqueName('kpi').toLowerCase()}.`;
const TENANT = uniqueName('acme');
const OTHER = uniqueName('globex');
const SHANGHAI = uniqueName('shanghai');
const FROM = '2026-11-01';
const TO = '2026-11-08';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
let sql: Client;
const reports: ErasureReport[] = [];
const NO_LLM = (): FillKpiQueryResult => create(FillKpiQueryResultSchema, { mode: 'none' });
let model: (request: FillKpiQueryRequest) => FillKpiQueryResult = NO_LLM;
const asked: FillKpiQueryRequest[] = [];

const at = (day: number, time: string) => new Date(`2026-11-${String(day).padStart(2, '0')}T${time}Z`).toISOString();
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const conversationEvents: ConversationLifecycleEvent[] = [];
const ticketEvents: TicketEvent[] = [];
type Kind = MessageInitShape<typeof ConversationLifecycleEventSchema>['kind'];
type TicketKind = MessageInitShape<typeof TicketEventSchema>['kind'];

function lifecycle(tenantId: string, conversationId: string, occurredAt: string, kind: Kind): void {
  conversationEvents.push(create(ConversationLifecycleEventSchema, { tenantId, conversationId, eventId: randomUUID(), occurredAt, kind }));
}
function ticket(ticketId: string, occurredAt: string, kind: TicketKind): void {
  ticketEvents.push(create(TicketEventSchema, { tenantId: TENANT, ticketId, eventId: randomUUID(), occurredAt, kind }));
}

interface Conv {
  id: string;
  customer: string;
  channel: string;
  intent: string;
  locale: string;
}
const conv = (customer: string, channel: string, intent: string, locale = 'en-US'): Conv => ({
  id: randomUUID(),
  customer,
  channel,
  intent,
  locale,
});

/** A customer turn received at `received`, answered by the bot `frt` seconds later. */
function turn(c: Conv, received: string, frt: number, tenantId = TENANT): string {
  const replied = plus(received, frt);
  lifecycle(tenantId, c.id, replied, {
    case: 'turnCompleted',
    value: {
      turnId: randomUUID(),
      customerId: c.customer,
      channel: c.channel,
      intent: c.intent,
      answerMode: 'extractive',
      grounded: true,
      durationMs: BigInt(frt * 1000),
      locale: c.locale,
      receivedAt: received,
    },
  });
  return replied;
}
function handoff(c: Conv, when: string): void {
  lifecycle(TENANT, c.id, when, {
    case: 'handoffRequested',
    value: {
      turnId: randomUUID(),
      customerId: c.customer,
      channel: c.channel,
      reason: 'customer_asked',
      summary: 'never stored by analytics',
      locale: c.locale,
      intent: c.intent,
    },
  });
}
function agentReply(c: Conv, agentId: string, when: string): void {
  lifecycle(TENANT, c.id, when, { case: 'agentReplied', value: { agentId, customerId: c.customer, channel: c.channel } });
}
function rate(c: Conv, rating: number, when: string): void {
  lifecycle(TENANT, c.id, when, { case: 'rated', value: { customerId: c.customer, channel: c.channel, rating, hasComment: rating === 4 } });
}
function openTicket(c: Conv, department: string, created: string, dueInSeconds: number): string {
  const id = randomUUID();
  ticket(id, created, {
    case: 'created',
    value: {
      conversationId: c.id,
      customerId: c.customer,
      department,
      priority: 'normal',
      summary: 'never stored',
      reason: 'customer_asked',
      dueAt: plus(created, dueInSeconds),
      intent: c.intent,
      locale: c.locale,
      channel: c.channel,
    },
  });
  return id;
}

// The history (UTC). FRT = first response time; RT = resolution time.
const C1 = conv('cust-a', 'web', 'order_status'); // bot-resolved; cust-a is back (C8) after 24 h but within 7 days → not FCR
const C2 = conv('cust-b', 'web', 'refund_status'); // cust-b back about the same intent within 24 h (C3) → neither bot-resolved nor FCR
const C3 = conv('cust-b', 'app', 'refund_status'); // hand-off, agent-1 answers in 180 s, ticket resolved in time → FCR
const C4 = conv('cust-c', 'phone', 'cancel_order', 'zh-CN'); // hand-off, agent-2 answers in 600 s, ticket reopened → not FCR
const C5 = conv('cust-d', 'web', 'order_status'); // hand-off, ticket resolved after due (SLA breach); cust-d back on 11-09 → not FCR
const C6 = conv('cust-d', 'web', 'order_status'); // 11-09: outside the period, only a come-back for C5
const C7 = conv('cust-e', 'email', 'product_info'); // hand-off, ticket never resolved, past due → breach; unresolved
const C8 = conv('cust-a', 'web', 'order_status'); // bot-resolved, FCR
const C9 = conv('cust-c', 'web', 'order_status', 'zh'); // cust-c an hour after C4 but another intent: no come-back for C4; bot-resolved, FCR

beforeAll(async () => {
  // C1: FRT 4, last bot reply 10:05:02 → RT 302
  turn(C1, at(2, '10:00:00'), 4);
  turn(C1, at(2, '10:05:00'), 2);
  rate(C1, 5, at(2, '10:06:00'));
  // C2: FRT 10, RT 10
  turn(C2, at(2, '11:00:00'), 10);
  // C3: FRT 6; hand-off 20:00:06; agent 20:03:06 (180 s); ticket due in 1 h, resolved 20:30:06 → RT 1806
  const c3Reply = turn(C3, at(2, '20:00:00'), 6);
  handoff(C3, c3Reply);
  const k3 = openTicket(C3, 'orders', plus(c3Reply, 1), 3600);
  ticket(k3, at(2, '20:01:00'), { case: 'assigned', value: { agentId: 'agent-1' } });
  agentReply(C3, 'agent-1', plus(c3Reply, 180));
  ticket(k3, at(2, '20:30:06'), { case: 'resolved', value: { agentId: 'agent-1' } });
  rate(C3, 4, at(2, '20:31:00'));
  // C4: FRT 20; hand-off 09:00:20; agent 09:10:20 (600 s); resolved 09:30 (in time), reopened 12:00, resolved 14:00 → RT 18000
  const c4Reply = turn(C4, at(3, '09:00:00'), 20);
  handoff(C4, c4Reply);
  const k4 = openTicket(C4, 'support-zh', plus(c4Reply, 1), 3600);
  agentReply(C4, 'agent-2', plus(c4Reply, 600));
  ticket(k4, at(3, '09:30:00'), { case: 'resolved', value: { agentId: 'agent-2' } });
  ticket(k4, at(3, '12:00:00'), { case: 'statusChanged', value: { from: 'resolved', to: 'open', agentId: 'agent-2' } });
  ticket(k4, at(3, '14:00:00'), { case: 'resolved', value: { agentId: 'agent-2' } });
  rate(C4, 2, at(3, '14:10:00'));
  // C9: FRT 5, RT 5
  turn(C9, at(3, '10:00:00'), 5);
  // C8: FRT 2, RT 2
  turn(C8, at(4, '12:00:00'), 2);
  rate(C8, 3, at(4, '12:01:00'));
  // C5: FRT 3; hand-off 15:00:03; ticket due 15 min later, resolved 16:00:00 (late) → RT 3600
  const c5Reply = turn(C5, at(5, '15:00:00'), 3);
  handoff(C5, c5Reply);
  const k5 = openTicket(C5, 'customer-support', plus(c5Reply, 1), 900);
  ticket(k5, at(5, '16:00:00'), { case: 'resolved', value: { agentId: 'agent-1' } });
  // C7: FRT 30; hand-off; ticket due 4 h later, never resolved
  const c7Reply = turn(C7, at(6, '08:00:00'), 30);
  handoff(C7, c7Reply);
  openTicket(C7, 'customer-support', plus(c7Reply, 1), 4 * 3600);
  // C6 (11-09), and another tenant's conversation inside the period.
  turn(C6, at(9, '10:00:00'), 5);
  turn(conv('cust-z', 'web', 'order_status'), at(4, '09:00:00'), 1, OTHER);
  // A tenant in Shanghai (UTC+8): 23:30 on the 9th and 00:30 on the 10th there, both the 9th in UTC.
  turn(conv('cust-s', 'web', 'order_status'), at(9, '15:30:00'), 1, SHANGHAI);
  turn(conv('cust-t', 'web', 'order_status'), at(9, '16:30:00'), 1, SHANGHAI);

  database = await createTestDatabase();
  const config = loadAnalyticsConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
    // The tests fold dirty days in when they choose to.
    KPI_DAYS_REFRESH_S: '0',
  });
  app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
  await app.get(KafkaBus).start();
  driver = await connectTestBus('kpi-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
  // The generation service's side of a question, on the real bus: no LLM unless a test says otherwise.
  await serveRpc(driver.bus, Rpcs.generationFillKpiQuery, async (request) => model(request), quietLogger());
  await driver.bus.subscribe(Topics.erasureReports, async ({ message }) => void reports.push(message), { groupId: uniqueName('reports') });
  sql = new Client({ connectionString: database.url });
  await sql.connect();

  for (const e of ticketEvents) await driver.bus.publish(Topics.ticketEvents, e);
  for (const e of conversationEvents) await driver.bus.publish(Topics.conversationEvents, e, { conversationId: e.conversationId });
  // A replay under a new message id (so only the facts' own dedupe can catch it).
  await driver.bus.publish(Topics.conversationEvents, conversationEvents[0], { conversationId: conversationEvents[0].conversationId });
  const expected = conversationEvents.length + ticketEvents.length;
  await waitFor(
    async () => Number((await sql.query('select count(*)::int as n from analytics.processed_events')).rows[0].n) >= expected,
    `${expected} events folded`,
    60_000,
  );
});

afterAll(async () => {
  await sql?.end();
  await rpc?.stop();
  await driver?.close();
  await app?.close();
  await database?.drop();
});

const query = (metric: KpiQuery['metric'], extra: Partial<KpiQuery> = {}): KpiQuery => ({
  metric,
  group_by: [],
  filters: {},
  from: FROM,
  to: TO,
  grain: null,
  ...extra,
});
const run = (q: KpiQuery) => app.get(KpiRepository).run(TENANT, q, new Date('2026-12-01T00:00:00Z'));
const one = async (q: KpiQuery) => (await run(q))[0];

describe('KPIs over a hand-built history', () => {
  it("counts the 8 conversations started in the period (not the one after it, not the other tenant's, the replay once)", async () => {
    expect(await one(query('conversations'))).toEqual({ value: 8 });
    expect(await run(query('conversations', { grain: 'day' }))).toEqual([
      { period: '2026-11-02T00:00', value: 3 },
      { period: '2026-11-03T00:00', value: 2 },
      { period: '2026-11-04T00:00', value: 1 },
      { period: '2026-11-05T00:00', value: 1 },
      { period: '2026-11-06T00:00', value: 1 },
    ]);
  });

  it('transfer rate: 4 hand-offs (C3, C4, C5, C7) of 8; by channel web 1 of 5', async () => {
    expect((await one(query('transfer_rate'))).value).toBeCloseTo(0.5);
    const byChannel = await run(query('transfer_rate', { group_by: ['channel'] }));
    expect(byChannel.map((r) => [r.channel, r.value, r.n])).toEqual([
      ['app', 1, 1],
      ['email', 1, 1],
      ['phone', 1, 1],
      ['web', 0.2, 5],
    ]);
    expect((await one(query('transfer_rate', { filters: { language: ['zh'] } }))).value).toBeCloseTo(0.5);
  });

  it("bot resolution: C1, C8, C9 of 8 (C2 came back within 24 h; C1's come-back was later)", async () => {
    expect((await one(query('bot_resolution_rate'))).value).toBeCloseTo(3 / 8);
  });

  it('FCR: C3, C8, C9 of the 7 resolved (C1, C2, C5 came back within 7 days; C4 reopened; C7 unresolved)', async () => {
    const row = await one(query('fcr'));
    expect(row.value).toBeCloseTo(3 / 7);
    expect(row.n).toBe(7);
  });

  it('first response time: median of 2,3,4,5,6,10,20,30 s is 5.5, p90 23', async () => {
    expect(await one(query('first_response_time'))).toEqual({ value: 5.5, p90: expect.closeTo(23, 6), n: 8 });
  });

  it('human first response time: 180 and 600 s → median 390, p90 558; by agent', async () => {
    expect(await one(query('human_first_response_time'))).toEqual({ value: 390, p90: expect.closeTo(558, 6), n: 2 });
    expect(
      (await run(query('human_first_response_time', { group_by: ['agent'] }))).filter((r) => r.n).map((r) => [r.agent, r.value]),
    ).toEqual([
      ['agent-1', 180],
      ['agent-2', 600],
    ]);
  });

  it('resolution time: 2, 5, 10, 302, 1806, 3600, 18000 s → median 302, p90 9360 (C4 to its last resolution)', async () => {
    expect(await one(query('resolution_time'))).toEqual({ value: 302, p90: expect.closeTo(9360, 6), n: 7 });
  });

  it('CSAT: ratings 5, 4, 2, 3 → mean 3.5, half 4-5, 4 of 8 rated; web only: 5 and 3 of 5', async () => {
    expect(await one(query('csat'))).toEqual({ value: 3.5, share_4_5: 0.5, response_rate: 0.5, n: 4 });
    expect(await one(query('csat', { filters: { channel: ['web'] } }))).toEqual({ value: 4, share_4_5: 0.5, response_rate: 0.4, n: 2 });
  });

  it('tickets: 4 created; by department', async () => {
    expect(await one(query('tickets'))).toEqual({ value: 4 });
    expect((await run(query('tickets', { group_by: ['department'] }))).map((r) => [r.department, r.value])).toEqual([
      ['customer-support', 2],
      ['orders', 1],
      ['support-zh', 1],
    ]);
  });

  it('SLA breach: K5 resolved late and K7 still open past due, of 4 due (K4 met it before its reopen)', async () => {
    expect(await one(query('sla_breach_rate'))).toEqual({ value: 0.5, n: 4 });
  });

  it('answers a question over analytics.ask.v1 with the same numbers, a chart and its SVG', async () => {
    const result = await rpc.request(
      Rpcs.analyticsAsk,
      create(AskRequestSchema, {
        tenantId: TENANT,
        question: 'What was the transfer-to-human rate by channel last week?',
        now: '2026-11-10T12:00:00Z',
      }),
      { timeoutMs: 30_000 },
    );
    expect(result.answered).toBe(true);
    expect(JSON.parse(result.queryJson)).toEqual({
      metric: 'transfer_rate',
      group_by: ['channel'],
      filters: {},
      from: '2026-11-02',
      to: '2026-11-09',
      grain: null,
    });
    expect((JSON.parse(result.rowsJson) as Array<{ channel: string; value: number }>).map((r) => [r.channel, r.value])).toEqual([
      ['app', 1],
      ['email', 1],
      ['phone', 1],
      ['web', 0.2],
    ]);
    expect(JSON.parse(result.chartJson).series[0].data).toEqual([1, 1, 1, 0.2]);
    expect(result.chartSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    const refused = await rpc.request(
      Rpcs.analyticsAsk,
      create(AskRequestSchema, { tenantId: TENANT, question: 'transfer rate by region last week', now: '2026-11-10T12:00:00Z' }),
      { timeoutMs: 30_000 },
    );
    expect(refused.answered).toBe(false);
    expect(refused.answer).toMatch(/can't answer that yet.*region.*understood: the metric transfer_rate/);
    // A period past two years is refused in words, not failed and retried.
    const tooLong = await rpc.request(
      Rpcs.analyticsAsk,
      create(AskRequestSchema, { tenantId: TENANT, question: 'transfer rate in the last 99999999 days', now: '2026-11-10T12:00:00Z' }),
      { timeoutMs: 30_000 },
    );
    expect(tooLong).toMatchObject({
      answered: false,
      answer: expect.stringMatching(/can't answer that yet: from, to: a period of at most 731 days/),
    });
  });

  it('answers a structured query (the console overview) the same way, in the language asked, and refuses a bad one naming the field', async () => {
    const ask = (queryJson: string, language = '') =>
      rpc.request(Rpcs.analyticsAsk, create(AskRequestSchema, { tenantId: TENANT, queryJson, language, now: '2026-11-10T12:00:00Z' }), {
        timeoutMs: 30_000,
      });
    const query = { metric: 'transfer_rate', group_by: ['channel'], filters: {}, from: '2026-11-02', to: '2026-11-09', grain: null };
    const result = await ask(JSON.stringify(query), 'zh');
    expect(result.answered).toBe(true);
    expect(JSON.parse(result.queryJson)).toEqual(query);
    expect((JSON.parse(result.rowsJson) as Array<{ channel: string; value: number }>).map((r) => [r.channel, r.value])).toEqual([
      ['app', 1],
      ['email', 1],
      ['phone', 1],
      ['web', 0.2],
    ]);
    expect(result.answer).toMatch(/转人工率/);
    // Group-by and filters may be left out: the total.
    const total = await ask(JSON.stringify({ metric: 'conversations', from: '2026-11-02', to: '2026-11-09' }));
    expect(total.answer).toMatch(/^The conversations from 2026-11-02/);
    for (const [bad, problem] of [
      ['{', /query_json is not JSON/],
      ['[]', /query_json must be an object/],
      [JSON.stringify({ ...query, metric: 'revenue' }), /metric must be one of/],
      [JSON.stringify({ ...query, group_by: ['region'] }), /group_by: "region" must be one of/],
      [JSON.stringify({ ...query, sql: 'drop table x' }), /sql: not a query field/],
      [JSON.stringify({ ...query, from: '2026-11-09', to: '2026-11-02' }), /to must be after from/],
    ] as const) {
      const refused = await ask(bad);
      expect(refused).toMatchObject({ answered: false, answer: expect.stringMatching(problem) });
    }
  });

  it('keeps, event by event and in any order, the same rollups a rebuild from the facts gives', async () => {
    const rollups = async () =>
      (
        await sql.query(
          `select conversation_id, next_same_intent_at, ticket_count, tickets_unresolved, tickets_resolved_at, ticket_reopens
           from analytics.conversations where tenant_id = $1 order by conversation_id`,
          [TENANT],
        )
      ).rows;
    const incremental = await rollups();
    expect(incremental.filter((r: { next_same_intent_at: Date | null }) => r.next_same_intent_at !== null).length).toBeGreaterThan(0);
    expect(incremental.filter((r: { ticket_count: number }) => r.ticket_count > 0).length).toBe(4);
    await sql.query(
      `update analytics.conversations set next_same_intent_at = null, ticket_count = 0, tickets_unresolved = 0, tickets_resolved_at = null, ticket_reopens = 0 where tenant_id = $1`,
      [TENANT],
    );
    await rebuildRollups((text, params) => sql.query(text, params), TENANT);
    expect(await rollups()).toEqual(incremental);
  });

  it("counts a tenant's days in its own time zone once an admin sets it, for questions and queries alike", async () => {
    const ask = (fields: { question?: string; queryJson?: string }) =>
      rpc.request(Rpcs.analyticsAsk, create(AskRequestSchema, { tenantId: SHANGHAI, now: '2026-11-09T17:00:00Z', ...fields }), {
        timeoutMs: 30_000,
      });
    const byDay = JSON.stringify({ metric: 'conversations', from: '2026-11-09', to: '2026-11-11', grain: 'day' });
    // UTC until set: both on the 9th.
    expect(JSON.parse((await ask({ queryJson: byDay })).rowsJson)).toEqual([{ period: '2026-11-09T00:00', value: 2 }]);
    const settings = (timeZone: string) =>
      rpc.request(Rpcs.analyticsSettingsPut, create(AnalyticsSettingsSchema, { tenantId: SHANGHAI, timeZone }), { timeoutMs: 30_000 });
    expect((await settings('asia/shanghai')).timeZone).toBe('Asia/Shanghai');
    await expect(settings('Mars/Olympus')).rejects.toThrow(/time_zone must be an IANA time zone/);
    const stored = await rpc.request(Rpcs.analyticsSettingsGet, create(GetAnalyticsSettingsRequestSchema, { tenantId: SHANGHAI }), {
      timeoutMs: 30_000,
    });
    expect(stored.timeZone).toBe('Asia/Shanghai');
    expect(JSON.parse((await ask({ queryJson: byDay })).rowsJson)).toEqual([
      { period: '2026-11-09T00:00', value: 1 },
      { period: '2026-11-10T00:00', value: 1 },
    ]);
    // 17:00 UTC on the 9th is 01:00 on the 10th in Shanghai: "today" is the 10th there.
    const today = await ask({ question: 'how many conversations today?' });
    expect(JSON.parse(today.queryJson)).toMatchObject({ from: '2026-11-10', to: '2026-11-11' });
    expect(JSON.parse(today.rowsJson)).toEqual([{ value: 1 }]);
    // Other tenants keep UTC.
    const other = await rpc.request(Rpcs.analyticsSettingsGet, create(GetAnalyticsSettingsRequestSchema, { tenantId: OTHER }), {
      timeoutMs: 30_000,
    });
    expect(other.timeZone).toBe('UTC');
  });

  it("uses the LLM's query when generation has one, checked first, and the parser otherwise", async () => {
    const ask = async (question: string) =>
      rpc.request(Rpcs.analyticsAsk, create(AskRequestSchema, { tenantId: TENANT, question, now: '2026-11-10T12:00:00Z' }), {
        timeoutMs: 30_000,
      });
    try {
      // A question the parser cannot map, which the model can.
      model = (request) => {
        asked.push(request);
        return create(FillKpiQueryResultSchema, {
          mode: 'llm',
          queryJson: JSON.stringify({ metric: 'transfer_rate', group_by: ['channel'], from: '2026-11-02', to: '2026-11-09', grain: null }),
        });
      };
      const byModel = await ask('which channels pushed the most people to my team the week before last?');
      expect(byModel).toMatchObject({ answered: true, filledBy: 'llm' });
      expect((JSON.parse(byModel.rowsJson) as Array<{ channel: string; value: number }>).map((r) => [r.channel, r.value])).toEqual([
        ['app', 1],
        ['email', 1],
        ['phone', 1],
        ['web', 0.2],
      ]);
      expect(asked[0]).toMatchObject({ tenantId: TENANT, today: '2026-11-10', timeZone: 'UTC' });
      expect(JSON.parse(asked[0].querySchemaJson)).toMatchObject({ required: ['metric', 'from', 'to'] });
      // A query the rules refuse (here, SQL smuggled in) is not used: the parser answers instead.
      model = () =>
        create(FillKpiQueryResultSchema, {
          mode: 'llm',
          queryJson: JSON.stringify({ metric: 'csat', from: '2026-11-02', to: '2026-11-09', sql: 'drop table analytics.conversations' }),
        });
      const checked = await ask('transfer rate by channel last week');
      expect(checked).toMatchObject({ answered: true, filledBy: 'parser' });
      expect(JSON.parse(checked.queryJson)).toMatchObject({ metric: 'transfer_rate', group_by: ['channel'] });
    } finally {
      model = NO_LLM;
    }
    expect(await ask('transfer rate by channel last week')).toMatchObject({ filledBy: 'parser' });
  });

  it('stores no text of summaries', async () => {
    const { rows } = await sql.query(
      `select count(*)::int as n from information_schema.columns where table_schema = 'analytics' and column_name in ('summary', 'text', 'comment', 'content')`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('erasure clears the customer id, reports it, and leaves the counts', async () => {
    const requestId = randomUUID();
    await driver.bus.publish(
      Topics.erasureCommands,
      create(ErasureCommandSchema, {
        tenantId: TENANT,
        requestId,
        customerId: 'cust-b',
        reason: 'customer_request',
        requestedBy: 'dpo',
        requestedAt: new Date().toISOString(),
      }),
    );
    const report = await waitFor(
      () => reports.find((r) => r.requestId === requestId && r.service === 'analytics'),
      'the analytics erasure report',
      60_000,
    );
    expect(Object.fromEntries(Object.entries(report.removed).map(([k, v]) => [k, Number(v)]))).toEqual({
      'analytics.conversations.customer_id': 2,
      'analytics.tickets.customer_id': 1,
    });
    expect(
      (await sql.query(`select count(*)::int as n from analytics.conversations where tenant_id = $1 and customer_id = 'cust-b'`, [TENANT]))
        .rows[0].n,
    ).toBe(0);
    expect(await one(query('conversations'))).toEqual({ value: 8 });
  });
});

describe('day rollups', () => {
  const NOW = new Date('2026-12-01T00:00:00Z');
  const rows = async (text: string, params: unknown[]) => (await sql.query(text, params)).rows as Array<Record<string, unknown>>;
  /** What the service answers (rollups where they can), read in one snapshot as the repository does. */
  const answer = async (tenant: string, q: KpiQuery, timeZone = 'UTC') => {
    await sql.query('begin isolation level repeatable read');
    try {
      return await runKpi(rows, tenant, q, NOW, timeZone);
    } finally {
      await sql.query('commit');
    }
  };
  const fromFacts = async (tenant: string, q: KpiQuery, timeZone = 'UTC') => {
    const built = buildKpiSql(tenant, q, NOW, timeZone);
    return rows(built.sql, built.params);
  };
  /** Same rows, same keys; numbers equal, or within the rollups' 1% for durations. */
  const expectSame = (actual: Array<Record<string, unknown>>, expected: Array<Record<string, unknown>>, what: string) => {
    expect([what, actual.length]).toEqual([what, expected.length]);
    actual.forEach((row, i) => {
      expect([what, Object.keys(row).sort()]).toEqual([what, Object.keys(expected[i]).sort()]);
      for (const [key, value] of Object.entries(row)) {
        const want = expected[i][key];
        if (typeof want === 'number' && typeof value === 'number') {
          expect([what, key, Math.abs(value - want) <= RELATIVE_ERROR * Math.abs(want) + 1e-9]).toEqual([what, key, true]);
        } else expect([what, key, value]).toEqual([what, key, want]);
      }
    });
  };
  const refresh = () => app.get(KpiDaysRefresher).refreshAll();
  const dirtyMarks = async (tenant: string) =>
    Number((await sql.query('select count(*)::int as n from analytics.kpi_dirty where tenant_id = $1', [tenant])).rows[0].n);

  it('answers from the day rollups what the facts answer: counts exactly, durations within 1%', async () => {
    expect((await answer(TENANT, query('conversations'))).source).toBe('facts'); // nothing rolled up yet
    expect(await dirtyMarks(TENANT)).toBeGreaterThan(0);
    await refresh();
    expect(await dirtyMarks(TENANT)).toBe(0);
    const variants: Array<Partial<KpiQuery>> = [
      {},
      { group_by: ['channel'] },
      { group_by: ['agent'] },
      { filters: { language: ['zh'] } },
      { group_by: ['intent'], filters: { intent: ['order_status', 'refund_status'] } },
      { grain: 'day' },
      { grain: 'week', group_by: ['channel'] },
      { from: '2026-10-01', to: '2026-12-01', grain: 'month' },
    ];
    // Every metric but the two the rollups leave to the tickets.
    const metrics = METRICS.filter((m) => m !== 'tickets' && m !== 'sla_breach_rate');
    for (const metric of metrics)
      for (const variant of variants) {
        const q = query(metric, variant);
        const got = await answer(TENANT, q);
        expect([metric, variant, got.source]).toEqual([metric, variant, 'rollups']);
        expectSame(got.rows, await fromFacts(TENANT, q), `${metric} ${JSON.stringify(variant)}`);
      }
    // The hand-worked answers above, now from the rollups.
    expect((await answer(TENANT, query('conversations'))).rows).toEqual([{ value: 8 }]);
    expect((await answer(TENANT, query('fcr'))).rows[0]).toEqual({ value: expect.closeTo(3 / 7, 9), n: 7 });
    // Two dimensions at once, hours, and ticket metrics: from the facts.
    expect((await answer(TENANT, query('transfer_rate', { group_by: ['channel'], filters: { language: ['zh'] } }))).source).toBe('facts');
    expect((await answer(TENANT, query('conversations', { grain: 'hour' }))).source).toBe('facts');
    expect((await answer(TENANT, query('tickets'))).source).toBe('facts');
  });

  it('reads a day changed since the refresh from the facts at once, and folds it in at the next refresh', async () => {
    const tenant = uniqueName('fresh');
    const started = (hour: number) => `2026-11-03T${String(hour).padStart(2, '0')}:00:00Z`;
    const insert = (id: string, hour: number, frt: number) =>
      sql.query(
        `insert into analytics.conversations (tenant_id, conversation_id, customer_id, channel, intent, started_at, first_reply_at, last_reply_at)
         values ($1, $2, 'cust', 'web', 'order_status', $3, $3::timestamptz + $4 * interval '1 second', $3::timestamptz + $4 * interval '1 second')`,
        [tenant, id, started(hour), frt],
      );
    const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await insert(a, 9, 2);
    await insert(b, 10, 4);
    await insert(c, 11, 6);
    await refresh();
    expect(await dirtyMarks(tenant)).toBe(0);
    const frt = query('first_response_time', { from: '2026-11-01', to: '2026-11-08' });
    expect((await answer(tenant, frt)).rows).toEqual([{ value: expect.closeTo(4, 0), p90: expect.closeTo(5.6, 0), n: 3 }]);

    // A rating, then a new conversation, on the rolled-up day: each counted at once, from the facts.
    await sql.query('update analytics.conversations set rating = 5 where tenant_id = $1 and conversation_id = $2', [tenant, a]);
    const csat = query('csat', { from: '2026-11-01', to: '2026-11-08' });
    expect(await answer(tenant, csat)).toEqual({ source: 'rollups', rows: [{ value: 5, share_4_5: 1, response_rate: 1 / 3, n: 1 }] });
    await insert(d, 12, 30);
    let got = await answer(tenant, csat);
    expect(got).toEqual({ source: 'rollups', rows: [{ value: 5, share_4_5: 1, response_rate: 0.25, n: 1 }] });
    expect((await answer(tenant, frt)).rows).toEqual([{ value: expect.closeTo(5, 1), p90: expect.closeTo(22.8, 0), n: 4 }]);
    expect(await dirtyMarks(tenant)).toBeGreaterThan(0);

    await refresh();
    expect(await dirtyMarks(tenant)).toBe(0);
    got = await answer(tenant, csat);
    expect(got).toEqual({ source: 'rollups', rows: [{ value: 5, share_4_5: 1, response_rate: 0.25, n: 1 }] });
    expectSame((await answer(tenant, frt)).rows, await fromFacts(tenant, frt), 'after the second refresh');

    // A deleted conversation (retention) leaves the day at once.
    await sql.query('delete from analytics.conversations where tenant_id = $1 and conversation_id = $2', [tenant, d]);
    expect((await answer(tenant, query('conversations', { from: '2026-11-01', to: '2026-11-08' }))).rows).toEqual([{ value: 3 }]);
  });

  it('re-cuts the days when the tenant changes its time zone, and answers from the facts until then', async () => {
    const tenant = uniqueName('zoned');
    // 20:00 UTC on the 3rd is 04:00 on the 4th in Shanghai.
    for (const [at, id] of [
      ['2026-11-03T10:00:00Z', randomUUID()],
      ['2026-11-03T20:00:00Z', randomUUID()],
    ])
      await sql.query(`insert into analytics.conversations (tenant_id, conversation_id, started_at) values ($1, $2, $3)`, [tenant, id, at]);
    await refresh();
    const byDay = query('conversations', { from: '2026-11-01', to: '2026-11-08', grain: 'day' });
    expect(await answer(tenant, byDay)).toEqual({ source: 'rollups', rows: [{ period: '2026-11-03T00:00', value: 2 }] });

    await sql.query(`insert into analytics.tenant_settings (tenant_id, time_zone) values ($1, 'Asia/Shanghai')`, [tenant]);
    const shanghai = [
      { period: '2026-11-03T00:00', value: 1 },
      { period: '2026-11-04T00:00', value: 1 },
    ];
    expect(await answer(tenant, byDay, 'Asia/Shanghai')).toEqual({ source: 'facts', rows: shanghai });
    await refresh();
    expect(await answer(tenant, byDay, 'Asia/Shanghai')).toEqual({ source: 'rollups', rows: shanghai });
    expect(await dirtyMarks(tenant)).toBe(0);
  });
});
