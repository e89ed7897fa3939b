import type { MigrationInterface, QueryRunner } from 'typeorm';

// Agents' and admins' accounts. Passwords are stored as argon2id hashes only; refresh tokens as
// SHA-256 hashes, with a family id so reuse of a rotated token revokes the whole family.
export class Users1768000000000 implements MigrationInterface {
  name = 'Users1768000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table gateway.users (
        id uuid primary key,
        tenant_id text not null references gateway.tenants (id),
        username text not null check (username ~ '^[a-z0-9][a-z0-9._@-]{0,63}$'),
        display_name text not null default '',
        password_hash text not null,
        role text not null check (role in ('agent', 'senior_agent', 'supervisor', 'admin')),
        departments text[] not null default '{}',
        created_at timestamptz not null default now(),
        disabled_at timestamptz,
        unique (tenant_id, username)
      )`);
    await runner.query(`
      create table gateway.refresh_tokens (
        id uuid primary key,
        tenant_id text not null,
        user_id uuid not null references gateway.users (id) on delete cascade,
        family_id uuid not null,
        token_hash text not null unique,
        expires_at timestamptz not null,
        created_at timestamptz not null default now(),
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await runner.query('create index refresh_tokens_by_family on gateway.refresh_tokens (family_id)');
    await runner.query('create index refresh_tokens_by_user on gateway.refresh_tokens (user_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table gateway.refresh_tokens');
    await runner.query('drop table gateway.users');
  }
}
