import type { MigrationInterface, QueryRunner } from 'typeorm';

// What an agent did with a suggested reply (suggestions/suggestion-uses.service.ts): sent it as
// drafted, edited it, or wrote their own. Ids and the outcome only; the texts are in the transcript.
export class SuggestionUses1786500000002 implements MigrationInterface {
  name = 'SuggestionUses1786500000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table gateway.suggestion_uses (
        id uuid primary key,
        tenant_id text not null references gateway.tenants (id),
        conversation_id text not null,
        turn_id text not null,
        agent text not null,
        outcome text not null check (outcome in ('accepted', 'edited', 'ignored')),
        created_at timestamptz not null default now(),
        unique (tenant_id, conversation_id, turn_id, agent)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table gateway.suggestion_uses');
  }
}
