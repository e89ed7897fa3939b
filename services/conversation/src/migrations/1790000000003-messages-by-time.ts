import type { MigrationInterface, QueryRunner } from 'typeorm';

// The overview's count of conversations with the bot looks at a tenant's recent messages only
// (bot-conversations.responder.ts): without this index it walked every conversation the bot ever
// finished, since a finished one keeps its status "bot".
export class MessagesByTime1790000000003 implements MigrationInterface {
  name = 'MessagesByTime1790000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('create index messages_by_time on conversation.messages (tenant_id, created_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index conversation.messages_by_time');
  }
}
