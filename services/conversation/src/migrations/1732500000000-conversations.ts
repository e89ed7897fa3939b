import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@switchboard/persistence';

export class Conversations1732500000000 implements MigrationInterface {
  name = 'Conversations1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table conversation.conversations (
        tenant_id text not null,
        id uuid not null,
        customer_id text not null,
        channel text not null,
        locale text not null default '',
        status text not null default 'bot' check (status in ('bot', 'handed_off', 'closed')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (tenant_id, id)
      )`);
    await runner.query(`
      create table conversation.messages (
        tenant_id text not null,
        id uuid not null,
        conversation_id uuid not null,
        turn_id uuid not null,
        role text not null check (role in ('customer', 'bot', 'agent', 'system')),
        content text not null,
        metadata jsonb not null default '{}',
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        foreign key (tenant_id, conversation_id) references conversation.conversations (tenant_id, id)
      )`);
    await runner.query('create index messages_by_conversation on conversation.messages (tenant_id, conversation_id, created_at)');
    // One bot reply per turn, whatever redeliveries happen.
    await runner.query(`create unique index one_reply_per_turn on conversation.messages (tenant_id, turn_id) where role = 'bot'`);
    await createOutboxTable(runner, 'conversation');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table conversation.outbox');
    await runner.query('drop table conversation.messages');
    await runner.query('drop table conversation.conversations');
  }
}
