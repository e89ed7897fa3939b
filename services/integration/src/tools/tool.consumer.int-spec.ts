// The integration service in-process on the real Kafka, Postgres and Redis: it seeds its configured
// tenant at start-up and answers integration.tools.v1 and integration.tool.v1, holding each call to
// the identity and confirmation rules.
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { create, ListToolsRequestSchema, Rpcs, ToolCallRequestSchema, type ToolCallResult } from '@switchboard/contracts';
import { KafkaBus, RpcClient } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName } from '@switchboard/testing';
import { anOrder, pristine } from '../../test/reference-fixture';
import { AppModule } from '../app.module';
import { loadIntegrationConfig } from '../config';

const TENANT = 'acme';
const namespace = `${uniqueName('integration').toLowerCase()}.`;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadIntegrationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
    REFERENCE_TENANTS: TENANT,
    REFERENCE_DATA_DIR: process.env.REFERENCE_DATA_DIR,
  });
  app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
  await app.get(KafkaBus).start();
  driver = await connectTestBus('integration-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
});

afterAll(async () => {
  await rpc?.stop();
  await driver?.close();
  await app?.close();
  await database?.drop();
});

const conversationId = randomUUID();
const callTool = (request: {
  operation: string;
  argumentsJson: string;
  verifiedUserId?: string;
  confirmed?: boolean;
}): Promise<ToolCallResult> =>
  rpc.request(Rpcs.integrationTool, create(ToolCallRequestSchema, { tenantId: TENANT, conversationId, ...request }), {
    timeoutMs: 20_000,
    conversationId,
  });

it('lists the operations with their JSON Schemas', async () => {
  const { tools } = await rpc.request(Rpcs.integrationTools, create(ListToolsRequestSchema, { tenantId: TENANT }), { timeoutMs: 20_000 });
  expect(tools).toHaveLength(16);
  const cancel = tools.find((t) => t.name === 'cancel_pending_order')!;
  expect(cancel.consequential).toBe(true);
  expect(JSON.parse(cancel.parametersJsonSchema)).toMatchObject({
    type: 'object',
    required: ['order_id', 'reason'],
    additionalProperties: false,
  });
  expect(tools.find((t) => t.name === 'get_order_details')!.consequential).toBe(false);
});

it('authenticates, reads and cancels an order over Kafka, with identity and confirmation enforced', async () => {
  const order = anOrder((o) => o.status === 'pending', 'pending order');
  const email = pristine.users[order.user_id].email;

  // The tenant was seeded at start-up (REFERENCE_TENANTS).
  const found = await callTool({ operation: 'find_user_id_by_email', argumentsJson: JSON.stringify({ email }) });
  expect(found).toMatchObject({ ok: true, resultJson: JSON.stringify(order.user_id) });

  const details = JSON.stringify({ order_id: order.order_id });
  await expect(callTool({ operation: 'get_order_details', argumentsJson: details })).resolves.toMatchObject({
    ok: false,
    error: expect.stringMatching(/^identity not verified: /),
  });
  const read = await callTool({ operation: 'get_order_details', argumentsJson: details, verifiedUserId: order.user_id });
  expect(read.ok).toBe(true);
  expect(read.resultJson).toBe(JSON.stringify(pristine.orders[order.order_id]));

  const cancel = JSON.stringify({ order_id: order.order_id, reason: 'no longer needed' });
  await expect(
    callTool({ operation: 'cancel_pending_order', argumentsJson: cancel, verifiedUserId: order.user_id }),
  ).resolves.toMatchObject({
    ok: false,
    error: expect.stringContaining("needs the customer's explicit confirmation"),
  });
  const stranger = Object.keys(pristine.users).find((id) => id !== order.user_id)!;
  await expect(
    callTool({ operation: 'cancel_pending_order', argumentsJson: cancel, verifiedUserId: stranger, confirmed: true }),
  ).resolves.toMatchObject({ ok: false, error: 'order belongs to another customer' });
  const cancelled = await callTool({
    operation: 'cancel_pending_order',
    argumentsJson: cancel,
    verifiedUserId: order.user_id,
    confirmed: true,
  });
  expect(cancelled.ok).toBe(true);
  expect(JSON.parse(cancelled.resultJson)).toMatchObject({ status: 'cancelled', cancel_reason: 'no longer needed' });
  await expect(
    callTool({ operation: 'cancel_pending_order', argumentsJson: cancel, verifiedUserId: order.user_id, confirmed: true }),
  ).resolves.toMatchObject({
    ok: false,
    error: 'Error: non-pending order cannot be cancelled',
  });
});

it('refuses a bad argument, naming the field', async () => {
  await expect(
    callTool({ operation: 'get_product_details', argumentsJson: JSON.stringify({ product_id: 6086499569 }) }),
  ).resolves.toMatchObject({
    ok: false,
    error: 'invalid arguments for get_product_details: "product_id" must be a string',
  });
});
