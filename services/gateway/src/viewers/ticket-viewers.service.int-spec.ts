// Who else views a ticket, against the real Redis: each viewer sees the others (not themselves),
// longest first; one not heard from for 30 s is gone; leaving removes at once; a user who cannot
// open the ticket can neither say they view it nor learn who does; tenants never see each other's.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { infra, uniqueName } from '@switchboard/testing';
import type { AgentsService, Agent } from '../agents/agents.service';
import type { Role } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import { TicketViewersService, VIEWER_TTL_MS } from './ticket-viewers.service';

describe('TicketViewersService', () => {
  const tenantId = uniqueName('tenant');
  const ordersTicket = randomUUID();
  const billingTicket = randomUUID();
  let redis: Redis;
  let viewers: TicketViewersService;
  const agent = (username: string, role: Role = 'agent', departments = ['orders'], tenant = tenantId): Agent => ({
    tenantId: tenant,
    actor: { kind: 'user', id: username },
    role,
    departments,
  });
  // The desk's own scope rule stands in for the ticketing call: orders agents reach only the orders ticket.
  const agents = {
    ticketInScope: async (a: Agent, ticketId: string) => {
      if (ticketId === billingTicket && !a.departments.includes('billing'))
        throw new GatewayError('NOT_FOUND', `ticket ${ticketId} not found`);
      return {};
    },
  } as unknown as AgentsService;

  beforeAll(() => {
    redis = new Redis(infra.redisUrl());
    viewers = new TicketViewersService(redis, agents);
  });
  afterAll(async () => {
    await redis.del(`t:${tenantId}:ticket:${ordersTicket}:viewers`, `t:other-${tenantId}:ticket:${ordersTicket}:viewers`);
    redis.disconnect();
  });

  it('tells each viewer who else has the ticket open, longest first, until they leave or go quiet', async () => {
    const t0 = Date.now();
    expect(await viewers.viewing(agent('sam'), ordersTicket, t0)).toEqual({ viewers: [] });
    expect(await viewers.viewing(agent('vera', 'supervisor'), ordersTicket, t0 + 1000)).toEqual({
      viewers: [{ username: 'sam', role: 'agent', since: new Date(t0).toISOString() }],
    });
    // sam's next heartbeat keeps his "since" and now sees vera.
    expect(await viewers.viewing(agent('sam'), ordersTicket, t0 + 10_000)).toEqual({
      viewers: [{ username: 'vera', role: 'supervisor', since: new Date(t0 + 1000).toISOString() }],
    });
    // Another tenant's viewer of the same ticket id is not among them.
    await viewers.viewing(agent('mallory', 'agent', ['orders'], `other-${tenantId}`), ordersTicket, t0 + 11_000);
    expect((await viewers.viewing(agent('vera', 'supervisor'), ordersTicket, t0 + 12_000)).viewers.map((v) => v.username)).toEqual(['sam']);

    // vera leaves: gone at once. sam goes quiet: gone after the TTL.
    await viewers.left(agent('vera', 'supervisor'), ordersTicket);
    expect(await viewers.viewing(agent('ann'), ordersTicket, t0 + 13_000)).toMatchObject({ viewers: [{ username: 'sam' }] });
    expect(await viewers.viewing(agent('ann'), ordersTicket, t0 + 10_000 + VIEWER_TTL_MS + 1)).toEqual({ viewers: [] });
    expect(await redis.hkeys(`t:${tenantId}:ticket:${ordersTicket}:viewers`)).toEqual(['ann']);
  });

  it('refuses a user who cannot open the ticket, and an id that is no ticket id, as not found', async () => {
    await viewers.viewing(agent('bea', 'agent', ['billing']), billingTicket);
    await expect(viewers.viewing(agent('sam'), billingTicket)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewers.left(agent('sam'), billingTicket)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewers.viewing(agent('sam'), 'x:*')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await redis.hkeys(`t:${tenantId}:ticket:${billingTicket}:viewers`)).toEqual(['bea']);
    await redis.del(`t:${tenantId}:ticket:${billingTicket}:viewers`);
  });
});
