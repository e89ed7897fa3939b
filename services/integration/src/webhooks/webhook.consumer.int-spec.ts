// Outgoing webhooks on the real Kafka and Postgres: events published on ticket.events.v1 and
// conversation.events.v1 reach a local HTTP receiver signed, failed POSTs are retried from the
// delivery table, and what fails every attempt is dead-lettered and can be replayed.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import {
  ConversationLifecycleEventSchema,
  create,
  CreateWebhookEndpointRequestSchema,
  HandoffRequestedSchema,
  ListWebhookDeadLettersRequestSchema,
  ReplayWebhookDeadLetterRequestSchema,
  Rpcs,
  TicketCreatedSchema,
  TicketEventSchema,
  toJsonString,
  Topics,
} from '@switchboard/contracts';
import { KafkaBus, RpcClient, RpcRemoteError } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { AppModule } from '../app.module';
import { loadIntegrationConfig } from '../config';
import { signWebhook } from './webhook-signature';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

const namespace = `${uniqueName('webhooks').toLowerCase()}.`;
const received: Received[] = [];
/** Per path: the status to answer with, given how many requests that path had before. */
const behaviour = new Map<string, (previous: number) => number>();
let receiver: Server;
let baseUrl: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const status = (behaviour.get(path) ?? (() => 200))(received.filter((r) => r.path === path).length);
      received.push({ path, headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  database = await createTestDatabase();
  const config = loadIntegrationConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
    REFERENCE_TENANTS: '',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_RETRY_MAX_MS: '1000',
    WEBHOOK_POLL_MS: '100',
    WEBHOOK_TIMEOUT_MS: '5000',
    // The local receiver; the policy refuses loopback otherwise.
    OUTBOUND_ALLOWED_ADDRESSES: '127.0.0.1',
  });
  app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
  await app.get(KafkaBus).start();
  driver = await connectTestBus('webhooks-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
});

