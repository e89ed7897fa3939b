import type { MigrationInterface, QueryRunner } from 'typeorm';

// Canned responses (canned/canned-responses.service.ts): the tenant's, which supervisors and
// admins keep, and each user's personal ones (owner = their username). A shortcut is unique within
// its owner's set, so an agent's own "/refund" may stand in front of the tenant's.
export class CannedResponses1786500000000 implements MigrationInterface {
  name = 'CannedResponses1786500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table gateway.canned_responses (
        id uuid primary key,
        tenant_id text not null references gateway.tenants (id),
        owner text,
        shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
        title text not null,
        body text not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    // owner is null for the tenant's set; coalesce makes the tenant's shortcuts unique too.
    await runner.query(
      `create unique index canned_responses_shortcut on gateway.canned_responses (tenant_id, coalesce(owner, ''), shortcut)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table gateway.canned_responses');
  }
}
