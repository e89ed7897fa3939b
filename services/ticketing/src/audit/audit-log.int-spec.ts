// The audit log on the real Kafka and Postgres: events published on audit.events.v1 become a hash
// chain per tenant; a row changed or deleted in SQL (trigger disabled) is found by audit.verify.v1
// at the entry where it broke; and one tenant's log never shows another's.
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import {
  AuditActorSchema,
  AuditEventSchema,
  AuditResourceSchema,
  create,
  ListAuditEntriesRequestSchema,
  Rpcs,
  Topics,
  VerifyAuditChainRequestSchema,
} from '@switchboard/contracts';
import { KafkaBus, RpcClient } from '@switchboard/messaging';
import { connectTestBus, createTestDatabase, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { Client } from 'pg';
import { AppModule } from '../app.module';
import { loadTicketingConfig } from '../config';

const namespace = `${uniqueName('audit').toLowerCase()}.`;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let app: INestApplicationContext;
let driver: Awaited<ReturnType<typeof connectTestBus>>;
let rpc: RpcClient;
let sql: Client;

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
  driver = await connectTestBus('audit-driver', namespace);
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

function auditEvent(tenantId: string, action: string, resourceId: string) {
  return create(AuditEventSchema, {
    tenantId,
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    actor: create(AuditActorSchema, { kind: 'agent', id: 'agent-7' }),
    action,
    resource: create(AuditResourceSchema, { type: 'ticket', id: resourceId }),
    outcome: 'ok',
    detail: '',
  });
}

const count = async (tenantId: string) =>
  Number((await sql.query('select count(*) as n from ticketing.audit_events where tenant_id = $1', [tenantId])).rows[0].n);
const verify = (tenantId: string) =>
  rpc.request(Rpcs.auditVerify, create(VerifyAuditChainRequestSchema, { tenantId }), { timeoutMs: 30_000 });
const list = (tenantId: string, fields: { action?: string } = {}) =>
  rpc.request(Rpcs.auditList, create(ListAuditEntriesRequestSchema, { tenantId, ...fields }), { timeoutMs: 30_000 });

it('chains published events per tenant, lists them newest first, and keeps tenants apart', async () => {
  const a = uniqueName('acme');
  const b = uniqueName('globex');
  const published = [];
  for (let i = 1; i <= 6; i++) {
    const e = auditEvent(a, i % 2 ? 'ticket.claim' : 'conversation.transcript.read', `t-${i}`);
    published.push(e);
    await driver.bus.publish(Topics.auditEvents, e);
  }
  // A redelivery of the same event is not appended twice.
  await driver.bus.publish(Topics.auditEvents, published[0]);
  await driver.bus.publish(Topics.auditEvents, auditEvent(b, 'webhook.create', 'w-1'));
  await waitFor(async () => (await count(a)) === 6 && (await count(b)) === 1, 'both tenants chained');

  const seqs = (await sql.query('select seq, event_id from ticketing.audit_events where tenant_id = $1 order by seq', [a])).rows;
  expect(seqs.map((r: { seq: string }) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6]);
  expect(seqs.map((r: { event_id: string }) => r.event_id)).toEqual(published.map((e) => e.eventId));
  expect(await verify(a)).toMatchObject({ ok: true, checked: 6n, firstBrokenAt: 0n });
  expect(await verify(b)).toMatchObject({ ok: true, checked: 1n });

  const listed = await list(a);
  expect(listed.entries.map((e) => Number(e.seq))).toEqual([6, 5, 4, 3, 2, 1]);
  expect(listed.entries[5].prevHash).toBe('0'.repeat(64));
  expect(listed.entries[4].prevHash).toBe(listed.entries[5].hash);
  expect((await list(a, { action: 'ticket.claim' })).entries.map((e) => e.event?.resource?.id)).toEqual(['t-5', 't-3', 't-1']);
  expect((await list(b)).entries.map((e) => e.event?.action)).toEqual(['webhook.create']);
});

it('refuses UPDATE and DELETE in SQL; with the trigger off, verification finds a changed and a deleted row', async () => {
  const tenant = uniqueName('tamper');
  const other = uniqueName('bystander');
  for (let i = 1; i <= 5; i++) await driver.bus.publish(Topics.auditEvents, auditEvent(tenant, 'ticket.claim', `t-${i}`));
  await driver.bus.publish(Topics.auditEvents, auditEvent(other, 'ticket.claim', 'x'));
  await waitFor(async () => (await count(tenant)) === 5 && (await count(other)) === 1, 'chains written');

  await expect(
    sql.query("update ticketing.audit_events set outcome = 'refused' where tenant_id = $1 and seq = 3", [tenant]),
  ).rejects.toThrow(/append-only/);
  await expect(sql.query('delete from ticketing.audit_events where tenant_id = $1 and seq = 4', [tenant])).rejects.toThrow(/append-only/);
  expect(await verify(tenant)).toMatchObject({ ok: true, checked: 5n });

  await sql.query('alter table ticketing.audit_events disable trigger audit_events_no_change');
  try {
    await sql.query("update ticketing.audit_events set actor_id = 'someone-else' where tenant_id = $1 and seq = 3", [tenant]);
    expect(await verify(tenant)).toMatchObject({ ok: false, firstBrokenAt: 3n, problem: 'hash does not match the entry' });
    await sql.query("update ticketing.audit_events set actor_id = 'agent-7' where tenant_id = $1 and seq = 3", [tenant]);
    expect(await verify(tenant)).toMatchObject({ ok: true });
    await sql.query('delete from ticketing.audit_events where tenant_id = $1 and seq = 2', [tenant]);
    expect(await verify(tenant)).toMatchObject({ ok: false, firstBrokenAt: 2n, problem: 'entry 2 is missing (found 3)' });
  } finally {
    await sql.query('alter table ticketing.audit_events enable trigger audit_events_no_change');
  }
  // The other tenant's chain is untouched by this one's damage.
  expect(await verify(other)).toMatchObject({ ok: true, checked: 1n });
});
