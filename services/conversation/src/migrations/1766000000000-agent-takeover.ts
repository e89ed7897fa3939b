import type { MigrationInterface, QueryRunner } from 'typeorm';

// A support agent can hold a conversation (status "agent"): the bot stays silent until hand-back.
export class AgentTakeover1766000000000 implements MigrationInterface {
  name = 'AgentTakeover1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table conversation.conversations drop constraint conversations_status_check');
    await runner.query(
      `alter table conversation.conversations add constraint conversations_status_check check (status in ('bot', 'handed_off', 'agent', 'closed'))`,
    );
    await runner.query('alter table conversation.conversations add column agent_id text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`update conversation.conversations set status = 'handed_off' where status = 'agent'`);
    await runner.query('alter table conversation.conversations drop column agent_id');
    await runner.query('alter table conversation.conversations drop constraint conversations_status_check');
    await runner.query(
      `alter table conversation.conversations add constraint conversations_status_check check (status in ('bot', 'handed_off', 'closed'))`,
    );
  }
}