afterAll(async () => {
  await rpc?.stop();
  await driver?.close();
  await app?.close();
  await database?.drop();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function register(tenantId: string, path: string, eventTypes: string[] = []) {
  const result = await rpc.request(
    Rpcs.webhooksCreate,
    create(CreateWebhookEndpointRequestSchema, { tenantId, url: `${baseUrl}${path}`, eventTypes }),
    { timeoutMs: 30_000 },
  );
  expect(result.secret).toMatch(/^whsec_/);
  return result;
}

function ticketCreated(tenantId: string) {
  return create(TicketEventSchema, {
    tenantId,
    ticketId: randomUUID(),
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    kind: {
      case: 'created',
      value: create(TicketCreatedSchema, {
        conversationId: randomUUID(),
        customerId: 'c-1',
        department: 'orders',
        priority: 'high',
        summary: 'Parcel lost',
        reason: 'customer asked',
      }),
    },
  });
}

const at = (path: string) => received.filter((r) => r.path === path);

function expectSigned(request: Received, secret: string) {
  const timestamp = String(request.headers['x-switchboard-timestamp']);
  expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(120);
  expect(request.headers['x-switchboard-signature']).toBe(signWebhook(secret, timestamp, request.body));
}

it('delivers a ticket event published on Kafka, signed, only to endpoints of its tenant that want its type', async () => {
  const a = await register('acme', '/acme', ['ticket.*']);
  await register('acme', '/acme-conversations', ['conversation.handoff_requested']);
  const b = await register('globex', '/globex');

  const event = ticketCreated('acme');
  await driver.bus.publish(Topics.ticketEvents, event);
  const [delivered] = await waitFor(() => at('/acme').length > 0 && at('/acme'), 'the acme endpoint to receive the ticket event', 60_000);
  expect(delivered.body).toBe(toJsonString(TicketEventSchema, event));
  expect(delivered.headers['x-switchboard-event']).toBe('ticket.created');
  expect(delivered.headers['x-switchboard-delivery']).toMatch(/^[0-9a-f-]{36}$/);
  expect(delivered.headers['content-type']).toBe('application/json');
  expectSigned(delivered, a.secret);

  // A conversation event reaches the endpoint subscribed to its type, and globex's own event reaches globex.
  const handoff = create(ConversationLifecycleEventSchema, {
    tenantId: 'acme',
    conversationId: randomUUID(),
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    kind: { case: 'handoffRequested', value: create(HandoffRequestedSchema, {}) },
  });
  await driver.bus.publish(Topics.conversationEvents, handoff, { conversationId: handoff.conversationId });
  const own = ticketCreated('globex');
  await driver.bus.publish(Topics.ticketEvents, own);
  await waitFor(() => at('/acme-conversations').length > 0, 'the handoff event', 60_000);
  expect(at('/acme-conversations')[0].headers['x-switchboard-event']).toBe('conversation.handoff_requested');
  const [globex] = await waitFor(() => at('/globex').length > 0 && at('/globex'), "globex's own event", 60_000);
  expectSigned(globex, b.secret);

  // Tenant isolation: globex (subscribed to every type) got only its own event, never acme's two.
  expect(at('/globex').map((r) => JSON.parse(r.body).tenantId)).toEqual(['globex']);
  expect(at('/acme').map((r) => JSON.parse(r.body).ticketId)).toEqual([event.ticketId]);
  expect(at('/acme-conversations')).toHaveLength(1);
});

it('retries a failing receiver with backoff and delivers on the third attempt, with the same delivery id', async () => {
  behaviour.set('/flaky', (previous) => (previous < 2 ? 500 : 204));
  const endpoint = await register('flaky-co', '/flaky');
  await driver.bus.publish(Topics.ticketEvents, ticketCreated('flaky-co'));
  const attempts = await waitFor(() => at('/flaky').some((r) => r.status === 204) && at('/flaky'), 'the third attempt to succeed', 60_000);
  expect(attempts.map((r) => r.status)).toEqual([500, 500, 204]);
  expect(new Set(attempts.map((r) => r.headers['x-switchboard-delivery'])).size).toBe(1);
  attempts.forEach((r) => expectSigned(r, endpoint.secret));
  const { deadLetters } = await rpc.request(
    Rpcs.webhooksDeadLetters,
    create(ListWebhookDeadLettersRequestSchema, { tenantId: 'flaky-co' }),
    { timeoutMs: 30_000 },
  );
  expect(deadLetters).toHaveLength(0);
});

it('dead-letters a delivery after its last attempt, and a replay delivers it once the receiver works', async () => {
  let up = false;
  behaviour.set('/down', () => (up ? 200 : 503));
  await register('down-co', '/down');
  const event = ticketCreated('down-co');
  await driver.bus.publish(Topics.ticketEvents, event);

  const listDead = async () =>
    (
      await rpc.request(Rpcs.webhooksDeadLetters, create(ListWebhookDeadLettersRequestSchema, { tenantId: 'down-co' }), {
        timeoutMs: 30_000,
      })
    ).deadLetters;
  const [dead] = await waitFor(
    async () => {
      const d = await listDead();
      return d.length > 0 && d;
    },
    'the delivery to be dead-lettered',
    60_000,
    250,
  );
  expect(dead).toMatchObject({
    tenantId: 'down-co',
    eventType: 'ticket.created',
    eventId: event.eventId,
    attempts: 3,
    lastError: 'HTTP 503',
    url: `${baseUrl}/down`,
  });
  expect(at('/down')).toHaveLength(3);
  // Other tenants cannot see or replay it.
  expect(
    (await rpc.request(Rpcs.webhooksDeadLetters, create(ListWebhookDeadLettersRequestSchema, { tenantId: 'acme' }), { timeoutMs: 30_000 }))
      .deadLetters,
  ).toHaveLength(0);
  await expect(
    rpc.request(Rpcs.webhooksReplay, create(ReplayWebhookDeadLetterRequestSchema, { tenantId: 'acme', deliveryId: dead.deliveryId }), {
      timeoutMs: 30_000,
    }),
  ).rejects.toMatchObject({ code: 'NOT_FOUND' } satisfies Partial<RpcRemoteError>);

  up = true;
  const replayed = await rpc.request(
    Rpcs.webhooksReplay,
    create(ReplayWebhookDeadLetterRequestSchema, { tenantId: 'down-co', deliveryId: dead.deliveryId }),
    { timeoutMs: 30_000 },
  );
  expect(replayed.queued).toBe(true);
  const delivered = await waitFor(() => at('/down').find((r) => r.status === 200), 'the replayed delivery', 60_000);
  expect(delivered.headers['x-switchboard-delivery']).toBe(dead.deliveryId);
  expect(JSON.parse(delivered.body).eventId).toBe(event.eventId);
  expect(await listDead()).toHaveLength(0);
});

it('refuses an endpoint URL that is not http(s) or carries credentials, naming the field', async () => {
  for (const url of ['ftp://example.com/hook', 'https://user:pass@example.com/hook', 'not a url']) {
    await expect(
      rpc.request(Rpcs.webhooksCreate, create(CreateWebhookEndpointRequestSchema, { tenantId: 'acme', url }), { timeoutMs: 30_000 }),
    ).rejects.toThrow(/url must/);
  }
});

it('refuses an endpoint at an internal or metadata address, in any spelling, and plain http to a public one', async () => {
  const refusals: Array<[string, string]> = [
    ['https://169.254.169.254/latest/meta-data/', 'url is refused: cloud metadata address'],
    ['https://[::ffff:10.0.0.1]/hook', 'url is refused: private address'],
    ['https://2886729729/hook', 'url is refused: private address'], // 172.16.0.1 as one decimal number
    ['https://[fe80::1]/hook', 'url is refused: link-local address'],
    ['https://[::1]/hook', 'url is refused: loopback address'],
    ['http://93.184.215.14/hook', 'url is refused: plain http'],
  ];
  for (const [url, problem] of refusals) {
    await expect(
      rpc.request(Rpcs.webhooksCreate, create(CreateWebhookEndpointRequestSchema, { tenantId: 'acme', url }), { timeoutMs: 30_000 }),
    ).rejects.toThrow(problem);
  }
  // The operator's allow-list (127.0.0.1 in this suite) opens that address, in any spelling.
  await expect(
    rpc.request(
      Rpcs.webhooksCreate,
      create(CreateWebhookEndpointRequestSchema, { tenantId: uniqueName('allowed'), url: 'https://0x7f000001:8443/hook' }),
      { timeoutMs: 30_000 },
    ),
  ).resolves.toBeDefined();
});
