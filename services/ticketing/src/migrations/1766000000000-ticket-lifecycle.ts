import type { MigrationInterface, QueryRunner } from 'typeorm';

// Tickets get an assignee, an SLA due time and the facts they were routed on; agents' notes; and
// each tenant's departments and routing rules (a tenant without rules gets the built-in set).
export class TicketLifecycle1766000000000 implements MigrationInterface {
  name = 'TicketLifecycle1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table ticketing.tickets
        add column assignee_id text,
        add column due_at timestamptz,
        add column locale text not null default '',
        add column intent text not null default '',
        add column tier text not null default '',
        add column updated_at timestamptz not null default now()`);
    await runner.query('create index tickets_by_status on ticketing.tickets (tenant_id, status, department)');
    await runner.query(`
      create table ticketing.ticket_notes (
        tenant_id text not null,
        id uuid not null,
        ticket_id uuid not null,
        author text not null,
        text text not null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, id),
        foreign key (tenant_id, ticket_id) references ticketing.tickets (tenant_id, id)
      )`);
    await runner.query('create index notes_by_ticket on ticketing.ticket_notes (tenant_id, ticket_id, created_at)');
    await runner.query(`
      create table ticketing.departments (
        tenant_id text not null,
        id text not null,
        name text not null,
        primary key (tenant_id, id)
      )`);
    // Evaluated by position: the first matching rule with a department decides it; the highest
    // priority of all matching rules wins. Empty arrays match anything.
    await runner.query(`
      create table ticketing.routing_rules (
        tenant_id text not null,
        position int not null,
        intents text[] not null default '{}',
        reasons text[] not null default '{}',
        locales text[] not null default '{}',
        tiers text[] not null default '{}',
        department text,
        priority text check (priority in ('low', 'normal', 'high', 'urgent')),
        primary key (tenant_id, position)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table ticketing.routing_rules');
    await runner.query('drop table ticketing.departments');
    await runner.query('drop table ticketing.ticket_notes');
    await runner.query('drop index ticketing.tickets_by_status');
    await runner.query(
      'alter table ticketing.tickets drop column assignee_id, drop column due_at, drop column locale, drop column intent, drop column tier, drop column updated_at',
    );
  }
}
