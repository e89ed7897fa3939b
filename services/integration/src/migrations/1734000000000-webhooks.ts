import type { MigrationInterface, QueryRunner } from 'typeorm';

// Outgoing webhooks: a tenant's endpoints, and one delivery row per (endpoint, event) that the
// poller works through — attempts and next_attempt_at live here, so retries survive restarts.
// The secret is stored as given: signing needs the secret itself, not a hash of it.
export class Webhooks1734000000000 implements MigrationInterface {
  name = 'Webhooks1734000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table integration.webhook_endpoints (
        tenant_id text not null,
        endpoint_id uuid not null,
        url text not null,
        event_types text[] not null default '{}',
        secret text not null,
        description text not null default '',
        created_at timestamptz not null default now(),
        primary key (tenant_id, endpoint_id)
      )`);
    await runner.query(`
      create table integration.webhook_deliveries (
        tenant_id text not null,
        delivery_id uuid not null,
        endpoint_id uuid not null,
        topic text not null,
        event_id text not null,
        event_type text not null,
        payload text not null,
        status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_error text,
        created_at timestamptz not null default now(),
        delivered_at timestamptz,
        failed_at timestamptz,
        primary key (tenant_id, delivery_id),
        unique (tenant_id, endpoint_id, topic, event_id),
        foreign key (tenant_id, endpoint_id) references integration.webhook_endpoints (tenant_id, endpoint_id) on delete cascade
      )`);
    await runner.query(`create index webhook_deliveries_due on integration.webhook_deliveries (next_attempt_at) where status = 'pending'`);
    await runner.query(
      `create index webhook_deliveries_dead on integration.webhook_deliveries (tenant_id, failed_at desc) where status = 'dead'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table integration.webhook_deliveries');
    await runner.query('drop table integration.webhook_endpoints');
  }
}
