// The conversation service's side of CSAT on the real Kafka and Postgres (the whole path over gRPC
// is test/e2e/csat.int-spec.ts): conversation.rate.v1 records a rating only for a stored
// conversation of that tenant, channel and customer, once, with the comment encrypted, and emits
// one `rated` event through the outbox; a request with a bad field never reaches it.
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { create, RateConversationCommandSchema, Rpcs, Topics, type ConversationLifecycleEvent } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { InvalidMessageError, KafkaBus, RpcClient, RpcRemoteError } from '@switchboard/messaging';
import { PlatformModule } from '@switchboard/platform';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { loadConversationConfig } from '../config';
import { Conversations1732500000000 } from '../migrations/1732500000000-conversations';
import { IntentExamples1764000000000 } from '../migrations/1764000000000-intent-examples';
import { AgentTakeover1766000000000 } from '../migrations/1766000000000-agent-takeover';
import { RetentionPolicies1769500000000 } from '../migrations/1769500000000-retention-policies';
import { ConversationRatings1785000000001 } from '../migrations/1785000000001-conversation-ratings';
import { RATING_COMMENT, RatingService } from './rating.service';

const namespace = `${uniqueName('rate').toLowerCase()}.`;
const TENANT = uniqueName('acme');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
let sql: Client;
const rated: ConversationLifecycleEvent[] = [];
const annConversation = randomUUID();

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
  // The rating part of the service alone: its migrations, outbox and responder (no models to load).
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'conversation',
        config,
        topics: [Topics.conversationEvents, Rpcs.conversationRate],
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
          ],
        },
      }),
    ],
    providers: [RatingService],
  })
  class RatingModule {}
  app = await NestFactory.createApplicationContext(RatingModule, { logger: false });
  await app.get(KafkaBus).start();
  driver = await connectTestBus('rate-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
  await driver.bus.subscribe(
    Topics.conversationEvents,
    async ({ message }) => void (message.kind.case === 'rated' && rated.push(message)),
    { groupId: uniqueName('rated') },
  );
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  await sql.query(
    `insert into conversation.conversations (tenant_id, id, customer_id, channel, locale) values ($1, $2, 'ann', 'web', 'en-US')`,
    [TENANT, annConversation],
  );
});

afterAll(async () => {
  await sql?.end();
  await rpc?.stop();
  await driver?.close();
  await app?.close();
  await database?.drop();
});

const rate = (
  fields: Partial<{ tenantId: string; conversationId: string; customerId: string; channel: string; rating: number; comment: string }>,
) =>
  rpc.request(
    Rpcs.conversationRate,
    create(RateConversationCommandSchema, {
      tenantId: TENANT,
      conversationId: annConversation,
      customerId: 'ann',
      channel: 'web',
      rating: 5,
      ...fields,
    }),
    { timeoutMs: 30_000 },
  );
const refusal = async (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: Error) => error,
  );
const ratings = async () => Number((await sql.query('select count(*)::int as n from conversation.ratings')).rows[0].n);

describe('conversation.rate.v1', () => {
  it('names the bad field and sends nothing', async () => {
    const error = await refusal(rate({ rating: 9 }));
    expect(error).toBeInstanceOf(InvalidMessageError);
    expect(error.message).toMatch(/rating must be between 1 and 5/);
    expect((await refusal(rate({ channel: '' }))).message).toMatch(/channel/);
  });

  it("refuses another customer's, another channel's and another tenant's view of the conversation", async () => {
    for (const wrong of [{ customerId: 'bob' }, { channel: 'app' }, { tenantId: uniqueName('globex') }, { conversationId: randomUUID() }]) {
      const error = await refusal(rate(wrong));
      expect(error).toBeInstanceOf(RpcRemoteError);
      expect((error as RpcRemoteError).code).toBe('CONVERSATION_NOT_FOUND');
    }
    expect(await ratings()).toBe(0);
  });

  it('records the first rating once, encrypts the comment, and emits one rated event', async () => {
    expect(await rate({ rating: 2, comment: 'Took ages to get an answer' })).toMatchObject({
      conversationId: annConversation,
      rating: 2,
      duplicate: false,
    });
    expect(await rate({ rating: 5 })).toMatchObject({ rating: 2, duplicate: true });
    const { rows } = await sql.query('select rating, comment from conversation.ratings where tenant_id = $1 and conversation_id = $2', [
      TENANT,
      annConversation,
    ]);
    expect(rows).toHaveLength(1);
    // Sealed to its conversation: the same ciphertext on another conversation's rating does not read.
    const cipher = FieldCipher.fromConfig({ NODE_ENV: 'test', ENCRYPTION_KEYS: '', ENCRYPTION_KEY_CURRENT: '', ENCRYPTION_KEY_FILE: '' });
    expect(rows[0].comment).toMatch(/^enc:v2:/);
    expect(cipher.decrypt(rows[0].comment, { tenantId: TENANT, column: RATING_COMMENT, row: annConversation })).toBe(
      'Took ages to get an answer',
    );
    expect(() => cipher.decrypt(rows[0].comment, { tenantId: TENANT, column: RATING_COMMENT, row: randomUUID() })).toThrow(
      /moved from another row/,
    );
    const [event] = await waitFor(() => rated.length > 0 && rated, 'the rated event', 60_000);
    expect(event).toMatchObject({
      tenantId: TENANT,
      conversationId: annConversation,
      kind: { case: 'rated', value: { customerId: 'ann', channel: 'web', rating: 2, hasComment: true } },
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(rated).toHaveLength(1);
  });
});
