import type { MigrationInterface, QueryRunner } from 'typeorm';

// When the approved call's latest run began: a run that a crash cut short leaves its approval
// "approving" with an old attempt, and the approval service carries it out again (approval.service.ts).
export class ApprovalAttempts1790000000001 implements MigrationInterface {
  name = 'ApprovalAttempts1790000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table conversation.approvals add column attempted_at timestamptz');
    await runner.query(`update conversation.approvals set attempted_at = decided_at where status = 'approving'`);
    await runner.query(`create index approvals_approving on conversation.approvals (attempted_at) where status = 'approving'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index conversation.approvals_approving');
    await runner.query('alter table conversation.approvals drop column attempted_at');
  }
}
