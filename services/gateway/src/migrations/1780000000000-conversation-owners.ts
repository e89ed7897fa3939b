import type { MigrationInterface, QueryRunner } from 'typeorm';

// Who opened each conversation (conversations/conversation-owner.repository.ts), so the gateway can
// refuse another customer's message synchronously. The customer id is kept only as a blind index:
// the gateway needs equality and erasure by customer, never the id itself.
export class ConversationOwners1780000000000 implements MigrationInterface {
  name = 'ConversationOwners1780000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table gateway.conversation_owners (
        tenant_id text not null,
        conversation_id text not null,
        customer_index text not null,
        channel text not null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, conversation_id)
      )`);
    await runner.query('create index conversation_owners_customer on gateway.conversation_owners (tenant_id, customer_index)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table gateway.conversation_owners');
  }
}
