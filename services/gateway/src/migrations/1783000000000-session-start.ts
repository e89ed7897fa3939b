import type { MigrationInterface, QueryRunner } from 'typeorm';

// Sessions get an absolute lifetime (SESSION_MAX_AGE_S): every refresh token carries when its
// session's sign-in happened, copied along the rotation. Sessions open before this migration count
// from the migration itself, so none of them is cut off the moment it runs.
export class SessionStart1783000000000 implements MigrationInterface {
  name = 'SessionStart1783000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table gateway.refresh_tokens add column session_started_at timestamptz not null default now()');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table gateway.refresh_tokens drop column session_started_at');
  }
}
