import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@switchboard/persistence';

// Facts per conversation, turn, hand-off, ticket and rating, keyed by tenant. Ids, times and
// dimensions only: no message text, summary, note or comment is ever stored here. Each fact is
// built from several events that may arrive in any order across topics, so every column is merged
// (least/greatest/coalesce) rather than overwritten; processed_events makes a replay a no-op.
export class AnalyticsFacts1785000000000 implements MigrationInterface {
  name = 'AnalyticsFacts1785000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table analytics.processed_events (
        tenant_id text not null,
        event_id text not null,
        processed_at timestamptz not null default now(),
        primary key (tenant_id, event_id)
      )`);
    await runner.query(`
      create table analytics.conversations (
        tenant_id text not null,
        conversation_id uuid not null,
        customer_id text not null default '',
        channel text not null default '',
        language text not null default '',
        intent text not null default '',
        tier text not null default '',
        department text not null default '',
        agent text not null default '',
        started_at timestamptz,
        first_reply_at timestamptz,
        last_reply_at timestamptz,
        handoff_at timestamptz,
        human_first_reply_at timestamptz,
        primary key (tenant_id, conversation_id)
      )`);
    await runner.query('create index conversations_by_start on analytics.conversations (tenant_id, started_at)');
    await runner.query('create index conversations_by_customer on analytics.conversations (tenant_id, customer_id, intent, started_at)');
    await runner.query(`
      create table analytics.turns (
        tenant_id text not null,
        turn_id uuid not null,
        conversation_id uuid not null,
        received_at timestamptz,
        replied_at timestamptz not null,
        intent text not null default '',
        answer_mode text not null default '',
        grounded boolean not null default false,
        duration_ms bigint not null default 0,
        primary key (tenant_id, turn_id)
      )`);
    await runner.query('create index turns_by_conversation on analytics.turns (tenant_id, conversation_id)');
    await runner.query(`
      create table analytics.handoffs (
        tenant_id text not null,
        conversation_id uuid not null,
        turn_id text not null,
        occurred_at timestamptz not null,
        reason text not null default '',
        primary key (tenant_id, conversation_id, turn_id)
      )`);
    await runner.query(`
      create table analytics.tickets (
        tenant_id text not null,
        ticket_id uuid not null,
        conversation_id uuid,
        customer_id text not null default '',
        department text not null default '',
        priority text not null default '',
        channel text not null default '',
        language text not null default '',
        intent text not null default '',
        tier text not null default '',
        agent text not null default '',
        status text not null default 'open',
        created_at timestamptz,
        due_at timestamptz,
        first_resolved_at timestamptz,
        resolved_at timestamptz,
        reopens int not null default 0,
        primary key (tenant_id, ticket_id)
      )`);
    await runner.query('create index tickets_by_created on analytics.tickets (tenant_id, created_at)');
    await runner.query('create index tickets_by_due on analytics.tickets (tenant_id, due_at)');
    await runner.query('create index tickets_by_conversation on analytics.tickets (tenant_id, conversation_id)');
    await runner.query(`
      create table analytics.ratings (
        tenant_id text not null,
        conversation_id uuid not null,
        rating smallint not null check (rating between 1 and 5),
        has_comment boolean not null default false,
        rated_at timestamptz not null,
        primary key (tenant_id, conversation_id)
      )`);
    // Erasure reports leave through the outbox, committed with the erasure itself.
    await createOutboxTable(runner, 'analytics');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['outbox', 'ratings', 'tickets', 'handoffs', 'turns', 'conversations', 'processed_events'])
      await runner.query(`drop table analytics.${table}`);
  }
}
