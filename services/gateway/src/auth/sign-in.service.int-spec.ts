// Signing in against the real Postgres, Redis and Kafka: sign-in limits per username and address,
// per address (spraying) without locking the user out elsewhere; failures audited without the
// password; a session that ends SESSION_MAX_AGE_S after its sign-in however often it is refreshed.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { FieldCipher } from '@switchboard/crypto';
import type { KafkaBus } from '@switchboard/messaging';
import { openDatabase, Outbox } from '@switchboard/persistence';
import { connectTestBus, createTestDatabase, deleteTopicsWithPrefix, infra, quietLogger, uniqueName } from '@switchboard/testing';
import { AuditTrail } from '../audit/audit-trail.service';
import { loadGatewayConfig } from '../config';
import { RateLimitRepository } from '../limits/rate-limit.repository';
import { RateLimitService } from '../limits/rate-limit.service';
import { Tenants1732500000000 } from '../migrations/1732500000000-tenants';
import { Users1768000000000 } from '../migrations/1768000000000-users';
import { AuditOutbox1770000000000 } from '../migrations/1770000000000-audit-outbox';
import { SessionStart1783000000000 } from '../migrations/1783000000000-session-start';
import { AccessTokens } from './access-tokens';
import { PasswordHasher } from './password-hasher';
import { SignInService } from './sign-in.service';
import { UserRepository } from './user.repository';

describe('SignInService', () => {
  const config = loadGatewayConfig({
    NODE_ENV: 'test',
    LOGIN_ATTEMPTS_PER_MIN: '3',
    LOGIN_FAILURES_PER_CLIENT_PER_MIN: '5',
    LOGIN_FAILURES_PER_TENANT_PER_MIN: '100',
  });
  const namespace = `${uniqueName('signin').toLowerCase()}.`;
  const tenantId = uniqueName('tenant')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  const password = `pw-${randomUUID()}`;
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let redis: Redis;
  let bus: KafkaBus;
  let closeBus: () => Promise<void>;
  let outbox: Outbox;
  let users: UserRepository;
  let service: SignInService;

  beforeAll(async () => {
    database = await createTestDatabase();
    const cipher = FieldCipher.fromConfig(config);
    db = await openDatabase(
      {
        url: database.url,
        schema: 'gateway',
        entities: [],
        migrations: [Tenants1732500000000, Users1768000000000, AuditOutbox1770000000000, SessionStart1783000000000],
        outbox: { cipher },
      },
      quietLogger(),
    );
    ({ bus, close: closeBus } = await connectTestBus(uniqueName('gateway'), namespace));
    outbox = new Outbox(db, bus, 'gateway', cipher, quietLogger());
    redis = new Redis(infra.redisUrl());
    users = new UserRepository(db);
    const passwords = new PasswordHasher();
    service = new SignInService(
      users,
      passwords,
      new AccessTokens(redis, config),
      new RateLimitService(new RateLimitRepository(redis), config),
      config,
      new AuditTrail(db, outbox, quietLogger()),
    );
    await db.query('insert into gateway.tenants (id, name) values ($1, $1)', [tenantId]);
    await users.insert({
      id: randomUUID(),
      tenantId,
      username: 'lee',
      displayName: '',
      passwordHash: await passwords.hash(password),
      role: 'agent',
      departments: [],
    });
  });

  afterAll(async () => {
    await outbox?.stop();
    await closeBus?.();
    redis?.disconnect();
    await db?.destroy();
    await database?.drop();
    await deleteTopicsWithPrefix(namespace).catch(() => undefined);
  });

  const signIn = (username: string, pw: string, client: string) =>
    service.signIn({ tenantId, username, password: pw }, client).then(
      () => 'ok',
      (e: { code?: string; limit?: string }) => e.limit ?? e.code,
    );

  it("stops guessing at the guesser's address without locking the user out at theirs, and audits each failure", async () => {
    const guesses = [];
    for (let i = 0; i < 4; i += 1) guesses.push(await signIn('lee', `wrong guess ${i}`, '203.0.113.7'));
    expect(guesses).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'sign_in']);
    expect(await signIn('lee', password, '198.51.100.20')).toBe('ok');

    const audited: Array<{ id: string; payload: string }> = await db.query(
      `select id, payload from gateway.outbox where tenant_id = $1 and topic like '%audit.events.v1'`,
      [tenantId],
    );
    const events = audited.map((r) =>
      FieldCipher.fromConfig(config).decrypt(r.payload, { tenantId, column: 'gateway.outbox.payload', row: r.id }),
    );
    expect(events).toHaveLength(3);
    for (const event of events) {
      expect(JSON.parse(event)).toMatchObject({
        action: 'auth.sign_in',
        outcome: 'refused',
        detail: 'UNAUTHENTICATED',
        actor: { kind: 'user', id: 'lee' },
        resource: { type: 'user', id: 'lee' },
      });
      expect(event).not.toContain('wrong guess');
    }
  });

  it('stops password spraying across usernames from one address; successes do not count', async () => {
    for (let i = 0; i < 3; i += 1) expect(await signIn('lee', password, '203.0.113.8')).toBe('ok');
    const sprayed = [];
    for (let i = 0; i < 6; i += 1) sprayed.push(await signIn(`sprayed-${i}`, 'Winter2026!', '203.0.113.8'));
    expect(sprayed).toEqual([...Array<string>(5).fill('UNAUTHENTICATED'), 'sign_in_client']);
  });

  it('ends a session at its maximum age however often it is refreshed', async () => {
    const session = await service.signIn({ tenantId, username: 'lee', password }, '198.51.100.30');
    // Well inside the session, the refresh token gets its usual lifetime.
    expect(session.refreshExpiresIn).toBeGreaterThanOrEqual(config.REFRESH_TOKEN_TTL_S - 1);
    const startedAgo = (seconds: number) =>
      db.query(`update gateway.refresh_tokens set session_started_at = now() - make_interval(secs => $2) where user_id = $1`, [
        session.user.id,
        seconds,
      ]);
    await startedAgo(config.SESSION_MAX_AGE_S - 60);
    const late = await service.refresh({ refreshToken: session.refreshToken });
    expect(late.refreshExpiresIn).toBeLessThanOrEqual(60);
    await startedAgo(config.SESSION_MAX_AGE_S + 1);
    await expect(service.refresh({ refreshToken: late.refreshToken })).rejects.toThrow('session reached its maximum age');
  });
});
