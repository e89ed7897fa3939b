import type { MigrationInterface, QueryRunner } from 'typeorm';

// A tenant's moderation policy, stored whole (it is read and replaced as a whole); the revision
// tells every replica when to rebuild its matcher.
export class Policies1764100000000 implements MigrationInterface {
  name = 'Policies1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table moderation.policies (
        tenant_id text primary key,
        policy jsonb not null,
        revision bigint not null,
        updated_at timestamptz not null default now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table moderation.policies');
  }
}
