// The bot's satisfaction survey on the real Postgres and Kafka (the whole path over gRPC is
// test/e2e/csat.int-spec.ts): offered only when the tenant wants it and the customer closes a
// conversation the bot answered, at most once, never after a rating; the customer's next message,
// when it is a rating, is recorded through the same path as conversation.rate.v1 (once, their own
// conversation, one `rated` event); anything else drops the survey. An agent resolving the hand-off
// ticket (ticket.events.v1 `resolved`) offers it on the customer's stream, under the same rules.
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  create,
  InboundTurnSchema,
  RateConversationCommandSchema,
  Rpcs,
  TicketEventSchema,
  Topics,
  type ConversationLifecycleEvent,
  type OutboundEvent,
} from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { KafkaBus, RpcClient } from '@switchboard/messaging';
import { PlatformModule } from '@switchboard/platform';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { loadConversationConfig } from '../config';
import { Conversations1732500000000 } from '../migrations/1732500000000-conversations';
import { IntentExamples1764000000000 } from '../migrations/1764000000000-intent-examples';
import { AgentTakeover1766000000000 } from '../migrations/1766000000000-agent-takeover';
import { RetentionPolicies1769500000000 } from '../migrations/1769500000000-retention-policies';
import { ConversationRatings1785000000001 } from '../migrations/1785000000001-conversation-ratings';
import { SurveyOffers1786500000000 } from '../migrations/1786500000000-survey-offers';
import { ConversationRepository } from '../conversations/conversation.repository';
import { TakeoverRepository } from '../agents/takeover.repository';
import { RATING_COMMENT, RatingService } from '../ratings/rating.service';
import { SurveyConsumer } from './survey.consumer';
import { SurveyService } from './survey.service';

const namespace = `${uniqueName('survey').toLowerCase()}.`;
const TENANT = uniqueName('acme');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let survey: SurveyService;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
let sql: Client;
let repository: ConversationRepository;
const rated: ConversationLifecycleEvent[] = [];
const outbound: OutboundEvent[] = [];
const cipher = FieldCipher.fromConfig({ NODE_ENV: 'test', ENCRYPTION_KEYS: '', ENCRYPTION_KEY_CURRENT: '', ENCRYPTION_KEY_FILE: '' });

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConversationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
  });
  // The survey and rating parts of the service alone: migrations, outbox and the rating responder.
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'conversation',
        config,
        topics: [Topics.conversationEvents, Topics.outbound, Topics.ticketEvents, Rpcs.conversationRate],
        database: {
          schema: 'conversation',
          entities: [],
          outbox: { cipher: FieldCipher.fromConfig(config) },
          migrations: [
            Conversations1732500000000,
            IntentExamples1764000000000,
            AgentTakeover1766000000000,
            RetentionPolicies1769500000000,
            ConversationRatings1785000000001,
            SurveyOffers1786500000000,
          ],
        },
      }),
    ],
    providers: [RatingService, SurveyService, SurveyConsumer, ConversationRepository],
  })
  class SurveyModule {}
  app = await NestFactory.createApplicationContext(SurveyModule, { logger: false });
  await app.get(KafkaBus).start();
  survey = app.get(SurveyService);
  repository = app.get(ConversationRepository);
  driver = await connectTestBus('survey-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
  await driver.bus.subscribe(
    Topics.conversationEvents,
    async ({ message }) => void (message.kind.case === 'rated' && rated.push(message)),
    { groupId: uniqueName('rated') },
  );
  await driver.bus.subscribe(Topics.outbound, async ({ message }) => void outbound.push(message), { groupId: uniqueName('outbound') });
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await rpc?.stop();
  await driver?.close();
  await app?.close();
  await database?.drop();
});

/** A stored conversation of `customer` on the web channel, as the turn's first step leaves it. */
async function conversation(customer = 'ann'): Promise<string> {
  const id = randomUUID();
  await sql.query(
    `insert into conversation.conversations (tenant_id, id, customer_id, channel, locale) values ($1, $2, $3, 'web', 'en-US')`,
    [TENANT, id, customer],
  );
  return id;
}

const turn = (conversationId: string, fields: Partial<{ customerId: string; channel: string; offerSurveyOnResolve: boolean }> = {}) =>
  create(InboundTurnSchema, {
    tenantId: TENANT,
    conversationId,
    turnId: randomUUID(),
    customerId: 'ann',
    channel: 'web',
    locale: 'en-US',
    offerSurveyOnResolve: true,
    ...fields,
  });

const stage = async (id: string) =>
  (await sql.query('select survey from conversation.conversations where tenant_id = $1 and id = $2', [TENANT, id])).rows[0].survey as
    string | null;
