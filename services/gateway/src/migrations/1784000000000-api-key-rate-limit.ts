import type { MigrationInterface, QueryRunner } from 'typeorm';

// Each API key may carry its own requests-per-minute limit: one channel adapter's key serves all of
// its customers, so one gateway-wide figure either throttles a busy channel or lets a small one
// flood. Null keeps the gateway's default (RATE_LIMIT_KEY_PER_MIN).
export class ApiKeyRateLimit1784000000000 implements MigrationInterface {
  name = 'ApiKeyRateLimit1784000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table gateway.api_keys add column requests_per_min integer check (requests_per_min > 0)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table gateway.api_keys drop column requests_per_min');
  }
}
