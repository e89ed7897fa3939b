import type { MigrationInterface, QueryRunner } from 'typeorm';

// Each user's saved inbox views (views/saved-views.service.ts): a name and the filters, by owner.
export class SavedViews1786500000003 implements MigrationInterface {
  name = 'SavedViews1786500000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table gateway.saved_views (
        id uuid primary key,
        tenant_id text not null references gateway.tenants (id),
        owner text not null,
        name text not null,
        filters jsonb not null,
        created_at timestamptz not null default now(),
        unique (tenant_id, owner, name)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table gateway.saved_views');
  }
}
