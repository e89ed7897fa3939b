import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Tenants1732500000000 implements MigrationInterface {
  name = 'Tenants1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table gateway.tenants (
        id text primary key check (id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
        name text not null,
        created_at timestamptz not null default now()
      )`);
    // Only a SHA-256 of each key is stored; the key itself is shown once, when it is made.
    await runner.query(`
      create table gateway.api_keys (
        id uuid primary key,
        tenant_id text not null references gateway.tenants (id),
        key_hash text not null unique,
        key_prefix text not null,
        name text not null,
        scopes text[] not null default '{chat}',
        created_at timestamptz not null default now(),
        revoked_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table gateway.api_keys');
    await runner.query('drop table gateway.tenants');
  }
}
