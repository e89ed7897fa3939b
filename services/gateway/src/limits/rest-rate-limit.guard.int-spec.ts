// The per-key REST limit on a real Nest/Express server with the real Postgres and Redis: Express
// routes /V1/... to the /v1/... handler (case-insensitive), so the guard must count it the same.
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { CONFIG } from '@switchboard/platform';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, infra, quietLogger, uniqueName } from '@switchboard/testing';
import { ApiKeyRepository } from '../auth/api-key.repository';
import { ApiKeyService } from '../auth/api-key.service';
import { Tenants1732500000000 } from '../migrations/1732500000000-tenants';
import { ApiKeyRateLimit1784000000000 } from '../migrations/1784000000000-api-key-rate-limit';
import { RateLimitRepository } from './rate-limit.repository';
import { RateLimitService } from './rate-limit.service';
import { RestRateLimitGuard } from './rest-rate-limit.guard';

@Controller('v1/things')
class ThingsController {
  @Get()
  list() {
    return { things: [] };
  }
}

@Controller('health')
class HealthController {
  @Get('live')
  live() {
    return { ok: true };
  }
}

describe('RestRateLimitGuard', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let redis: Redis;
  let app: INestApplication;
  let key: string;
  let window: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(
      { url: database.url, schema: 'gateway', entities: [], migrations: [Tenants1732500000000, ApiKeyRateLimit1784000000000] },
      quietLogger(),
    );
    redis = new Redis(infra.redisUrl());
    const keys = new ApiKeyService(new ApiKeyRepository(db));
    const tenantId = uniqueName('tenant')
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '');
    await new ApiKeyRepository(db).ensureTenant(tenantId, tenantId);
    const issued = await keys.addKey(tenantId, 'test', ['kb:admin']);
    key = issued.key;
    window = `t:${tenantId}:rl:key:${issued.id}`;
    @Module({
      controllers: [ThingsController, HealthController],
      providers: [
        { provide: ApiKeyService, useValue: keys },
        { provide: RateLimitRepository, useValue: new RateLimitRepository(redis) },
        {
          provide: CONFIG,
          useValue: {
            RATE_LIMIT_KEY_PER_MIN: 600,
            RATE_LIMIT_USER_PER_MIN: 600,
            RATE_LIMIT_CUSTOMER_PER_MIN: 30,
            LOGIN_ATTEMPTS_PER_MIN: 10,
            LOGIN_FAILURES_PER_CLIENT_PER_MIN: 30,
            LOGIN_FAILURES_PER_TENANT_PER_MIN: 300,
          },
        },
        RateLimitService,
        { provide: APP_GUARD, useClass: RestRateLimitGuard },
      ],
    })
    class TestModule {}
    app = await NestFactory.create(TestModule, { logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    redis?.disconnect();
    await db?.destroy();
    await database?.drop();
  });

  it('counts a call whatever the case of its path, and leaves routes outside /v1 alone', async () => {
    const base = await app.getUrl();
    for (const path of ['/v1/things', '/V1/things', '/V1/THINGS', '/v1/Things/']) {
      const res = await fetch(`${base}${path}`, { headers: { 'x-api-key': key } });
      expect([path, res.status]).toEqual([path, 200]);
    }
    expect(await redis.zcard(window)).toBe(4);
    expect((await fetch(`${base}/HEALTH/live`, { headers: { 'x-api-key': key } })).status).toBe(200);
    expect(await redis.zcard(window)).toBe(4);
  });
});