const ratingsOf = async (id: string) =>
  (await sql.query('select rating, comment from conversation.ratings where tenant_id = $1 and conversation_id = $2', [TENANT, id]))
    .rows as Array<{
    rating: number;
    comment: string | null;
  }>;
const ratedEventsOf = (id: string) => rated.filter((e) => e.conversationId === id);

describe('the survey offer', () => {
  it('is not made when the tenant is off, before the bot answered, or on a message that does not close', async () => {
    const id = await conversation();
    expect(await survey.offersOn(turn(id, { offerSurveyOnResolve: false }), "Thanks, that's all", true)).toBe(false);
    expect(await survey.offersOn(turn(id), "Thanks, that's all", false)).toBe(false);
    expect(await survey.offersOn(turn(id), 'Thanks, where is my order?', true)).toBe(false);
    expect(await stage(id)).toBeNull();
  });

  it('is made once per conversation, in English or Chinese', async () => {
    const id = await conversation();
    expect(await survey.offersOn(turn(id), '谢谢，没有了', true)).toBe(true);
    expect(await stage(id)).toBe('offered');
    expect(await survey.offersOn(turn(id), "Thanks, that's all", true)).toBe(false);
  });

  it('is not made for a conversation the adapter already rated', async () => {
    const id = await conversation();
    await rpc.request(
      Rpcs.conversationRate,
      create(RateConversationCommandSchema, { tenantId: TENANT, conversationId: id, customerId: 'ann', channel: 'web', rating: 3 }),
      { timeoutMs: 30_000 },
    );
    expect(await survey.offersOn(turn(id), "Thanks, that's all", true)).toBe(false);
    expect(await stage(id)).toBeNull();
  });
});

describe("the customer's answer", () => {
  it('records a rating with its comment once, through the rating path, and closes the survey', async () => {
    const id = await conversation();
    expect(await survey.answer(turn(id), '4 - quick and kind')).toBeUndefined(); // nothing offered yet
    expect(await survey.offersOn(turn(id), "Thanks, that's all", true)).toBe(true);
    expect(await survey.answer(turn(id), '4 - quick and kind')).toMatchObject({ conversationId: id, rating: 4, duplicate: false });
    expect(await stage(id)).toBe('closed');
    expect(await survey.answer(turn(id), '5')).toBeUndefined(); // answered: the next "5" is an ordinary turn
    const rows = await ratingsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0].rating).toBe(4);
    expect(cipher.decrypt(rows[0].comment!, { tenantId: TENANT, column: RATING_COMMENT, row: id })).toBe('quick and kind');
    const [event] = await waitFor(() => ratedEventsOf(id).length > 0 && ratedEventsOf(id), 'the rated event', 60_000);
    expect(event.kind).toMatchObject({ case: 'rated', value: { customerId: 'ann', channel: 'web', rating: 4, hasComment: true } });
    await new Promise((r) => setTimeout(r, 1500));
    expect(ratedEventsOf(id)).toHaveLength(1);
  });

  it('reads a Chinese rating', async () => {
    const id = await conversation();
    await survey.offersOn(turn(id), '好的，就这些，谢谢', true);
    expect(await survey.answer(turn(id), '五星')).toMatchObject({ rating: 5, duplicate: false });
    expect((await ratingsOf(id))[0]).toEqual({ rating: 5, comment: null });
  });

  it('drops the survey when the customer moves on, and does not offer it again', async () => {
    const id = await conversation();
    await survey.offersOn(turn(id), "Thanks, that's all", true);
    expect(await survey.answer(turn(id), 'Actually, where is my order #W1234567?')).toBeUndefined();
    expect(await stage(id)).toBe('closed');
    expect(await survey.answer(turn(id), '5')).toBeUndefined();
    expect(await survey.offersOn(turn(id), "Thanks, that's all", true)).toBe(false);
    expect(await ratingsOf(id)).toHaveLength(0);
  });

  it('ends an open offer when a person takes the conversation over, so a number after the hand-back is no rating', async () => {
    const id = await conversation();
    await survey.offersOn(turn(id), "Thanks, that's all", true);
    const takeovers = new TakeoverRepository(app.get(DataSource), {
      NODE_ENV: 'test',
      ENCRYPTION_KEYS: '',
      ENCRYPTION_KEY_CURRENT: '',
      ENCRYPTION_KEY_FILE: '',
    });
    await app.get(DataSource).transaction((m) => takeovers.setHolder(m, TENANT, id, 'agent', 'sam'));
    expect(await stage(id)).toBe('closed');
    await app.get(DataSource).transaction((m) => takeovers.setHolder(m, TENANT, id, 'bot', null));
    expect(await survey.answer(turn(id), '2')).toBeUndefined();
    expect(await ratingsOf(id)).toHaveLength(0);
  });

  it('keeps the first rating when the adapter rated in between: one rating between the two paths', async () => {
    const id = await conversation();
    await survey.offersOn(turn(id), "Thanks, that's all", true);
    await rpc.request(
      Rpcs.conversationRate,
      create(RateConversationCommandSchema, { tenantId: TENANT, conversationId: id, customerId: 'ann', channel: 'web', rating: 2 }),
      { timeoutMs: 30_000 },
    );
    expect(await survey.answer(turn(id), '5')).toMatchObject({ rating: 2, duplicate: true });
    expect(await ratingsOf(id)).toEqual([{ rating: 2, comment: null }]);
  });

  it("is only the conversation's own customer's, on its own channel", async () => {
    const id = await conversation();
    await survey.offersOn(turn(id), "Thanks, that's all", true);
    expect(await survey.answer(turn(id, { customerId: 'bob' }), '1')).toBeUndefined();
    expect(await survey.answer(turn(id, { channel: 'app' }), '1')).toBeUndefined();
    expect(await stage(id)).toBe('offered');
    expect(await ratingsOf(id)).toHaveLength(0);
  });
});

