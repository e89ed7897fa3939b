// Presence against the real Redis and Postgres (the tenant's users): a user's status lives while
// heartbeats come and turns offline after the TTL without one (a heartbeat then does not bring it
// back); the body is checked field by field; a supervisor sees the people who reach their
// departments, an admin the whole tenant's, nobody else a team; tenants never see each other's.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { PRESENCE_TTL_MS, presenceIndexKey, presenceKey } from '@switchboard/contracts';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, infra, quietLogger, uniqueName } from '@switchboard/testing';
import type { Agent } from '../agents/agents.service';
import type { Role } from '../auth/roles';
import { UserRepository } from '../auth/user.repository';
import { Tenants1732500000000 } from '../migrations/1732500000000-tenants';
import { Users1768000000000 } from '../migrations/1768000000000-users';
import { PresenceService } from './presence.service';

describe('PresenceService', () => {
  const tenantId = uniqueName('tenant');
  const otherTenant = uniqueName('other');
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let redis: Redis;
  let users: UserRepository;
  let presence: PresenceService;
  const ids = new Map<string, string>();

  const agent = (username: string, role: Role = 'agent', departments = ['orders'], tenant = tenantId): Agent => ({
    tenantId: tenant,
    actor: { kind: 'user', id: username },
    role,
    departments,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(
      { url: database.url, schema: 'gateway', entities: [], migrations: [Tenants1732500000000, Users1768000000000] },
      quietLogger(),
    );
    redis = new Redis(infra.redisUrl());
    users = new UserRepository(db);
    presence = new PresenceService(redis, users);
    for (const tenant of [tenantId, otherTenant]) await db.query('insert into gateway.tenants (id, name) values ($1, $1)', [tenant]);
    const people: Array<[string, Role, string[], string?]> = [
      ['sam', 'agent', ['orders']],
      ['gen', 'agent', []],
      ['sue', 'senior_agent', ['orders', 'billing']],
      ['bill', 'agent', ['billing']],
      ['vera', 'supervisor', ['orders']],
      ['ada', 'admin', []],
      ['gone', 'agent', ['orders']],
      ['mallory', 'agent', ['orders'], otherTenant],
    ];
    for (const [username, role, departments, tenant] of people) {
      const id = randomUUID();
      ids.set(username, id);
      await users.insert({ id, tenantId: tenant ?? tenantId, username, displayName: '', passwordHash: 'x', role, departments });
    }
    await users.update(tenantId, ids.get('gone')!, { disabled: true });
  });

  afterAll(async () => {
    for (const tenant of [tenantId, otherTenant]) {
      const members = await redis.zrange(presenceIndexKey(tenant), 0, -1);
      await redis.del(presenceIndexKey(tenant), ...members.map((u) => presenceKey(tenant, u)));
    }
    redis?.disconnect();
    await db?.destroy();
    await database?.drop();
  });

  it('keeps a status alive with heartbeats and turns it offline after the TTL without one', async () => {
    const t0 = Date.now();
    expect(await presence.heartbeat(agent('sam'), t0)).toEqual({ status: 'offline', since: null });
    expect(await presence.set(agent('sam'), { status: 'online' }, t0)).toEqual({ status: 'online', since: new Date(t0).toISOString() });
    // A real expiry on the key: Redis forgets a user nobody hears from.
    const ttl = await redis.pttl(presenceKey(tenantId, 'sam'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(PRESENCE_TTL_MS);
    // Heartbeats keep the status and when it was chosen; choosing it again keeps that too.
    const heard = t0 + PRESENCE_TTL_MS - 1000;
    expect(await presence.heartbeat(agent('sam'), heard)).toEqual({ status: 'online', since: new Date(t0).toISOString() });
    expect(await presence.set(agent('sam'), { status: 'online' }, heard + 10)).toMatchObject({ since: new Date(t0).toISOString() });
    // Silent past the TTL: offline, and a late heartbeat does not bring the status back.
    const late = heard + 10 + PRESENCE_TTL_MS + 1;
    expect(await presence.heartbeat(agent('sam'), late)).toEqual({ status: 'offline', since: null });
    expect(await presence.set(agent('sam'), { status: 'busy' }, late + 1)).toEqual({
      status: 'busy',
      since: new Date(late + 1).toISOString(),
    });
  });

  it('a heartbeat that read the old status while it changed keeps the new one', async () => {
    await presence.set(agent('gen'), { status: 'online' });
    // The heartbeat's read of the presence returns, then the user chooses busy in another tab,
    // then the heartbeat goes on with what it read.
    const racing = new Proxy(redis, {
      get(target, property, receiver) {
        if (property !== 'get') return Reflect.get(target, property, receiver);
        return async (key: string) => {
          const value = await target.get(key);
          await presence.set(agent('gen'), { status: 'busy' });
          return value;
        };
      },
    });
    expect(await new PresenceService(racing, users).heartbeat(agent('gen'))).toMatchObject({ status: 'online' });
    expect(await presence.heartbeat(agent('gen'))).toMatchObject({ status: 'busy' });
  });

  it('names the wrong field of a body, and changes nothing', async () => {
    await presence.set(agent('sue', 'senior_agent', ['orders', 'billing']), { status: 'away' });
    for (const [body, field] of [
      [{}, 'status'],
      [{ status: 'offline' }, 'status'],
      [{ status: 'ONLINE' }, 'status'],
      [{ status: 'online', mood: 'great' }, 'mood'],
    ] as const)
      await expect(presence.set(agent('sue', 'senior_agent', ['orders', 'billing']), body)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining(field),
      });
    expect(await presence.heartbeat(agent('sue', 'senior_agent', ['orders', 'billing']))).toMatchObject({ status: 'away' });
  });

  it('shows a supervisor the people who reach their departments; refuses everyone else', async () => {
    const now = Date.now();
    await presence.set(agent('sam'), { status: 'online' }, now);
    await presence.set(agent('gen', 'agent', []), { status: 'busy' }, now);
    await presence.set(agent('bill', 'agent', ['billing']), { status: 'online' }, now);
    await presence.set(agent('mallory', 'agent', ['orders'], otherTenant), { status: 'online' }, now);
    await presence.set(agent('sue', 'senior_agent', ['orders', 'billing']), { status: 'away' }, now);
    const { presence: team } = await presence.team(agent('vera', 'supervisor', ['orders']), now + 1);
    // Not bill (billing only), nor the admin, the disabled user or another tenant's agent; vera
    // herself is there, offline until her console says otherwise.
    expect(team.map((m) => [m.username, m.status])).toEqual([
      ['gen', 'busy'],
      ['sam', 'online'],
      ['sue', 'away'],
      ['vera', 'offline'],
    ]);
    expect(team.find((m) => m.username === 'sam')).toEqual({
      username: 'sam',
      displayName: '',
      role: 'agent',
      departments: ['orders'],
      status: 'online',
      since: new Date(now).toISOString(),
    });
    // An admin disables sam (AccountsService ends his presence with his sessions): offline at once.
    await presence.end(tenantId, 'sam');
    expect(
      (await presence.team(agent('vera', 'supervisor', ['orders']), now + 2)).presence.find((m) => m.username === 'sam'),
    ).toMatchObject({
      status: 'offline',
    });
    for (const role of ['agent', 'senior_agent'] as const)
      await expect(presence.team(agent('sam', role))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    // A supervisor without departments works none: neither sets presence nor sees a team.
    await expect(presence.team(agent('vera', 'supervisor', []))).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(presence.set(agent('vera', 'supervisor', []), { status: 'online' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('shows an admin every active desk user of the tenant, whatever their departments', async () => {
    const now = Date.now();
    await presence.set(agent('bill', 'agent', ['billing']), { status: 'busy' }, now);
    await presence.set(agent('mallory', 'agent', ['orders'], otherTenant), { status: 'online' }, now);
    const { presence: team } = await presence.team(agent('ada', 'admin', []), now + 1);
    // bill too (billing only), and vera the supervisor; not the admin herself, the disabled user
    // or another tenant's agent.
    expect(team.map((m) => m.username).sort()).toEqual(['bill', 'gen', 'sam', 'sue', 'vera']);
    expect(team.find((m) => m.username === 'bill')).toMatchObject({ status: 'busy', since: new Date(now).toISOString() });
  });
});
