// conversation.bot_count.v1 on the real Kafka and Postgres: a tenant's conversations with the bot
// now are those the bot holds with a customer or bot message inside BOT_ACTIVE_WINDOW_MINUTES;
// stale ones, handed-off or agent-held ones, ones with only an agent's or system message lately,
// and another tenant's are not counted; the answer says the window it used.
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { CountBotConversationsRequestSchema, create, Rpcs } from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import { KafkaBus, RpcClient } from '@switchboard/messaging';
import { PlatformModule } from '@switchboard/platform';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName } from '@switchboard/testing';
import { loadConversationConfig } from '../config';
import { Conversations1732500000000 } from '../migrations/1732500000000-conversations';
import { IntentExamples1764000000000 } from '../migrations/1764000000000-intent-examples';
import { AgentTakeover1766000000000 } from '../migrations/1766000000000-agent-takeover';
import { MessagesByTime1790000000003 } from '../migrations/1790000000003-messages-by-time';
import { BotConversationsResponder } from './bot-conversations.responder';

const namespace = `${uniqueName('botcount').toLowerCase()}.`;
const TENANT = uniqueName('acme');
const OTHER = uniqueName('globex');
const WINDOW = 20;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
let sql: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConversationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
    BOT_ACTIVE_WINDOW_MINUTES: String(WINDOW),
  });
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'conversation',
        config,
        topics: [Rpcs.conversationBotCount],
        database: {
          schema: 'conversation',
          entities: [],
          outbox: { cipher: FieldCipher.fromConfig(config) },
          migrations: [Conversations1732500000000, IntentExamples1764000000000, AgentTakeover1766000000000, MessagesByTime1790000000003],
        },
      }),
    ],
    providers: [BotConversationsResponder],
  })
  class BotCountModule {}
  app = await NestFactory.createApplicationContext(BotCountModule, { logger: false });
  await app.get(KafkaBus).start();
  driver = await connectTestBus('botcount-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
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

/** A conversation in `status` with messages `[role, minutes ago]` (content is never read by the count). */
async function conversation(tenantId: string, status: string, messages: Array<[string, number]>): Promise<void> {
  const id = randomUUID();
  await sql.query(
    `insert into conversation.conversations (tenant_id, id, customer_id, channel, status) values ($1, $2, 'ann', 'web', $3)`,
    [tenantId, id, status],
  );
  for (const [role, minutesAgo] of messages) {
    const turn = randomUUID();
    await sql.query(
      `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content, created_at)
       values ($1, $2, $3, $4, $5, 'x', now() - make_interval(mins => $6))`,
      [tenantId, turn, id, turn, role, minutesAgo],
    );
  }
}

const count = (tenantId: string) =>
  rpc.request(Rpcs.conversationBotCount, create(CountBotConversationsRequestSchema, { tenantId }), { timeoutMs: 30_000 });

describe('conversation.bot_count.v1', () => {
  it('counts the tenant’s bot conversations with a customer or bot message inside the window, and says the window', async () => {
    expect(await count(TENANT)).toMatchObject({ count: 0, windowMinutes: WINDOW });

    await conversation(TENANT, 'bot', [['customer', 2]]); // active: the customer just wrote
    await conversation(TENANT, 'bot', [
      ['customer', WINDOW + 10],
      ['bot', 5],
    ]); // active: the bot answered lately
    await conversation(TENANT, 'bot', [
      ['customer', WINDOW + 60],
      ['bot', WINDOW + 59],
    ]); // stale
    await conversation(TENANT, 'bot', []); // no message at all
    await conversation(TENANT, 'bot', [
      ['agent', 1],
      ['system', 1],
    ]); // handed back, and nobody but the agent wrote lately
    await conversation(TENANT, 'handed_off', [['customer', 1]]); // waiting for a person
    await conversation(TENANT, 'agent', [['customer', 1]]); // with a person
    await conversation(TENANT, 'closed', [['bot', 1]]);
    await conversation(OTHER, 'bot', [['customer', 1]]); // another tenant's

    expect(await count(TENANT)).toMatchObject({ count: 2, windowMinutes: WINDOW });
    expect(await count(OTHER)).toMatchObject({ count: 1, windowMinutes: WINDOW });
  });
});