describe('after an agent resolves the hand-off ticket', () => {
  /** A conversation whose customer's latest message came under the setting `on`, handed off to a person. */
  async function handedOff(text: string, on = true, status = 'handed_off'): Promise<string> {
    const id = randomUUID();
    await repository.recordCustomerMessage(create(InboundTurnSchema, { ...turn(id, { offerSurveyOnResolve: on }), locale: 'en-US', text }));
    await sql.query('update conversation.conversations set status = $3 where tenant_id = $1 and id = $2', [TENANT, id, status]);
    return id;
  }
  const resolved = (conversationId: string) =>
    driver.bus.publish(
      Topics.ticketEvents,
      create(TicketEventSchema, {
        tenantId: TENANT,
        ticketId: randomUUID(),
        eventId: randomUUID(),
        occurredAt: new Date().toISOString(),
        kind: { case: 'resolved', value: { agentId: 'sam', resolution: 'Refunded.', conversationId } },
      }),
    );
  const offersTo = (id: string) => outbound.filter((e) => e.event?.conversationId === id);

  it("offers the survey on the customer's stream, in their language, once", async () => {
    const id = await handedOff('我要找人工客服');
    await resolved(id);
    const [offer] = await waitFor(() => offersTo(id).length > 0 && offersTo(id), 'the offer on conversation.outbound.v1', 60_000);
    expect(offer.event).toMatchObject({
      turnId: '',
      kind: { case: 'reply', value: { mode: 'template', text: expect.stringMatching(/已解决。请为本次对话打分：1（很差）到 5（很好）/) } },
    });
    expect(await stage(id)).toBe('offered');
    const { rows } = await sql.query(`select count(*)::int as n from conversation.messages where conversation_id = $1 and role = 'bot'`, [
      id,
    ]);
    expect(rows[0].n).toBe(1);
    // Reopened and resolved again: no second offer.
    await resolved(id);
    await new Promise((r) => setTimeout(r, 1500));
    expect(offersTo(id)).toHaveLength(1);
    // The customer's answer is recorded like any other.
    expect(await survey.answer(turn(id), '4')).toMatchObject({ rating: 4, duplicate: false });
  });

  it('does not offer it when the setting was off, while an agent holds the conversation, or once it is rated', async () => {
    expect(await survey.offerAfterResolution(TENANT, await handedOff('I want a person', false))).toBe(false);
    const held = await handedOff('I want a person', true, 'agent');
    expect(await survey.offerAfterResolution(TENANT, held)).toBe(false);
    expect(await stage(held)).toBeNull();
    const rated = await handedOff('I want a person');
    await rpc.request(
      Rpcs.conversationRate,
      create(RateConversationCommandSchema, { tenantId: TENANT, conversationId: rated, customerId: 'ann', channel: 'web', rating: 5 }),
      { timeoutMs: 30_000 },
    );
    expect(await survey.offerAfterResolution(TENANT, rated)).toBe(false);
    // The English customer gets the English text.
    const english = await handedOff('I want a person');
    expect(await survey.offerAfterResolution(TENANT, english)).toBe(true);
    const [offer] = await waitFor(() => offersTo(english).length > 0 && offersTo(english), 'the English offer', 60_000);
    expect(offer.event?.kind).toMatchObject({
      value: { text: expect.stringMatching(/^Our support team has marked your request as resolved\. How would you rate/) },
    });
  });
});
