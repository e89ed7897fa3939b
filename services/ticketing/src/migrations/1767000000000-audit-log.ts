import type { MigrationInterface, QueryRunner } from 'typeorm';

// The append-only audit log: one hash chain per tenant (seq 1, 2, 3 …). A trigger refuses UPDATE,
// DELETE and TRUNCATE, so even a mistaken statement in code cannot rewrite history; someone with
// the rights to drop the trigger can, and verification then shows where.
export class AuditLog1767000000000 implements MigrationInterface {
  name = 'AuditLog1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table ticketing.audit_events (
        tenant_id text not null,
        seq bigint not null,
        event_id text not null,
        occurred_at text not null,
        actor_kind text not null,
        actor_id text not null,
        action text not null,
        resource_type text not null,
        resource_id text not null,
        outcome text not null,
        detail text not null,
        prev_hash text not null,
        hash text not null,
        recorded_at timestamptz not null default now(),
        primary key (tenant_id, seq),
        unique (tenant_id, event_id)
      )`);
    await runner.query('create index audit_events_by_action on ticketing.audit_events (tenant_id, action, seq)');
    await runner.query(`
      create function ticketing.audit_events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'ticketing.audit_events is append-only (% refused)', tg_op;
      end $$`);
    await runner.query(
      `create trigger audit_events_no_change before update or delete on ticketing.audit_events for each row execute function ticketing.audit_events_append_only()`,
    );
    await runner.query(
      `create trigger audit_events_no_truncate before truncate on ticketing.audit_events for each statement execute function ticketing.audit_events_append_only()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table ticketing.audit_events');
    await runner.query('drop function ticketing.audit_events_append_only()');
  }
}
