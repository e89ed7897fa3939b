// Who may move a ticket someone holds, against the real Postgres and Kafka: only its holder, or a
// lead (senior agent, supervisor), checked on the locked row; anyone may still take an open one.
// The `resolved` event names the ticket's conversation (the conversation service offers the survey on it).
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  ChangeTicketStatusRequestSchema,
  ClaimTicketRequestSchema,
  ConversationLifecycleEventSchema,
  create,
  Topics,
  type TicketEvent,
} from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import type { KafkaBus } from '@switchboard/messaging';
import { openDatabase, Outbox } from '@switchboard/persistence';
import Redis from 'ioredis';
import { connectTestBus, createTestDatabase, deleteTopicsWithPrefix, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { loadTicketingConfig } from '../config';
import { Tickets1732500000000 } from '../migrations/1732500000000-tickets';
import { TicketLifecycle1766000000000 } from '../migrations/1766000000000-ticket-lifecycle';
import { AuditLog1767000000000 } from '../migrations/1767000000000-audit-log';
import { AutoAssignment1786600000000 } from '../migrations/1786600000000-auto-assignment';
import { AutoAssigner } from '../routing/auto-assigner';
import { RoutingSettingsRepository } from '../routing/routing-settings.repository';
import { RoutingRepository } from '../routing/routing.repository';
import { TicketRepository } from './ticket.repository';
import { TicketService } from './ticket.service';

describe('TicketService: moving a held ticket', () => {
  const config = loadTicketingConfig({ NODE_ENV: 'test' });
  const namespace = `${uniqueName('tickets').toLowerCase()}.`;
  const tenantId = uniqueName('tenant');
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let bus: KafkaBus;
  let closeBus: () => Promise<void>;
  let outbox: Outbox;
  let service: TicketService;
  let redis: Redis;

  beforeAll(async () => {
    database = await createTestDatabase();
    const cipher = FieldCipher.fromConfig(config);
    db = await openDatabase(
      {
        url: database.url,
        schema: 'ticketing',
        entities: [],
        migrations: [Tickets1732500000000, TicketLifecycle1766000000000, AuditLog1767000000000, AutoAssignment1786600000000],
        outbox: { cipher },
      },
      quietLogger(),
    );
    ({ bus, close: closeBus } = await connectTestBus(uniqueName('ticketing'), namespace));
    await bus.ensureTopics([{ name: Topics.ticketEvents.name, partitions: 1 }]);
    outbox = new Outbox(db, bus, 'ticketing', cipher, quietLogger());
    // Nobody of this tenant is online: every ticket waits unassigned until claimed.
    redis = new Redis(infra.redisUrl());
    const autoAssigner = new AutoAssigner(redis, new RoutingSettingsRepository(db));
    service = new TicketService(db, outbox, new TicketRepository(db, config), new RoutingRepository(db), autoAssigner, config);
  });

  afterAll(async () => {
    await outbox?.stop();
    redis?.disconnect();
    await closeBus?.();
    await db?.destroy();
    await database?.drop();
    await deleteTopicsWithPrefix(namespace).catch(() => undefined);
  });

  async function heldBy(agentId: string): Promise<string> {
    const conversationId = randomUUID();
    await service.onConversationEvent(
      create(ConversationLifecycleEventSchema, {
        tenantId,
        conversationId,
        eventId: randomUUID(),
        occurredAt: new Date().toISOString(),
        kind: {
          case: 'handoffRequested',
          value: {
            turnId: randomUUID(),
            customerId: 'c-1',
            channel: 'web',
            reason: 'customer_asked',
            summary: 'Wants a person.',
            locale: 'en-US',
          },
        },
      }),
    );
    const rows: Array<{ id: string }> = await db.query('select id from ticketing.tickets where tenant_id = $1 and conversation_id = $2', [
      tenantId,
      conversationId,
    ]);
    await service.claim(create(ClaimTicketRequestSchema, { tenantId, ticketId: rows[0].id, agentId }));
    return rows[0].id;
  }

  const move = (ticketId: string, agentId: string, status: string, lead = false) =>
    service.changeStatus(create(ChangeTicketStatusRequestSchema, { tenantId, ticketId, agentId, status, lead })).then(
      (t) => t.status,
      (e: { code?: string }) => e.code,
    );

  it('refuses every move of a held ticket by another agent, and changes nothing', async () => {
    const ticketId = await heldBy('lee');
    for (const status of ['open', 'waiting_on_customer', 'resolved', 'closed'])
      expect([status, await move(ticketId, 'cole', status)]).toEqual([status, 'NOT_TICKET_HOLDER']);
    expect(await service.get(tenantId, ticketId)).toMatchObject({ status: 'assigned', assigneeId: 'lee' });
  });

  it('lets the holder and a lead move it', async () => {
    const ticketId = await heldBy('lee');
    expect(await move(ticketId, 'lee', 'waiting_on_customer')).toBe('waiting_on_customer');
    expect(await move(ticketId, 'kim', 'resolved', true)).toBe('resolved');
    const other = await heldBy('lee');
    expect(await move(other, 'sue', 'open', true)).toBe('open');
    expect((await service.get(tenantId, other)).assigneeId).toBe('');
  });

  it('names the conversation in the resolved event', async () => {
    const events: TicketEvent[] = [];
    await bus.subscribe(Topics.ticketEvents, async ({ message }) => void events.push(message), { groupId: uniqueName('resolved') });
    const ticketId = await heldBy('lee');
    await move(ticketId, 'lee', 'resolved');
    const [{ conversation_id: conversationId }]: Array<{ conversation_id: string }> = await db.query(
      'select conversation_id from ticketing.tickets where id = $1',
      [ticketId],
    );
    const resolved = await waitFor(
      () => events.find((e) => e.ticketId === ticketId && e.kind.case === 'resolved'),
      'the resolved event',
      60_000,
    );
    expect(resolved.kind.value).toMatchObject({ agentId: 'lee', conversationId });
  });
});
