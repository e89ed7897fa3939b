// Automatic assignment of new tickets, against the real Postgres, Redis (presence as the gateway
// writes it) and Kafka (the ticket's events): an online agent of the department gets the ticket,
// the least loaded first and among equals the one waiting longest; busy, away, silent, other
// departments' and capped agents do not; with nobody to take it, or the setting off, it waits
// unassigned. Each test is its own tenant, so their agents never meet.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import {
  ClaimTicketRequestSchema,
  ConversationLifecycleEventSchema,
  create,
  PRESENCE_TTL_MS,
  presenceIndexKey,
  presenceKey,
  recordPresence,
  Topics,
  type PresenceStatus,
  type TicketEvent,
} from '@switchboard/contracts';
import { FieldCipher } from '@switchboard/crypto';
import type { KafkaBus } from '@switchboard/messaging';
import { openDatabase, Outbox } from '@switchboard/persistence';
import { connectTestBus, createTestDatabase, deleteTopicsWithPrefix, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { loadTicketingConfig } from '../config';
import { Tickets1732500000000 } from '../migrations/1732500000000-tickets';
import { TicketLifecycle1766000000000 } from '../migrations/1766000000000-ticket-lifecycle';
import { AuditLog1767000000000 } from '../migrations/1767000000000-audit-log';
import { AutoAssignment1786600000000 } from '../migrations/1786600000000-auto-assignment';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketService } from '../tickets/ticket.service';
import { AutoAssigner } from './auto-assigner';
import { RoutingSettingsRepository } from './routing-settings.repository';
import { RoutingRepository } from './routing.repository';

