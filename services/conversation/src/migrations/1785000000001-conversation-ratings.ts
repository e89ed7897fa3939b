import type { MigrationInterface, QueryRunner } from 'typeorm';

// One satisfaction rating per conversation (CSAT), given by its customer through the public API.
// The comment is the customer's own words: encrypted at rest like messages, erased with them.
export class ConversationRatings1785000000001 implements MigrationInterface {
  name = 'ConversationRatings1785000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table conversation.ratings (
        tenant_id text not null,
        conversation_id uuid not null,
        customer_id text not null,
        rating smallint not null check (rating between 1 and 5),
        -- null when the customer wrote none (key rotation then has nothing to re-encrypt).
        comment text,
        created_at timestamptz not null default now(),
        primary key (tenant_id, conversation_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table conversation.ratings');
  }
}
