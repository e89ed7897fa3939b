import type { MigrationInterface, QueryRunner } from 'typeorm';

// Autonomy earned per intent (docs/flows.md): each tenant's bar per order intent, the simulator's
// figures per intent, and the confirmed actions waiting for a person because their intent is below
// the bar. An approval's call and confirmation are encrypted (they hold addresses and orders).
export class Autonomy1790000000000 implements MigrationInterface {
  name = 'Autonomy1790000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table conversation.autonomy_bars (
        tenant_id text not null,
        intent text not null,
        pass_k double precision not null check (pass_k between 0 and 1),
        updated_at timestamptz not null default now(),
        primary key (tenant_id, intent)
      )`);
    await runner.query(`
      create table conversation.intent_figures (
        tenant_id text not null,
        intent text not null,
        tasks int not null,
        k int not null,
        pass_1 double precision not null check (pass_1 between 0 and 1),
        pass_k double precision not null check (pass_k between 0 and 1),
        measured_at timestamptz not null,
        intents_revision bigint not null,
        knowledge_revision bigint not null,
        primary key (tenant_id, intent)
      )`);
    await runner.query(`
      create table conversation.approvals (
        tenant_id text not null,
        id uuid not null,
        conversation_id uuid not null,
        customer_id text not null,
        turn_id text not null,
        language text not null,
        intent text not null,
        operation text not null,
        arguments text not null,
        confirmation text not null,
        verified_user_id text not null,
        order_id text not null default '',
        why text not null,
        status text not null default 'pending' check (status in ('pending', 'approving', 'approved', 'rejected')),
        decided_by text,
        decided_at timestamptz,
        reason text,
        outcome text,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        unique (tenant_id, turn_id),
        foreign key (tenant_id, conversation_id) references conversation.conversations (tenant_id, id)
      )`);
    await runner.query(`create index approvals_pending on conversation.approvals (tenant_id, created_at) where status = 'pending'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table conversation.approvals');
    await runner.query('drop table conversation.intent_figures');
    await runner.query('drop table conversation.autonomy_bars');
  }
}