describe('AutoAssigner: new tickets go to online agents', () => {
  const config = loadTicketingConfig({ NODE_ENV: 'test' });
  const namespace = `${uniqueName('autoassign').toLowerCase()}.`;
  const tenants: string[] = [];
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let bus: KafkaBus;
  let closeBus: () => Promise<void>;
  let outbox: Outbox;
  let redis: Redis;
  let settings: RoutingSettingsRepository;
  let service: TicketService;
  const events: TicketEvent[] = [];

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
    await bus.subscribe(Topics.ticketEvents, async ({ message }) => void events.push(message), { groupId: uniqueName('events') });
    outbox = new Outbox(db, bus, 'ticketing', cipher, quietLogger());
    redis = new Redis(infra.redisUrl());
    settings = new RoutingSettingsRepository(db);
    service = new TicketService(
      db,
      outbox,
      new TicketRepository(db, config),
      new RoutingRepository(db),
      new AutoAssigner(redis, settings),
      config,
    );
  });

  afterAll(async () => {
    for (const tenantId of tenants) {
      const users = await redis.zrange(presenceIndexKey(tenantId), 0, -1);
      await redis.del(presenceIndexKey(tenantId), ...users.map((u) => presenceKey(tenantId, u)));
    }
    redis?.disconnect();
    await outbox?.stop();
    await closeBus?.();
    await db?.destroy();
    await database?.drop();
    await deleteTopicsWithPrefix(namespace).catch(() => undefined);
  });

  function newTenant(): string {
    const tenantId = uniqueName('tenant');
    tenants.push(tenantId);
    return tenantId;
  }

  /** As the gateway records it; `heardAt` in the past makes a user who has since gone silent. */
  const presence = (tenantId: string, username: string, status: PresenceStatus, departments = ['orders'], heardAt = Date.now()) =>
    recordPresence(redis, tenantId, { username, status, role: 'agent', departments, since: heardAt }, heardAt);

  /** A hand-off whose ticket routes to `orders` (an order intent), answered with the ticket as created. */
  async function handOff(tenantId: string, intent = 'return_item') {
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
            intent,
          },
        },
      }),
    );
    const [row]: Array<{ id: string; assignee_id: string | null; status: string }> = await db.query(
      'select id, assignee_id, status from ticketing.tickets where tenant_id = $1 and conversation_id = $2',
      [tenantId, conversationId],
    );
    return { id: row.id, assignee: row.assignee_id, status: row.status };
  }

  it('gives a new ticket to the online agent of its department, through the lifecycle and its events', async () => {
    const tenantId = newTenant();
    await presence(tenantId, 'olga', 'online');
    await presence(tenantId, 'zhu', 'online', ['support-zh']);
    const ticket = await handOff(tenantId);
    expect(ticket).toMatchObject({ assignee: 'olga', status: 'assigned' });
    // What the inbox's live updates and analytics hear: created, then open → assigned, then the assignment.
    const kinds = await waitFor(
      () => {
        const mine = events.filter((e) => e.ticketId === ticket.id);
        return mine.length >= 3 ? mine : undefined;
      },
      'the ticket events',
      60_000,
    );
    expect(kinds.map((e) => e.kind.case)).toEqual(['created', 'statusChanged', 'assigned']);
    expect(kinds[1].kind.value).toMatchObject({ from: 'open', to: 'assigned', agentId: '' });
    expect(kinds[2].kind.value).toMatchObject({ agentId: 'olga', previousAgentId: '', automatic: true });
  });

  it('passes over busy, away, silent and other departments’ agents; with nobody online the ticket waits', async () => {
    const tenantId = newTenant();
    await presence(tenantId, 'bo', 'busy');
    await presence(tenantId, 'al', 'away');
    await presence(tenantId, 'sid', 'online', ['orders'], Date.now() - PRESENCE_TTL_MS - 1000);
    await presence(tenantId, 'zhu', 'online', ['support-zh']);
    expect(await handOff(tenantId)).toMatchObject({ assignee: null, status: 'open' });
    // An agent without departments reaches them all.
    await presence(tenantId, 'gen', 'online', []);
    expect(await handOff(tenantId)).toMatchObject({ assignee: 'gen', status: 'assigned' });
  });

  it('gives it to the least loaded, among equals the one waiting longest, and never past the cap', async () => {
    const tenantId = newTenant();
    await settings.put(tenantId, { autoAssign: true, maxOpenPerAgent: 2 });
    await presence(tenantId, 'ann', 'online');
    // ann gets the first; then bea comes online with none: bea is less loaded.
    const claimed = await handOff(tenantId);
    expect(claimed.assignee).toBe('ann');
    await presence(tenantId, 'bea', 'online');
    expect((await handOff(tenantId)).assignee).toBe('bea');
    // One each: ann's last assignment is older, so she has waited longest.
    expect((await handOff(tenantId)).assignee).toBe('ann');
    expect((await handOff(tenantId)).assignee).toBe('bea');
    // Both hold 2, the cap: the next waits in the queue.
    expect(await handOff(tenantId)).toMatchObject({ assignee: null, status: 'open' });
    // Someone with room comes online: the next is theirs.
    await presence(tenantId, 'cy', 'online');
    const next = await handOff(tenantId);
    expect(next.assignee).toBe('cy');
    // Resolving frees a place under the cap.
    await db.query(`update ticketing.tickets set status = 'resolved' where tenant_id = $1 and id = $2`, [tenantId, claimed.id]);
    await presence(tenantId, 'cy', 'busy');
    expect((await handOff(tenantId)).assignee).toBe('ann');
  });

  it('counts a claim as an assignment: the claimant waits behind an agent who has not had one', async () => {
    const tenantId = newTenant();
    await settings.put(tenantId, { autoAssign: false, maxOpenPerAgent: 5 });
    const first = await handOff(tenantId);
    await service.claim(create(ClaimTicketRequestSchema, { tenantId, ticketId: first.id, agentId: 'dee' }));
    await db.query(`update ticketing.tickets set status = 'resolved' where tenant_id = $1 and id = $2`, [tenantId, first.id]);
    await settings.put(tenantId, { autoAssign: true, maxOpenPerAgent: 5 });
    await presence(tenantId, 'dee', 'online');
    await presence(tenantId, 'eve', 'online');
    // Both hold no open tickets; dee was assigned one just now, eve never: eve goes first.
    expect((await handOff(tenantId)).assignee).toBe('eve');
  });

  it('leaves every ticket in the queue when the tenant turns automatic assignment off', async () => {
    const tenantId = newTenant();
    await presence(tenantId, 'olga', 'online');
    expect(await settings.put(tenantId, { autoAssign: false, maxOpenPerAgent: 5 })).toEqual({ autoAssign: false, maxOpenPerAgent: 5 });
    expect(await handOff(tenantId)).toMatchObject({ assignee: null, status: 'open' });
  });
});
