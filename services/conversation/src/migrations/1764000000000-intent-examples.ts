import type { MigrationInterface, QueryRunner } from 'typeorm';

// A tenant's own intent examples replace the built-in set as a whole; the revision tells every
// replica when to retrain.
export class IntentExamples1764000000000 implements MigrationInterface {
  name = 'IntentExamples1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table conversation.intent_sets (
        tenant_id text primary key,
        revision bigint not null,
        updated_at timestamptz not null default now()
      )`);
    await runner.query(`
      create table conversation.intent_examples (
        tenant_id text not null references conversation.intent_sets (tenant_id) on delete cascade,
        position int not null,
        text text not null,
        label text not null,
        primary key (tenant_id, position)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table conversation.intent_examples');
    await runner.query('drop table conversation.intent_sets');
  }
}
