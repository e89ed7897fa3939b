// The integration service's part of erasure, on the real Kafka, Postgres and Redis: a command on
// privacy.erasure.v1 removes the tenant's webhook deliveries about the customer (or the
// conversations) and the tenant's connector read cache, keeps the reference CRM, and reports it on
// privacy.erasure.reports.v1; a malformed command is dead-lettered and the consumer carries on.
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import {
  ConversationLifecycleEventSchema,
  create,
  CreateWebhookEndpointRequestSchema,
  deadLetterTopicOf,
  ErasureCommandSchema,
  Rpcs,
  TicketCreatedSchema,
  TicketEventSchema,
  Topics,
  TurnOutcomeSchema,
  type ErasureCommand,
  type ErasureReport,
} from '@switchboard/contracts';
import { Header, KafkaBus, newEnvelope, RpcClient, writeEnvelope } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { AppModule } from '../app.module';
import { loadIntegrationConfig } from '../config';
import { KEPT } from './integration-eraser';

const namespace = `${uniqueName('erasure').toLowerCase()}.`;
const ACME = uniqueName('acme');
const GLOBEX = uniqueName('globex');
const CUSTOMER = 'cust-erase-me';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let raw: Client;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
const reports: ErasureReport[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadIntegrationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
    REFERENCE_TENANTS: '',
    // Nothing listens at the endpoints: deliveries fail once and wait a minute, staying in the table.
    WEBHOOK_RETRY_BASE_MS: '60000',
    WEBHOOK_POLL_MS: '100',
    // The endpoints are on loopback, which the outbound policy refuses unless the operator allows it.
    OUTBOUND_ALLOWED_ADDRESSES: '127.0.0.1',
  });
  app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
  await app.get(KafkaBus).start();
  driver = await connectTestBus('erasure-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
  await driver.bus.subscribe(Topics.erasureReports, async ({ message }) => void reports.push(message), { groupId: uniqueName('reports') });
  raw = new Client({ connectionString: database.url });
  await raw.connect();
});

afterAll(async () => {
  await raw?.end();
  await rpc?.stop();
  await driver?.close();
  await app?.close();
  await database?.drop();
});

const register = (tenantId: string) =>
  rpc.request(
    Rpcs.webhooksCreate,
    create(CreateWebhookEndpointRequestSchema, { tenantId, url: 'http://127.0.0.1:9/hook', eventTypes: [] }),
    { timeoutMs: 30_000 },
  );

function ticketCreated(tenantId: string, customerId: string, conversationId: string) {
  return create(TicketEventSchema, {
    tenantId,
    ticketId: randomUUID(),
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    kind: {
      case: 'created',
      value: create(TicketCreatedSchema, {
        conversationId,
        customerId,
        department: 'orders',
        priority: 'normal',
        summary: 'Parcel lost',
        reason: 'customer asked',
      }),
    },
  });
}

function turnCompleted(tenantId: string, customerId: string, conversationId: string) {
  return create(ConversationLifecycleEventSchema, {
    tenantId,
    conversationId,
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    kind: { case: 'turnCompleted', value: create(TurnOutcomeSchema, { turnId: randomUUID(), customerId, channel: 'web' }) },
  });
}

const command = (tenantId: string, subject: { customerId?: string; conversationIds?: string[] }): ErasureCommand =>
  create(ErasureCommandSchema, {
    tenantId,
    requestId: randomUUID(),
    reason: 'customer_request',
    requestedBy: 'dpo@acme',
    requestedAt: new Date().toISOString(),
    ...subject,
  });

const deliveries = async (tenantId: string) =>
  (
    await raw.query('select customer_id, conversation_id from integration.webhook_deliveries where tenant_id = $1 order by created_at', [
      tenantId,
    ])
  ).rows as Array<{ customer_id: string | null; conversation_id: string }>;

const reportOf = (requestId: string) =>
  waitFor(() => reports.find((r) => r.requestId === requestId), `the integration report of ${requestId}`, 60_000);

