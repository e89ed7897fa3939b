import type { MigrationInterface, QueryRunner } from 'typeorm';

// Automatic assignment of new tickets to online agents: each tenant's setting (no row: on, 5 open
// tickets per agent), when each agent was last given a ticket (the longest-waiting goes first among
// equally loaded agents), and an index to count an agent's open tickets.
export class AutoAssignment1786600000000 implements MigrationInterface {
  name = 'AutoAssignment1786600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table ticketing.routing_settings (
        tenant_id text primary key,
        auto_assign boolean not null,
        max_open_per_agent int not null check (max_open_per_agent between 1 and 100),
        updated_at timestamptz not null default now()
      )`);
    await runner.query(`
      create table ticketing.agent_assignments (
        tenant_id text not null,
        agent_id text not null,
        last_assigned_at timestamptz not null,
        primary key (tenant_id, agent_id)
      )`);
    await runner.query(
      'create index tickets_by_assignee on ticketing.tickets (tenant_id, assignee_id, status) where assignee_id is not null',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index ticketing.tickets_by_assignee');
    await runner.query('drop table ticketing.agent_assignments');
    await runner.query('drop table ticketing.routing_settings');
  }
}
