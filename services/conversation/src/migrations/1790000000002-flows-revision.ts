import type { MigrationInterface, QueryRunner } from 'typeorm';

// Figures are measured on one revision of the order flows (autonomy/flows-revision.ts). Each
// conversation process notes the revision it runs when it starts; `simulate --record` stores the
// newest one with the figures, and a process running other flows counts them as not measured.
// Not tenant data: the revision is the deployment's code.
export class FlowsRevision1790000000002 implements MigrationInterface {
  name = 'FlowsRevision1790000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table conversation.intent_figures add column flows_revision text not null default ''`);
    await runner.query(
      'create table conversation.flows_revisions (revision text primary key, started_at timestamptz not null default now())',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table conversation.flows_revisions');
    await runner.query('alter table conversation.intent_figures drop column flows_revision');
  }
}
