import type { MigrationInterface, QueryRunner } from 'typeorm';

// Each tenant's retention periods; the retention sweep (privacy/retention-sweep.ts) enforces them.
// 0 days keeps data for ever; a tenant without a row keeps everything.
export class RetentionPolicies1769500000000 implements MigrationInterface {
  name = 'RetentionPolicies1769500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table conversation.retention_policies (
        tenant_id text primary key,
        conversation_days int not null check (conversation_days between 0 and 3650),
        attachment_days int not null check (attachment_days between 0 and 3650),
        updated_at timestamptz not null default now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table conversation.retention_policies');
  }
}
