import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StyleGuides1733000000000 implements MigrationInterface {
  name = 'StyleGuides1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table generation.style_guides (
        tenant_id text primary key,
        tone text not null default '',
        rules text[] not null default '{}',
        forbidden_promises text[] not null default '{}',
        sign_off text not null default '',
        updated_at timestamptz not null default now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table generation.style_guides');
  }
}
