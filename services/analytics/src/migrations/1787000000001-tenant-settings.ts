import type { MigrationInterface, QueryRunner } from 'typeorm';

// A tenant's analytics settings (settings/analytics-settings.service.ts); no row means the defaults.
export class TenantSettings1787000000001 implements MigrationInterface {
  name = 'TenantSettings1787000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table analytics.tenant_settings (
        tenant_id text primary key,
        time_zone text not null default 'UTC',
        updated_at timestamptz not null default now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table analytics.tenant_settings');
  }
}
