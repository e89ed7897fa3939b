// Ticketing's part of erasure, on the real Kafka and Postgres: a command on privacy.erasure.v1
// removes the customer's (or the conversations') tickets, notes and ticket-event outbox rows, keeps
// the audit log and its hash chain, and reports it on privacy.erasure.reports.v1; the same command
// again reports zeros; a malformed command is dead-lettered and the next one still handled.
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import {
  AddTicketNoteRequestSchema,
  AuditActorSchema,
  AuditEventSchema,
  AuditResourceSchema,
  ConversationLifecycleEventSchema,
  create,
  deadLetterTopicOf,
  ErasureCommandSchema,
  HandoffRequestedSchema,
  Rpcs,
  Topics,
  VerifyAuditChainRequestSchema,
  type ErasureCommand,
  type ErasureReport,
} from '@switchboard/contracts';
import { Header, KafkaBus, newEnvelope, RpcClient, writeEnvelope } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { AppModule } from '../app.module';
import { loadTicketingConfig } from '../config';

const namespace = `${uniqueName('tkerase').toLowerCase()}.`;
const ACME = uniqueName('acme');
const GLOBEX = uniqueName('globex');
const CUSTOMER = 'cust-erase-me';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: Client;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
const reports: ErasureReport[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadTicketingConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: database.url,
    REDIS_URL: infra.redisUrl(),
    KAFKA_BROKERS: infra.kafkaBrokers().join(','),
    KAFKA_NAMESPACE: namespace,
  });
  app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
  await app.get(KafkaBus).start();
  driver = await connectTestBus('tkerase-driver', namespace);
  rpc = new RpcClient(driver.bus, quietLogger());
  await rpc.start();
  await driver.bus.subscribe(Topics.erasureReports, async ({ message }) => void reports.push(message), { groupId: uniqueName('reports') });
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

async function handOff(tenantId: string, customerId: string): Promise<{ conversationId: string; ticketId: string }> {
  const conversationId = randomUUID();
  await driver.bus.publish(
    Topics.conversationEvents,
    create(ConversationLifecycleEventSchema, {
      tenantId,
      conversationId,
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      kind: {
        case: 'handoffRequested',
        value: create(HandoffRequestedSchema, {
          turnId: randomUUID(),
          customerId,
          channel: 'web',
          reason: 'customer_asked',
          summary: 'Parcel lost',
          locale: 'en',
        }),
      },
    }),
    { conversationId },
  );
  const ticketId = await waitFor(
    async () =>
      (await sql.query('select id from ticketing.tickets where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId]))
        .rows[0]?.id as string | undefined,
    'the ticket',
  );
  await rpc.request(
    Rpcs.ticketNote,
    create(AddTicketNoteRequestSchema, { tenantId, ticketId, author: 'sam', text: 'Called the courier.' }),
    { timeoutMs: 30_000 },
  );
  return { conversationId, ticketId };
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

const reportOf = (requestId: string) =>
  waitFor(() => reports.find((r) => r.requestId === requestId), `the ticketing report of ${requestId}`, 60_000);
const count = async (table: string, tenantId: string, ticketIds: string[]) =>
  Number(
    (
      await sql.query(
        `select count(*)::int as n from ticketing.${table} where tenant_id = $1 and ${table === 'outbox' ? 'key' : table === 'ticket_notes' ? 'ticket_id::text' : 'id::text'} = any($2)`,
        [tenantId, ticketIds],
      )
    ).rows[0].n,
  );

async function readDeadLetters(count: number) {
  const kafka = new Kafka({ clientId: 'dlq-reader', brokers: infra.kafkaBrokers(), logLevel: 0 });
  const consumer = kafka.consumer({ groupId: uniqueName('dlq'), maxWaitTimeInMs: 100 });
  const seen: Array<{ reason: string; group: string }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${namespace}${deadLetterTopicOf(Topics.erasureCommands.name)}`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) =>
      void seen.push({
        reason: String(message.headers?.[Header.deadLetterReason]),
        group: String(message.headers?.[Header.deadLetterGroup]),
      }),
  });
  try {
    return await waitFor(() => seen.length >= count && seen, `${count} dead-lettered erasure commands`, 60_000);
  } finally {
    await consumer.disconnect();
  }
}

it("erases a customer's tickets, notes and their outbox rows, keeps the audit chain, and reports zeros the second time", async () => {
  const hers = [await handOff(ACME, CUSTOMER), await handOff(ACME, CUSTOMER)];
  const someoneElses = await handOff(ACME, 'cust-someone-else');
  const otherTenant = await handOff(GLOBEX, CUSTOMER);
  const herTickets = hers.map((h) => h.ticketId);
  expect(await count('ticket_notes', ACME, herTickets)).toBe(2);
  expect(await count('outbox', ACME, herTickets)).toBe(4); // created + note_added, each

  // The audit log of the tenant names one of her tickets.
  await driver.bus.publish(
    Topics.auditEvents,
    create(AuditEventSchema, {
      tenantId: ACME,
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      actor: create(AuditActorSchema, { kind: 'agent', id: 'sam' }),
      action: 'ticket.claim',
      resource: create(AuditResourceSchema, { type: 'ticket', id: herTickets[0] }),
      outcome: 'ok',
      detail: '',
    }),
  );
  await waitFor(
    async () =>
      Number((await sql.query('select count(*)::int as n from ticketing.audit_events where tenant_id = $1', [ACME])).rows[0].n) === 1,
    'the audit entry',
  );

  // A poisoned command first (no request id, and both a customer and conversations).
  const poisoned = JSON.stringify({
    tenantId: ACME,
    customerId: CUSTOMER,
    conversationIds: [someoneElses.conversationId],
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
    service: 'ticketing',
    removed: { 'ticketing.tickets': 2n, 'ticketing.ticket_notes': 2n, 'ticketing.outbox': 4n },
  });
  expect(report.kept.join('\n')).toContain('ticketing.audit_events');
  for (const table of ['tickets', 'ticket_notes', 'outbox'])
    expect({ table, left: await count(table, ACME, herTickets) }).toEqual({ table, left: 0 });
  expect(await count('tickets', ACME, [someoneElses.ticketId])).toBe(1);
  expect(await count('tickets', GLOBEX, [otherTenant.ticketId])).toBe(1);
  const chain = await rpc.request(Rpcs.auditVerify, create(VerifyAuditChainRequestSchema, { tenantId: ACME }), { timeoutMs: 30_000 });
  expect(chain).toMatchObject({ ok: true, checked: 1n });

  const [letter] = await readDeadLetters(1);
  expect(letter.reason).toMatch(/requestId must be a UUID/);
  expect(letter.group).toBe(`ticketing.${Topics.erasureCommands.name}`);

  // By conversation (the retention job), then the customer command again: nothing more to remove.
  const byConversation = {
    ...command(ACME, { conversationIds: [someoneElses.conversationId] }),
    reason: 'retention',
    requestedBy: 'retention',
  };
  await driver.bus.publish(Topics.erasureCommands, byConversation);
  expect((await reportOf(byConversation.requestId)).removed).toEqual({
    'ticketing.tickets': 1n,
    'ticketing.ticket_notes': 1n,
    'ticketing.outbox': 2n,
  });
  const again = { ...byCustomer, requestId: randomUUID() };
  await driver.bus.publish(Topics.erasureCommands, again);
  expect((await reportOf(again.requestId)).removed).toEqual({
    'ticketing.tickets': 0n,
    'ticketing.ticket_notes': 0n,
    'ticketing.outbox': 0n,
  });
});
