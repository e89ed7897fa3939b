import type { MigrationInterface, QueryRunner } from 'typeorm';

// A tenant's identity policy (settings/identity-policy.service.ts): whether the bot may change an
// order on knowledge-based proof (email, or name and zip) or only once the channel adapter has
// authenticated the customer. Off by default: the tau-bench rules, as before.
export class IdentityPolicy1780000000001 implements MigrationInterface {
  name = 'IdentityPolicy1780000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table gateway.tenants add column require_channel_identity boolean not null default false');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table gateway.tenants drop column require_channel_identity');
  }
}