async function readDeadLetters(count: number) {
  const kafka = new Kafka({ clientId: 'dlq-reader', brokers: infra.kafkaBrokers(), logLevel: 0 });
  const consumer = kafka.consumer({ groupId: uniqueName('dlq'), maxWaitTimeInMs: 100 });
  const seen: Array<{ reason: string; value: string }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${namespace}${deadLetterTopicOf(Topics.erasureCommands.name)}`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) =>
      void seen.push({ reason: String(message.headers?.[Header.deadLetterReason]), value: String(message.value) }),
  });
  try {
    return await waitFor(() => seen.length >= count && seen, `${count} dead-lettered erasure commands`, 60_000);
  } finally {
    await consumer.disconnect();
  }
}

it("erases a customer's webhook deliveries and the tenant's CRM cache, keeps the reference CRM, and reports it", async () => {
  await register(ACME);
  await register(GLOBEX);
  const [erased, kept, other] = [randomUUID(), randomUUID(), randomUUID()];
  await driver.bus.publish(Topics.ticketEvents, ticketCreated(ACME, CUSTOMER, erased));
  await driver.bus.publish(Topics.conversationEvents, turnCompleted(ACME, CUSTOMER, erased), { conversationId: erased });
  await driver.bus.publish(Topics.conversationEvents, turnCompleted(ACME, 'cust-someone-else', kept), { conversationId: kept });
  await driver.bus.publish(Topics.conversationEvents, turnCompleted(ACME, 'cust-third', other), { conversationId: other });
  // The same customer id in another tenant is another person.
  await driver.bus.publish(Topics.ticketEvents, ticketCreated(GLOBEX, CUSTOMER, randomUUID()));
  await waitFor(
    async () => (await deliveries(ACME)).length === 4 && (await deliveries(GLOBEX)).length === 1,
    'the deliveries queued',
    60_000,
  );
  expect((await deliveries(ACME)).filter((d) => d.customer_id === CUSTOMER).map((d) => d.conversation_id)).toEqual([erased, erased]);

  await driver.redis.set(`t:${ACME}:crm:user:sara_doe_123`, '{"email":"sara@example.com"}', 'EX', 600);
  await driver.redis.set(`t:${ACME}:crm:order:#W1`, '{}', 'EX', 600);
  await driver.redis.set(`t:${GLOBEX}:crm:user:sara_doe_123`, '{}', 'EX', 600);

  // A poisoned command first (same tenant, so the same partition): customer id and conversations
  // both set, no request id. The valid command behind it still runs.
  const poisoned = JSON.stringify({
    tenantId: ACME,
    customerId: CUSTOMER,
    conversationIds: [kept],
    reason: 'customer_request',
    requestedAt: new Date().toISOString(),
  });
  await driver.bus.send(
    Topics.erasureCommands.name,
    ACME,
    poisoned,
    writeEnvelope(newEnvelope({ type: ErasureCommandSchema.typeName, tenantId: ACME, producer: 'test' })),
  );
  const byCustomer = command(ACME, { customerId: CUSTOMER });
  await driver.bus.publish(Topics.erasureCommands, byCustomer);

  const report = await reportOf(byCustomer.requestId);
  expect(report).toMatchObject({
    tenantId: ACME,
    service: 'integration',
    removed: { 'integration.webhook_deliveries': 2n, 'redis:crm_cache': 2n },
  });
  expect(report.kept).toEqual([KEPT.referenceCrm, KEPT.delivered, KEPT.ticketFollowUps]);
  expect(Date.parse(report.completedAt)).not.toBeNaN();
  expect((await deliveries(ACME)).map((d) => d.conversation_id).sort()).toEqual([kept, other].sort());
  expect(await deliveries(GLOBEX)).toHaveLength(1);
  expect(await driver.redis.exists(`t:${ACME}:crm:user:sara_doe_123`, `t:${ACME}:crm:order:#W1`)).toBe(0);
  expect(await driver.redis.exists(`t:${GLOBEX}:crm:user:sara_doe_123`)).toBe(1);

  const [letter] = await readDeadLetters(1);
  expect(letter.value).toBe(poisoned);
  expect(letter.reason).toMatch(/requestId must be a UUID/);
  expect(letter.reason).toMatch(/customerId or conversationIds is required, not both/);

  // Retention names conversations; a command seen again removes nothing more and says so.
  const byConversation = command(ACME, { conversationIds: [other], customerId: '' });
  await driver.bus.publish(Topics.erasureCommands, { ...byConversation, reason: 'retention', requestedBy: 'retention' });
  expect((await reportOf(byConversation.requestId)).removed['integration.webhook_deliveries']).toBe(1n);
  expect((await deliveries(ACME)).map((d) => d.conversation_id)).toEqual([kept]);
  const again = { ...byCustomer, requestId: randomUUID() };
  await driver.bus.publish(Topics.erasureCommands, again);
  expect((await reportOf(again.requestId)).removed).toEqual({ 'integration.webhook_deliveries': 0n, 'redis:crm_cache': 0n });
});
