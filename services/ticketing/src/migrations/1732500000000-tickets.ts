import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '@switchboard/persistence';

export class Tickets1732500000000 implements MigrationInterface {
  name = 'Tickets1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table ticketing.tickets (
        tenant_id text not null,
        id uuid not null,
        conversation_id uuid not null,
        customer_id text not null,
        department text not null,
        priority text not null check (priority in ('low', 'normal', 'high', 'urgent')),
        status text not null default 'open' check (status in ('open', 'assigned', 'waiting_on_customer', 'resolved', 'closed')),
        reason text not null,
        summary text not null,
        -- The hand-off event that caused the ticket: a redelivered event finds its ticket.
        source_event_id text not null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, source_event_id)
      )`);
    await runner.query('create index tickets_by_conversation on ticketing.tickets (tenant_id, conversation_id)');
    await createOutboxTable(runner, 'ticketing');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table ticketing.outbox');
    await runner.query('drop table ticketing.tickets');
  }
}
